package dialog_test

import "github.com/supportd/supportd/dialog"

func testKnowledge() dialog.Knowledge { return nil }
