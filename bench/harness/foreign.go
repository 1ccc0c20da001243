package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"switchboard/livechat/gorgias/gorgiassim"
)

// Tickets switchboard did not open share the Gorgias account: an import, an
// email, another app, another bot's sessions. Gorgias calls the HTTP
// integration for their messages too, and disables it after 100 failed
// calls in a row (https://docs.gorgias.com/faq/broken-or-disconnected-http-integration),
// which the simulator does as well. The harness keeps agents answering on
// such tickets through the run and checks that the integration is still
// enabled at the end.

// foreignPrefix starts the external_id of the tickets the harness opens as
// another app; the truth leaves them out.
const foreignPrefix = "other-app:"

// foreignEvery is how often an agent answers on a foreign ticket.
const foreignEvery = 300 * time.Millisecond

// startForeign opens foreign tickets (with "#" and "&" in an external_id,
// as any app may set it, and one with none) and has agents answer on them,
// with "#" in the text, until stop.
func startForeign(ctx context.Context, sim *gorgiassim.Server, stop time.Time) func() {
	ids := []int64{
		sim.OpenTicket(foreignPrefix+"import-88213", "shopper@example.com", "Where is my order?"),
		sim.OpenTicket(foreignPrefix+"shop#7&token=x", "other@example.com", "Refund please"),
		sim.OpenTicket("", "mail@example.com", "An email"),
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(foreignEvery)
		defer tick.Stop()
		for n := 0; time.Now().Before(stop); n++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			sim.Reply(ids[n%len(ids)], fmt.Sprintf("Order #%d & co: on its way", n))
		}
	}()
	return func() { <-done }
}

// foreign reports whether a ticket is one the harness opened as another
// app or as an email.
func foreign(tk gorgiassim.Ticket) bool {
	return tk.ExternalID == nil || strings.HasPrefix(*tk.ExternalID, foreignPrefix)
}

// checkIntegrations fails when a Gorgias HTTP integration was disabled.
func checkIntegrations(v *verdict, sim *gorgiassim.Server) {
	for _, in := range sim.Integrations() {
		if in.DeactivatedDatetime != nil {
			v.fail(checkIntegrationEnabled, "Gorgias integration %d was disabled at %s after 100 failed calls in a row", in.ID, *in.DeactivatedDatetime)
		} else {
			v.pass(checkIntegrationEnabled)
		}
	}
}
