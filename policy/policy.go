package policy

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // the policy time zone must load on machines without a zoneinfo database

	"go.yaml.in/yaml/v3"

	"github.com/supportd/supportd/internal/fuzzy"
)

// Policy is the company's after-sales service standard as parameters. Its
// YAML shape is the `policy:` section of the configuration.
type Policy struct {
	Timezone   string     `yaml:"timezone"` // IANA name; default Asia/Shanghai
	Currency   string     `yaml:"currency"` // ISO 4217 code; default CNY
	Calendar   Calendar   `yaml:"calendar"`
	Returns    Returns    `yaml:"returns"`
	Warranty   Warranty   `yaml:"warranty"`
	SLA        SLA        `yaml:"sla"`
	Feedback   Feedback   `yaml:"feedback"`
	Categories []Category `yaml:"categories"`
	Products   []Product  `yaml:"products"`

	idx index // built by ApplyDefaults
}

// Calendar is the business calendar working-day deadlines are counted on.
type Calendar struct {
	Workweek []string `yaml:"workweek"` // mon … sun; default mon–fri
	Hours    Hours    `yaml:"hours"`
	Holidays []Date   `yaml:"holidays"` // days off inside the workweek
	Workdays []Date   `yaml:"workdays"` // 调休: days outside the workweek that are worked
}

// Hours are the business hours of a working day, "HH:MM" in the policy time
// zone. A deadline of N working days ends at End. Breaks (a lunch break, the
// gap between two shifts) are closed time inside them: nobody is expected
// to answer then, and they do not count as time used of a deadline.
type Hours struct {
	Start  string  `yaml:"start"` // default 09:00
	End    string  `yaml:"end"`   // default 18:00
	Breaks []Break `yaml:"breaks"`
}

// Break is a closed time inside the business hours, "HH:MM" to "HH:MM".
type Break struct {
	Start string `yaml:"start"`
	End   string `yaml:"end"`
}

// Returns are the return and exchange windows in calendar days from the
// purchase date (§3.4).
type Returns struct {
	ReturnDays   int `yaml:"return_days"`   // default 7
	ExchangeDays int `yaml:"exchange_days"` // default 15
}

// Warranty holds the paid-repair terms (§2.2, §3.3.5).
type Warranty struct {
	ReplacedPartsDays int  `yaml:"replaced_parts_days"` // default 90
	OutOfWarrantyFees Fees `yaml:"out_of_warranty_fees"`
	QuoteValidDays    int  `yaml:"quote_valid_days"` // calendar days a quote waits for consent; default 7
}

// Fees make up the estimate told to a customer before diagnosis.
type Fees struct {
	Inspection Money `yaml:"inspection"`
	Labour     Money `yaml:"labour"`
}

// SLA are the deadlines, in working days.
type SLA struct {
	FirstResponse       int       `yaml:"first_response"`       // default 1
	Consultation        int       `yaml:"consultation"`         // answer to an unanswered question; default 1
	OnsiteVisit         OnsiteSLA `yaml:"onsite_visit"`         // default 3
	Repair              int       `yaml:"repair"`               // default 7
	Inspection          int       `yaml:"inspection"`           // return/exchange inspection; default 3
	ComplaintAnswer     int       `yaml:"complaint_answer"`     // default 3
	ComplaintResolution int       `yaml:"complaint_resolution"` // default 10
}

// Longest returns the most working days any deadline of s gives.
func (s SLA) Longest() int {
	n := max(s.FirstResponse, s.Consultation, s.OnsiteVisit.Default, s.Repair, s.Inspection, s.ComplaintAnswer, s.ComplaintResolution)
	for _, d := range s.OnsiteVisit.Regions {
		n = max(n, d)
	}
	return n
}

// Feedback is the satisfaction rating asked for when a ticket is resolved
// (§4, step 5).
type Feedback struct {
	// RatingDays is how many calendar days the rating is waited for; then
	// the ticket is closed without one. Default 7.
	RatingDays int `yaml:"rating_days"`
}

// OnsiteSLA is the on-site visit deadline, by region.
type OnsiteSLA struct {
	Default int            `yaml:"default"`
	Regions map[string]int `yaml:"regions"` // region id → working days
}

// Category is a product group with one warranty period (§2.1).
type Category struct {
	ID             string       `yaml:"id"`
	Name           Text         `yaml:"name"`
	WarrantyMonths int          `yaml:"warranty_months"`
	Onsite         bool         `yaml:"onsite"`       // repaired on site rather than mailed in
	Installation   Installation `yaml:"installation"` // none (default), free, paid
}

// Product is one model in the catalog.
type Product struct {
	Model          string       `yaml:"model"`
	Category       string       `yaml:"category"`
	Name           Text         `yaml:"name"`
	Price          Money        `yaml:"price"`
	InStock        *bool        `yaml:"in_stock"`        // default true
	Consumables    []Text       `yaml:"consumables"`     // a name, or {zh, en}
	Onsite         *bool        `yaml:"onsite"`          // default: the category's
	Installation   Installation `yaml:"installation"`    // default: the category's
	WarrantyMonths int          `yaml:"warranty_months"` // default: the category's
}

// Text is a phrase in both languages the product speaks.
type Text struct {
	Zh string `yaml:"zh"`
	En string `yaml:"en"`
}

// UnmarshalYAML accepts {zh: ..., en: ...} or a plain string meant for
// both languages ("HEPA filter").
func (t *Text) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		t.Zh, t.En = n.Value, n.Value
		return nil
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Value != "zh" && k.Value != "en" {
				return fmt.Errorf("line %d: unknown key %q (want zh, en)", k.Line, k.Value)
			}
		}
		type plain Text
		return n.Decode((*plain)(t))
	}
	return fmt.Errorf("line %d: want a text or {zh: ..., en: ...}", n.Line)
}

// In returns the text in lang ("zh" or "en"), falling back to the other.
func (t Text) In(lang string) string {
	if lang == "zh" && t.Zh != "" || t.En == "" {
		return t.Zh
	}
	return t.En
}

// Installation says whether a product is installed on site, and at whose
// cost.
type Installation string

// The installation terms.
const (
	InstallNone Installation = "none"
	InstallFree Installation = "free"
	InstallPaid Installation = "paid"
)

// ServiceMode is how a repair is carried out.
type ServiceMode string

// The service modes.
const (
	Onsite ServiceMode = "onsite"
	MailIn ServiceMode = "mail_in"
)

// Defaults, used where the configuration leaves a value out.
const (
	DefaultTimezone = "Asia/Shanghai"
	DefaultCurrency = "CNY"
)

// Defaults returns a policy with every setting at its default and an empty
// catalog. A configuration file's policy section is decoded onto it, so that a
// key the file leaves out keeps its default while a key it gives, 0
// included, is the file's own value (and is validated as such).
func Defaults() Policy {
	var p Policy
	p.fillDefaults()
	return p
}

// ApplyDefaults fills every zero value with its default, for a policy built
// in code where zero means "not set", and indexes the catalog and the
// calendar. Call it once, before Validate. A policy decoded onto Defaults
// calls Index instead, so that an explicit 0 is not replaced.
func (p *Policy) ApplyDefaults() {
	p.fillDefaults()
	p.Index()
}

// Index indexes the catalog and the calendar for the lookups and date
// arithmetic; a category without an installation setting gets none. Call it
// once after the policy is complete, before Validate.
func (p *Policy) Index() {
	for i := range p.Categories {
		setDefault(&p.Categories[i].Installation, InstallNone)
	}
	p.idx = p.buildIndex()
}

func (p *Policy) fillDefaults() {
	setDefault(&p.Timezone, DefaultTimezone)
	setDefault(&p.Currency, DefaultCurrency)
	if len(p.Calendar.Workweek) == 0 {
		p.Calendar.Workweek = []string{"mon", "tue", "wed", "thu", "fri"}
	}
	setDefault(&p.Calendar.Hours.Start, "09:00")
	setDefault(&p.Calendar.Hours.End, "18:00")
	setDefault(&p.Returns.ReturnDays, 7)
	setDefault(&p.Returns.ExchangeDays, 15)
	setDefault(&p.Warranty.ReplacedPartsDays, 90)
	setDefault(&p.Warranty.QuoteValidDays, 7)
	setDefault(&p.Feedback.RatingDays, 7)
	s := &p.SLA
	setDefault(&s.FirstResponse, 1)
	setDefault(&s.Consultation, 1)
	setDefault(&s.OnsiteVisit.Default, 3)
	setDefault(&s.Repair, 7)
	setDefault(&s.Inspection, 3)
	setDefault(&s.ComplaintAnswer, 3)
	setDefault(&s.ComplaintResolution, 10)
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// index is what ApplyDefaults derives from the configuration for fast,
// read-only lookups.
type index struct {
	loc        *time.Location
	models     map[string]int // ModelKey → index in Products
	categories map[string]int // id → index in Categories
	workweek   [7]bool
	holidays   map[Date]bool
	workdays   map[Date]bool
	open, shut int      // business hours, minutes after midnight
	breaks     [][2]int // closed inside them, in order: start and end minutes
}

func (p *Policy) buildIndex() index {
	ix := index{
		loc:        time.UTC,
		models:     map[string]int{},
		categories: map[string]int{},
		holidays:   map[Date]bool{},
		workdays:   map[Date]bool{},
	}
	if loc, err := time.LoadLocation(p.Timezone); err == nil {
		ix.loc = loc
	}
	for i, c := range p.Categories {
		if _, dup := ix.categories[c.ID]; !dup {
			ix.categories[c.ID] = i
		}
	}
	for i, pr := range p.Products {
		if _, dup := ix.models[ModelKey(pr.Model)]; !dup {
			ix.models[ModelKey(pr.Model)] = i
		}
	}
	for _, d := range p.Calendar.Workweek {
		if wd, ok := parseWeekday(d); ok {
			ix.workweek[wd] = true
		}
	}
	for _, d := range p.Calendar.Holidays {
		ix.holidays[d] = true
	}
	for _, d := range p.Calendar.Workdays {
		ix.workdays[d] = true
	}
	ix.open, _ = parseClock(p.Calendar.Hours.Start)
	ix.shut, _ = parseClock(p.Calendar.Hours.End)
	for _, b := range p.Calendar.Hours.Breaks {
		from, _ := parseClock(b.Start)
		to, _ := parseClock(b.End)
		ix.breaks = append(ix.breaks, [2]int{from, to})
	}
	return ix
}

// Location returns the policy time zone (UTC until ApplyDefaults has run on a
// valid time zone).
func (p *Policy) Location() *time.Location {
	if p.idx.loc == nil {
		return time.UTC
	}
	return p.idx.loc
}

// Product returns the catalog entry for model, compared on ModelKey so that
// "tv-55x" and "ＴＶ－５５Ｘ" find TV-55X.
func (p *Policy) Product(model string) (Product, bool) {
	i, ok := p.idx.models[ModelKey(model)]
	if !ok {
		return Product{}, false
	}
	return p.Products[i], true
}

// Category returns the category with the given id.
func (p *Policy) Category(id string) (Category, bool) {
	i, ok := p.idx.categories[id]
	if !ok {
		return Category{}, false
	}
	return p.Categories[i], true
}

// Models returns every model in the catalog, in configuration order.
func (p *Policy) Models() []string {
	out := make([]string, len(p.Products))
	for i, pr := range p.Products {
		out[i] = pr.Model
	}
	return out
}

// Terms are a product's effective service terms: its own settings where it
// has them, its category's otherwise.
type Terms struct {
	Product        Product
	Category       Category
	WarrantyMonths int
	ServiceMode    ServiceMode
	Installation   Installation
	InStock        bool
}

// TermsOf returns the effective terms of model, or an error wrapping
// ErrUnknownModel.
func (p *Policy) TermsOf(model string) (Terms, error) {
	pr, ok := p.Product(model)
	if !ok {
		return Terms{}, fmt.Errorf("%w %q%s", ErrUnknownModel, model, p.suggestModel(model))
	}
	c, _ := p.Category(pr.Category)
	t := Terms{Product: pr, Category: c, WarrantyMonths: c.WarrantyMonths, ServiceMode: MailIn, Installation: c.Installation, InStock: true}
	if pr.WarrantyMonths > 0 {
		t.WarrantyMonths = pr.WarrantyMonths
	}
	onsite := c.Onsite
	if pr.Onsite != nil {
		onsite = *pr.Onsite
	}
	if onsite {
		t.ServiceMode = Onsite
	}
	if pr.Installation != "" {
		t.Installation = pr.Installation
	}
	if t.Installation == "" {
		t.Installation = InstallNone
	}
	if pr.InStock != nil {
		t.InStock = *pr.InStock
	}
	return t, nil
}

// suggestModel names the closest catalog models to an unknown one.
func (p *Policy) suggestModel(model string) string {
	key := ModelKey(model)
	var near []string
	for _, pr := range p.Products {
		k := ModelKey(pr.Model)
		if key != "" && (strings.Contains(k, key) || strings.Contains(key, k) || fuzzy.Distance(k, key) <= 2) {
			near = append(near, pr.Model)
		}
	}
	if len(near) == 0 {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", strings.Join(near, " or "))
}
