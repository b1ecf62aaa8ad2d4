// Package ticketing is the core of supportd's case handling: the Ticket, its
// kinds and statuses, the one table of allowed status changes, the append-only
// audit log of Events, and the Store interface every storage backend
// implements.
//
// The package knows no channel and no database. Backends (store/sqlite) share
// its rules through [PrepareCreate], [ApplyUpdate] and [Diff], so that every
// implementation validates, diffs and audits in exactly the same way; the
// conformance suite in ticketing/tickettest checks that they do.
package ticketing
