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
	if journey(t.c.State) != "repair" || !t.has(slotModel) || !looksLikeQuestion(text) {
		return false
	}
	n := norm(text)
	if !containsAny(n, visitDayCues...) || asksCost(text) || containsAny(n, installWords...) {
		return false
	}
	day, raw := "", ""
	for _, d := range extract.NextDates(text, t.today) {
		if d.Precision == extract.PrecisionDay && !d.Date.Before(t.today) {
			day, raw = d.Date.String(), d.Text
			break
		}
	}
	if day == "" {
		for _, w := range weekendCues {
			if strings.Contains(n, w) {
				day, raw = w, w
				break
			}
		}
	}
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
// would like the visit, and tells them it is noted.
func (t *turn) noteVisitWish(id string) {
	if !t.has(slotVisitWish) {
		return
	}
	t.fail(t.tx.Tickets().AddNote(t.ctx, id, t.by("customer", ""), "the customer would like the visit on "+t.val(slotVisitWish)+
		" (\""+t.c.Slots[slotVisitWish].Raw+"\"); agree the day when arranging it"))
	t.touch(id)
	t.say("repair.visit_wish_noted", "ticket", id, "day", t.visitWishText())
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
