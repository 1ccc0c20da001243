package chatwootsim

import (
	"fmt"
	"testing"
)

func TestTeamsAssignmentsLabelsAndPriority(t *testing.T) {
	_, c := start(t, Config{Teams: []Team{{ID: 4, AccountID: 1, Name: "Billing"}, {ID: 5, AccountID: 2, Name: "Elsewhere"}}})
	_, _, conv := setup(t, c, "")
	path := func(rest string) string { return fmt.Sprintf("/api/v1/accounts/1/conversations/%d/%s", conv, rest) }

	st, out := c.do("GET", "/api/v1/accounts/1/teams", nil)
	if list, ok := out.([]any); st != 200 || !ok || len(list) != 1 || obj(list[0], "name") != "Billing" {
		t.Fatalf("teams: %d %v", st, out)
	}
	if st, _ := c.do("POST", path("assignments"), map[string]any{"team_id": 5}); st != 404 {
		t.Errorf("another account's team: %d", st)
	}
	if st, out := c.do("POST", path("assignments"), map[string]any{"team_id": 4}); st != 200 || obj(out, "name") != "Billing" {
		t.Errorf("assign team: %d %v", st, out)
	}
	if st, _ := c.do("POST", path("assignments"), map[string]any{}); st != 422 {
		t.Errorf("assign nothing: %d", st)
	}
	if st, out := c.do("POST", path("labels"), map[string]any{"labels": []string{"VIP", "vip", "refund"}}); st != 200 || fmt.Sprint(obj(out, "payload")) != "[vip refund]" {
		t.Errorf("labels: %d %v", st, out)
	}
	if st, _ := c.do("POST", path("toggle_priority"), map[string]any{"priority": "asap"}); st != 422 {
		t.Errorf("a bad priority: %d", st)
	}
	if st, _ := c.do("POST", path("toggle_priority"), map[string]any{"priority": "urgent"}); st != 200 {
		t.Errorf("priority: %d", st)
	}
	if st, out := c.do("POST", path("assignments"), map[string]any{"assignee_id": DefaultUser.ID}); st != 200 || obj(out, "name") != DefaultUser.Name {
		t.Errorf("assign agent: %d %v", st, out)
	}
	st, out = c.do("GET", fmt.Sprintf("/api/v1/accounts/1/conversations/%d", conv), nil)
	if st != 200 || obj(out, "meta.team.name") != "Billing" || obj(out, "meta.assignee.name") != DefaultUser.Name ||
		obj(out, "priority") != "urgent" || fmt.Sprint(obj(out, "labels")) != "[vip refund]" {
		t.Fatalf("conversation: %d %v", st, out)
	}
}
