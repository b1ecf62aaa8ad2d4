package slack

import (
	"context"
	"time"
)

// retention is how long the desk's bookkeeping is kept (sqlite.SlackPrune):
// processed deliveries in the inbox, thread messages deleted or edited, and
// the records of posts made for one delivery or relaying one customer
// message. Slack retries an event three times within about five minutes,
// Socket Mode redelivers an envelope not acknowledged within minutes, and
// the worker gives a delivery up after maxAttempts within about ten: a
// week is far beyond all of them, also across a long weekend's outage
// (deletions and edits are kept a week before the oldest delivery still to
// process, however long ago it came), and leaves a week of failed
// deliveries, with their errors, to look at.
const retention = 7 * 24 * time.Hour

// pruneBatch bounds the rows one pruning statement deletes, so that its
// write transaction holds the writer (shared with every customer's turn)
// for a moment only.
const pruneBatch = 256

// pruneStep runs one batch of pruning when it is due (every
// Options.PruneInterval, and at the start), and reports whether more is due
// at once. Only the worker calls it, between deliveries: the deliveries
// always go first.
func (d *Desk) pruneStep(ctx context.Context) bool {
	now := time.Now()
	if now.Before(d.pruneAt) {
		return false
	}
	n, more, err := d.db.SlackPrune(ctx, now, retention, pruneBatch)
	d.pruned += n
	if err != nil {
		if ctx.Err() == nil {
			d.log.Warn("prune", "err", err)
		}
		d.pruneAt = now.Add(min(time.Minute, d.opts.PruneInterval))
		return false
	}
	if more {
		return true
	}
	if d.pruned > 0 {
		d.log.Debug("pruned the desk's bookkeeping", "rows", d.pruned, "retention", retention)
	}
	d.pruned = 0
	d.pruneAt = now.Add(d.opts.PruneInterval)
	return false
}
