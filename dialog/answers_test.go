package dialog_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

// customer talks to an engine on a real SQLite file as one web chat
// visitor, the clock at Wednesday 2026-11-25 10:00.
type customer struct {
	t    *testing.T
	eng  *dialog.Engine
	db   *sqlite.DB
	user string
	n    int
	conv string
}

func newCustomer(t *testing.T) *customer {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	return &customer{t: t, eng: eng, db: db, user: "visitor"}
}

// say sends text and returns what the bot answered, one reply a line.
func (c *customer) say(text string) string {
	c.t.Helper()
	c.n++
	res, err := c.eng.Handle(context.Background(), dialog.Inbound{Channel: "webchat", User: c.user, ID: fmt.Sprint(c.n), Text: text})
	if err != nil {
		c.t.Fatal(err)
	}
	c.conv = res.ConversationID
	var said []string
	for _, m := range res.Replies {
		said = append(said, m.Text)
	}
	return strings.Join(said, "\n")
}

// says sends each text in turn and returns the answer to the last.
func (c *customer) says(texts ...string) string {
	c.t.Helper()
	got := ""
	for _, s := range texts {
		got = c.say(s)
	}
	return got
}

// conversation returns the conversation as stored.
func (c *customer) conversation() *dialog.Conversation {
	c.t.Helper()
	conv, err := c.db.Conversation(context.Background(), c.conv)
	if err != nil {
		c.t.Fatal(err)
	}
	return conv
}

// ticket returns ticket id as stored.
func (c *customer) ticket(id string) *ticketing.Ticket {
	c.t.Helper()
	tk, err := c.db.Get(context.Background(), id)
	if err != nil {
		c.t.Fatal(err)
	}
	return tk
}

// A day of the month said alone ("the 18th", "on the 18th", "18号") where a
// date is asked is that day: for the purchase date the latest one gone by,
// for the installation day the next one; at the question which day a fault
// began (its start told was before the purchase), "22号" records the 22nd.
func TestDayOfMonthAloneAnswersADate(t *testing.T) {
	for _, tc := range []struct{ name, first, day, want string }{
		{"purchase en", "My WM-100 doesn't spin", "the 18th", "2026-11-18"},
		{"purchase en on", "My WM-100 doesn't spin", "on the 18th", "2026-11-18"},
		{"purchase zh", "我的WM-100洗衣机不转了", "18号", "2026-11-18"},
		{"purchase zh later in month", "我的WM-100洗衣机不转了", "28号", "2026-10-28"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCustomer(t)
			c.say(tc.first)
			got := c.say(tc.day)
			if strings.Contains(got, "didn't understand") || strings.Contains(got, "没有理解") || strings.Contains(got, "When did you buy") || strings.Contains(got, "什么时候购买") {
				t.Errorf("%q to the purchase question was not taken:\n%s", tc.day, got)
			}
			if v := c.conversation().Slots["purchased"].Value; v != tc.want {
				t.Errorf("purchased = %q, want %q", v, tc.want)
			}
		})
	}
	for _, tc := range []struct{ name, first, address, day, want, shown string }{
		{"installation en", "I'd like to book installation of my WP-8", "100 Songren Road, Xinyi District, Taipei", "on the 18th", "2026-12-18", "Fri 18 Dec"},
		{"installation zh", "我买了净水器WP-8，想预约安装", "台北市信義區松仁路100號5樓", "18号", "2026-12-18", "12月18日（周五）"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCustomer(t)
			c.says(tc.first, tc.address, tc.day)
			if v := c.conversation().Slots["visit_date"].Value; v != tc.want {
				t.Errorf("visit_date = %q, want %q", v, tc.want)
			}
			if got := c.say("0912345678"); !strings.Contains(got, tc.shown) {
				t.Errorf("the summary does not show the day %s:\n%s", tc.shown, got)
			}
		})
	}
	t.Run("fault start zh", func(t *testing.T) {
		c := newCustomer(t)
		c.says("电视TV-55X从11月18号开始没声音，2026年4月10日买的，订单号 88812345678", "没用", "没有", "没有", "不是", "对")
		if got := c.say("不好意思，是11月30号开始没声音的"); !strings.Contains(got, "故障是哪天开始的") {
			t.Fatalf("a start before the purchase is not asked about:\n%s", got)
		}
		if got := c.say("22号"); got != "已更新故障开始时间：2026年11月22日。" {
			t.Errorf("22号 to the question which day the fault began: %q", got)
		}
		if v := c.ticket("T-1001").Details["fault_since"]; v != "2026-11-22" {
			t.Errorf("ticket fault_since = %q, want 2026-11-22", v)
		}
	})
}

// A Taiwan mobile number written with hyphens ("09-1234-5678") is a phone
// number as "09 1234 5678" and "0912345678" are: typed for a date it is
// taken as the phone and the customer is told so; asked for, it is the
// phone the booking shows.
func TestTaiwanMobileWithHyphens(t *testing.T) {
	c := newCustomer(t)
	c.say("My WM-100 doesn't spin")
	got := c.say("09-1234-5678")
	if want := "I've taken 0912345678 as your phone number, not as a date."; !strings.HasPrefix(got, want) {
		t.Errorf("09-1234-5678 to the purchase question:\n%s\nwant %q", got, want)
	}
	if v := c.conversation().Slots["phone"].Value; v != "0912345678" {
		t.Errorf("phone = %q, want 0912345678", v)
	}

	c = newCustomer(t)
	got = c.says("我买了净水器WP-8，想预约安装", "台北市信義區松仁路100號5樓", "下周六上午", "09-1234-5678")
	if !strings.Contains(got, "电话: 0912345678") {
		t.Errorf("09-1234-5678 to the phone question: the summary is\n%s", got)
	}
}

// A question whether a model is installed, the model said in the plural
// ("Do you install the WM-100s?") or with "the", is answered with that
// model's installation terms and the booking offered, as "do you install
// washing machines?" is, also in the middle of a repair form.
func TestInstallQuestionNamesAModel(t *testing.T) {
	const terms = "WM-100 (10 kg front-load washing machine) comes with free installation at your home"
	for _, q := range []string{"Do you install the WM-100s?", "do you install WM-100s", "Do you install the WM-100?"} {
		c := newCustomer(t)
		if got := c.say(q); !strings.Contains(got, terms) || !strings.Contains(got, "Shall I book it?") {
			t.Errorf("%q:\n%s\nwant the WM-100's terms and the booking offered", q, got)
		}
	}
	c := newCustomer(t)
	c.say("My TV-55X has no sound")
	got := c.say("Do you install the WM-100s?")
	if !strings.Contains(got, terms) || !strings.HasSuffix(got, "When did you buy it? (e.g. 2025-03-05, last March)") {
		t.Errorf("in a repair form:\n%s\nwant the WM-100's terms and the form's question again", got)
	}
}

// A plain "yes" or "no" to the question which day a fault began, asked
// because the day told is before the purchase, is understood: "no" (that
// day was wrong) asks for the day again, and the next day told is recorded;
// "yes" (it stands) leaves the ticket's start as it was, notes the day told
// on the ticket for the technician, tells the customer so and lets the
// question go.
func TestFaultStartQuestionTakesYesOrNo(t *testing.T) {
	repair := []string{"My TV-55X has no sound since 18 November, I bought it on 2026-04-10, order 88812345678", "no", "no", "no", "no", "yes"}
	repairZh := []string{"电视TV-55X从11月18号开始没声音，2026年4月10日买的，订单号 88812345678", "没用", "没有", "没有", "不是", "对"}

	t.Run("no", func(t *testing.T) {
		c := newCustomer(t)
		c.says(repair...)
		c.say("sorry, the problem started on 30 November")
		if got, want := c.say("no"), "All right: then on which day did the fault start? (It was bought on 10 Apr 2026.)"; got != want {
			t.Errorf("no: %q, want %q", got, want)
		}
		if got, want := c.say("22 November"), "Updated Fault started: 22 Nov 2026."; got != want {
			t.Errorf("the day then: %q, want %q", got, want)
		}
		if v := c.ticket("T-1001").Details["fault_since"]; v != "2026-11-22" {
			t.Errorf("ticket fault_since = %q, want 2026-11-22", v)
		}
	})
	t.Run("不是", func(t *testing.T) {
		c := newCustomer(t)
		c.says(repairZh...)
		c.say("不好意思，是11月30号开始没声音的")
		if got, want := c.say("不是"), "好的，那故障是哪天开始的？（购买时间是 2026年4月10日）"; got != want {
			t.Errorf("不是: %q, want %q", got, want)
		}
		if got, want := c.say("11月22号"), "已更新故障开始时间：2026年11月22日。"; got != want {
			t.Errorf("the day then: %q, want %q", got, want)
		}
	})
	for _, tc := range []struct{ name, yes, want string }{
		{"yes", "yes", "All right. A fault cannot start before the purchase (10 Apr 2026), so the ticket stays as it is; I've noted on it that you said 30 Nov 2025, and the technician will check the dates with you."},
		{"是", "是", "好的。故障不会早于购买（2026年4月10日），所以工单保持不变；我已在工单上记下您说的 2025年11月30日，技术人员会再和您核对日期。"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCustomer(t)
			if tc.yes == "yes" {
				c.says(repair...)
				c.say("sorry, the problem started on 30 November")
			} else {
				c.says(repairZh...)
				c.say("不好意思，是11月30号开始没声音的")
			}
			if got := c.say(tc.yes); got != tc.want {
				t.Errorf("%s: %q, want %q", tc.yes, got, tc.want)
			}
			if v := c.ticket("T-1001").Details["fault_since"]; v != "" {
				t.Errorf("ticket fault_since = %q, want none (a start before the purchase)", v)
			}
			evs, err := c.db.Events(context.Background(), "T-1001")
			if err != nil {
				t.Fatal(err)
			}
			if last := evs[len(evs)-1]; last.Action != ticketing.ActionComment || !strings.Contains(last.Note, "2025-11-30") {
				t.Errorf("last ticket event %+v, want a note of the day told", last)
			}
			if p := c.conversation().Confirm; len(p) != 0 {
				t.Errorf("still pending: %+v", p)
			}
		})
	}
}

// A date that reads both ways round ("3/5") where a date is asked is not
// asked again plainly: the question says why, naming both days, offered as
// choices, and the day chosen is taken (the purchase date, the installation
// day, the day a fault began).
func TestAmbiguousDateAskedWhich(t *testing.T) {
	for _, tc := range []struct {
		name     string
		before   []string
		date     string
		want     string
		labels   string
		pick     string
		slot     string
		slotWant string
	}{
		{"purchase en", []string{"My WM-100 doesn't spin"}, "3/5", "3/5 could be 3 May or 5 March: which one?", "3 May|5 March", "5 March", "purchased", "2026-03-05"},
		{"purchase zh", []string{"我的WM-100洗衣机不转了"}, "3/5", "3/5 可能是5月3日，也可能是3月5日，请问是哪一天？", "5月3日|3月5日", "2026-05-03", "purchased", "2026-05-03"},
		{"installation en", []string{"I'd like to book installation of my WP-8", "100 Songren Road, Xinyi District, Taipei"}, "3/5",
			"3/5 could be 3 May or 5 March: which one?", "3 May|5 March", "2027-05-03", "visit_date", "2027-05-03"},
		{"year written", []string{"My WM-100 doesn't spin"}, "3/5/2025", "3/5/2025 could be 3 May 2025 or 5 Mar 2025: which one?", "3 May 2025|5 Mar 2025", "2025-05-03", "purchased", "2025-05-03"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCustomer(t)
			c.says(tc.before...)
			c.n++
			res, err := c.eng.Handle(context.Background(), dialog.Inbound{Channel: "webchat", User: c.user, ID: fmt.Sprint(c.n), Text: tc.date})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Replies) != 1 || res.Replies[0].Text != tc.want {
				t.Fatalf("%s: %+v, want only %q", tc.date, res.Replies, tc.want)
			}
			var labels []string
			for _, ch := range res.Replies[0].Choices {
				labels = append(labels, ch.Label)
			}
			if got := strings.Join(labels, "|"); got != tc.labels {
				t.Errorf("choices %q, want %q", got, tc.labels)
			}
			c.say(tc.pick)
			if v := c.conversation().Slots[tc.slot].Value; v != tc.slotWant {
				t.Errorf("%s = %q after %q, want %q", tc.slot, v, tc.pick, tc.slotWant)
			}
		})
	}
	t.Run("fault start", func(t *testing.T) {
		c := newCustomer(t)
		c.says("My TV-55X has no sound since 18 November, I bought it on 2026-04-10, order 88812345678", "no", "no", "no", "no", "yes",
			"sorry, the problem started on 30 November")
		if got, want := c.say("11/10"), "11/10 could be 11 October or 10 November: which one?"; got != want {
			t.Errorf("11/10: %q, want %q", got, want)
		}
		if got, want := c.say("2026-11-10"), "Updated Fault started: 10 Nov 2026."; got != want {
			t.Errorf("the day chosen: %q, want %q", got, want)
		}
	})
}

// "能退吗" / "can I return it?" said inside a running repair form starts the
// return of the same product, as "想退" does outside a form: the repair is
// set aside and the return goes on with the model, purchase date and fault
// already told; a question how a refund goes is still answered.
func TestReturnAskedInARepairForm(t *testing.T) {
	for _, tc := range []struct {
		name     string
		repair   []string
		ask      string
		want     string
		model    string
		bought   string
		faultHas string
	}{
		{"zh while asked the purchase date", []string{"我的WM-100洗衣机不转了"}, "能退吗",
			"您之前未完成的申请先放一放，我们来处理新的问题。\n好的，我来帮您办理退换货。\n请问是什么时候购买的？（例如 2025-03-05、去年3月）", "WM-100", "", "不转"},
		{"en while asked the purchase date", []string{"My WM-100 doesn't spin"}, "can I return it?",
			"I've set your earlier, unfinished request aside; let's look at this one.\nOK, let's look at a return or exchange.\nWhen did you buy it? (e.g. 2025-03-05, last March)", "WM-100", "", "spin"},
		{"en at the troubleshooting steps", []string{"my TV-55X has no sound, I bought it on 2026-11-22"}, "can I return it?",
			"I've set your earlier, unfinished request aside; let's look at this one.\nOK, let's look at a return or exchange.\nPlease give your proof of purchase: the order number, or upload a photo of the invoice or receipt.", "TV-55X", "2026-11-22", "no sound"},
		{"zh at the troubleshooting steps", []string{"电视TV-55X没声音了，11月20日买的"}, "能退吗",
			"您之前未完成的申请先放一放，我们来处理新的问题。\n好的，我来帮您办理退换货。\n请提供购买凭证：订单号，或上传发票/收据照片。", "TV-55X", "2026-11-20", "没声音"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCustomer(t)
			c.says(tc.repair...)
			if got := c.say(tc.ask); got != tc.want {
				t.Errorf("%s:\n%s\nwant\n%s", tc.ask, got, tc.want)
			}
			conv := c.conversation()
			if conv.State != dialog.ReturnCollect || conv.Slots["model"].Value != tc.model || conv.Slots["purchased"].Value != tc.bought ||
				!strings.Contains(conv.Slots["fault"].Value, tc.faultHas) || conv.Slots["option"].Value != "return" {
				t.Errorf("state %s, slots %+v: want the return of the %s with what the repair knew", conv.State, conv.Slots, tc.model)
			}
		})
	}
	for _, tc := range []struct{ first, said string }{
		{"My WM-100 doesn't spin", "how long does a refund take?"},
		{"My WM-100 doesn't spin", "I don't want to return it, just fix it"},
		{"我的WM-100洗衣机不转了", "我不想退，修好就行"},
	} {
		c := newCustomer(t)
		c.say(tc.first)
		got := c.say(tc.said)
		if s := c.conversation().State; s != dialog.RepairCollect || strings.Contains(got, "set your earlier") || strings.Contains(got, "先放一放") {
			t.Errorf("%q: state %s, replies\n%s\nwant the repair form going on", tc.said, s, got)
		}
	}
}
