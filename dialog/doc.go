// Package dialog is the channel-agnostic dialog engine: it walks a customer,
// in Chinese or English, through consultation, installation booking, fault
// reporting and repair, returns and exchanges, complaints and satisfaction
// ratings, on a finite-state flow (github.com/looplab/fsm) backed by the
// after-sales policy.
//
// Every turn (a customer message, an agent action, a timer) loads the
// conversation from the Store, runs the flow, and commits the new state, the
// ticket changes and the replies (the outbox) in one transaction. Channels
// deliver replies only after the commit, so a crash never loses a reply and
// never sends one twice. The package knows no channel: channels call Handle
// and drain Store.Pending.
package dialog
