package dialog_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/ticketing"
)

// An installation booked in one email conversation is moved ("请把安装改到
// 下周二") or cancelled ("please cancel my installation") from a new email
// of the same customer, as is one an agent booked for the customer's
// address; another customer saying the same changes nothing of it.
func TestInstallationOfAnotherConversationChanged(t *testing.T) {
	now := time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC) // Wed 2 Dec, 10:00 in Shanghai
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	mail := (&mailer{t: t, eng: eng}).send
	book := func(from, lang string, msgs ...string) (string, *ticketing.Ticket) {
		t.Helper()
		conv := "email:new"
		for _, m := range msgs {
			conv, _ = mail(from, conv, lang, m)
		}
		tks, err := db.List(ctx, ticketing.Filter{Customer: from, Kind: ticketing.KindInstallation})
		if err != nil || len(tks) != 1 || tks[0].ConversationID != conv {
			t.Fatalf("the installation booked by %s: %+v, %v", from, tks, err)
		}
		return conv, tks[0]
	}
	get := func(id string) *ticketing.Ticket {
		t.Helper()
		tk, err := db.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}

	// Moved from a new mail, in Chinese.
	first, tk := book("zhao@example.com", "zh", "我需要安装WM-100", "上海市徐汇区漕溪北路88号", "12月12日", "13812345678", "对")
	second, got := mail("zhao@example.com", "email:new", "zh", "请把安装改到下周二")
	if second == first {
		t.Fatal("the new mail continued the first conversation")
	}
	if x := get(tk.ID); x.Details["preferred_date"] != "2026-12-08" || !strings.Contains(got, tk.ID) {
		t.Errorf("moved from a new mail: said %q, preferred date %q; want %s moved to 2026-12-08", got, x.Details["preferred_date"], tk.ID)
	}
	_, got = mail("zhao@example.com", "email:new", "zh", "地址改成上海市徐汇区文三路100号")
	if x := get(tk.ID); !strings.Contains(x.Details["address"], "文三路100号") || !strings.Contains(got, tk.ID) {
		t.Errorf("the address changed from a new mail: said %q, address %q", got, x.Details["address"])
	}
	// The new day asked, then said alone.
	third, got := mail("zhao@example.com", "email:new", "zh", "我要改安装时间")
	if !strings.Contains(got, "新的日期") {
		t.Errorf("a move without its day from a new mail: said %q, want the day asked", got)
	}
	if _, got = mail("zhao@example.com", third, "zh", "12月15日"); !strings.Contains(got, tk.ID) || get(tk.ID).Details["preferred_date"] != "2026-12-15" {
		t.Errorf("the day said alone after it was asked: said %q, preferred date %q", got, get(tk.ID).Details["preferred_date"])
	}
	// Another customer saying the same moves nothing of it.
	_, got = mail("qian@example.com", "email:new", "zh", "请把安装改到下周三")
	if x := get(tk.ID); x.Details["preferred_date"] != "2026-12-15" || strings.Contains(got, tk.ID) {
		t.Errorf("another customer moving an installation: said %q, %s preferred date %q", got, tk.ID, x.Details["preferred_date"])
	}

	// Cancelled from a new mail, in English.
	_, tk = book("li@example.com", "en", "I need my WM-100 installed", "12 Linden Road, Shanghai", "Sat 12 Dec", "13812345678", "yes")
	_, got = mail("wang@example.com", "email:new", "en", "please cancel my installation")
	if x := get(tk.ID); x.Status == ticketing.StatusCancelled || strings.Contains(got, tk.ID) {
		t.Errorf("another customer cancelling an installation: said %q, %s is %s", got, tk.ID, x.Status)
	}
	_, got = mail("li@example.com", "email:new", "en", "please cancel my installation")
	if x := get(tk.ID); x.Status != ticketing.StatusCancelled || !strings.Contains(got, tk.ID) {
		t.Errorf("cancelled from a new mail: said %q, %s is %s", got, tk.ID, x.Status)
	}

	// A booking an agent made for the customer's address, moved by mail.
	agent := &ticketing.Ticket{Kind: ticketing.KindInstallation, Status: ticketing.StatusOpen, Model: "WM-100",
		Customer: ticketing.Customer{Email: "sun@example.com", Phone: "13700000000"},
		Details:  map[string]string{"address": "9 Elm Street, Shanghai", "preferred_date": "2026-12-10"}}
	if err := db.Create(ctx, agent, ticketing.By{Actor: "agent:alice"}); err != nil {
		t.Fatal(err)
	}
	_, got = mail("sun@example.com", "email:new", "en", "change my installation to next Tuesday")
	if x := get(agent.ID); x.Details["preferred_date"] != "2026-12-08" || !strings.Contains(got, agent.ID) {
		t.Errorf("an agent's booking moved by mail: said %q, preferred date %q", got, x.Details["preferred_date"])
	}
}

// A note for the technician told in a new email ("the technician should
// call before coming", "师傅来之前先打电话") goes on the installation the
// customer booked in an earlier one, and the reply names it.
func TestTechnicianNoteOfAnotherConversation(t *testing.T) {
	now := time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC) // Wed 2 Dec, 10:00 in Shanghai
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	mail := (&mailer{t: t, eng: eng}).send
	for _, c := range []struct{ from, lang, note string }{
		{"li@example.com", "en", "the technician should call before coming"},
		{"zhao@example.com", "zh", "师傅来之前先打电话"},
	} {
		conv := "email:new"
		for _, m := range []string{"book installation WM-100, 18 Hengshan Road Shanghai, 13812345678, next Monday", "yes"} {
			conv, _ = mail(c.from, conv, c.lang, m)
		}
		tks, err := db.List(ctx, ticketing.Filter{Customer: c.from, Kind: ticketing.KindInstallation})
		if err != nil || len(tks) != 1 {
			t.Fatalf("%s: the installation booked: %+v, %v", c.from, tks, err)
		}
		second, got := mail(c.from, "email:new", c.lang, c.note)
		if second == conv {
			t.Fatal("the new mail continued the first conversation")
		}
		evs, err := db.Events(ctx, tks[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		note := ""
		for _, ev := range evs {
			if ev.Action == ticketing.ActionComment {
				note = ev.Note
			}
		}
		if !strings.Contains(got, tks[0].ID) || !strings.Contains(note, c.note) {
			t.Errorf("%q from a new mail: said %q, last note %q; want it on %s", c.note, got, note, tks[0].ID)
		}
	}
}
