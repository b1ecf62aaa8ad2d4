package dialog_test

import (
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/dialog/kb"
)

func testKnowledge() dialog.Knowledge { return dialog.KnowledgeBase(kb.Default()) }
