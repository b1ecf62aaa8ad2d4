package dialog

import (
	"strconv"
	"strings"

	"github.com/supportd/supportd/dialog/extract"
	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/ticketing"
)

// slotVisitWish is the day a customer would like an on-site repair visit
// ("can the technician come on Saturday?"), noted on the repair's ticket
// once it is filed; not asked.
const slotVisitWish = "visit_wish"

// visitDayCues speak of someone coming; weekendCues of a weekend.
var (
	visitDayCues = []string{"come", "visit", "technician", "engineer", "repairman", "someone", "师傅", "工程师", "上门", "来"}
	weekendCues  = []string{"weekend", "周末"}
)

// visitDayAsked answers a question, while a repair is reported or at its
// summary, whether the technician can come on a given day ("can the
// technician come on saturday?", "师傅周六能来吗"): a product repaired on
// site gets its visit arranged by the service centre within the region's
// working days (§3.3.3), and the day is agreed when they contact the
// customer; the day wished for is noted on the ticket once it is filed. A
// product not repaired on site is told so.
func (t *turn) visitDayAsked(text string) bool {
	if journey(t.c.State) != "repair" || !t.has(slotModel) {
		return false
	}
	day, raw := t.visitDayIn(text)
	if day == "" {
		return false
	}
	if t.mailedIn() {
		t.repairMode(text) // not repaired on site: sent in or dropped off
		return true
	}
	t.set(slotVisitWish, day, raw)
	if t.has(slotAddress) {
		days := t.e.pol.OnsiteDays(t.region())
		t.say("repair.visit_day", "days", strconv.Itoa(days), "due", t.when(t.deadline(days)), "day", t.visitWishText())
		return true
	}
	t.say("repair.visit_day_region", "day", t.visitWishText())
	return true
}

// visitDayIn reads a question whether someone can come on a given day
// ("can the technician come on saturday?", "师傅周六能来吗", "can someone
// come at the weekend?"): the day (YYYY-MM-DD, or "weekend" or "周末") and
// the words that said it; "" when text asks no such thing.
func (t *turn) visitDayIn(text string) (day, raw string) {
	if !looksLikeQuestion(text) {
		return "", ""
	}
	n := norm(text)
	if !containsAny(n, visitDayCues...) || asksCost(text) || containsAny(n, installWords...) {
		return "", ""
	}
	for _, d := range extract.NextDates(text, t.today) {
		if d.Precision == extract.PrecisionDay && !d.Date.Before(t.today) {
			return d.Date.String(), d.Text
		}
	}
	for _, w := range weekendCues {
		if strings.Contains(n, w) {
			return w, w
		}
	}
	return "", ""
}

// visitDayWished reads a day the customer would like someone to come, told
// as a wish, not asked ("让师傅周五来吧", "师傅上门到周五吧", "have the
// technician come on Friday"): the day to come; false when text tells no
// such day, asks a question, asks what it costs, or tells of a visit
// missed or done ("师傅周五来过了").
func (t *turn) visitDayWished(text string) (extract.DateMatch, bool) {
	n := norm(text)
	if looksLikeQuestion(text) || !containsAny(n, visitDayCues...) || !containsAny(n, visitWishCues...) || asksCost(text) || visitMissed(n) ||
		containsAny(n, "来过", "来了", "came", "visited", "was here") || containsAny(" "+n, visitNotCues...) {
		return extract.DateMatch{}, false
	}
	for _, d := range extract.NextDates(text, t.today) {
		if d.Precision == extract.PrecisionDay && !d.Date.Before(t.today) {
			return d, true
		}
	}
	return extract.DateMatch{}, false
}

// visitWishCues make a day said with a visit a wish ("让师傅周五来吧", "have
// the technician come on friday"); visitNotCues say the visit is not
// wanted or not possible then ("周五师傅不用来了", "don't come on friday").
var (
	visitWishCues = []string{"吧", "呗", "让师傅", "叫师傅", "请师傅", "让工程师", "have the", "have someone", "have a technician",
		"let the technician come", "send the", "send someone", "send a technician", "can come", "could come", "come on ", "come over on",
		"come round on", "visit on"}
	visitNotCues = []string{"不", "别", "没", "甭", " not ", "n't", "cannot", " unable", " away", " busy", " no one", " nobody"}
)

// visitDayForBookedRepair answers the same question asked, or the day
// wished ("让师傅周五来吧"), right after an on-site repair was booked: the
// day is agreed when the technician contacts the customer, by the ticket's
// visit deadline, and the day wished for is noted on the ticket.
func (t *turn) visitDayForBookedRepair(text string) bool {
	if t.c.TicketID == "" {
		return false
	}
	day, raw := t.visitDayIn(text)
	if d, ok := t.visitDayWished(text); ok && day == "" {
		day, raw = d.Date.String(), d.Text
	}
	if day == "" {
		return false
	}
	tk := t.bookedOnsiteRepair()
	if tk == nil || tk.ID != t.c.TicketID {
		return false
	}
	t.set(slotVisitWish, day, raw)
	t.say("repair.visit_day_booked", "ticket", tk.ID, "due", t.when(tk.Due.Onsite), "day", t.visitWishText())
	t.noteVisitWish(tk.ID, false)
	delete(t.c.Slots, slotVisitWish)
	return true
}

// visitWishText is the day wished for a repair visit, as the customer reads
// it: "Sat 5 Dec", "the weekend".
func (t *turn) visitWishText() string {
	w := t.val(slotVisitWish)
	if d, err := policy.ParseDate(w); err == nil {
		return t.dayText(d)
	}
	if t.lang() == "zh" {
		return "周末"
	}
	return "the weekend"
}

// noteVisitWish notes on a repair ticket just filed the day the customer
// would like the visit, and with tell tells them it is noted.
func (t *turn) noteVisitWish(id string, tell bool) {
	if !t.has(slotVisitWish) {
		return
	}
	t.fail(t.tx.Tickets().AddNote(t.ctx, id, t.by("customer", ""), "the customer would like the visit on "+t.val(slotVisitWish)+
		" (\""+t.c.Slots[slotVisitWish].Raw+"\"); agree the day when arranging it"))
	t.touch(id)
	if tell {
		t.say("repair.visit_wish_noted", "ticket", id, "day", t.visitWishText())
	}
}

// bookedOnsiteRepair returns the conversation's latest repair ticket that
// is repaired on site and still to be done, or nil.
func (t *turn) bookedOnsiteRepair() *ticketing.Ticket {
	for i := len(t.c.Tickets) - 1; i >= 0; i-- {
		tk, err := t.tx.Tickets().Get(t.ctx, t.c.Tickets[i])
		if err != nil || tk.Kind != ticketing.KindRepair || tk.Details["service_mode"] != string(policy.Onsite) {
			continue
		}
		switch tk.Status {
		case ticketing.StatusResolved, ticketing.StatusClosed, ticketing.StatusCancelled:
			continue
		}
		return tk
	}
	return nil
}
