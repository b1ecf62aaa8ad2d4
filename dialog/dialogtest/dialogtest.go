// Package dialogtest is the conformance suite every dialog.Store
// implementation must pass, in the manner of ticketing/tickettest: one shared
// behaviour test, run from each implementation's own tests.
//
//	func TestDialogConformance(t *testing.T) {
//		dialogtest.Run(t, func(t *testing.T) dialog.Store { ... a fresh, empty store, closed by t.Cleanup ... })
//	}
//
// Every test asserts what was stored (read back through Conversation,
// History, Pending, Due and the ticket reads, or through a later turn), not
// only the error returned.
package dialogtest

import (
	"testing"

	"github.com/supportd/supportd/dialog"
)

// Run runs the conformance suite. open must return a new, empty store for
// each call and arrange for it to be closed when t ends; it may be called
// many times in one Run.
func Run(t *testing.T, open func(t *testing.T) dialog.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, dialog.Store)
	}{
		{"SaveLoadRoundTrip", testRoundTrip},
		{"SaveUpdate", testSaveUpdate},
		{"CompareAndSwap", testCompareAndSwap},
		{"SaveRefused", testSaveRefused},
		{"Find", testFind},
		{"ReturnsCopies", testCopies},
		{"AppendNumbers", testAppend},
		{"Seen", testSeen},
		{"DuplicateClientID", testDuplicateClientID},
		{"TurnCommit", testTurnCommit},
		{"TurnRollback", testTurnRollback},
		{"Pending", testPending},
		{"MarkDelivered", testMarkDelivered},
		{"MarkDeliveredAll", testMarkDeliveredAll},
		{"History", testHistory},
		{"Due", testDue},
		{"ConcurrentConversations", testConcurrentConversations},
		{"RacingTurns", testRacingTurns},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}
