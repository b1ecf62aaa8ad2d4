package ticketing

import (
	"errors"
	"strings"
	"testing"
)

func TestParseKind(t *testing.T) {
	if len(Kinds()) != 6 {
		t.Fatalf("Kinds() = %v", Kinds())
	}
	for _, k := range Kinds() {
		if got, err := ParseKind(string(k)); err != nil || got != k {
			t.Errorf("ParseKind(%q) = %q, %v", k, got, err)
		}
	}
	_, err := ParseKind("refund")
	want := `unknown ticket kind "refund" (want consultation, installation, repair, return, exchange or complaint)`
	if err == nil || err.Error() != want {
		t.Errorf("ParseKind(refund): %v\nwant %s", err, want)
	}
	ks := Kinds()
	ks[0] = "refund"
	if Kind("refund").Valid() {
		t.Error("Kinds() shares its slice")
	}
}

func TestParseQuoteStatus(t *testing.T) {
	for _, s := range []string{"pending", "accepted", "declined", "expired"} {
		if _, err := ParseQuoteStatus(s); err != nil {
			t.Error(err)
		}
	}
	if _, err := ParseQuoteStatus("maybe"); err == nil || !strings.Contains(err.Error(), "pending") {
		t.Errorf("ParseQuoteStatus(maybe): %v", err)
	}
}

func TestNotFound(t *testing.T) {
	err := NotFound("T-1042")
	if !errors.Is(err, ErrNotFound) || err.Error() != "ticket not found: T-1042" {
		t.Errorf("NotFound: %v", err)
	}
}
