package slack

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/supportd/supportd/internal/wait"
)

// maxRateLimited bounds the retries of one call answered with 429.
const maxRateLimited = 5

// api wraps the Web API client: posting to a channel is paced, and a 429
// pauses its method for every caller of the process until Retry-After has
// passed. It is safe for concurrent use.
type api struct {
	c        *slackapi.Client
	interval time.Duration
	log      *slog.Logger

	mu     sync.Mutex
	next   map[string]time.Time // channel → the earliest moment of its next post
	paused map[string]time.Time // method → paused until
}

func newAPI(c *slackapi.Client, interval time.Duration, lg *slog.Logger) *api {
	return &api{c: c, interval: interval, log: lg, next: map[string]time.Time{}, paused: map[string]time.Time{}}
}

// call runs fn, the Web API method named method, after any pause of that
// method and, when channel is set, at its turn in the channel's pace; a 429
// pauses the method and fn is run again.
func (a *api) call(ctx context.Context, method, channel string, fn func() error) error {
	for attempt := 0; ; attempt++ {
		if err := a.waitMethod(ctx, method); err != nil {
			return err
		}
		if channel != "" {
			if err := a.pace(ctx, channel); err != nil {
				return err
			}
		}
		err := fn()
		if channel != "" {
			a.spaced(channel)
		}
		var rl *slackapi.RateLimitedError
		if !errors.As(err, &rl) || attempt >= maxRateLimited {
			return err
		}
		wait := max(rl.RetryAfter, time.Second)
		a.log.Warn("rate limited", "method", method, "retry_after", wait)
		a.mu.Lock()
		if until := time.Now().Add(wait); until.After(a.paused[method]) {
			a.paused[method] = until
		}
		a.mu.Unlock()
	}
}

// waitMethod waits while method is paused.
func (a *api) waitMethod(ctx context.Context, method string) error {
	for {
		a.mu.Lock()
		until := a.paused[method]
		a.mu.Unlock()
		dt := time.Until(until)
		if dt <= 0 {
			return nil
		}
		if !wait.For(ctx, dt) {
			return ctx.Err()
		}
	}
}

// pace reserves the channel's next slot and waits for it.
func (a *api) pace(ctx context.Context, channel string) error {
	a.mu.Lock()
	now := time.Now()
	at := a.next[channel]
	if at.Before(now) {
		at = now
	}
	a.next[channel] = at.Add(a.interval)
	a.mu.Unlock()
	if !wait.For(ctx, time.Until(at)) {
		return ctx.Err()
	}
	return nil
}

// spaced keeps the channel's next slot at least an interval after a call
// that just ended, so that posts are spaced as Slack receives them even when
// one took long to send.
func (a *api) spaced(channel string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if at := time.Now().Add(a.interval); at.After(a.next[channel]) {
		a.next[channel] = at
	}
}

// metaType is the event type of the metadata on every message the desk
// posts: its payload carries the idempotency key.
const metaType = "supportd_post"

// post posts a message and returns the channel id and ts. still, when set,
// is asked right before each attempt, once any pause and the channel's pace
// are waited out; its error stops the post.
func (a *api) post(ctx context.Context, key, channel, threadTS, text string, blocks []slackapi.Block, still func() error) (string, string, error) {
	opts := []slackapi.MsgOption{
		slackapi.MsgOptionText(text, false),
		slackapi.MsgOptionDisableLinkUnfurl(),
		slackapi.MsgOptionMetadata(slackapi.SlackMetadata{EventType: metaType, EventPayload: map[string]any{"key": key}}),
	}
	if len(blocks) > 0 {
		opts = append(opts, slackapi.MsgOptionBlocks(blocks...))
	}
	if threadTS != "" {
		opts = append(opts, slackapi.MsgOptionTS(threadTS))
	}
	var ch, ts string
	err := a.call(ctx, "chat.postMessage", channel, func() (err error) {
		if still != nil {
			if err := still(); err != nil {
				return err
			}
		}
		ch, ts, err = a.c.PostMessageContext(ctx, channel, opts...)
		return err
	})
	return ch, ts, err
}

// update replaces a message.
func (a *api) update(ctx context.Context, channel, ts, text string, blocks []slackapi.Block) error {
	return a.call(ctx, "chat.update", channel, func() error {
		_, _, _, err := a.c.UpdateMessageContext(ctx, channel, ts, slackapi.MsgOptionText(text, false), slackapi.MsgOptionBlocks(blocks...))
		return err
	})
}

// ephemeral shows text to one user only, in a thread when threadTS is set.
func (a *api) ephemeral(ctx context.Context, channel, user, threadTS, text string) error {
	opts := []slackapi.MsgOption{slackapi.MsgOptionText(text, false)}
	if threadTS != "" {
		opts = append(opts, slackapi.MsgOptionTS(threadTS))
	}
	return a.call(ctx, "chat.postEphemeral", channel, func() error {
		_, err := a.c.PostEphemeralContext(ctx, channel, user, opts...)
		return err
	})
}

// react adds a reaction; one that is there already is not an error.
func (a *api) react(ctx context.Context, channel, ts, name string) error {
	return a.call(ctx, "reactions.add", "", func() error {
		err := a.c.AddReactionContext(ctx, name, slackapi.NewRefToMessage(channel, ts))
		if err != nil && err.Error() == "already_reacted" {
			return nil
		}
		return err
	})
}

// openView opens a modal.
func (a *api) openView(ctx context.Context, trigger string, v slackapi.ModalViewRequest) error {
	return a.call(ctx, "views.open", "", func() error {
		_, err := a.c.OpenViewContext(ctx, trigger, v)
		return err
	})
}

// user returns a user's profile.
func (a *api) user(ctx context.Context, id string) (*slackapi.User, error) {
	var u *slackapi.User
	err := a.call(ctx, "users.info", "", func() (err error) {
		u, err = a.c.GetUserInfoContext(ctx, id)
		return err
	})
	return u, err
}

// userByEmail finds a user by their email (users.lookupByEmail).
func (a *api) userByEmail(ctx context.Context, email string) (*slackapi.User, error) {
	var u *slackapi.User
	err := a.call(ctx, "users.lookupByEmail", "", func() (err error) {
		u, err = a.c.GetUserByEmailContext(ctx, email)
		return err
	})
	return u, err
}

// respond answers a slash command through its response URL.
func (a *api) respond(ctx context.Context, url string, msg *slackapi.WebhookMessage) error {
	return a.call(ctx, "response_url", "", func() error {
		return slackapi.PostWebhookCustomHTTPContext(ctx, url, a.httpClient(), msg)
	})
}

func (a *api) httpClient() *http.Client { return &http.Client{Timeout: 15 * time.Second} }

// find looks for a message the desk posted with key since the moment given,
// in a thread or in the channel's history, and returns its ts ("" when it
// is not there).
func (a *api) find(ctx context.Context, channel, threadTS, key string, since time.Time) (string, error) {
	oldest := strconv.FormatInt(since.Add(-time.Minute).Unix(), 10)
	var msgs []slackapi.Message
	err := a.call(ctx, "conversations.history", "", func() error {
		if threadTS != "" {
			m, _, _, err := a.c.GetConversationRepliesContext(ctx, &slackapi.GetConversationRepliesParameters{
				ChannelID: channel, Timestamp: threadTS, Oldest: oldest, Limit: 200, IncludeAllMetadata: true})
			msgs = m
			return err
		}
		r, err := a.c.GetConversationHistoryContext(ctx, &slackapi.GetConversationHistoryParameters{
			ChannelID: channel, Oldest: oldest, Limit: 200, IncludeAllMetadata: true})
		if r != nil {
			msgs = r.Messages
		}
		return err
	})
	if err != nil {
		return "", err
	}
	for _, m := range msgs {
		if m.Metadata.EventType == metaType && m.Metadata.EventPayload["key"] == key {
			return m.Timestamp, nil
		}
	}
	return "", nil
}
