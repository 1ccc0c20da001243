package simkit

import (
	"bytes"
	_ "embed"
	"net/http"
	"text/template"
)

// consolePage is the console every simulator shows: its threads, a
// thread's messages with the agent's composer, its webhook settings, what
// became of the deliveries, and the chaos switches.
//
//go:embed console.html
var consolePage string

// Console renders a simulator's console page from the shared page and the
// simulator's parts: a template that defines "title", "style" (at least
// the colours --brand, --code, --code-text, --hover, --selected, --primary,
// and its messages' classes), "header" (the credentials, in elements whose
// ids sim.credentials names), "list" (a heading and a ul of class
// threads), "thread" (the thread's heading, id title), "composer" (a
// textarea of id text and buttons whose data-act is an action's kind),
// "side" (the webhook settings), "switches" (its own chaos switches) and
// "script", which defines sim: threads (the control API's collection),
// name and meta (a thread's), message (a message's element), refresh,
// failures, attach and action (shaping an action), keepText, switches and
// readSwitches, credentials. A part that does not parse is a programming
// error: it panics when the simulator's package loads.
func Console(parts string) []byte {
	t := template.Must(template.Must(template.New("console").Parse(consolePage)).Parse(parts))
	var b bytes.Buffer
	if err := t.Execute(&b, nil); err != nil {
		panic("simkit: console page: " + err.Error())
	}
	return b.Bytes()
}

// ServeConsole answers with a console page.
func ServeConsole(w http.ResponseWriter, page []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(page)
}
