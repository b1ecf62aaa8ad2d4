package dialog_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// mailer sends customers' emails to an engine, as the email channel hands
// them over: from an address, into a conversation ("email:new" starts a new
// one, as a mail that threads into none), in lang ("": detected).
type mailer struct {
	t   *testing.T
	eng *dialog.Engine
	n   int
}

// send returns the mail's conversation and the replies to it, joined.
func (m *mailer) send(from, conv, lang, text string) (string, string) {
	m.t.Helper()
	m.n++
	res, err := m.eng.Handle(context.Background(), dialog.Inbound{Channel: "email", User: from, ConversationID: conv, ID: fmt.Sprint("mail-", m.n),
		Text: text, Lang: lang, Customer: ticketing.Customer{Email: from}})
	if err != nil {
		m.t.Fatal(err)
	}
	var said []string
	for _, r := range res.Replies {
		said = append(said, r.Text)
	}
	return res.ConversationID, strings.Join(said, "\n")
}
