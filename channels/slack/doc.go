// Package slack is the agent desk: human agents work entirely in Slack.
//
// Every escalation (a complaint, an unanswered question, a quote to give, an
// on-site visit to dispatch, a customer who asked for a person) becomes a
// message in the channel of its ticket kind, with buttons (Claim, Send quote,
// Resolve, Hand back to bot) and a thread that carries the conversation:
// customer messages are relayed into it (whole, in parts when long; the
// owner mentioned when the customer writes again after a resolution), the
// assignee's replies go to the customer through dialog.Engine.Act as plain
// text (Slack's markup made words, its emoji Unicode, the workspace's
// custom emoji left out), and `note:` / `备注:` (internal:,
// 内部:) replies, replies that begin with a mention (a colleague, a user
// group, @here: the agent is told how to reach the customer instead) and
// replies from anyone else stay internal, as does a reply to a resolved
// ticket while the customer, silent since, is asked to rate it (sent, it
// would reopen the ticket and lose the rating). With
// channels.slack.thread_replies: internal, every reply stays internal unless
// the assignee begins it with `reply:` (customer:, 回复:, 客户:), and the
// assignee is told so once per ticket. In both modes the Send to customer
// message shortcut sends one of the assignee's replies, once (shortcut.go).
// The assignee's `!NAME` sends a saved reply (channels.slack.saved_replies)
// in the conversation's language, in either mode, and the thread shows what
// the customer read (saved.go); /ticket replies lists them.
// SLA warnings and the customer's rating are posted in the thread; /ticket
// answers questions about tickets.
//
// # Delivery
//
// Slack's requests (Events API, interactivity, slash commands over HTTP, or
// the same over Socket Mode) are verified, written to a durable inbox (a
// SQLite table keyed by event id, so retries have one effect) and answered
// at once; a worker processes the inbox. What the desk posts is derived from
// the store after every committed turn (dialog.Engine.OnCommit) and on a
// periodic resync, and every post is recorded with an idempotency key before
// it is considered done, so nothing is posted twice. Web API calls are paced
// per channel, and a 429 pauses its method for the whole process.
//
// The inbox's worker also prunes, between deliveries and in small batches,
// the bookkeeping older than a week (processed deliveries, deleted and
// edited thread messages, the records of one-off posts): long past Slack's
// retries, which come within minutes.
package slack
