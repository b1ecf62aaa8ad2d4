package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/supportd/supportd/channels/webchat"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/store/sqlite"
)

// customerCmd answers a customer's data request: "customer show" exports
// everything stored about them, "customer forget" erases their personal
// data (sqlite.DB.Customer, sqlite.DB.EraseCustomer).
func customerCmd(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: want 'customer show' or 'customer forget'", errUsage)
	}
	sub, args := args[0], args[1:]
	fs := newFlags("customer " + sub)
	cfgPath := fs.String("config", "", "configuration file (default: embedded)")
	dataDir := fs.String("data", "", "data directory (default: storage.data_dir)")
	email := fs.String("email", "", "the customer's email address")
	user := fs.String("user", "", "the customer's user on a channel, CHANNEL:ID (webchat:VISITOR, email:ADDR, cli:NAME; the id as tickets show and customer show list it after the channel)")
	asJSON, yes, dry, operator := new(bool), new(bool), new(bool), new(string)
	switch sub {
	case "show":
		asJSON = fs.Bool("json", false, "print the complete export as JSON")
	case "forget":
		yes = fs.Bool("yes", false, "erase without asking")
		dry = fs.Bool("dry-run", false, "print what would be erased, erase nothing")
		operator = fs.String("operator", os.Getenv(agentEnv), "who erases, recorded on each ticket (default: $"+agentEnv+")")
	default:
		return fmt.Errorf("%w: unknown subcommand %q (want show or forget)", errUsage, sub)
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, 0); err != nil {
		return err
	}
	q, err := customerQuery(*email, *user)
	if err != nil {
		return err
	}
	if sub == "forget" && !*dry && strings.TrimSpace(*operator) == "" {
		return fmt.Errorf("%w: --operator (or $%s) is required: the erasure is recorded under it", errUsage, agentEnv)
	}
	cfg, db, err := openData(ctx, *cfgPath, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	if sub == "show" {
		return customerShow(ctx, e, cfg, db, q, *asJSON)
	}
	return customerForget(ctx, e, cfg, db, q, forgetOpts{operator: strings.TrimSpace(*operator), yes: *yes, dry: *dry})
}

// channelName is the form of a channel in --user.
var channelName = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

// customerQuery reads --email or --user: exactly one.
func customerQuery(email, user string) (sqlite.CustomerQuery, error) {
	switch {
	case email == "" && user == "":
		return sqlite.CustomerQuery{}, fmt.Errorf("%w: say who: --email ADDR or --user CHANNEL:ID", errUsage)
	case email != "" && user != "":
		return sqlite.CustomerQuery{}, fmt.Errorf("%w: --email and --user: give one of them", errUsage)
	case email != "":
		a, err := mail.ParseAddress(email)
		if err != nil || a.Name != "" || a.Address != email || !strings.Contains(email, "@") {
			return sqlite.CustomerQuery{}, fmt.Errorf("%w: --email: %q is not an email address (want name@example.com)", errUsage, email)
		}
		return sqlite.CustomerQuery{Email: strings.ToLower(email)}, nil
	}
	ch, id, ok := strings.Cut(user, ":")
	if !ok || !channelName.MatchString(ch) || strings.TrimSpace(id) == "" {
		return sqlite.CustomerQuery{}, fmt.Errorf("%w: --user: %q is not CHANNEL:ID (webchat:VISITOR, email:ADDR, cli:NAME)", errUsage, user)
	}
	return sqlite.CustomerQuery{Channel: ch, User: id}, nil
}

func noCustomer(q sqlite.CustomerQuery) error {
	if q.Email != "" {
		return fmt.Errorf("no customer %s: nothing is stored under that address (no conversation, ticket or mail record)", q)
	}
	return fmt.Errorf("no customer %s: nothing is stored for that user on %s", q, q.Channel)
}

// customerExport is the JSON of "customer show --json": the database's
// records and the web chat's uploads.
type customerExport struct {
	Customer   string    `json:"customer"`
	ExportedAt time.Time `json:"exported_at"`
	*sqlite.CustomerData
	Uploads []webchat.Upload `json:"uploads"`
}

func customerShow(ctx context.Context, e env, cfg *config.Config, db *sqlite.DB, q sqlite.CustomerQuery, asJSON bool) error {
	d, err := db.Customer(ctx, q)
	if errors.Is(err, sqlite.ErrNoCustomer) {
		return noCustomer(q)
	}
	if err != nil {
		return err
	}
	x := customerExport{Customer: q.String(), ExportedAt: time.Now().UTC(), CustomerData: d, Uploads: []webchat.Upload{}}
	for _, c := range d.Conversations {
		ups, err := webchat.Uploads(cfg.Storage.DataDir, c.ID)
		if err != nil {
			return err
		}
		x.Uploads = append(x.Uploads, ups...)
	}
	if asJSON {
		return writeJSON(e.stdout, x)
	}
	printCustomer(e.stdout, x, cfg.Policy.Location())
	return nil
}

func printCustomer(w io.Writer, x customerExport, loc *time.Location) {
	day := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") }
	fmt.Fprintf(w, "Customer %s\n", x.Customer)
	fmt.Fprintf(w, "\nConversations: %d\n", len(x.Conversations))
	for _, c := range x.Conversations {
		in, out := 0, 0
		for _, m := range c.Messages {
			if m.Dir == "in" {
				in++
			} else {
				out++
			}
		}
		who := strings.TrimSpace(strings.Join([]string{c.State.Customer.Name, c.State.Customer.Email, c.State.Customer.Phone}, " "))
		fmt.Fprintf(w, "  %s  %s user %s  %s – %s  state %s  messages %d in, %d out  customer: %s\n",
			c.ID, c.Channel, c.User, day(c.Created), day(c.Updated), c.State.State, in, out, orDash(who))
		for _, m := range c.Messages {
			fmt.Fprintf(w, "    %s %-3s %-8s %s\n", day(m.At), m.Dir, m.From, clip(m.Text, 80))
		}
	}
	fmt.Fprintf(w, "\nTickets: %d\n", len(x.Tickets))
	for _, t := range x.Tickets {
		tk := t.Ticket
		fmt.Fprintf(w, "  %s  %s %s  %s  opened %s  %q  customer: %s\n", tk.ID, tk.Kind, tk.Status, tk.Channel, day(tk.CreatedAt),
			clip(tk.Subject, 60), orDash(strings.TrimSpace(strings.Join([]string{tk.Customer.Name, tk.Customer.Email, tk.Customer.Phone}, " "))))
		for k, v := range tk.Details {
			fmt.Fprintf(w, "    %s: %s\n", k, clip(v, 80))
		}
		for _, ev := range t.Events {
			fmt.Fprintf(w, "    #%d %s %s by %s %s\n", ev.Seq, day(ev.At), ev.Action, ev.Actor, clip(ev.Note, 60))
		}
	}
	fmt.Fprintf(w, "\nMails read: %d\n", len(x.MailsRead))
	for _, m := range x.MailsRead {
		raw := ""
		if n := len(m.Raw) + len(m.RawBase64); n > 0 {
			raw = fmt.Sprintf("  raw copy %d bytes", n)
		}
		fmt.Fprintf(w, "  %s  %s  from %s  %q  %s%s\n", day(m.At), m.Status, m.Sender, clip(m.Subject, 50), m.Key, raw)
	}
	fmt.Fprintf(w, "\nMails sent: %d\n", len(x.MailsSent))
	for _, m := range x.MailsSent {
		fmt.Fprintf(w, "  %s  %s  to %s  %s\n", day(m.At), m.Status, m.Recipient, m.MessageID)
	}
	if len(x.Participants) > 0 {
		fmt.Fprintf(w, "\nCopied on mails: %d\n", len(x.Participants))
		for _, p := range x.Participants {
			fmt.Fprintf(w, "  %s  %s\n", p.ConversationID, p.Address)
		}
	}
	fmt.Fprintf(w, "\nUploads: %d\n", len(x.Uploads))
	for _, u := range x.Uploads {
		fmt.Fprintf(w, "  %s  %s  %s %d bytes  %s\n", day(u.At), u.Name, u.Type, u.Size, u.Path)
	}
	fmt.Fprintln(w, "\nThe complete export, every message and event: --json")
}

type forgetOpts struct {
	operator string
	yes, dry bool
}

// errNotConfirmed: the operator did not confirm, nothing was erased.
var errNotConfirmed = errors.New("not confirmed: nothing erased")

func customerForget(ctx context.Context, e env, cfg *config.Config, db *sqlite.DB, q sqlite.CustomerQuery, o forgetOpts) error {
	plan, err := db.EraseCustomer(ctx, q, orDash(o.operator), true)
	if errors.Is(err, sqlite.ErrNoCustomer) {
		return noCustomer(q)
	}
	if err != nil {
		return err
	}
	uploads := 0
	for _, id := range plan.Conversations {
		ups, err := webchat.Uploads(cfg.Storage.DataDir, id)
		if err != nil {
			return err
		}
		uploads += len(ups)
	}
	printErasure(e.stdout, q, plan, uploads, "Would erase")
	if o.dry {
		return nil
	}
	if !o.yes {
		if !isTerminal(e.stdin) {
			return fmt.Errorf("refusing to erase without confirmation: the input is not a terminal; nothing erased (run again with --yes)")
		}
		fmt.Fprintf(e.stdout, "Erase the personal data of %s? This cannot be undone. Type yes: ", q)
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		if strings.TrimSpace(line) != "yes" {
			return errNotConfirmed
		}
	}
	done, err := db.EraseCustomer(ctx, q, o.operator, false)
	if err != nil {
		return err
	}
	removed := 0
	for _, id := range done.Conversations {
		n, err := webchat.RemoveUploads(cfg.Storage.DataDir, id)
		if err != nil {
			return fmt.Errorf("the database is erased, but not every upload: %w", err)
		}
		removed += n
	}
	if err := db.Vacuum(ctx); err != nil {
		return fmt.Errorf("the data is erased, but the database file still has erased values in its free pages: %w (run `supportd customer forget` again, or VACUUM the database, when the server is idle)", err)
	}
	printErasure(e.stdout, q, done, removed, "Erased")
	fmt.Fprintf(e.stdout, "Recorded on each ticket as %q by %s; the database file was compacted (VACUUM), so no erased value is left in it.\n", sqlite.ErasureNote, o.operator)
	printUnreached(e.stdout, done)
	return nil
}

func printErasure(w io.Writer, q sqlite.CustomerQuery, er *sqlite.Erasure, uploads int, what string) {
	fmt.Fprintf(w, "%s, of customer %s:\n", what, q)
	for _, row := range []struct {
		n    int
		what string
	}{
		{len(er.Conversations), "conversations: name, email, phone and what they told the bot"},
		{er.Messages, "messages: text, both directions"},
		{er.UndeliveredDrops, "replies not delivered yet: no longer sent"},
		{len(er.Tickets), "tickets: customer, subject, the details they told (fault, address, ...), proof of purchase, rating comment, quote note"},
		{er.Events, "ticket events: notes and the personal values of their changes"},
		{er.MailsRead, "mails read: sender and subject"},
		{er.RawCopies, "raw mail copies: deleted"},
		{er.MailsSent, "mails sent: recipient"},
		{er.MailThreads, "mail threads: subject"},
		{er.Participants, "mail participant records: deleted"},
		{er.SlackEvents, "Slack events about the tickets' threads, processed: deleted"},
		{uploads, "web chat uploads: files deleted"},
	} {
		fmt.Fprintf(w, "  %5d %s\n", row.n, row.what)
	}
	fmt.Fprintln(w, "Kept: ticket kinds, statuses, times, deadlines, ratings' scores, models and warranty decisions (the reports do not change).")
}

// printUnreached says where copies are that this command cannot erase.
func printUnreached(w io.Writer, er *sqlite.Erasure) {
	fmt.Fprintln(w, "Not erased from here (copies outside this database):")
	if len(er.SlackThreads) > 0 {
		fmt.Fprintln(w, "  - Slack: these ticket threads hold copies of the customer's messages; delete them in Slack:")
		for _, t := range er.SlackThreads {
			fmt.Fprintf(w, "      %s: channel %s, thread %s\n", t.TicketID, t.Channel, t.TS)
		}
	} else {
		fmt.Fprintln(w, "  - Slack: none of the tickets has a thread recorded here (if the desk was used, look for them there).")
	}
	fmt.Fprintln(w, "  - Mail: mails delivered to the customer, and the support mailbox's own copies (inbox, sent folder): delete them on the mail server.")
	fmt.Fprintln(w, "  - Webhooks: receivers got the tickets' events before; each ticket's erasure event (note \""+sqlite.ErasureNote+"\") goes to them too: have each receiver erase its copies.")
	fmt.Fprintln(w, "  - Backups of the database and of the data directory made before now.")
}
