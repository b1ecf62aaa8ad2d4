package config

import (
	"strings"
	"testing"
)

// catalog is a minimal valid catalog to append to a policy section.
const catalog = `
  categories:
    - {id: home, name: {zh: 家电, en: Home}, warranty_months: 12}
  products:
    - {model: A, category: home, price: 1}
`

// A key given is the file's value, 0 included; a key left out takes its
// default.
func TestExplicitZeroIsHonoured(t *testing.T) {
	src := "policy:\n  returns: {return_days: 0}\n  sla: {repair: 0, first_response: 0}\n" + catalog
	cfg, err := Parse("supportd.yaml", []byte(src), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Policy
	if p.Returns.ReturnDays != 0 || p.Returns.ExchangeDays != 15 {
		t.Errorf("returns = %+v, want return_days 0 as given and exchange_days 15 by default", p.Returns)
	}
	if p.SLA.Repair != 0 || p.SLA.FirstResponse != 0 || p.SLA.Inspection != 3 {
		t.Errorf("sla = %+v, want repair and first_response 0 as given, inspection 3 by default", p.SLA)
	}
	if p.Warranty.QuoteValidDays != 7 || p.Warranty.ReplacedPartsDays != 90 || p.Feedback.RatingDays != 7 {
		t.Errorf("defaults of keys left out: warranty %+v feedback %+v", p.Warranty, p.Feedback)
	}
}

// An explicit 0 outside a key's range is rejected with the range, and no
// other key's default is named in its place.
func TestExplicitZeroIsRejected(t *testing.T) {
	src := `policy:
  returns:
    return_days: 20
    exchange_days: 0
  warranty:
    quote_valid_days: 0
    replaced_parts_days: 0
  feedback:
    rating_days: 0
` + catalog
	_, err := Parse("supportd.yaml", []byte(src), noEnv)
	wantProblems(t, err,
		"policy.returns.exchange_days: 0 is shorter than return_days (20) (supportd.yaml:4)",
		"policy.warranty.quote_valid_days: must be 1 or more (days a quote waits for the customer's answer), got 0 (supportd.yaml:6)",
		"policy.warranty.replaced_parts_days: must be 1 or more (days a replaced part is under warranty), got 0 (supportd.yaml:7)",
		"policy.feedback.rating_days: must be 1 to 90 (days a rating is waited for), got 0 (supportd.yaml:9)")
}

// A number with a fraction where a whole number goes is an error, not cut to
// its whole part; a whole number written 3.0 is accepted.
func TestFractionInWholeNumber(t *testing.T) {
	src := `policy:
  returns: {exchange_days: 30.5}
  sla:
    repair: 2.9
    inspection: 3.0
  categories:
    - {id: home, name: {zh: 家电, en: Home}, warranty_months: 6.9}
  products:
    - {model: A, category: home, price: 1.5}
channels:
  webchat:
    send_queue: 64.5
`
	_, err := Parse("supportd.yaml", []byte(src), noEnv)
	wantProblems(t, err,
		`policy.returns.exchange_days: "30.5": want a whole number (supportd.yaml:2)`,
		`policy.sla.repair: "2.9": want a whole number (supportd.yaml:4)`,
		`policy.categories[0].warranty_months: "6.9": want a whole number (supportd.yaml:7)`,
		`channels.webchat.send_queue: "64.5": want a whole number (supportd.yaml:12)`)
	if n := strings.Count(err.Error(), "want a whole number"); n != 4 {
		t.Errorf("%d problems, want 4 (3.0 and a price of 1.5 are fine):\n%v", n, err)
	}
	ok := strings.NewReplacer("30.5", "30", "2.9", "2", "6.9", "6", "64.5", "64").Replace(src)
	cfg, err := Parse("supportd.yaml", []byte(ok), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Policy.SLA.Inspection != 3 {
		t.Errorf("inspection = %d, want 3", cfg.Policy.SLA.Inspection)
	}
}

// A key written without a value is an error rather than its default.
func TestNumberWithoutValue(t *testing.T) {
	_, err := Parse("supportd.yaml", []byte("policy:\n  returns:\n    return_days:\n"+catalog), noEnv)
	wantProblems(t, err, "policy.returns.return_days: no value: want a whole number, or leave the key out for its default (supportd.yaml:3)")
}

// A policy section without a catalog is refused with the way to start from
// the default, not run with an empty catalog.
func TestPolicyWithoutCatalog(t *testing.T) {
	cases := map[string]string{
		"partial":     "policy:\n  returns: {exchange_days: 30}\n",
		"bare":        "policy:\n",
		"no products": "policy:\n  categories:\n    - {id: home, name: {zh: 家电, en: Home}, warranty_months: 12}\n",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("supportd.yaml", []byte(src), noEnv)
			want := "policy.categories: the policy has no product categories"
			if name == "no products" {
				want = "policy.products: the catalog has no products"
			}
			wantProblems(t, err, want, "supportd config default", "(supportd.yaml:1")
		})
	}
}

// A blank item in a list of dates is an error with its index and line,
// not dropped.
func TestEmptyListItem(t *testing.T) {
	src := "policy:\n  calendar:\n    holidays:\n      - 2026-10-01\n      -\n    workdays:\n      - \n" + catalog
	_, err := Parse("supportd.yaml", []byte(src), noEnv)
	wantProblems(t, err,
		"policy.calendar.holidays[1]: empty list item: give a value or remove the line (supportd.yaml:5)",
		"policy.calendar.workdays[0]: empty list item: give a value or remove the line (supportd.yaml:7)")
}
