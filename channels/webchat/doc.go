// Package webchat is the website chat channel: a widget that a site adds with
// one script tag talks to supportd over a WebSocket at /chat/ws, with the JSON
// protocol of docs/webchat-protocol.md, and uploads proof-of-purchase files
// over HTTP at /chat/upload.
//
// A Channel connects visitors to the dialog engine. A visitor is known by a
// resume token that the server mints and signs (token.go); its visitor id is
// the dialog user on channel "webchat", so the engine finds the visitor's
// conversation again on any tab and after any reconnect. Customer frames go
// to the engine (Engine.Start, Engine.Handle); everything the conversation
// says, the customer's own messages included, reaches every socket of the
// conversation (hub.go): at once after each commit (a turn's own messages as
// the engine returns them, others read from the store after Engine.OnCommit),
// and by a periodic sweep of the outbox for what another
// process committed. Nothing is kept only in memory: a visitor who was away
// gets the history, and what was not delivered, in the next welcome.
//
// Each socket has a reader goroutine that owns it, and a writer goroutine
// only while frames are queued: the frames queued together are written in
// one system call (batchconn.go). A bounded send queue, ping/pong deadlines
// and rate limits protect the server (client.go, limits.go). Run supervises
// the channel and closes every socket when its context ends.
package webchat
