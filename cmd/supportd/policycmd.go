package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/supportd/supportd/policy"
)

func policyCmd(_ context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		return fmt.Errorf("%w: want 'policy check'", errUsage)
	}
	fs := newFlags("policy check")
	cfgPath := fs.String("config", "", "configuration file (default: embedded)")
	model := fs.String("model", "", "product model, e.g. TV-55X")
	purchased := fs.String("purchased", "", "purchase date YYYY-MM-DD")
	now := fs.String("now", "", "today's date YYYY-MM-DD (default: today in the policy time zone)")
	noProof := fs.Bool("no-proof", false, "the customer has no valid proof of purchase")
	cardMismatch := fs.Bool("card-mismatch", false, "the warranty card names another model than the product's")
	cardAltered := fs.Bool("card-altered", false, "the warranty card was altered")
	var exclusions multi
	fs.Var(&exclusions, "exclusion", "an exclusion that applies: misuse, unauthorized_repair, force_majeure, consumable (repeatable)")
	packaging := fs.String("packaging", "intact", "intact or damaged")
	exchangeTo := fs.String("exchange-to", "", "another model the customer would exchange to")
	region := fs.String("region", "", "the customer's region, for the on-site deadline")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, 0); err != nil {
		return err
	}
	c, err := policyCase(*model, *purchased, *now, *packaging, exclusions)
	if err != nil {
		return err
	}
	c.HasProof = !*noProof
	c.CardMismatch, c.CardAltered = *cardMismatch, *cardAltered
	c.ExchangeTo = *exchangeTo
	c.Region = *region

	cfg, err := loadOffline(*cfgPath, "")
	if err != nil {
		return err
	}
	p := &cfg.Policy
	if _, ok := p.SLA.OnsiteVisit.Regions[c.Region]; c.Region != "" && !ok {
		known := slices.Sorted(maps.Keys(p.SLA.OnsiteVisit.Regions))
		return fmt.Errorf("%w: --region %q is not a region of the policy (known: %s; none: the default on-site days)", errUsage, c.Region, strings.Join(known, ", "))
	}
	if c.Today.IsZero() {
		c.Today = policy.DateOf(time.Now(), p.Location())
	}
	d, err := p.Decide(c)
	if errors.Is(err, policy.ErrUnknownModel) && !strings.Contains(err.Error(), "did you mean") {
		models := make([]string, len(p.Products))
		for i, pr := range p.Products {
			models[i] = pr.Model
		}
		slices.Sort(models)
		return fmt.Errorf("%w: the catalog's models are %s", err, strings.Join(models, ", "))
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	printDecision(e.stdout, p, c, d)
	return nil
}

// policyCase builds the case from the flags; every malformed flag is a usage
// error naming the flag.
func policyCase(model, purchased, now, packaging string, exclusions []string) (policy.Case, error) {
	var c policy.Case
	if strings.TrimSpace(model) == "" {
		return c, fmt.Errorf("%w: --model is required", errUsage)
	}
	c.Model = model
	if purchased == "" {
		return c, fmt.Errorf("%w: --purchased is required", errUsage)
	}
	var err error
	if c.Purchased, err = policy.ParseDate(purchased); err != nil {
		return c, fmt.Errorf("%w: --purchased: %v", errUsage, err)
	}
	if now != "" {
		if c.Today, err = policy.ParseDate(now); err != nil {
			return c, fmt.Errorf("%w: --now: %v", errUsage, err)
		}
	}
	switch packaging {
	case "intact", "damaged":
		c.Packaging = policy.Packaging(packaging)
	default:
		return c, fmt.Errorf("%w: --packaging: %q is not intact or damaged", errUsage, packaging)
	}
	for _, x := range exclusions {
		ex := policy.Exclusion(x)
		if !ex.Valid() {
			return c, fmt.Errorf("%w: --exclusion: unknown exclusion %q (want misuse, unauthorized_repair, force_majeure or consumable)", errUsage, x)
		}
		c.Exclusions = append(c.Exclusions, ex)
	}
	return c, nil
}

func printDecision(w io.Writer, p *policy.Policy, c policy.Case, d policy.Decision) {
	pr, _ := p.Product(d.Model)
	fmt.Fprintf(w, "model:        %s (%s / %s), category %s\n", d.Model, pr.Name.Zh, pr.Name.En, d.Category)
	fmt.Fprintf(w, "purchased:    %s, today %s\n", c.Purchased, c.Today)
	if d.Warranty.Covered {
		fmt.Fprintf(w, "warranty:     covered, last day %s (%s): free repair\n", d.Warranty.Ends, d.Warranty.Reason)
	} else {
		fmt.Fprintf(w, "warranty:     not covered (%s), warranty last day %s: paid repair, estimate %s %s before diagnosis\n",
			d.Warranty.Reason, d.Warranty.Ends, d.Estimate, p.Currency)
	}
	opts := make([]string, len(d.Returns.Options))
	for i, o := range d.Returns.Options {
		opts[i] = string(o)
	}
	var refused []string
	for _, o := range []policy.Option{policy.OptReturn, policy.OptExchange} {
		if why := d.Returns.Refused.Of(o); why != "" {
			refused = append(refused, fmt.Sprintf("no %s (%s)", o, why))
		}
	}
	if len(refused) > 0 {
		opts = append(opts, strings.Join(refused, ", "))
	}
	fmt.Fprintf(w, "returns:      %d days since purchase: %s\n", d.Returns.DaysSincePurchase, strings.Join(opts, "; "))
	if !d.Returns.SameModelInStock {
		fmt.Fprintf(w, "              %s is out of stock: no exchange to the same model\n", d.Model)
	}
	if x := d.Returns.ExchangeTo; x != nil {
		stock := ""
		if !x.InStock {
			stock = " (out of stock)"
		}
		var diff string
		switch {
		case x.Difference > 0:
			diff = fmt.Sprintf("the customer pays %s %s more", x.Difference, p.Currency)
		case x.Difference < 0:
			diff = fmt.Sprintf("the customer gets %s %s back", -x.Difference, p.Currency)
		default:
			diff = "the same price"
		}
		fmt.Fprintf(w, "exchange to:  %s at %s %s%s: %s\n", x.Model, x.Price, p.Currency, stock, diff)
	}
	service := string(d.ServiceMode)
	switch {
	case d.OnsiteDays == 1:
		service += " (visit within 1 working day)"
	case d.OnsiteDays > 1:
		service += fmt.Sprintf(" (visit within %d working days)", d.OnsiteDays)
	}
	fmt.Fprintf(w, "service:      %s\n", service)
	fmt.Fprintf(w, "installation: %s\n", d.Installation)
}
