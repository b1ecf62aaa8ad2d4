package dialog

import "testing"

func TestRepairAsked(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       bool
	}{
		{"kind en", "do you repair washing machines?", true},
		{"brand en", "can you fix a samsung tv?", true},
		{"which en", "which products do you repair?", true},
		{"also en", "Do you also service air purifiers", true},
		{"kind zh", "你们修洗衣机吗", true},
		{"which zh", "你们能修哪些产品", true},
		{"a-not-a zh", "打印机你们修不修", true},
		{"brand first zh", "三星电视能修吗", true},
		{"can zh", "能修三星电视吗", true},
		{"own en", "can you fix my TV?", false},
		{"fault en", "my TV is broken, can you fix it?", false},
		{"no question mark en", "can you fix a TV", false},
		{"fault zh", "电视坏了，你们能修吗", false},
		{"own zh", "你们能修我的电视吗", false},
		{"fixed zh", "能修好吗", true},
		{"fault told with it", "do you repair TVs that have no sound?", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := repairAsked(tc.text); got != tc.want {
				t.Errorf("repairAsked(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}

func TestOthersAsked(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       bool
	}{
		{"phones", "do you repair phones", true},
		{"aircon zh", "你们修空调吗", true},
		{"a date", "can you fix the date", false},
		{"a booking", "do you fix the appointment time", false},
		{"a part of one's own", "can you fix the drum", false},
		{"nothing named zh", "你们能修吗", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := othersAsked(tc.text); got != tc.want {
				t.Errorf("othersAsked(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}
