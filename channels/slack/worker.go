package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/supportd/supportd/store/sqlite"
)

// maxAttempts bounds the processing of one delivery; after that it stays in
// the inbox with its error, and the inbox keeps flowing.
const maxAttempts = 8

// jobBatch is how many deliveries the worker reads at a time.
const jobBatch = 50

// runWorker processes the inbox, oldest first, one delivery at a time, and
// between deliveries prunes the desk's bookkeeping (prune.go) in batches.
func (d *Desk) runWorker(ctx context.Context) error {
	tick := time.NewTicker(d.opts.PollInterval)
	defer tick.Stop()
	for {
		jobs, err := d.db.SlackJobs(ctx, time.Now(), jobBatch)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			d.log.Error("inbox", "err", err)
		}
		for _, j := range jobs {
			d.runJob(ctx, j)
			if ctx.Err() != nil {
				return nil
			}
		}
		more := d.pruneStep(ctx)
		if len(jobs) == jobBatch || more {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-d.wake:
		case <-tick.C:
		}
	}
}

// runJob processes one delivery and records the outcome.
func (d *Desk) runJob(ctx context.Context, j sqlite.SlackJob) {
	err := d.process(ctx, j)
	if ctx.Err() != nil {
		return // stopping: the delivery is processed again on the next start
	}
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	now := time.Now()
	if err == nil {
		if err := d.db.SlackJobDone(bg, j.ID, now); err != nil {
			d.log.Error("inbox: mark done", "key", j.Key, "err", err)
		}
		return
	}
	final := errors.Is(err, errBadPayload) || j.Attempts+1 >= maxAttempts
	backoff := min(time.Second<<j.Attempts, 5*time.Minute)
	backoff += rand.N(backoff/4 + 1)
	d.log.Warn("inbox: processing failed", "key", j.Key, "kind", j.Kind, "attempt", j.Attempts+1, "final", final, "err", err)
	if err := d.db.SlackJobFailed(bg, j.ID, err.Error(), now.Add(backoff), final); err != nil {
		d.log.Error("inbox: record failure", "key", j.Key, "err", err)
	}
}

// process dispatches one delivery.
func (d *Desk) process(ctx context.Context, j sqlite.SlackJob) error {
	switch j.Kind {
	case kindEvent:
		ev, err := slackevents.ParseEvent(j.Body, slackevents.OptionNoVerifyToken())
		if err != nil {
			return fmt.Errorf("%w: %v", errBadPayload, err)
		}
		if ev.Type != slackevents.CallbackEvent {
			return nil
		}
		cb, _ := ev.Data.(*slackevents.EventsAPICallbackEvent)
		if msg, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent); ok && cb != nil {
			return d.onThreadMessage(ctx, j, cb.EventID, msg)
		}
		return nil
	case kindInteraction:
		var cb slackapi.InteractionCallback
		if err := json.Unmarshal(j.Body, &cb); err != nil {
			return fmt.Errorf("%w: %v", errBadPayload, err)
		}
		return d.onInteraction(ctx, j, cb)
	case kindCommand:
		var cmd slackapi.SlashCommand
		if err := json.Unmarshal(j.Body, &cmd); err != nil {
			return fmt.Errorf("%w: %v", errBadPayload, err)
		}
		return d.onCommand(ctx, cmd)
	}
	return fmt.Errorf("%w: unknown kind %q", errBadPayload, j.Kind)
}
