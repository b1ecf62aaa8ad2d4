package policy

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestWarrantyEnds(t *testing.T) {
	cases := []struct {
		purchased string
		months    int
		want      string
	}{
		{"2025-03-01", 12, "2026-03-01"}, // the anniversary is still covered
		{"2024-03-01", 12, "2025-03-01"},
		{"2023-02-28", 12, "2024-02-28"},
		{"2024-02-29", 12, "2025-02-28"}, // bought on a leap day: the month's last day
		{"2024-02-29", 48, "2028-02-29"},
		{"2025-01-31", 1, "2025-02-28"}, // no 31 February: its last day
		{"2025-12-31", 12, "2026-12-31"},
		{"2026-03-01", 24, "2028-03-01"},
	}
	for _, tc := range cases {
		if got := WarrantyEnds(d(t, tc.purchased), tc.months); got.String() != tc.want {
			t.Errorf("WarrantyEnds(%s, %d) = %s, want %s", tc.purchased, tc.months, got, tc.want)
		}
	}
}

func TestDecideWarranty(t *testing.T) {
	p := testPolicy(t)
	cases := []struct {
		name       string
		model      string
		purchased  string
		today      string
		noProof    bool
		exclusions []Exclusion
		covered    bool
		reason     Reason
		ends       string
		estimate   Money
	}{
		{"in warranty", "TV-55X", "2025-06-01", "2025-12-01", false, nil, true, InWarranty, "2026-06-01", 0},
		{"the anniversary is covered", "TV-55X", "2025-03-01", "2026-03-01", false, nil, true, InWarranty, "2026-03-01", 0},
		{"the day after", "TV-55X", "2025-03-01", "2026-03-02", false, nil, false, Expired, "2026-03-01", Yuan(170)},
		{"bought on a leap day, last day", "TV-55X", "2024-02-29", "2025-02-28", false, nil, true, InWarranty, "2025-02-28", 0},
		{"bought on a leap day, expired", "TV-55X", "2024-02-29", "2025-03-01", false, nil, false, Expired, "2025-02-28", Yuan(170)},
		{"bought today", "AP-300", "2026-05-05", "2026-05-05", false, nil, true, InWarranty, "2028-05-05", 0},
		{"category period", "AP-300", "2024-06-10", "2026-06-10", false, nil, true, InWarranty, "2026-06-10", 0},
		{"product's own period", "CP-3000", "2021-07-01", "2026-07-01", false, nil, true, InWarranty, "2026-07-01", 0},
		{"no proof", "TV-55X", "2026-01-01", "2026-01-05", true, nil, false, NoProof, "2027-01-01", Yuan(170)},
		{"no proof wins over misuse and expiry", "TV-55X", "2020-01-01", "2026-01-05", true, []Exclusion{Misuse}, false, NoProof, "2021-01-01", Yuan(170)},
		{"misuse wins over later exclusions", "TV-55X", "2026-01-01", "2026-01-05", false, []Exclusion{Consumable, ForceMajeure, Misuse}, false, Reason(Misuse), "2027-01-01", Yuan(170)},
		{"unauthorized repair before force majeure", "TV-55X", "2026-01-01", "2026-01-05", false, []Exclusion{ForceMajeure, UnauthorizedRepair}, false, Reason(UnauthorizedRepair), "2027-01-01", Yuan(170)},
		{"force majeure before consumable", "TV-55X", "2026-01-01", "2026-01-05", false, []Exclusion{Consumable, ForceMajeure}, false, Reason(ForceMajeure), "2027-01-01", Yuan(170)},
		{"consumable", "AP-300", "2026-01-01", "2026-01-05", false, []Exclusion{Consumable}, false, Reason(Consumable), "2028-01-01", Yuan(170)},
		{"an exclusion wins over expiry", "TV-55X", "2020-01-01", "2026-01-05", false, []Exclusion{Consumable}, false, Reason(Consumable), "2021-01-01", Yuan(170)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.Decide(Case{Model: tc.model, Purchased: d(t, tc.purchased), Today: d(t, tc.today), HasProof: !tc.noProof, Exclusions: tc.exclusions})
			if err != nil {
				t.Fatal(err)
			}
			w := got.Warranty
			if w.Covered != tc.covered || w.Reason != tc.reason || w.Ends.String() != tc.ends || got.Estimate != tc.estimate {
				t.Errorf("warranty = %+v estimate %s, want covered %v reason %s ends %s estimate %s", w, got.Estimate, tc.covered, tc.reason, tc.ends, tc.estimate)
			}
		})
	}
}

// TestDecideWarrantyCard: a warranty card that names another model or was
// altered refuses free warranty (§5.4), after the proof of purchase and
// before the exclusions and the warranty period; the repair is paid, and
// the returns, which turn on the proof of purchase, are not affected.
func TestDecideWarrantyCard(t *testing.T) {
	p := testPolicy(t)
	base := Case{Model: "TV-55X", Purchased: d(t, "2026-01-01"), Today: d(t, "2026-01-05"), HasProof: true}
	for _, tc := range []struct {
		name    string
		change  func(*Case)
		covered bool
		reason  Reason
	}{
		{"card names another model", func(c *Case) { c.CardMismatch = true }, false, CardMismatch},
		{"card altered", func(c *Case) { c.CardAltered = true }, false, CardAltered},
		{"the model first", func(c *Case) { c.CardAltered, c.CardMismatch = true, true }, false, CardMismatch},
		{"no proof wins over the card", func(c *Case) { c.CardMismatch, c.HasProof = true, false }, false, NoProof},
		{"the card wins over misuse", func(c *Case) { c.CardMismatch, c.Exclusions = true, []Exclusion{Misuse} }, false, CardMismatch},
		{"the card wins over expiry", func(c *Case) { c.CardAltered, c.Today = true, d(t, "2027-06-01") }, false, CardAltered},
		{"a card that matches", func(*Case) {}, true, InWarranty},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base
			tc.change(&c)
			got, err := p.Decide(c)
			if err != nil {
				t.Fatal(err)
			}
			w := got.Warranty
			if w.Covered != tc.covered || w.Reason != tc.reason || w.Ends.String() != "2027-01-01" {
				t.Errorf("warranty = %+v, want covered %v, %s, ends 2027-01-01", w, tc.covered, tc.reason)
			}
			if want := Yuan(170); !tc.covered && got.Estimate != want {
				t.Errorf("estimate %s, want %s: a paid repair", got.Estimate, want)
			}
			plain := c
			plain.CardMismatch, plain.CardAltered = false, false
			if without, _ := p.Decide(plain); !slices.Equal(got.Returns.Options, without.Returns.Options) {
				t.Errorf("returns %v, without the card %v: the card does not change the return windows", got.Returns.Options, without.Returns.Options)
			}
		})
	}
}

func TestDecideReturns(t *testing.T) {
	p := testPolicy(t)
	cases := []struct {
		name      string
		model     string
		purchased string
		today     string
		damaged   bool
		noProof   bool
		days      int
		options   []Option
	}{
		{"the day of purchase", "TV-55X", "2026-03-01", "2026-03-01", false, false, 0, []Option{OptReturn, OptExchange, OptRepair}},
		{"day 7: still a return", "TV-55X", "2026-03-01", "2026-03-08", false, false, 7, []Option{OptReturn, OptExchange, OptRepair}},
		{"day 8: exchange or repair", "TV-55X", "2026-03-01", "2026-03-09", false, false, 8, []Option{OptExchange, OptRepair}},
		{"day 15: still an exchange", "TV-55X", "2026-03-01", "2026-03-16", false, false, 15, []Option{OptExchange, OptRepair}},
		{"day 16: repair only", "TV-55X", "2026-03-01", "2026-03-17", false, false, 16, []Option{OptRepair}},
		{"across a month end", "TV-55X", "2026-01-28", "2026-02-04", false, false, 7, []Option{OptReturn, OptExchange, OptRepair}},
		{"across a leap day", "TV-55X", "2028-02-25", "2028-03-03", false, false, 7, []Option{OptReturn, OptExchange, OptRepair}},
		{"damaged packaging: no return", "TV-55X", "2026-03-01", "2026-03-03", true, false, 2, []Option{OptExchange, OptRepair}},
		{"no proof: no return, no exchange", "TV-55X", "2026-03-01", "2026-03-03", false, true, 2, []Option{OptRepair}},
		{"a year later", "TV-55X", "2025-03-01", "2026-03-01", false, false, 365, []Option{OptRepair}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Case{Model: tc.model, Purchased: d(t, tc.purchased), Today: d(t, tc.today), HasProof: !tc.noProof}
			if tc.damaged {
				c.Packaging = PackagingDamaged
			}
			got, err := p.Decide(c)
			if err != nil {
				t.Fatal(err)
			}
			r := got.Returns
			if r.DaysSincePurchase != tc.days || !slices.Equal(r.Options, tc.options) {
				t.Errorf("returns = %d days %v, want %d days %v", r.DaysSincePurchase, r.Options, tc.days, tc.options)
			}
		})
	}
}

// TestDecideReturnsRefused: the customer is told why a return or an
// exchange is not possible, so the reasons must be the right ones.
func TestDecideReturnsRefused(t *testing.T) {
	p := testPolicy(t)
	cases := []struct {
		name           string
		model, bought  string
		noProof, boxed bool
		want           Refusals
	}{
		{"day 2, all in order", "TV-55X", "2026-03-01", false, false, Refusals{}},
		{"day 2, no proof", "TV-55X", "2026-03-01", true, false, Refusals{Return: NoProof, Exchange: NoProof}},
		{"day 2, no proof, box damaged: the proof is told first", "TV-55X", "2026-03-01", true, true, Refusals{Return: NoProof, Exchange: NoProof}},
		{"day 2, box damaged", "TV-55X", "2026-03-01", false, true, Refusals{Return: DamagedPackaging}},
		{"day 10", "TV-55X", "2026-02-21", false, false, Refusals{Return: Expired}},
		{"day 10, out of stock: a return is still open", "TV-65X", "2026-02-21", false, false, Refusals{}},
		{"day 20", "TV-55X", "2026-02-11", false, false, Refusals{Return: Expired, Exchange: Expired}},
		{"day 20, no proof: the window is told first", "TV-55X", "2026-02-11", true, false, Refusals{Return: Expired, Exchange: Expired}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Case{Model: tc.model, Purchased: d(t, tc.bought), Today: d(t, "2026-03-03"), HasProof: !tc.noProof}
			if tc.boxed {
				c.Packaging = PackagingDamaged
			}
			got, err := p.Decide(c)
			if err != nil {
				t.Fatal(err)
			}
			if got.Returns.Refused != tc.want {
				t.Errorf("refused = %v, want %v (options %v)", got.Returns.Refused, tc.want, got.Returns.Options)
			}
		})
	}
}

func TestDecideExchangeToAnotherModel(t *testing.T) {
	p := testPolicy(t)
	got, err := p.Decide(Case{Model: "TV-65X", Purchased: d(t, "2026-03-01"), Today: d(t, "2026-03-05"), HasProof: true, ExchangeTo: "tv 55x"})
	if err != nil {
		t.Fatal(err)
	}
	r := got.Returns
	if r.SameModelInStock {
		t.Error("TV-65X is out of stock: an exchange to the same model must not be offered")
	}
	if !r.Offers(OptExchange) || !r.Offers(OptReturn) {
		t.Errorf("options %v: exchange to another model and return remain", r.Options)
	}
	// Out of stock, the return stays open for the whole exchange window
	// (§3.4: the customer picks a return or another model), not after it.
	for today, want := range map[string][]Option{
		"2026-03-12": {OptReturn, OptExchange, OptRepair}, "2026-03-16": {OptReturn, OptExchange, OptRepair}, "2026-03-17": {OptRepair},
	} {
		got, err := p.Decide(Case{Model: "TV-65X", Purchased: d(t, "2026-03-01"), Today: d(t, today), HasProof: true})
		if err != nil || !slices.Equal(got.Returns.Options, want) {
			t.Errorf("TV-65X out of stock, %s: options %v (%v), want %v", today, got.Returns.Options, err, want)
		}
	}
	want := ExchangeQuote{Model: "TV-55X", Price: Yuan(3999), Difference: Yuan(-2000), InStock: true}
	if r.ExchangeTo == nil || *r.ExchangeTo != want {
		t.Errorf("exchange = %+v, want %+v (the customer gets 2000 back)", r.ExchangeTo, want)
	}

	got, _ = p.Decide(Case{Model: "AP-300", Purchased: d(t, "2026-03-01"), Today: d(t, "2026-03-05"), HasProof: true, ExchangeTo: "TV-55X"})
	if got.Returns.ExchangeTo.Difference != Yuan(2399.5) || !got.Returns.SameModelInStock {
		t.Errorf("AP-300 → TV-55X = %+v, want the customer to pay 2399.50", got.Returns)
	}
}

func TestDecideServiceTerms(t *testing.T) {
	p := testPolicy(t)
	cases := []struct {
		model, region string
		mode          ServiceMode
		onsiteDays    int
		install       Installation
	}{
		{"TV-55X", "", MailIn, 0, InstallPaid},  // the product's own installation
		{"AP-300", "", MailIn, 0, InstallNone},  // the category default
		{"CP-3000", "", Onsite, 3, InstallFree}, // the category's on-site service, default deadline
		{"CP-3000", "shanghai", Onsite, 1, InstallFree},
		{"CP-3000", "atlantis", Onsite, 3, InstallFree},
		{"PR-2000", "shanghai", MailIn, 0, InstallNone}, // the product overrides its category
	}
	for _, tc := range cases {
		got, err := p.Decide(Case{Model: tc.model, Purchased: d(t, "2026-03-01"), Today: d(t, "2026-03-05"), HasProof: true, Region: tc.region})
		if err != nil {
			t.Fatal(err)
		}
		if got.ServiceMode != tc.mode || got.OnsiteDays != tc.onsiteDays || got.Installation != tc.install {
			t.Errorf("%s in %q: %s %d %s, want %s %d %s", tc.model, tc.region, got.ServiceMode, got.OnsiteDays, got.Installation, tc.mode, tc.onsiteDays, tc.install)
		}
	}
}

func TestDecideErrors(t *testing.T) {
	p := testPolicy(t)
	cases := []struct {
		name string
		c    Case
		want error
		text string
	}{
		{"unknown model", Case{Model: "XYZ-1", Purchased: d(t, "2026-01-01"), Today: d(t, "2026-02-01")}, ErrUnknownModel, `unknown model "XYZ-1"`},
		{"near miss is suggested", Case{Model: "TV-55", Purchased: d(t, "2026-01-01"), Today: d(t, "2026-02-01")}, ErrUnknownModel, "did you mean TV-55X"},
		{"purchase tomorrow", Case{Model: "TV-55X", Purchased: d(t, "2026-03-02"), Today: d(t, "2026-03-01")}, ErrFuturePurchase, "2026-03-02 is after today, 2026-03-01"},
		{"no purchase date", Case{Model: "TV-55X", Today: d(t, "2026-03-01")}, ErrNoDate, "date"},
		{"unknown exchange model", Case{Model: "TV-55X", Purchased: d(t, "2026-03-01"), Today: d(t, "2026-03-02"), ExchangeTo: "ZZ"}, ErrUnknownModel, `exchange to: unknown model "ZZ"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.Decide(tc.c)
			if !errors.Is(err, tc.want) || err == nil || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("err = %v, want %v containing %q", err, tc.want, tc.text)
			}
		})
	}
}

func TestProductLookupFoldsWidthAndSeparators(t *testing.T) {
	p := testPolicy(t)
	for _, in := range []string{"TV-55X", "tv55x", "ＴＶ－５５Ｘ", "TV—55X", " tv 55 x "} {
		if pr, ok := p.Product(in); !ok || pr.Model != "TV-55X" {
			t.Errorf("Product(%q) = %q, %v", in, pr.Model, ok)
		}
	}
	if _, ok := p.Product("TV-55"); ok {
		t.Error("a near miss must not be taken for the model")
	}
}

func TestPartsWarranty(t *testing.T) {
	p := testPolicy(t)
	if got := p.PartsWarrantyEnds(d(t, "2026-01-01")); got.String() != "2026-04-01" {
		t.Errorf("parts replaced on 2026-01-01 are covered to %s, want 2026-04-01 (90 days after)", got)
	}
}

// TestReplacedPartsWarranty: the parts replaced in a repair carry their own
// warranty (§3.3.5): past the product's, a repair is free while theirs runs
// (the repair record is their proof), but not when an exclusion applies.
func TestReplacedPartsWarranty(t *testing.T) {
	p := testPolicy(t)
	base := Case{Model: "TV-55X", Purchased: d(t, "2023-03-05"), Today: d(t, "2026-12-16"), HasProof: true, PartsWarrantyEnds: d(t, "2027-02-23")}
	for _, tc := range []struct {
		name    string
		change  func(*Case)
		covered bool
		reason  Reason
		ends    string
	}{
		{"expired, parts under warranty", func(*Case) {}, true, ReplacedParts, "2027-02-23"},
		{"no proof, parts under warranty", func(c *Case) { c.HasProof = false }, true, ReplacedParts, "2027-02-23"},
		{"card of another model, parts under warranty", func(c *Case) { c.CardMismatch = true }, true, ReplacedParts, "2027-02-23"},
		{"card of another model, parts' warranty over", func(c *Case) { c.CardMismatch, c.Today = true, d(t, "2027-02-24") }, false, CardMismatch, "2024-03-05"},
		{"the parts' last day", func(c *Case) { c.Today = d(t, "2027-02-23") }, true, ReplacedParts, "2027-02-23"},
		{"the day after", func(c *Case) { c.Today = d(t, "2027-02-24") }, false, Expired, "2024-03-05"},
		{"dropped", func(c *Case) { c.Exclusions = []Exclusion{Misuse} }, false, Reason(Misuse), "2024-03-05"},
		{"no earlier repair", func(c *Case) { c.PartsWarrantyEnds = Date{} }, false, Expired, "2024-03-05"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base
			tc.change(&c)
			got, err := p.Decide(c)
			if err != nil {
				t.Fatal(err)
			}
			w := got.Warranty
			if w.Covered != tc.covered || w.Reason != tc.reason || w.Ends.String() != tc.ends {
				t.Errorf("warranty = %+v, want covered %v, %s, ends %s", w, tc.covered, tc.reason, tc.ends)
			}
		})
	}
}
