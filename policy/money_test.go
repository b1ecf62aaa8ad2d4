package policy_test

import (
	"errors"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/supportd/supportd/policy"
)

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     policy.Money
		err      string // part of the error; "" when accepted
	}{
		{"whole", "380", 38000, ""},
		{"two decimals", "380.50", 38050, ""},
		{"one decimal", "12.5", 1250, ""},
		{"negative", "-20.05", -2005, ""},
		{"spaces around", " 99.50 ", 9950, ""},
		{"zero", "0", 0, ""},
		{"large", "999999999999.99", 99999999999999, ""},
		{"exponent", "1e3", 0, "without an exponent"},
		{"big exponent", "1e15", 0, "without an exponent"},
		{"exponent with sign", "3.8E+2", 0, "without an exponent"},
		{"three decimals", "1.005", 0, "at most two decimals"},
		{"yuan sign after", "380元", 0, "want a number"},
		{"yen sign before", "¥380", 0, "want a number"},
		{"digit groups", "1,200", 0, "want a number"},
		{"full-width digits", "３８０", 0, "want a number"},
		{"hexadecimal", "0x1p3", 0, "want a number"},
		{"infinity", "Inf", 0, "want a number"},
		{"not a number", "NaN", 0, "want a number"},
		{"underscores", "1_000", 0, "want a number"},
		{"point first", ".5", 0, "want a number"},
		{"point last", "5.", 0, "want a number"},
		{"sign alone", "-", 0, "want a number"},
		{"empty", "", 0, "want a number"},
		{"word", "lots", 0, "want a number"},
		{"too large", "1000000000000", 0, "too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := policy.ParseMoney(tc.in)
			switch {
			case tc.err == "" && (err != nil || got != tc.want):
				t.Errorf("ParseMoney(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("ParseMoney(%q) = %d, %v; want an error with %q", tc.in, got, err, tc.err)
			}
		})
	}
	if _, err := policy.ParseMoney("1e3"); !errors.Is(err, policy.ErrExponent) {
		t.Errorf("1e3: %v, want ErrExponent", err)
	}
}

// An amount written to YAML is read back as it was, in full digits.
func TestMoneyYAMLRoundTrip(t *testing.T) {
	for _, m := range []policy.Money{0, 38050, 100000000, -2005} {
		b, err := yaml.Marshal(map[string]policy.Money{"price": m})
		if err != nil {
			t.Fatal(err)
		}
		var back map[string]policy.Money
		if err := yaml.Unmarshal(b, &back); err != nil || back["price"] != m {
			t.Errorf("%s: wrote %q, read %d, %v", m, b, back["price"], err)
		}
	}
}

// What ParseMoney accepts it formats back the same, exactly.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"380", "380.50", "1e3", "-20.05", "1,200", "３８０", "0.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := policy.ParseMoney(s)
		if err != nil {
			return
		}
		again, err := policy.ParseMoney(m.String())
		if err != nil || again != m {
			t.Fatalf("%q → %d → %q → %d, %v", s, m, m.String(), again, err)
		}
	})
}
