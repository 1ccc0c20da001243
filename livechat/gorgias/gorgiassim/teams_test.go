package gorgiassim

import (
	"fmt"
	"testing"
)

func TestTicketPriorityTagsAndAssignees(t *testing.T) {
	s, c := start(t, Config{Teams: []Team{{ID: 4, Name: "Billing"}}})
	st, out, _ := c.do("GET", "/api/teams", nil)
	if data, _ := out["data"].([]any); st != 200 || len(data) != 1 {
		t.Fatalf("teams: %d %v", st, out)
	}
	msg := map[string]any{"channel": "api", "via": "api", "from_agent": false, "body_text": "hi", "sender": map[string]any{"email": "ada@example.com"}}
	ticket := func(extra map[string]any) (int, map[string]any) {
		body := map[string]any{"via": "api", "channel": "api", "customer": map[string]any{"email": "ada@example.com"}, "messages": []any{msg}}
		for k, v := range extra {
			body[k] = v
		}
		st, out, _ := c.do("POST", "/api/tickets", body)
		return st, out
	}
	for name, bad := range map[string]map[string]any{
		"priority":      {"priority": "urgent"},
		"assignee_team": {"assignee_team": map[string]any{"id": 99}},
		"assignee_user": {"assignee_user": map[string]any{"id": 99}},
		"tags":          {"tags": []any{map[string]any{"name": ""}}},
	} {
		if st, out := ticket(bad); st != 400 || errMsg(out) == "" {
			t.Errorf("a bad %s: %d %v", name, st, out)
		}
	}
	st, out = ticket(map[string]any{"priority": "critical", "tags": []any{map[string]any{"name": "vip"}}, "assignee_team": map[string]any{"id": 4}})
	if st != 201 || out["priority"] != "critical" || fmt.Sprint(out["assignee_team"]) != "map[id:4 name:Billing]" || out["assignee_user"] != nil {
		t.Fatalf("ticket: %d %v", st, out)
	}
	id := int64(out["id"].(float64))
	if _, err := s.Act(id, Action{Kind: ActAssign}); err != nil {
		t.Fatal(err)
	}
	if st, out, _ = c.do("GET", fmt.Sprintf("/api/tickets/%d", id), nil); st != 200 || fmt.Sprint(out["assignee_user"].(map[string]any)["name"]) != DefaultUser.Name {
		t.Fatalf("assigned ticket: %d %v", st, out)
	}
	st, out = ticket(nil)
	if st != 201 || out["priority"] != "normal" || fmt.Sprint(out["tags"]) != "[]" {
		t.Fatalf("a ticket without routing: %d %v", st, out)
	}
}
