package dialog

import (
	"regexp"
	"slices"
	"strings"

	"github.com/supportd/supportd/dialog/extract"
	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/ticketing"
)

// A question whether a kind of product is installed ("do you install TVs?",
// "你们装电视吗", "洗衣机安装收费吗") is answered from the catalog: each product
// the noun names is installed for free, for a fee or not at all (§3.2.1, the
// product's installation setting), and the booking is offered when one of
// them is installed.

// installOfProducts answers an installation question (installQuestion, or
// cost when it asks what one costs) about the products text names by a noun;
// false when it names none, or asks how long or who and the knowledge base
// has no answer about installing.
func (t *turn) installOfProducts(text string, cost bool) bool {
	models := t.productsNamed(text)
	if len(models) == 0 {
		return false
	}
	by := map[policy.Installation][]string{}
	for _, m := range models {
		terms, err := t.e.pol.TermsOf(m)
		if err != nil {
			continue
		}
		by[terms.Installation] = append(by[terms.Installation], m)
	}
	installed := append(by[policy.InstallFree], by[policy.InstallPaid]...)
	if len(installed) == 0 && len(by[policy.InstallNone]) == 0 {
		return false // no terms to tell: the knowledge base or a person answers
	}
	if !cost && installInfo.any(norm(text)) && len(installed) > 0 {
		// "电视安装要多久", "what's the installation process for TVs": the
		// knowledge base answers how; the catalog whether.
		ans, ok := t.installAnswer(text)
		if !ok {
			return false
		}
		t.sayText(ans)
	} else {
		for _, in := range []policy.Installation{policy.InstallFree, policy.InstallPaid} {
			if ms := by[in]; len(ms) > 0 {
				t.say("install.products_"+string(in), "products", t.productList(ms))
			}
		}
	}
	if ms := by[policy.InstallNone]; len(ms) > 0 {
		t.say("install.products_none", "products", t.productList(ms))
	}
	switch len(installed) {
	case 0:
		return true
	case 1:
		// The button books this one: the noun alone would leave the model
		// to confirm ("purifier" is two products).
		t.c.Later = &Later{Intent: string(intentInstall), Text: installed[0]}
		t.ask("install.book_now", []Choice{t.choice("intent:install", "menu.install")}, "model", t.productName(installed[0]))
	default:
		t.c.Later = &Later{Intent: string(intentInstall), Text: text} // the model is asked with these as choices
		t.ask("install.book_which", []Choice{t.choice("intent:install", "menu.install")})
	}
	return true
}

// productList names models for the customer: "TV-55X（55英寸智能电视）和
// TV-65X（65英寸智能电视）", "TV-55X (55-inch smart TV) and TV-65X (65-inch
// smart TV)".
func (t *turn) productList(models []string) string {
	names := make([]string, len(models))
	for i, m := range models {
		names[i] = t.productName(m)
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], t.text("list_sep")) + t.text("list_and") + names[len(names)-1]
}

// A problem with an installation done ("安装完了，但是排水管太短了", "the
// installer left but the hose is too short", "电视挂歪了") is the
// installation's, not the product's: the installer must install to the
// procedure and ensure its quality (§3.2.2), so the technician comes back
// to put it right, which is no repair under warranty (no purchase date,
// proof or exclusions to ask) and costs nothing; a part the product does
// not come with is quoted and fitted only with the customer's consent (as
// any paid work, §2.2.3). The visit is booked as an installation ticket
// that names the problem and the installation it follows.

// installDefects say an installation was not done right: too short, not
// level, loose, in the wrong place, not connected, left unfinished.
var installDefects = newPhraseSet([]string{"太短", "不够长", "短了", "够不着", "接不上", "没接好", "没接上", "歪了", "装歪", "挂歪",
	"不平", "不水平", "不稳", "松动", "松了", "没固定", "没装好", "没安装好", "装错", "装反", "漏装", "少装", "没调试", "没调好", "没拆",
	"位置不对", "too short", "not long enough", "isn't long enough", "doesn't reach", "does not reach", "won't reach", "can't reach",
	"crooked", "not level", "uneven", "tilted", "wonky", "loose", "wobbly", "wobbles", "not secure", "not fixed to", "not connected",
	"isn't connected", "wasn't connected", "installed wrong", "installed incorrectly", "installed it wrong", "badly installed",
	"not installed properly", "not installed correctly", "wrong place", "wrong position", "upside down", "didn't finish",
	"did not finish", "left the transit bolts"})

// installedJust tells of an installation done in the words installTold
// does not read: 装完/装好/挂好 without 安, the installer or technician gone
// or done, "installed", "mounted", "fitted".
var installedJust = regexp.MustCompile(`装(?:完|好|上)|挂(?:好|上|完)|刚装|师傅(?:刚)?走|安装(?:师傅|工)|(?:师傅|工人)(?:来|上门)?装的|` +
	`\b(?:installers?|technicians?|fitters?|engineers?|guys?)\b[^.!?]{0,30}?\b(?:left|came|finished|was here|were here|installed|mounted|fitted|set)\b|` +
	`\b(?:installed|mounted|fitted|hooked up|plumbed in)\b`)

// installLeaks tell of water where the installation joined the product to
// the supply or the drain; just after it is done ("the installer left it
// leaking", "昨天师傅装的净水器，接口一直在滴水") that is the installation's, a
// leak later the product's (a repair).
var (
	installLeaks = newPhraseSet([]string{"leak", "leaks", "leaking", "dripping", "drips", "漏水", "滴水", "渗水", "漏了"})
	justNow      = regexp.MustCompile(`昨天|今天|前天|刚刚?|\b(?:yesterday|today|this morning|last night|left it)\b|\bjust (?:installed|fitted|set up|mounted|hooked up|plumbed in)\b`)
)

// installProblem reports whether normalised n tells of a problem with an
// installation done.
func installProblem(n string) bool {
	if !installDefects.any(n) && !(installLeaks.any(n) && justNow.MatchString(n)) {
		return false
	}
	if strings.Contains(n, "包装") {
		n = strings.ReplaceAll(n, "包装", "包") // "包装好了" tells of the packaging, not an installation
	}
	return installedJust.MatchString(n) || installTold(n)
}

// installFix books the visit that puts an installation right when text
// tells of a problem with one; false otherwise. The conversation's last
// installation, of the same product, gives the model, the address and the
// phone, shown on the summary to confirm.
func (t *turn) installFix(text string, att []Attachment) bool {
	n := norm(text)
	if !installProblem(n) {
		return false
	}
	c := t.c
	t.clearJourney()
	c.TicketID = ""
	t.fire(evInstall)
	if prev := t.lastInstallation(); prev != nil {
		if m := t.exactModel(text); m == "" || m == prev.Model {
			slot := func(v string) Slot { return Slot{Value: v, Raw: v, Confirmed: true, Turn: c.Turn} }
			c.Slots[slotModel], c.Slots[slotPrevious] = slot(prev.Model), slot(prev.ID)
			if a := prev.Details[slotAddress]; a != "" {
				c.Slots[slotAddress] = slot(a)
			}
			if p := prev.Details[slotPhone]; p != "" {
				c.Slots[slotPhone] = slot(p)
			}
		}
	}
	t.set(slotIssue, t.asTyped(withoutGreeting(text)), text)
	t.say("start.install_fix")
	t.fill("install", text, att)
	t.askNext()
	return true
}

// lastInstallation returns the conversation's latest installation ticket
// not cancelled, or nil.
func (t *turn) lastInstallation() *ticketing.Ticket {
	for i := len(t.c.Tickets) - 1; i >= 0; i-- {
		tk, err := t.tx.Tickets().Get(t.ctx, t.c.Tickets[i])
		if err == nil && tk.Kind == ticketing.KindInstallation && tk.Status != ticketing.StatusCancelled {
			return tk
		}
	}
	return nil
}

// bringCues ask the technician to bring something ("please bring a longer
// drain hose", "带根长一点的排水管"); visitTimeCues say what is wanted when
// they come ("师傅来的时候…", "when the technician comes…").
var (
	bringCues     = []string{"bring", "带上", "带根", "带个", "带一", "带些", "带点", "带好", "带着", "帮忙带", "顺便带", "多带"}
	visitTimeCues = []string{"来的时候", "上门的时候", "上门时", "来之前", "上门前", "上门之前", "when the technician comes", "when you come",
		"when the installer comes", "when he comes", "when they come", "before coming", "before the technician comes", "before he comes",
		"before they come", "before you come", "before the visit", "before visiting", "before arriving", "before he arrives", "before they arrive"}
)

// selfBrings say the customer brings something ("I'll bring it to the
// service point", "我带发票过去"): nothing for the technician unless it is
// for the visit ("I'll have the receipt ready when he comes").
var selfBrings = []string{"i'll bring", "i will bring", "i can bring", "i'll take", "我带", "我会带", "我自己带", "我来带", "我去带"}

// technicianNote adds what the customer asks of the technician after an
// installation is booked ("please bring a longer drain hose", "师傅来的时候带
// 根长一点的排水管", "the technician should call before coming") to the
// booked installation's ticket as a note, and tells the customer it was
// passed on; the installation may have been booked in another of the
// customer's conversations (bookedInstallation). False when text is no such
// note, asks what something costs, or no installation is booked.
func (t *turn) technicianNote(text string) bool {
	n := norm(text)
	visit := containsAny(n, visitTimeCues...)
	if !containsAny(n, bringCues...) && (!visit || looksLikeQuestion(text)) || asksCost(n) || !visit && containsAny(n, selfBrings...) {
		return false
	}
	tk := t.bookedInstallation()
	if tk == nil {
		return false
	}
	t.fail(t.tx.Tickets().AddNote(t.ctx, tk.ID, t.by("customer", ""), "note for the technician from the customer: "+t.typed))
	t.touch(tk.ID)
	t.c.Misses = 0
	t.say("install.noted", "ticket", tk.ID)
	return true
}

// weekdayWithDay reads a visit day told both by its date and by its day of
// the week ("周二16号", "12月16日周二", "Tuesday the 16th"): the date d when
// the two agree. When they do not, other holds the two days it may mean:
// the day of the week named nearest to the date, and the date; which one is
// asked (askWhichDate). ok is false when text tells no such pair.
func (t *turn) weekdayWithDay(text string) (d extract.DateMatch, other *ambiguousDate, ok bool) {
	ds := extract.NextDates(text, t.today)
	wi := slices.IndexFunc(ds, func(x extract.DateMatch) bool { return x.Weekday && x.Precision == extract.PrecisionDay })
	if wi < 0 {
		return d, nil, false
	}
	w := ds[wi]
	if di := slices.IndexFunc(ds, func(x extract.DateMatch) bool { return !x.Relative && x.Precision == extract.PrecisionDay }); di >= 0 {
		d = ds[di] // "12月16日周二", "Tuesday 16 December"
	} else if p := t.dayOfMonthSaid(text); p != nil {
		d = *p // "周二16号", "Tuesday the 16th"
	} else {
		return d, nil, false
	}
	// Told together: nothing but a comma or "the" between them ("周二，16号",
	// "Tuesday, the 16th"); "周二不行，16号可以" names two days.
	a, b := w, d
	if b.Start < a.Start {
		a, b = b, a
	}
	if a.End > b.Start {
		return d, nil, false
	}
	gap := strings.Trim(strings.ToLower(text[a.End:b.Start]), " ,，、(（")
	if gap = strings.TrimSpace(strings.TrimPrefix(gap, "the")); gap != "" {
		return d, nil, false
	}
	if d.Date.Weekday() == w.Date.Weekday() {
		return d, nil, true
	}
	ahead := (int(w.Date.Weekday()) - int(d.Date.Weekday()) + 7) % 7
	if ahead > 3 {
		ahead -= 7
	}
	near := w
	if near.Date = d.Date.AddDate(0, 0, ahead); near.Date.Before(t.today) {
		near.Date = near.Date.AddDate(0, 0, 7)
	}
	return d, &ambiguousDate{dm: near, md: d, weekday: true}, true
}

// askDayMismatch asks which of two days a visit day told with a day of the
// week that is not its own means (weekdayWithDay): "12月16日是周三，不是周二".
// Each choice's value is move and the day.
func (t *turn) askDayMismatch(a ambiguousDate, move string) {
	named, actual := a.dm.Date.Weekday().String(), a.md.Date.Weekday().String()
	if t.lang() == "zh" {
		named, actual = "周"+zhWeekdays[a.dm.Date.Weekday()], "周"+zhWeekdays[a.md.Date.Weekday()]
	}
	dm, md := t.dayText(a.dm.Date), t.dayText(a.md.Date)
	t.ask("date.weekday_mismatch", []Choice{{Value: move + a.dm.Date.String(), Label: dm}, {Value: move + a.md.Date.String(), Label: md}},
		"date", t.dayMonthText(a.md.Date), "actual", actual, "named", named, "dm", dm, "md", md)
}

// visitDayTold reports whether text tells a day by its date and its day of
// the week (weekdayWithDay), whether or not they agree.
func (t *turn) visitDayTold(text string) bool {
	_, _, ok := t.weekdayWithDay(text)
	return ok
}

// weekdayOfPickedWeek reads a day of the week said alone to change a visit
// day already picked ("no wait, make it Thursday" after next Monday, "改成周四"):
// that day of the week in the same Monday-to-Sunday week as the day picked
// (YYYY-MM-DD), not the coming one. False when text says more than a day of
// the week ("next Thursday", "下周四", a date), when no day was picked, or
// when that day has gone by (the coming one is meant).
func (t *turn) weekdayOfPickedWeek(text, picked string) (extract.DateMatch, bool) {
	p, err := policy.ParseDate(picked)
	if err != nil {
		return extract.DateMatch{}, false
	}
	ds := extract.NextDates(text, t.today)
	if len(ds) != 1 || !ds[0].Relative || ds[0].Precision != extract.PrecisionDay || !ds[0].Weekday ||
		containsAny(strings.ToLower(ds[0].Text), "next", "this", "coming", "last", "下", "这", "這", "本", "上") ||
		hasSuffixAny(strings.ToLower(strings.TrimSpace(text[:ds[0].Start])), "next", "this", "coming", "following", "last", "下", "这", "這", "本", "上", "个") {
		return extract.DateMatch{}, false
	}
	d := ds[0]
	monday := p.AddDate(0, 0, -((int(p.Weekday()) + 6) % 7))
	d.Date = monday.AddDate(0, 0, (int(d.Date.Weekday())+6)%7)
	if d.Date.Before(t.today) {
		return extract.DateMatch{}, false
	}
	return d, true
}

// pickedWeekMeant reports whether a day of the week said alone to move a
// booked installation speaks of the week of the day booked: said right
// after the booking ("no wait, make it Thursday", "改成周四吧"), as a
// correction, or naming that week ("Saturday that week", "那周六"). Said
// later ("can the technician come on saturday instead?"), the coming one
// is meant.
func (t *turn) pickedWeekMeant(text string) bool {
	return t.justBooked() && t.before != nil && t.before.State == InstallConfirm || correctionCue(text) ||
		containsAny(norm(text), sameWeekCues...)
}

// sameWeekCues name the week of a day already picked.
var sameWeekCues = []string{"that week", "same week", "the week of", "that saturday", "that sunday", "那周", "那一周", "那个星期", "那个礼拜",
	"同一周", "同一个星期", "当周"}

// dayFillers are the words a day said alone may come with ("next
// Wednesday then", "下周三吧").
var dayFillers = regexp.MustCompile(`(?i)\b(?:next|this|coming|on|the|then|please|pls|ok|okay|instead|morning|afternoon|evening|am|pm)\b|那就|就|吧|呗|好了|上午|下午|中午|晚上|早上`)

// dayOnly reports whether text says a day to come and nothing more ("next
// Wednesday", "the 9th then", "下周三吧", "12月9日").
func (t *turn) dayOnly(text string) bool {
	ds := extract.NextDates(text, t.today)
	if d := t.dayOfMonthSaid(text); d != nil && len(ds) == 0 {
		ds = append(ds, *d)
	}
	if len(ds) == 0 || ds[0].Precision != extract.PrecisionDay {
		return false
	}
	return !hasWords(dayFillers.ReplaceAllString(withoutDates(text, ds), ""))
}

// notToday reads a day of the week said alone to move a booked visit that
// is today's ("改到周三吧", "Wednesday" on a Wednesday) as the one a week
// later: no one moves a visit to the same day by its name alone ("today",
// "this Wednesday" say so).
func (t *turn) notToday(d extract.DateMatch, text string) extract.DateMatch {
	if d.Weekday && d.Relative && d.Date.String() == t.today.String() && !containsAny(norm(text), "today", "this", "今天", "这", "這", "本") {
		d.Date = d.Date.AddDate(0, 0, 7)
	}
	return d
}
