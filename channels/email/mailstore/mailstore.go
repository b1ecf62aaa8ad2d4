// Package mailstore declares what the email channel keeps besides the
// dialog store: one IMAP checkpoint per mailbox, the log of every mail read
// (dedupe, audit, quarantine), the map from Message-IDs to conversations
// (threading) and the send state of every mail sent (the outbox's SMTP
// side). It has no dependencies, so that a store implementation
// (store/sqlite) can implement Store without importing the channel.
package mailstore

import (
	"context"
	"time"
)

// Store keeps the email channel's state. Implementations are safe for
// concurrent use. Every method is its own transaction unless it says
// otherwise.
type Store interface {
	// Checkpoint returns the mailbox's checkpoint; the zero Checkpoint when
	// there is none.
	Checkpoint(ctx context.Context, mailbox string) (Checkpoint, error)
	// SetCheckpoint stores the mailbox's checkpoint.
	SetCheckpoint(ctx context.Context, mailbox string, cp Checkpoint) error

	// Inbound returns the record of a mail read before, by its dedupe key
	// and sender; found is false when there is none.
	Inbound(ctx context.Context, key, sender string) (rec Inbound, found bool, err error)
	// BeginInbound records an attempt at processing a mail: a new record in
	// StatusProcessing, or the existing one (whatever its status) with
	// Attempts one higher. It returns the record as stored.
	BeginInbound(ctx context.Context, rec Inbound) (Inbound, error)
	// FinishInbound stores the record's final status (and raw copy, reason,
	// conversation), links its Message-IDs and adds its Participants to
	// its conversation's, in one transaction.
	FinishInbound(ctx context.Context, rec Inbound, links []Link) error
	// CommittedIn returns the conversation of channel and user that holds
	// an inbound message with this client id (a turn committed before its
	// record was finished: a crash in between).
	CommittedIn(ctx context.Context, channel, user, clientID string) (conversationID string, found bool, err error)

	// Thread returns the conversation of the first of ids that is linked to
	// one, in the order given.
	Thread(ctx context.Context, ids []string) (conversationID string, found bool, err error)
	// Links returns the Message-IDs linked to a conversation, oldest first.
	Links(ctx context.Context, conversationID string) ([]Link, error)
	// SentTo returns the links of the mails sent to a recipient (or in
	// doubt), as To or as a participant of their conversation, since a
	// moment, the newest first, at most limit: a reply whose client
	// dropped In-Reply-To and References is found by them.
	SentTo(ctx context.Context, recipient string, since time.Time, limit int) ([]Link, error)
	// Participants returns the addresses recorded as participants of a
	// conversation (Inbound.Participants), oldest first.
	Participants(ctx context.Context, conversationID string) ([]string, error)

	// Outbound returns the send record of a Message-ID; found is false
	// when there is none.
	Outbound(ctx context.Context, messageID string) (rec Outbound, found bool, err error)
	// PutOutbound inserts or replaces the send record of rec.MessageID. In
	// the same transaction it links the Message-IDs of links (a mail's
	// own, linked before the mail is handed over, so that a reply to a
	// mail in doubt still threads) and marks the messages of
	// rec.ConversationID with the seqs in delivered delivered (the ones a
	// final record carries); either may be empty.
	PutOutbound(ctx context.Context, rec Outbound, links []Link, delivered []int64) error
	// LeftChats returns the conversations of a chat channel whose pending
	// replies go by email: the customer gave an address, and the oldest
	// pending reply was written at or before staleBefore (the customer
	// left) or the conversation has mail already (it went on by email).
	LeftChats(ctx context.Context, channel string, staleBefore time.Time) ([]string, error)
	// AutoRepliesSince counts the automatic mails (Outbound.Auto) to a
	// recipient that were sent, or may have been (StatusSending), since a
	// moment.
	AutoRepliesSince(ctx context.Context, recipient string, since time.Time) (int, error)
}

// Checkpoint is where reading a mailbox got to: every mail up to LastUID
// under UIDValidity is committed. A new UIDValidity invalidates LastUID.
type Checkpoint struct {
	UIDValidity uint32
	LastUID     uint32
}

// The statuses of an inbound mail.
const (
	StatusProcessing  = "processing"  // an attempt started and did not finish
	StatusDone        = "done"        // a turn committed (or the mail joined one)
	StatusAutomated   = "automated"   // automatic mail: recorded, never answered
	StatusOwn         = "own"         // our own mail fetched back: ignored
	StatusQuarantined = "quarantined" // poison: given up after bounded attempts
)

// Inbound is the record of one mail read.
type Inbound struct {
	Key            string // the dedupe key: the Message-ID or "sha256:" and a content hash
	Sender         string // the sender's address, lower-cased ("" when unreadable)
	Status         string
	Attempts       int
	ConversationID string
	Mailbox        string
	UIDValidity    uint32
	UID            uint32
	Subject        string
	Reason         string // why automated, own or quarantined
	Raw            []byte // the raw mail, kept for automated and quarantined mail (bounded)
	// Participants are addresses the mail copied on its thread (To, Cc)
	// that become participants of ConversationID with the record; they are
	// not stored in the record itself.
	Participants []string
	At           time.Time
}

// Terminal reports whether nothing is left to do for the mail but the
// mailbox's after-action (\Seen or move).
func (r Inbound) Terminal() bool {
	switch r.Status {
	case StatusDone, StatusAutomated, StatusOwn, StatusQuarantined:
		return true
	}
	return false
}

// Directions of a Link.
const (
	In  = "in"
	Out = "out"
)

// Link maps a Message-ID received or sent to its conversation.
type Link struct {
	MessageID      string // without angle brackets
	ConversationID string
	Dir            string // In or Out
	Subject        string // the mail's subject, for replies
	At             time.Time
}

// The send states of an outbound mail.
const (
	// SendQueued: not handed over yet; retried freely.
	SendQueued = "queued"
	// SendSending: the data was (maybe) handed over and the server's answer
	// not recorded: in doubt. Resent at most once, with the same Message-ID.
	SendSending   = "sending"
	SendSent      = "sent"      // accepted by the server
	SendFailed    = "failed"    // refused for good (5xx)
	SendAbandoned = "abandoned" // in doubt twice: not sent again, logged
	SendCapped    = "capped"    // an automatic reply over the per-sender daily cap: not sent
)

// Outbound is the send record of one mail, whose Message-ID is derived
// from its conversation and first message.
type Outbound struct {
	MessageID      string
	ConversationID string
	FirstSeq       int64 // the messages of the conversation it carries
	LastSeq        int64
	Recipient      string // lower-cased
	Auto           bool   // an automatic (bot) mail, not an agent's
	Status         string
	Attempts       int // times the data was handed to the server
	Error          string
	At             time.Time // last change
}
