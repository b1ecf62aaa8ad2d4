package slack

import (
	"context"
	"errors"
	"fmt"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/supportd/supportd/store/sqlite"
)

// post posts a message at most once per key and returns its channel id and
// ts. The key is recorded before the message is posted and the ts after;
// a key found in flight (the process stopped, or the call failed, between
// the two) is looked for in Slack by the message's metadata before it is
// posted again.
func (d *Desk) post(ctx context.Context, key, channel, threadTS, text string, blocks []slackapi.Block) (string, string, error) {
	return d.postIf(ctx, key, channel, threadTS, text, blocks, nil)
}

// errStale stops a post whose message no longer holds (still said so).
var errStale = errors.New("no longer true")

// postIf is post for a message that may stop being true while it waits
// (for a 429's pause, the channel's pace, a retry): still is asked right
// before it is sent, and an error from it (errStale: the message is not
// wanted any more) leaves it unposted.
func (d *Desk) postIf(ctx context.Context, key, channel, threadTS, text string, blocks []slackapi.Block, still func() error) (string, string, error) {
	p, ok, err := d.db.SlackPost(ctx, key)
	if err != nil {
		return "", "", err
	}
	if ok && p.TS != "" {
		return p.Channel, p.TS, nil
	}
	if ok {
		ts, err := d.api.find(ctx, p.Channel, p.ThreadTS, key, p.Started)
		var refused slackapi.SlackErrorResponse
		switch {
		case errors.As(err, &refused):
			// Slack will not let the desk read the channel (a missing
			// scope, not in it): the post might never be made otherwise.
			d.log.Warn("could not look for a post in flight; posting it again", "key", key, "err", err)
		case err != nil:
			// Slack or the network failing (5xx, timeout): the post may
			// be there, its answer lost. Looked for again on the retry,
			// never posted blind a second time.
			return "", "", fmt.Errorf("look for post %s in flight: %w", key, err)
		}
		if ts != "" {
			return p.Channel, ts, d.db.SlackPosted(ctx, key, p.Channel, ts, time.Now())
		}
	} else if err := d.db.SlackBeginPost(ctx, sqlite.SlackPost{Key: key, Channel: channel, ThreadTS: threadTS, Started: time.Now()}); err != nil {
		return "", "", err
	}
	ch, ts, err := d.api.post(ctx, key, channel, threadTS, text, blocks, still)
	if err != nil {
		return "", "", fmt.Errorf("post %s: %w", key, err)
	}
	return ch, ts, d.db.SlackPosted(ctx, key, ch, ts, time.Now())
}

// once runs do at most once per key. When an earlier run may have been cut
// short (its record has no completion), done says whether its effect is
// there already.
func (d *Desk) once(ctx context.Context, key string, done func() (bool, error), do func() error) error {
	p, ok, err := d.db.SlackPost(ctx, key)
	if err != nil {
		return err
	}
	if ok && p.TS != "" {
		return nil
	}
	if ok && done != nil {
		already, err := done()
		if err != nil {
			return err
		}
		if already {
			return d.db.SlackPosted(ctx, key, "", "done", time.Now())
		}
	} else if !ok {
		if err := d.db.SlackBeginPost(ctx, sqlite.SlackPost{Key: key, Started: time.Now()}); err != nil {
			return err
		}
	}
	if err := do(); err != nil {
		return err
	}
	return d.db.SlackPosted(ctx, key, "", "done", time.Now())
}
