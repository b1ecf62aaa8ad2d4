package problem

import (
	"errors"
	"testing"
)

func TestList(t *testing.T) {
	kind := errors.New("invalid thing")
	err := error(&List{Kind: kind, Problems: []Problem{
		{Path: "a.b", Msg: "required", File: "f.yaml", Line: 3},
		{Msg: "not valid YAML", File: "f.yaml"},
		{Path: "c", Msg: "bad", File: "f.yaml"},
	}})
	if got, want := err.Error(), "a.b: required (f.yaml:3)\nnot valid YAML\nc: bad"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, kind) || errors.Is(err, errors.New("invalid thing")) {
		t.Error("errors.Is must match the list's own kind and nothing else")
	}
}
