package config

import (
	"github.com/supportd/supportd/ticketing"
)

var ticketKinds = func() []string {
	var s []string
	for _, k := range ticketing.Kinds() {
		s = append(s, string(k))
	}
	return s
}()

func isTicketKind(s string) bool {
	_, err := ticketing.ParseKind(s)
	return err == nil
}
