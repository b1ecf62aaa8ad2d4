package memory_test

import (
	"testing"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/dialog/dialogtest"
	"github.com/supportd/supportd/store/memory"
	"github.com/supportd/supportd/ticketing"
	"github.com/supportd/supportd/ticketing/tickettest"
)

func TestTicketConformance(t *testing.T) {
	tickettest.Run(t, func(t *testing.T) ticketing.Store {
		s := memory.New()
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestDialogConformance(t *testing.T) {
	dialogtest.Run(t, func(t *testing.T) dialog.Store {
		s := memory.New()
		t.Cleanup(func() { s.Close() })
		return s
	})
}
