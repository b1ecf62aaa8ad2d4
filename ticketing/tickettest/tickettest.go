// Package tickettest is the conformance suite every ticketing.Store
// implementation must pass, in the manner of Watermill's pub/sub tests: one
// shared behaviour test, run from each implementation's own tests.
//
//	func TestConformance(t *testing.T) {
//		tickettest.Run(t, func(t *testing.T) ticketing.Store { ... a fresh, empty store, closed by t.Cleanup ... })
//	}
//
// Every test asserts what was stored (read back through Get, List and
// Events), not only the error returned.
package tickettest

import (
	"testing"

	"github.com/supportd/supportd/ticketing"
)

// Run runs the conformance suite. open must return a new, empty store for
// each call and arrange for it to be closed when t ends; it may be called
// many times in one Run.
func Run(t *testing.T, open func(t *testing.T) ticketing.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, ticketing.Store)
	}{
		{"CreateGetRoundTrip", testRoundTrip},
		{"CreateDefaults", testCreateDefaults},
		{"CreateInvalid", testCreateInvalid},
		{"IDSequence", testIDSequence},
		{"List", testList},
		{"ListInvalidFilter", testListInvalidFilter},
		{"ListInTx", testListInTx},
		{"Transitions", testTransitions},
		{"SameStatusIsNoChange", testSameStatus},
		{"UpdateWithoutDiff", testUpdateNoDiff},
		{"UpdateFnErrorRollsBack", testUpdateFnError},
		{"UpdateInvalid", testUpdateInvalid},
		{"Immutable", testImmutable},
		{"StoreManagedFields", testStoreManaged},
		{"InTxCommit", testInTxCommit},
		{"InTxRollback", testInTxRollback},
		{"InTxPanic", testInTxPanic},
		{"Events", testEvents},
		{"StoreClock", testStoreClock},
		{"AddNote", testAddNote},
		{"NotFound", testNotFound},
		{"ReturnsCopies", testCopies},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"ConcurrentCreates", testConcurrentCreates},
		{"Ping", testPing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}
