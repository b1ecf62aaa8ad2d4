package dialog

import "github.com/supportd/supportd/dialog/kb"

// KnowledgeBase makes a knowledge base the engine's Knowledge.
func KnowledgeBase(k *kb.KB) Knowledge { return kbKnowledge{k} }

type kbKnowledge struct{ kb *kb.KB }

func (k kbKnowledge) Answer(question, lang string) (string, bool) {
	e, ok := k.kb.Answer(question, lang)
	if !ok {
		return "", false
	}
	return e.Text(lang), true
}

func (k kbKnowledge) Troubleshooting(model, category, fault, lang string) []string {
	steps := k.kb.StepsFor(model, category, fault)
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = s.Text(lang)
	}
	return out
}
