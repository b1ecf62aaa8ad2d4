package ticketing

import "fmt"

// Validate checks the fields a store must never hold wrong: a known kind and
// status, a satisfaction score of 1 to 5, a quote amount ≥ 0 with a known
// status. The error wraps ErrInvalid and names the field.
func (t *Ticket) Validate() error {
	if !t.Kind.Valid() {
		return invalidf("kind: %v", kindError(t.Kind))
	}
	if !t.Status.Valid() {
		_, err := ParseStatus(string(t.Status))
		return invalidf("status: %v", err)
	}
	if q := t.Quote; q != nil {
		if q.Amount < 0 {
			return invalidf("quote.amount: must be ≥ 0, got %s", q.Amount)
		}
		if !q.Status.Valid() {
			_, err := ParseQuoteStatus(string(q.Status))
			return invalidf("quote.status: %v", err)
		}
	}
	if s := t.Satisfaction; s != nil && (s.Score < 1 || s.Score > 5) {
		return invalidf("satisfaction.score: must be 1-5, got %d", s.Score)
	}
	for k := range t.Details {
		if k == "" {
			return invalidf("details: empty key")
		}
	}
	return nil
}

func kindError(k Kind) error {
	if k == "" {
		return fmt.Errorf("missing (want %s)", list(kinds))
	}
	_, err := ParseKind(string(k))
	return err
}
