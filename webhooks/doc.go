// Package webhooks posts every ticket event to the company's own systems (a
// CRM, an ERP): one signed JSON POST per event of the tickets' audit log, to
// each configured webhook, in commit order, at least once.
//
// # Delivery
//
// The store numbers every event in commit order as it is written, in the
// same transaction (store/sqlite's webhook feed, migration 00013), and keeps
// one cursor per webhook: the last event that webhook acknowledged. Each
// webhook has a worker of its own that reads the feed after its cursor in
// batches and posts one event at a time; a 2xx answer moves the cursor
// forward durably, anything else (another status, a timeout, a refused
// connection) is tried again, the same event, after a capped exponential
// backoff with jitter (or the receiver's Retry-After, within the cap). So a
// webhook receives its events in order with none skipped, a webhook that
// fails holds back only itself, and after a crash or a restart each worker
// resumes at its cursor: an event whose answer was lost is sent again, with
// the same X-Supportd-Delivery id for the receiver to drop the duplicate.
//
// A worker wakes after every committed turn (Notify, wired to the dialog
// engine's OnCommit) and every PollInterval, for events committed by another
// process (`supportd tickets claim`, ...). A webhook added to the
// configuration starts with the events committed from its first start on;
// the cursor of a webhook removed is dropped at start, so it holds nothing
// back. Feed rows every cursor has passed are pruned in small batches.
//
// Nothing a customer wrote is logged: a failure is logged with the webhook's
// name, the event's id, the status code or the transport error (without the
// URL, which may carry a token), never the body sent or received.
package webhooks
