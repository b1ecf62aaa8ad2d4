package dialog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/looplab/fsm"
)

// The states of the after-sales flow. A journey's states share its prefix.
const (
	Idle = "idle" // no journey: answering questions, waiting for a request

	ConsultOffer = "consult.offer" // unanswered question: hand it to a human?

	RepairCollect      = "repair.collect"      // asking model, purchase date, fault, proof, exclusions
	RepairTroubleshoot = "repair.troubleshoot" // remote steps offered: did they help?
	RepairConfirm      = "repair.confirm"      // summary shown: correct?
	RepairConsent      = "repair.consent"      // out of warranty: accept the estimate?
	RepairQuote        = "repair.quote"        // the agent's quote: accept or decline?

	ReturnCollect = "return.collect"
	ReturnChoose  = "return.choose" // the options the policy allows
	ReturnConfirm = "return.confirm"

	InstallCollect = "install.collect"
	InstallConfirm = "install.confirm"

	ComplaintCollect = "complaint.collect"

	HandedOff = "handoff" // a human owns the conversation; the bot is silent

	RateScore   = "rate.score"
	RateComment = "rate.comment"
)

// The events of the flow.
const (
	evRepair     = "start_repair"
	evReturn     = "start_return"
	evInstall    = "start_install"
	evComplaint  = "start_complaint"
	evUnanswered = "unanswered"
	evDecline    = "decline"
	evEscalate   = "escalate"
	evTrouble    = "troubleshoot"
	evFixed      = "fixed"
	evNotFixed   = "not_fixed"
	evToRepair   = "to_repair"
	evToReturn   = "to_return"
	evCollected  = "collected"
	evAmend      = "amend"
	evPaid       = "paid"
	evBooked     = "booked"
	evConsent    = "consent"
	evRefuse     = "refuse"
	evQuote      = "quote"
	evAccept     = "accept"
	evExpire     = "expire"
	evChosen     = "chosen"
	evHandback   = "handback"
	evResolved   = "resolved"
	evRated      = "rated"
	evCommented  = "commented"
	evCancel     = "cancel"
)

// formStates are the states in which a journey's form asks its questions
// (the rest of collecting shows a summary, offers or asks something else).
var formStates = []string{RepairCollect, ReturnCollect, InstallCollect, ComplaintCollect}

var collecting = []string{RepairCollect, RepairTroubleshoot, RepairConfirm, RepairConsent,
	ReturnCollect, ReturnChoose, ReturnConfirm, InstallCollect, InstallConfirm, ComplaintCollect, ConsultOffer}

// flowEvents is the whole flow: every transition the engine may take.
func flowEvents() fsm.Events {
	everyBotState := append([]string{Idle, RepairQuote, RateScore, RateComment}, collecting...)
	return fsm.Events{
		{Name: evRepair, Src: []string{Idle}, Dst: RepairCollect},
		{Name: evReturn, Src: []string{Idle}, Dst: ReturnCollect},
		{Name: evInstall, Src: []string{Idle}, Dst: InstallCollect},
		{Name: evComplaint, Src: []string{Idle}, Dst: ComplaintCollect},
		{Name: evUnanswered, Src: []string{Idle}, Dst: ConsultOffer},
		{Name: evDecline, Src: []string{ConsultOffer}, Dst: Idle},

		{Name: evTrouble, Src: []string{RepairCollect}, Dst: RepairTroubleshoot},
		{Name: evFixed, Src: []string{RepairTroubleshoot}, Dst: Idle},
		{Name: evNotFixed, Src: []string{RepairTroubleshoot}, Dst: RepairCollect},
		{Name: evCollected, Src: []string{RepairCollect}, Dst: RepairConfirm},
		{Name: evAmend, Src: []string{RepairConfirm}, Dst: RepairCollect},
		{Name: evBooked, Src: []string{RepairConfirm}, Dst: Idle},
		{Name: evPaid, Src: []string{RepairConfirm}, Dst: RepairConsent},
		{Name: evToReturn, Src: []string{RepairConfirm}, Dst: ReturnChoose},
		{Name: evConsent, Src: []string{RepairConsent}, Dst: HandedOff},
		{Name: evRefuse, Src: []string{RepairConsent, RepairQuote}, Dst: Idle},
		{Name: evQuote, Src: []string{HandedOff, Idle}, Dst: RepairQuote},
		{Name: evAccept, Src: []string{RepairQuote}, Dst: Idle},
		{Name: evExpire, Src: []string{RepairQuote}, Dst: Idle},

		{Name: evCollected, Src: []string{ReturnCollect}, Dst: ReturnChoose},
		{Name: evChosen, Src: []string{ReturnChoose}, Dst: ReturnConfirm},
		{Name: evAmend, Src: []string{ReturnConfirm, ReturnChoose}, Dst: ReturnCollect},
		{Name: evBooked, Src: []string{ReturnConfirm}, Dst: Idle},
		{Name: evToRepair, Src: []string{ReturnChoose}, Dst: RepairCollect},

		{Name: evCollected, Src: []string{InstallCollect}, Dst: InstallConfirm},
		{Name: evAmend, Src: []string{InstallConfirm}, Dst: InstallCollect},
		{Name: evBooked, Src: []string{InstallConfirm}, Dst: Idle},

		{Name: evCollected, Src: []string{ComplaintCollect}, Dst: HandedOff},

		{Name: evEscalate, Src: everyBotState, Dst: HandedOff},
		{Name: evHandback, Src: []string{HandedOff}, Dst: Idle},
		{Name: evResolved, Src: []string{HandedOff, Idle, RepairQuote}, Dst: RateScore},
		{Name: evRated, Src: []string{RateScore}, Dst: RateComment},
		{Name: evCommented, Src: []string{RateComment}, Dst: Idle},
		{Name: evCancel, Src: slices.Concat(collecting, []string{RepairQuote, RateScore, RateComment}), Dst: Idle},
	}
}

// Flow is the immutable flow definition shared by every conversation. Each
// turn builds a fresh *fsm.FSM at the conversation's persisted state.
type Flow struct {
	events   fsm.Events
	states   []string
	version  string
	machines sync.Pool // *fsm.FSM without callbacks, reused across turns
}

// NewFlow checks the flow definition: no two transitions with the same
// event and source, every state reachable from Idle, every state able to get
// back to Idle.
func NewFlow() (*Flow, error) { return newFlow(flowEvents()) }

func newFlow(events fsm.Events) (*Flow, error) {
	f := &Flow{events: events}
	seen := map[[2]string]string{}
	states := map[string]bool{Idle: true}
	next := map[string][]string{}
	for _, e := range f.events {
		states[e.Dst] = true
		for _, s := range e.Src {
			states[s] = true
			k := [2]string{e.Name, s}
			if d, dup := seen[k]; dup {
				return nil, fmt.Errorf("flow: event %q from %q is defined twice (to %q and %q)", e.Name, s, d, e.Dst)
			}
			seen[k] = e.Dst
			next[s] = append(next[s], e.Dst)
		}
	}
	for s := range states {
		f.states = append(f.states, s)
	}
	sort.Strings(f.states)
	if un := unreachable(Idle, next, f.states); len(un) > 0 {
		return nil, fmt.Errorf("flow: states unreachable from %s: %s", Idle, strings.Join(un, ", "))
	}
	for _, s := range f.states {
		if un := unreachable(s, next, []string{Idle}); len(un) > 0 {
			return nil, fmt.Errorf("flow: no way back to %s from %s", Idle, s)
		}
	}
	h := sha256.New()
	for _, e := range f.events {
		fmt.Fprintf(h, "%s:%s>%s;", e.Name, strings.Join(e.Src, ","), e.Dst)
	}
	f.version = hex.EncodeToString(h.Sum(nil))[:12]
	return f, nil
}

func unreachable(from string, next map[string][]string, want []string) []string {
	seen := map[string]bool{from: true}
	queue := []string{from}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, n := range next[s] {
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	var out []string
	for _, s := range want {
		if !seen[s] {
			out = append(out, s)
		}
	}
	return out
}

// Version is a hash of the definition, stored with each conversation.
func (f *Flow) Version() string { return f.version }

// States returns every state, sorted.
func (f *Flow) States() []string { return slices.Clone(f.states) }

// Transitions returns the number of (event, source state) pairs the flow
// defines.
func (f *Flow) Transitions() int {
	n := 0
	for _, e := range f.events {
		n += len(e.Src)
	}
	return n
}

// Has reports whether s is a state of the flow.
func (f *Flow) Has(s string) bool { return slices.Contains(f.states, s) }

// machine returns a state machine at state; restoring is not a transition,
// so no callback runs. The machines have no callbacks and no metadata, so
// one is as good as another: they are pooled, since building one costs more
// than the rest of a turn's logic.
func (f *Flow) machine(state string) *fsm.FSM {
	m, ok := f.machines.Get().(*fsm.FSM)
	if !ok {
		return fsm.NewFSM(state, f.events, nil)
	}
	m.SetState(state)
	return m
}

// errNoTransition marks an event the current state does not allow: a bug in
// the engine, never the customer's fault.
var errNoTransition = errors.New("flow: no such transition")

// fire moves c along event, returning an error when the flow does not allow
// it.
func (f *Flow) fire(ctx context.Context, c *Conversation, event string) error {
	m := f.machine(c.State)
	defer f.machines.Put(m)
	if err := m.Event(ctx, event); err != nil {
		var none fsm.NoTransitionError
		if errors.As(err, &none) {
			return nil // same state: nothing to do
		}
		return fmt.Errorf("%w: %s from %s: %v", errNoTransition, event, c.State, err)
	}
	c.State = m.Current()
	return nil
}

// Mermaid renders the flow as a Mermaid state diagram.
func (f *Flow) Mermaid() (string, error) {
	return fsm.VisualizeWithType(f.machine(Idle), fsm.MERMAID)
}
