package dialog

import (
	"encoding/json"
	"maps"
	"slices"
)

// A conversation is stored as JSON at every turn. Its "back" snapshots each
// hold every slot filled when their question was asked, so a form of n
// questions would store n copies of the slots: the stored value grows with
// the square of the journey's length and, past a database page, costs
// overflow pages at every turn. In JSON each snapshot therefore holds only
// how its slots differ from the next newer snapshot's (the newest: from the
// conversation's own slots). In memory snapshots stay whole.

// storedSnapshot is a Snapshot as stored. Slots, when present, are the
// snapshot's slots whole (as earlier versions stored every snapshot);
// otherwise they are those of the next newer snapshot (or the
// conversation's), with Set added or replaced and Unset removed.
type storedSnapshot struct {
	State  string          `json:"state"`
	Asking string          `json:"asking"`
	Slots  map[string]Slot `json:"slots,omitempty"`
	Set    map[string]Slot `json:"set,omitempty"`
	Unset  []string        `json:"unset,omitempty"`
}

// conversationJSON is Conversation without its methods, for encoding.
type conversationJSON Conversation

// MarshalJSON stores c with its snapshots as differences.
func (c Conversation) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		*conversationJSON
		Back []storedSnapshot `json:"back,omitempty"`
	}{(*conversationJSON)(&c), storeSnapshots(c.Back, c.Slots)})
}

// UnmarshalJSON reads a conversation stored by MarshalJSON, or one whose
// snapshots are stored whole.
func (c *Conversation) UnmarshalJSON(data []byte) error {
	var v struct {
		*conversationJSON
		Back []storedSnapshot `json:"back,omitempty"`
	}
	v.conversationJSON = (*conversationJSON)(c)
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	c.Back = loadSnapshots(v.Back, c.Slots)
	return nil
}

// storeSnapshots returns back with each snapshot's slots as the difference
// from the next newer snapshot's, the newest's from current.
func storeSnapshots(back []Snapshot, current map[string]Slot) []storedSnapshot {
	if len(back) == 0 {
		return nil
	}
	out := make([]storedSnapshot, len(back))
	newer := current
	for i := len(back) - 1; i >= 0; i-- {
		s := back[i]
		out[i] = storedSnapshot{State: s.State, Asking: s.Asking}
		for name, slot := range s.Slots {
			if old, ok := newer[name]; !ok || old != slot {
				if out[i].Set == nil {
					out[i].Set = map[string]Slot{}
				}
				out[i].Set[name] = slot
			}
		}
		for name := range newer {
			if _, ok := s.Slots[name]; !ok {
				out[i].Unset = append(out[i].Unset, name)
			}
		}
		slices.Sort(out[i].Unset) // the same conversation, the same JSON
		newer = s.Slots
	}
	return out
}

// loadSnapshots undoes storeSnapshots. Every snapshot gets a map of its own.
func loadSnapshots(stored []storedSnapshot, current map[string]Slot) []Snapshot {
	if len(stored) == 0 {
		return nil
	}
	back := make([]Snapshot, len(stored))
	newer := current
	for i := len(stored) - 1; i >= 0; i-- {
		s := stored[i]
		slots := s.Slots
		if slots == nil {
			slots = maps.Clone(newer)
			if slots == nil {
				slots = map[string]Slot{}
			}
			for _, name := range s.Unset {
				delete(slots, name)
			}
			maps.Copy(slots, s.Set)
		}
		back[i] = Snapshot{State: s.State, Asking: s.Asking, Slots: slots}
		newer = slots
	}
	return back
}
