package main

import (
	"encoding/json"
	"strconv"
)

// script is a customer's side of a dialog: the messages sent one after the
// other, each after the bot has answered the one before.
type script struct {
	name   string
	source string // the golden transcript it comes from, under dialog/testdata/transcripts
	inputs []string
}

// The dialogs the harness plays, copied from the golden transcripts of
// package dialog (script_test.go checks that they still match).
var (
	// repairScript is a full repair in warranty: seven turns, a ticket.
	repairScript = script{name: "repair in warranty (7 turns)", source: "repair_in_warranty_en.txt", inputs: []string{
		"My TV-55X has no sound, I bought it on 2026-04-10",
		"tried that, still broken",
		"order 88812345678",
		"no",
		"no",
		"no",
		"yes",
	}}
	// exchangeScript is an exchange to another model: four turns, a ticket.
	// It is the dialog of the comparison with the Botkit peer.
	exchangeScript = script{name: "exchange, out of stock (4 turns)", source: "exchange_out_of_stock_en.txt", inputs: []string{
		"I want to exchange my TV-65X, the screen flickers. Bought it on November 15",
		"order 77665544332",
		"TV-55X",
		"yes",
	}}
)

// frames are a script's message frames, encoded once: frame(i, k) is the
// i-th input with the client message id "m<k>".
type frames struct {
	texts [][]byte // the JSON-quoted inputs
}

func newFrames(s script) frames {
	var f frames
	for _, in := range s.inputs {
		q, _ := json.Marshal(in) // a string always encodes
		f.texts = append(f.texts, q)
	}
	return f
}

// message appends the frame of input i with id m<k> to buf.
func (f frames) message(buf []byte, i, k int) []byte {
	buf = append(buf, `{"v":1,"type":"message","id":"m`...)
	buf = strconv.AppendInt(buf, int64(k), 10)
	buf = append(buf, `","text":`...)
	buf = append(buf, f.texts[i]...)
	return append(buf, '}')
}

var (
	helloFrame   = []byte(`{"v":1,"type":"hello","token":"","locale":"en"}`)
	barrierFrame = []byte(`{"v":1,"type":"barrier"}`) // an unknown type: answered in order with an error frame
)
