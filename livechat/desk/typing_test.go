package desk_test

import (
	"net/http"
	"strings"
	"testing"

	"switchboard/livechat/desk"
)

// TestTypingShowsOnTheUsersPage checks that the agent holding a session can
// show "an agent is typing" to the user, and that nobody else can.
func TestTypingShowsOnTheUsersPage(t *testing.T) {
	f := newFixture(t, desk.Config{})
	id := f.startSession("typing-user")
	a, b := f.signIn(emailA, passwordA), f.signIn(emailB, passwordB)
	path := "/desk/api/sessions/" + id + "/typing"
	on := map[string]bool{"typing": true}

	if e := a.fails("POST", path, on, http.StatusConflict); !strings.Contains(e.Error.Message, "claim it") {
		t.Errorf("typing on a waiting session says %q: want to claim it first", e.Error.Message)
	}
	a.call("POST", "/desk/api/sessions/"+id+"/claim", nil, http.StatusOK, nil)
	b.fails("POST", path, on, http.StatusConflict)
	if f.eng.AgentIsTyping(userKey("typing-user")) {
		t.Fatal("refused typing shows on the user's page")
	}
	if e := a.fails("POST", path, map[string]string{}, http.StatusBadRequest); !strings.Contains(e.Error.Message, `"typing" is missing`) {
		t.Errorf("a body without typing says %q", e.Error.Message)
	}

	a.call("POST", path, on, http.StatusNoContent, nil)
	if !f.eng.AgentIsTyping(userKey("typing-user")) {
		t.Fatal("the user's page does not show the agent typing")
	}
	a.call("POST", path, map[string]bool{"typing": false}, http.StatusNoContent, nil)
	if f.eng.AgentIsTyping(userKey("typing-user")) {
		t.Fatal("the agent stopped typing, the page still shows it")
	}
}
