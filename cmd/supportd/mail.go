package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/supportd/supportd/channels/email/mailstore"
	"github.com/supportd/supportd/store/sqlite"
)

// mailCmd shows the email channel's log: every mail read (and why one was
// quarantined or not answered), every mail sent and its send state.
func mailCmd(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: want 'mail list', 'mail show KEY' or 'mail sent'", errUsage)
	}
	sub, args := args[0], args[1:]
	fs := newFlags("mail " + sub)
	cfgPath := fs.String("config", "", "configuration file (default: embedded)")
	dataDir := fs.String("data", "", "data directory (default: storage.data_dir)")
	asJSON := fs.Bool("json", false, "print JSON")
	status, limit, raw := new(string), new(int), new(bool)
	switch sub {
	case "list", "sent":
		status = fs.String("status", "", "only records in this status")
		limit = fs.Int("limit", 100, "at most this many records, newest first (0: all)")
	case "show":
		raw = fs.Bool("raw", false, "print the stored raw mail (kept for automated and quarantined mail) instead")
	default:
		return fmt.Errorf("%w: unknown subcommand %q (want list, show or sent)", errUsage, sub)
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	want := 0
	if sub == "show" {
		want = 1
	}
	if err := wantArgs(pos, want, want, "the KEY that mail list prints (a Message-ID or sha256:…)"); err != nil {
		return err
	}
	if *limit < 0 {
		return fmt.Errorf("%w: --limit must be ≥ 0", errUsage)
	}
	cfg, db, err := openData(ctx, *cfgPath, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	loc := cfg.Policy.Location()

	switch sub {
	case "list":
		recs, err := db.InboundLog(ctx, *status, oneMore(*limit))
		recs, cut := cutAt(recs, *limit)
		if err := printLog(e.stdout, *asJSON, recs, err, func(w io.Writer, recs []mailstore.Inbound) { printInboundLog(w, recs, loc) }); err != nil {
			return err
		}
		noteCut(e.stderr, cut, *limit)
		return nil
	case "sent":
		recs, err := db.OutboundLog(ctx, *status, oneMore(*limit))
		recs, cut := cutAt(recs, *limit)
		if err := printLog(e.stdout, *asJSON, recs, err, func(w io.Writer, recs []mailstore.Outbound) { printOutboundLog(w, recs, loc) }); err != nil {
			return err
		}
		noteCut(e.stderr, cut, *limit)
		return nil
	case "show":
		recs, err := db.InboundByKey(ctx, pos[0])
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return fmt.Errorf("no mail with the key %q (a Message-ID without <>, or sha256:…)", pos[0])
		}
		if *raw {
			for _, r := range recs {
				if len(r.Raw) == 0 {
					return fmt.Errorf("mail %q from %q: no raw copy is kept of a mail in status %s", r.Key, r.Sender, r.Status)
				}
				if _, err := e.stdout.Write(r.Raw); err != nil {
					return err
				}
			}
			return nil
		}
		if *asJSON {
			return writeJSON(e.stdout, recs)
		}
		for _, r := range recs {
			printInbound(e.stdout, r, loc)
		}
	}
	return nil
}

// printLog prints the records of a log query as JSON (an array, never
// null) or as a table; an unknown --status is a usage error.
func printLog[T any](w io.Writer, asJSON bool, recs []T, err error, table func(io.Writer, []T)) error {
	switch {
	case errors.Is(err, sqlite.ErrBadStatus):
		if inner := errors.Unwrap(err); inner != nil {
			err = inner // "unknown status …", without the query's name
		}
		return fmt.Errorf("%w: --status: %v", errUsage, err)
	case err != nil:
		return err
	case asJSON && recs == nil:
		return writeJSON(w, []T{})
	case asJSON:
		return writeJSON(w, recs)
	}
	table(w, recs)
	return nil
}

func printInboundLog(w io.Writer, recs []mailstore.Inbound, loc *time.Location) {
	if len(recs) == 0 {
		fmt.Fprintln(w, "no mail read")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RECEIVED\tSTATUS\tTRIES\tFROM\tSUBJECT\tCONVERSATION OR REASON\tKEY")
	for _, r := range recs {
		what := r.ConversationID
		if r.Reason != "" && r.Status != mailstore.StatusDone {
			what = r.Reason
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", r.At.In(loc).Format("2006-01-02 15:04"), r.Status, r.Attempts,
			orDash(r.Sender), orDash(clip(r.Subject, 40)), orDash(clip(what, 60)), r.Key)
	}
	tw.Flush()
}

func printOutboundLog(w io.Writer, recs []mailstore.Outbound, loc *time.Location) {
	if len(recs) == 0 {
		fmt.Fprintln(w, "no mail sent")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "UPDATED\tSTATUS\tTRIES\tTO\tBY\tCONVERSATION\tMESSAGE-ID\tERROR")
	for _, r := range recs {
		by := "agent"
		if r.Auto {
			by = "bot"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", r.At.In(loc).Format("2006-01-02 15:04"), r.Status, r.Attempts,
			orDash(r.Recipient), by, r.ConversationID, r.MessageID, orDash(clip(r.Error, 60)))
	}
	tw.Flush()
}

func printInbound(w io.Writer, r mailstore.Inbound, loc *time.Location) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, kv := range [][2]string{
		{"key", r.Key}, {"from", orDash(r.Sender)}, {"subject", orDash(r.Subject)},
		{"received", r.At.In(loc).Format("2006-01-02 15:04:05 MST")}, {"status", r.Status},
		{"attempts", fmt.Sprint(r.Attempts)}, {"mailbox", fmt.Sprintf("%s (uid %d, uidvalidity %d)", r.Mailbox, r.UID, r.UIDValidity)},
		{"conversation", orDash(r.ConversationID)}, {"reason", orDash(r.Reason)},
		{"raw copy", rawNote(r)},
	} {
		fmt.Fprintf(tw, "%s:\t%s\n", kv[0], kv[1])
	}
	tw.Flush()
	fmt.Fprintln(w)
}

func rawNote(r mailstore.Inbound) string {
	if len(r.Raw) == 0 {
		return "-"
	}
	return fmt.Sprintf("%d bytes (--raw prints it)", len(r.Raw))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// clip shortens s to n characters on one line for a table.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
