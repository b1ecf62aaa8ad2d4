package dialog

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"strings"
	"testing"
)

func slot(v string, turn int) Slot { return Slot{Value: v, Raw: v, Confirmed: true, Turn: turn} }

func TestSnapshotsRoundTrip(t *testing.T) {
	cases := []struct {
		name    string
		back    []Snapshot
		current map[string]Slot
	}{
		{"none", nil, map[string]Slot{"model": slot("TV-55X", 0)}},
		{"a form filled one slot at a time", []Snapshot{
			{State: "repair.collect", Asking: "model", Slots: map[string]Slot{}},
			{State: "repair.collect", Asking: "purchased", Slots: map[string]Slot{"model": slot("TV-55X", 0)}},
			{State: "repair.collect", Asking: "proof", Slots: map[string]Slot{"model": slot("TV-55X", 0), "purchased": slot("2026-04-10", 1)}},
		}, map[string]Slot{"model": slot("TV-55X", 0), "purchased": slot("2026-04-10", 1), "proof": slot("order:1", 2)}},
		{"a slot corrected, one dropped, one only in an old snapshot", []Snapshot{
			{State: "install.collect", Asking: "date", Slots: map[string]Slot{"model": slot("TV-55X", 0), "note": slot("x", 0)}},
			{State: "install.collect", Asking: "address", Slots: map[string]Slot{"model": slot("TV-55X", 0), "date": slot("2026-12-01", 1)}},
		}, map[string]Slot{"model": slot("TV-65X", 3), "address": slot("1 Main St", 2)}},
		{"no slots now", []Snapshot{
			{State: "return.collect", Asking: "reason", Slots: map[string]Slot{"model": slot("TV-55X", 0)}},
		}, map[string]Slot{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Conversation{ID: "c1", State: "s", Slots: tc.current, Back: tc.back}
			data, err := json.Marshal(&c)
			if err != nil {
				t.Fatal(err)
			}
			var got Conversation
			if err := json.Unmarshal(data, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Back, c.Back) || !reflect.DeepEqual(got.Slots, c.Slots) || got.ID != "c1" || got.State != "s" {
				t.Fatalf("round trip:\n got %+v\nwant %+v\njson %s", got, c, data)
			}
			again, _ := json.Marshal(&got)
			if string(again) != string(data) {
				t.Errorf("not the same JSON twice:\n%s\n%s", data, again)
			}
			if len(got.Back) > 1 { // each snapshot has a map of its own
				got.Back[0].Slots["changed"] = Slot{}
				if _, shared := got.Back[1].Slots["changed"]; shared {
					t.Error("snapshots share a map")
				}
			}
		})
	}
}

// A form of n questions stores each earlier answer once, not n times.
func TestSnapshotsStoreDifferences(t *testing.T) {
	c := Conversation{ID: "c1", Slots: map[string]Slot{}}
	for i := range 20 {
		c.Back = append(c.Back, Snapshot{State: "collect", Asking: fmt.Sprint("q", i), Slots: maps.Clone(c.Slots)})
		c.Slots[fmt.Sprint("q", i)] = slot(strings.Repeat("a long answer ", 5), i)
	}
	data, err := json.Marshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Back []map[string]json.RawMessage `json:"back"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	for i, s := range raw.Back {
		if _, whole := s["slots"]; whole {
			t.Fatalf("snapshot %d stored whole: %s", i, data)
		}
		var unset []string
		_ = json.Unmarshal(s["unset"], &unset)
		if len(s["set"]) != 0 || !reflect.DeepEqual(unset, []string{fmt.Sprint("q", i)}) {
			t.Errorf("snapshot %d: set %s, unset %v; want only q%d unset", i, s["set"], unset, i)
		}
	}
	if n := strings.Count(string(data), `"value":`); n != 20 {
		t.Errorf("the answers are stored %d times, want 20 (once each)", n)
	}
}

// Conversations stored with whole snapshots still load.
func TestSnapshotsStoredWhole(t *testing.T) {
	old := `{"id":"c1","state":"repair.collect","asking":"misuse","slots":{"model":{"value":"TV-55X","turn":0},"proof":{"value":"order:1","turn":1}},
		"back":[{"state":"repair.collect","asking":"proof","slots":{"model":{"value":"TV-55X","turn":0}}},
		        {"state":"repair.collect","asking":"misuse","slots":{"model":{"value":"TV-55X","turn":0},"proof":{"value":"order:1","turn":1}}}]}`
	var c Conversation
	if err := json.Unmarshal([]byte(old), &c); err != nil {
		t.Fatal(err)
	}
	want := []Snapshot{
		{State: "repair.collect", Asking: "proof", Slots: map[string]Slot{"model": {Value: "TV-55X"}}},
		{State: "repair.collect", Asking: "misuse", Slots: map[string]Slot{"model": {Value: "TV-55X"}, "proof": {Value: "order:1", Turn: 1}}},
	}
	if !reflect.DeepEqual(c.Back, want) {
		t.Errorf("back %+v\nwant %+v", c.Back, want)
	}
}

func TestSnapshotsBadJSON(t *testing.T) {
	var c Conversation
	for _, bad := range []string{`{"back":{}}`, `{"back":[{"set":[]}]}`, `{"slots":[]}`, `{`} {
		if err := json.Unmarshal([]byte(bad), &c); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
