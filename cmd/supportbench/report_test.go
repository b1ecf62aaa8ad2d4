package main

import "testing"

// A figure's value is the median over the repetitions that have it, and its
// ratio the median of the ratios taken inside each repetition, not the
// ratio of the medians.
func TestSetMedians(t *testing.T) {
	type rep struct{ v, base float64 }
	reps := []rep{{10, 100}, {30, 100}, {20, 40}, {-1, 50}} // -1: not measured
	value := func(r rep) (float64, bool) { return r.v, r.v >= 0 }
	base := func(r rep) (float64, bool) { return r.base, true }
	rw := row{Values: map[string]float64{}, Ratios: map[string]float64{}}
	setMedians(&rw, "gw", reps, value, base)
	if rw.Values["gw"] != 20 || rw.Ratios["gw"] != 0.3 {
		t.Errorf("value %v ratio %v, want 20 and the median of 0.1, 0.3, 0.5", rw.Values["gw"], rw.Ratios["gw"])
	}
	setMedians(&rw, "base", reps, base, func(rep) (float64, bool) { return 0, false })
	if _, ok := rw.Ratios["base"]; ok || rw.Values["base"] != 75 {
		t.Errorf("the baseline's column: value %v, ratio %v; want 75 and no ratio", rw.Values["base"], rw.Ratios)
	}
}

// The peer table's ratios are gateway ÷ Botkit inside each repetition.
func TestPeerSummary(t *testing.T) {
	of := func(dps float64) peerOf { return peerOf{Saturation: runResult{DialogsPS: dps}} }
	p := &peerResult{Reps: []map[string]peerOf{
		{modeBotkit: of(100), modeMemory: of(400), modeSQLite: of(50)},
		{modeBotkit: of(200), modeMemory: of(600), modeSQLite: of(300)},
		{modeBotkit: of(100), modeMemory: of(500), modeSQLite: of(200)},
	}}
	p.summarise()
	rw := p.Summary[0]
	if rw.Values[modeBotkit] != 100 || rw.Ratios[modeMemory] != 4 || rw.Ratios[modeSQLite] != 1.5 {
		t.Errorf("row %+v: want Botkit 100, memory ÷ Botkit 4, SQLite ÷ Botkit 1.5", rw)
	}
	if _, ok := rw.Ratios[modeBotkit]; ok {
		t.Errorf("Botkit has a ratio to itself: %+v", rw.Ratios)
	}
}
