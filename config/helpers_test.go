package config

import (
	"testing"

	"github.com/supportd/supportd/policy"
)

func mustDate(t *testing.T, s string) policy.Date {
	t.Helper()
	d, err := policy.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
