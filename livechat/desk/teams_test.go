package desk_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"switchboard"
	"switchboard/livechat"
	"switchboard/livechat/desk"
)

// route leaves the routing a bot would remember before its customer clicks
// "Talk to a human".
func (f *fixture) route(user, routing string) {
	f.t.Helper()
	if err := f.store.Update(f.ctx, func(tx switchboard.Tx) error {
		return tx.PutMemory(f.ctx, userKey(user), switchboard.Memory{Key: "livechat", Value: json.RawMessage(routing)})
	}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) saveTeams(teams ...livechat.Team) {
	f.t.Helper()
	if err := f.store.Update(f.ctx, func(tx switchboard.Tx) error { return livechat.SaveTeams(f.ctx, tx, teams) }); err != nil {
		f.t.Fatal(err)
	}
}

// routedView is what the desk shows of a session's routing.
type routedView struct {
	ID            string   `json:"id"`
	AgentID       string   `json:"agent_id"`
	Team          string   `json:"team"`
	TeamName      string   `json:"team_name"`
	Priority      string   `json:"priority"`
	Tags          []string `json:"tags"`
	Note          string   `json:"note"`
	QueuePosition int      `json:"queue_position"`
}

func (a *agentClient) waitingIDs() []string {
	a.t.Helper()
	var ids []string
	for _, s := range a.list().Waiting {
		ids = append(ids, s.ID)
	}
	return ids
}

func TestEachAgentSeesTheirTeamsQueuesAndTheGeneralOne(t *testing.T) {
	f := newFixture(t, desk.Config{})
	f.saveTeams(livechat.Team{ID: "billing", Name: "Billing", Agents: []string{f.agentB.ID}})
	f.route("payer", `{"team": "billing", "priority": "high", "tags": ["vip"], "note": "order 1234"}`)
	billing := f.startSession("payer")
	general := f.startSession("asker")
	f.route("lost", `{"team": "nosuchteam"}`)
	lost := f.startSession("lost") // a team the desk lacks: everyone sees it

	a, b := f.signIn(emailA, passwordA), f.signIn(emailB, passwordB)
	if got := strings.Join(a.waitingIDs(), " "); got != general+" "+lost {
		t.Fatalf("Ada (in no team) sees %q, want the general queue %q", got, general+" "+lost)
	}
	if got := strings.Join(b.waitingIDs(), " "); got != billing+" "+general+" "+lost {
		t.Fatalf("Bob (billing) sees %q", got)
	}
	a.fails("GET", "/desk/api/sessions/"+billing, nil, http.StatusNotFound)
	a.fails("POST", "/desk/api/sessions/"+billing+"/claim", nil, http.StatusNotFound)

	var d struct {
		Session routedView `json:"session"`
	}
	b.call("GET", "/desk/api/sessions/"+billing, nil, http.StatusOK, &d)
	want := routedView{ID: billing, Team: "billing", TeamName: "Billing", Priority: "high", Tags: []string{"vip"}, Note: "order 1234", QueuePosition: 1}
	f.waitFor("the queue position", func() bool {
		b.call("GET", "/desk/api/sessions/"+billing, nil, http.StatusOK, &d)
		return d.Session.QueuePosition == 1
	})
	if got, _ := json.Marshal(d.Session); string(got) != mustJSON(want) {
		t.Fatalf("routing on the desk:\n got %s\nwant %s", got, mustJSON(want))
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestTransferToAnAgentAndToATeam(t *testing.T) {
	f := newFixture(t, desk.Config{})
	f.saveTeams(livechat.Team{ID: "billing", Name: "Billing", Agents: []string{f.agentB.ID}})
	id := f.startSession("mover")
	a, b := f.signIn(emailA, passwordA), f.signIn(emailB, passwordB)

	var teams struct {
		Teams  []struct{ ID, Name string } `json:"teams"`
		Agents []struct{ ID, Name string } `json:"agents"`
	}
	a.call("GET", "/desk/api/teams", nil, http.StatusOK, &teams)
	if len(teams.Teams) != 1 || teams.Teams[0].ID != "billing" || len(teams.Agents) != 2 {
		t.Fatalf("teams for a transfer: %+v", teams)
	}

	a.call("POST", "/desk/api/sessions/"+id+"/claim", nil, http.StatusOK, nil)
	// Only the agent who has it transfers it.
	b.fails("POST", "/desk/api/sessions/"+id+"/transfer", map[string]any{"team": ""}, http.StatusForbidden)
	// Bad requests change nothing.
	a.fails("POST", "/desk/api/sessions/"+id+"/transfer", map[string]any{"note": "x"}, http.StatusBadRequest)
	a.fails("POST", "/desk/api/sessions/"+id+"/transfer", map[string]any{"team": "sales"}, http.StatusBadRequest)
	a.fails("POST", "/desk/api/sessions/"+id+"/transfer", map[string]any{"agent_id": "nobody"}, http.StatusBadRequest)
	if s := f.session(id); s.AgentID != f.agentA.ID || s.Note != "" {
		t.Fatalf("a refused transfer changed the session: %+v", s)
	}

	a.call("POST", "/desk/api/sessions/"+id+"/transfer", map[string]any{"agent_id": f.agentB.ID, "note": "speaks German"}, http.StatusOK, nil)
	if s := f.session(id); s.AgentID != f.agentB.ID || s.AgentName != nameB || s.Note != "Transferred by "+nameA+": speaks German" {
		t.Fatalf("after the transfer to Bob: %+v", s)
	}
	// Bob hands it to billing's queue: waiting again, for billing only.
	b.call("POST", "/desk/api/sessions/"+id+"/transfer", map[string]any{"team": "billing", "note": "refund"}, http.StatusOK, nil)
	if s := f.session(id); s.AgentID != "" || s.Team != "billing" || s.ClaimedAt != nil || !strings.HasPrefix(s.Note, "Transferred by "+nameB+": refund\n") {
		t.Fatalf("after the transfer to billing: %+v", s)
	}
	if got := b.waitingIDs(); len(got) != 1 || got[0] != id {
		t.Fatalf("billing's queue: %v", got)
	}
	if got := a.waitingIDs(); len(got) != 0 {
		t.Fatalf("Ada (in no team) still sees %v", got)
	}
}
