package simkit

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// MaxControlBody bounds a control request's body.
const MaxControlBody = 1 << 20

// Control is the part of a simulator's control API (under /_sim, no
// authentication: a simulator is a local tool) that every simulator has:
//
//	GET  /info                       what to paste into switchboard (Info)
//	GET  /deliveries                 what became of each webhook call
//	GET  /chaos, POST /chaos         the switches (S: Switches, or a struct
//	                                 embedding them with the simulator's own)
//	POST /{Threads}/{id}/actions     an agent's action (A) on a thread
//
// The simulator answers every other control path itself.
type Control[S, A any] struct {
	Sim  *Sim
	Info func() any
	// Switches reads the switches, SetSwitches sets them.
	Switches    func() S
	SetSwitches func(S)
	// Threads names the collection of the agent's threads ("tickets"), Act
	// does an action on one, and ActHelp says what to send when the body is
	// not one.
	Threads string
	Act     func(id int64, a A) (any, error)
	ActHelp string
	// Fail answers an error in the platform's shape.
	Fail func(w http.ResponseWriter, status int, msg string)
}

// Serve answers path (below /_sim) if it is one of the routes every
// simulator has, and reports whether it did.
func (c Control[S, A]) Serve(w http.ResponseWriter, r *http.Request, path string) bool {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	get, post := r.Method == http.MethodGet, r.Method == http.MethodPost
	switch {
	case path == "/info" && get:
		WriteJSON(w, http.StatusOK, c.Info())
	case path == "/deliveries" && get:
		WriteJSON(w, http.StatusOK, c.Sim.Deliveries())
	case path == "/chaos" && get:
		WriteJSON(w, http.StatusOK, c.Switches())
	case path == "/chaos" && post:
		var sw S
		if !c.decode(w, r, &sw, "Send the switches as JSON.") {
			return true
		}
		c.SetSwitches(sw)
		WriteJSON(w, http.StatusOK, c.Switches())
	case len(parts) == 3 && parts[0] == c.Threads && parts[2] == "actions" && post:
		id, err := strconv.ParseInt(parts[1], 10, 64)
		var a A
		if err != nil {
			c.Fail(w, http.StatusBadRequest, c.ActHelp)
			return true
		}
		if !c.decode(w, r, &a, c.ActHelp) {
			return true
		}
		m, err := c.Act(id, a)
		if err != nil {
			c.Fail(w, http.StatusBadRequest, err.Error())
			return true
		}
		WriteJSON(w, http.StatusOK, map[string]any{"message": m})
	default:
		return false
	}
	return true
}

// decode reads a JSON body into v, or answers 400 with help.
func (c Control[S, A]) decode(w http.ResponseWriter, r *http.Request, v any, help string) bool {
	if json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxControlBody)).Decode(v) != nil {
		c.Fail(w, http.StatusBadRequest, help)
		return false
	}
	return true
}

// WriteJSON answers with a JSON body (application/json).
var WriteJSON = JSONWriter("application/json")

// JSONWriter is WriteJSON with a platform's own content type
// ("application/json; charset=utf-8").
func JSONWriter(contentType string) func(w http.ResponseWriter, status int, v any) {
	return func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
}

// Lookup follows a dotted path ("ticket.customer.email") through JSON
// objects; a path that leads nowhere is nil.
func Lookup(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
