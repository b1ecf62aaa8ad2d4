package policy

import (
	"errors"
	"fmt"
)

// Errors from Decide, for errors.Is.
var (
	ErrUnknownModel   = errors.New("unknown model")
	ErrFuturePurchase = errors.New("purchase date is in the future")
	ErrNoDate         = errors.New("date required")
)

// Exclusion is a reason free warranty does not apply (§5).
type Exclusion string

// The exclusions, in the order they are checked after proof of purchase.
const (
	Misuse             Exclusion = "misuse"
	UnauthorizedRepair Exclusion = "unauthorized_repair"
	ForceMajeure       Exclusion = "force_majeure"
	Consumable         Exclusion = "consumable"
)

// Exclusions lists every exclusion in the order the warranty check applies
// them.
func Exclusions() []Exclusion {
	return []Exclusion{Misuse, UnauthorizedRepair, ForceMajeure, Consumable}
}

// Valid reports whether x is a known exclusion.
func (x Exclusion) Valid() bool {
	for _, e := range Exclusions() {
		if x == e {
			return true
		}
	}
	return false
}

// Reason is why a product is or is not covered by free warranty.
type Reason string

// The warranty reasons. The first that applies wins, in the order NoProof,
// CardMismatch, CardAltered, the exclusions in Exclusions order, Expired.
const (
	InWarranty Reason = "in_warranty"
	Expired    Reason = "expired"
	NoProof    Reason = "no_proof"
	// CardMismatch: the product's model is not the one on its warranty card
	// (产品型号与保修卡不符, §5.4).
	CardMismatch Reason = "card_mismatch"
	// CardAltered: the warranty card was altered (保修卡涂改, §5.4).
	CardAltered Reason = "card_altered"
	// ReplacedParts: the product's own warranty is over (or its proof
	// missing), but the parts replaced in an earlier repair are still under
	// theirs (§3.3.5); the inspection confirms the fault is in them.
	ReplacedParts Reason = "replaced_parts"
	// DamagedPackaging is why a return is refused (ReturnResult.Refused).
	DamagedPackaging Reason = "damaged_packaging"
)

// Packaging is the state of the product's packaging, which decides whether a
// return is possible.
type Packaging string

// The packaging states.
const (
	PackagingIntact  Packaging = "intact"
	PackagingDamaged Packaging = "damaged"
)

// Option is what a customer may ask for within the return windows.
type Option string

// The options, in the order they are offered.
const (
	OptReturn   Option = "return"
	OptExchange Option = "exchange"
	OptRepair   Option = "repair"
)

// Case is what the customer told us.
type Case struct {
	Model      string
	Purchased  Date
	Today      Date // the date of the decision, in the policy time zone
	HasProof   bool // a valid proof of purchase matching the model
	Exclusions []Exclusion
	Packaging  Packaging // "" counts as intact
	ExchangeTo string    // another model the customer would exchange to; optional
	Region     string    // for the on-site deadline; optional
	// PartsWarrantyEnds is the last day of the warranty of the parts
	// replaced in an earlier repair of this product (§3.3.5); zero: none.
	PartsWarrantyEnds Date
	// CardMismatch: the warranty card names another model than the
	// product's; CardAltered: the card was altered. Either refuses free
	// warranty, as no proof of purchase does (§5.4).
	CardMismatch, CardAltered bool
}

// Decision is what the policy says about a case. Its JSON form is printed by
// `supportd policy check --json`.
type Decision struct {
	Model        string         `json:"model"`
	Category     string         `json:"category"`
	Warranty     WarrantyResult `json:"warranty"`
	Returns      ReturnResult   `json:"returns"`
	ServiceMode  ServiceMode    `json:"service_mode"`
	OnsiteDays   int            `json:"onsite_days,omitempty"` // working days to the visit, when on site
	Installation Installation   `json:"installation"`
	// Estimate is told before diagnosis when the repair is paid:
	// inspection + labour; 0 when covered.
	Estimate Money `json:"estimate,omitempty"`
}

// WarrantyResult is the warranty decision with its reason.
type WarrantyResult struct {
	Covered bool   `json:"covered"`
	Ends    Date   `json:"ends"` // the last covered day
	Months  int    `json:"months"`
	Reason  Reason `json:"reason"`
}

// ReturnResult is what the return windows allow.
type ReturnResult struct {
	DaysSincePurchase int      `json:"days_since_purchase"`
	Options           []Option `json:"options"`
	// SameModelInStock is false when an exchange can only be to another
	// model (or the customer may return instead).
	SameModelInStock bool           `json:"same_model_in_stock"`
	ExchangeTo       *ExchangeQuote `json:"exchange_to,omitempty"`
	// Refused says why return and exchange are not among the options.
	Refused Refusals `json:"refused,omitzero"`
}

// Refusals are the reasons a return and an exchange are not offered:
// Expired (past the window), NoProof, DamagedPackaging (a return), or the
// damage exclusion (Misuse, UnauthorizedRepair, ForceMajeure as a Reason:
// no performance fault); "" when offered.
type Refusals struct {
	Return   Reason `json:"return,omitempty"`
	Exchange Reason `json:"exchange,omitempty"`
}

// Of returns why option o is not offered ("" when it is, or for a repair).
func (r Refusals) Of(o Option) Reason {
	switch o {
	case OptReturn:
		return r.Return
	case OptExchange:
		return r.Exchange
	}
	return ""
}

// ExchangeQuote is an exchange to another model: Difference is what the
// customer pays (positive) or gets back (negative) (差价多退少补).
type ExchangeQuote struct {
	Model      string `json:"model"`
	Price      Money  `json:"price"`
	Difference Money  `json:"difference"`
	InStock    bool   `json:"in_stock"`
}

// Decide applies the policy to a case. It fails for an unknown model, a
// purchase after Today or a missing date.
func (p *Policy) Decide(c Case) (Decision, error) {
	t, err := p.TermsOf(c.Model)
	if err != nil {
		return Decision{}, err
	}
	if c.Purchased.IsZero() || c.Today.IsZero() {
		return Decision{}, fmt.Errorf("%w: purchase date and today", ErrNoDate)
	}
	if c.Purchased.After(c.Today) {
		return Decision{}, fmt.Errorf("%w: %s is after today, %s", ErrFuturePurchase, c.Purchased, c.Today)
	}
	d := Decision{
		Model:        t.Product.Model,
		Category:     t.Category.ID,
		Warranty:     warranty(t.WarrantyMonths, c),
		ServiceMode:  t.ServiceMode,
		Installation: t.Installation,
	}
	if d.ServiceMode == Onsite {
		d.OnsiteDays = p.OnsiteDays(c.Region)
	}
	if !d.Warranty.Covered {
		d.Estimate = p.Warranty.OutOfWarrantyFees.Inspection + p.Warranty.OutOfWarrantyFees.Labour
	}
	if d.Returns, err = p.returns(t, c); err != nil {
		return Decision{}, err
	}
	return d, nil
}

// WarrantyEnds returns the last day covered by a warranty of months months
// from a purchase: the same day months later ("purchase date + warranty
// period ≥ today", and a period counted in months starts the day after the
// purchase and ends on the corresponding day), or the last day of that month
// when it has no such day (2024-02-29 + 12 months ends 2025-02-28, 31
// January + 1 month ends 28 February).
func WarrantyEnds(purchased Date, months int) Date {
	first := NewDate(purchased.Year(), purchased.Month(), 1).AddDate(0, months, 0)
	last := first.AddDate(0, 1, -1).Day()
	return NewDate(first.Year(), first.Month(), min(purchased.Day(), last))
}

func warranty(months int, c Case) WarrantyResult {
	w := WarrantyResult{Ends: WarrantyEnds(c.Purchased, months), Months: months, Reason: InWarranty}
	switch {
	case !c.HasProof:
		w.Reason = NoProof
	case c.CardMismatch:
		w.Reason = CardMismatch
	case c.CardAltered:
		w.Reason = CardAltered
	case firstExclusion(c.Exclusions) != "":
		w.Reason = Reason(firstExclusion(c.Exclusions))
	case c.Today.After(w.Ends):
		w.Reason = Expired
	default:
		w.Covered = true
	}
	if !w.Covered && (w.Reason == Expired || w.Reason == NoProof || w.Reason == CardMismatch || w.Reason == CardAltered) &&
		!c.PartsWarrantyEnds.IsZero() && !c.Today.After(c.PartsWarrantyEnds) {
		// Our own repair record is the proof of the parts it replaced, not
		// the purchase papers or the warranty card.
		w = WarrantyResult{Covered: true, Ends: c.PartsWarrantyEnds, Months: months, Reason: ReplacedParts}
	}
	return w
}

func firstExclusion(xs []Exclusion) Exclusion {
	for _, e := range Exclusions() {
		for _, x := range xs {
			if x == e {
				return e
			}
		}
	}
	return ""
}

// ReturnOptions is what the return windows allow for a case: Decide's Returns,
// without the warranty decision.
func (p *Policy) ReturnOptions(c Case) (ReturnResult, error) {
	t, err := p.TermsOf(c.Model)
	if err != nil {
		return ReturnResult{}, err
	}
	return p.returns(t, c)
}

func (p *Policy) returns(t Terms, c Case) (ReturnResult, error) {
	r := ReturnResult{DaysSincePurchase: c.Purchased.DaysUntil(c.Today), SameModelInStock: t.InStock}
	days := r.DaysSincePurchase
	// Returns and exchanges are for a performance fault of the product
	// (性能故障, §3.4). Damage the customer caused (§5.1), a repair or
	// disassembly by someone unauthorised (§5.2) or force majeure (§5.3) is
	// none: POLICY.md does not say so of returns, but the inspection the
	// return waits for would find it, so it is told now and the repair
	// journey (paid, as the exclusion says) is what remains. Only once the
	// windows are open: after them the window is the reason told.
	damage := damageExclusion(c.Exclusions)
	if days > p.Returns.ExchangeDays || !c.HasProof {
		damage = ""
	}
	// A return needs intact packaging and proof of purchase, an exchange the
	// proof (客户可凭有效购买凭证选择退货、换货或修理, §3.4); within the
	// exchange window a return is also the way out when the same model is out
	// of stock (换货…若无同型号同规格产品，客户可选择退货).
	switch {
	case days > p.Returns.ReturnDays && (days > p.Returns.ExchangeDays || t.InStock):
		r.Refused.Return = Expired
	case damage != "":
		r.Refused.Return = Reason(damage)
	case !c.HasProof:
		r.Refused.Return = NoProof
	case c.Packaging == PackagingDamaged:
		r.Refused.Return = DamagedPackaging
	default:
		r.Options = append(r.Options, OptReturn)
	}
	switch {
	case days > p.Returns.ExchangeDays:
		r.Refused.Exchange = Expired
	case damage != "":
		r.Refused.Exchange = Reason(damage)
	case !c.HasProof:
		r.Refused.Exchange = NoProof
	default:
		r.Options = append(r.Options, OptExchange)
	}
	r.Options = append(r.Options, OptRepair)
	if c.ExchangeTo != "" {
		to, err := p.TermsOf(c.ExchangeTo)
		if err != nil {
			return r, fmt.Errorf("exchange to: %w", err)
		}
		r.ExchangeTo = &ExchangeQuote{
			Model:      to.Product.Model,
			Price:      to.Product.Price,
			Difference: to.Product.Price - t.Product.Price,
			InStock:    to.InStock,
		}
	}
	return r, nil
}

// damageExclusion returns the first exclusion among xs that is damage
// rather than a fault of the product (misuse, an unauthorised repair, force
// majeure), or "". The normal wear of a consumable is left to the
// inspection.
func damageExclusion(xs []Exclusion) Exclusion {
	switch x := firstExclusion(xs); x {
	case Misuse, UnauthorizedRepair, ForceMajeure:
		return x
	}
	return ""
}

// Offers reports whether o is among the options.
func (r ReturnResult) Offers(o Option) bool {
	for _, x := range r.Options {
		if x == o {
			return true
		}
	}
	return false
}

// OnsiteDays returns the on-site visit deadline in working days for a region
// (the default when the region has none of its own).
func (p *Policy) OnsiteDays(region string) int {
	if n, ok := p.SLA.OnsiteVisit.Regions[region]; ok && n > 0 {
		return n
	}
	return p.SLA.OnsiteVisit.Default
}

// PartsWarrantyEnds returns the last day of the warranty that parts replaced
// in a repair finished on done carry of their own (§3.3.5).
func (p *Policy) PartsWarrantyEnds(done Date) Date {
	return done.AddDate(0, 0, p.Warranty.ReplacedPartsDays)
}
