package switchboard_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestImportsPointInward keeps the layering of docs/architecture.md: the
// domain imports only the standard library, the CSML language knows nothing
// of the product, the engine calls no HTTP edge or platform driver, drivers
// and stores do not reach into the engine, and only the wiring packages
// (app, cmd) see everything.
func TestImportsPointInward(t *testing.T) {
	if testing.Short() {
		t.Skip("lists every package with go list")
	}
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	imports := map[string][]string{}
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		imports[p.ImportPath] = p.Imports
	}
	inModule := func(p string) bool { return p == "switchboard" || strings.HasPrefix(p, "switchboard/") }
	under := func(p, prefix string) bool { return p == prefix || strings.HasPrefix(p, prefix+"/") }
	rules := []struct {
		pkg    func(string) bool
		forbid func(string) bool
		why    string
	}{
		{func(p string) bool { return p == "switchboard" }, func(i string) bool { return !isStd(i) },
			"the domain imports only the standard library"},
		{func(p string) bool { return under(p, "switchboard/csml") && !csmlHooks[p] },
			func(i string) bool { return !isStd(i) && !under(i, "switchboard/csml") && !csmlLibraries[i] },
			"CSML knows nothing of bots' storage, HTTP or livechat"},
		{func(p string) bool { return csmlHooks[p] }, func(i string) bool {
			return !isStd(i) && !under(i, "switchboard/csml") && !csmlLibraries[i] && i != "switchboard/internal/netpolicy"
		}, "CSML's HTTP and SMTP hooks know only CSML and the outbound address policy they share with callbacks"},
		{func(p string) bool { return p == "switchboard/internal/netpolicy" }, func(i string) bool { return !isStd(i) },
			"the address policy imports only the standard library"},
		{func(p string) bool { return under(p, "switchboard/engine") }, func(i string) bool {
			return under(i, "switchboard/store") || under(i, "switchboard/webapp") || under(i, "switchboard/httpx") ||
				under(i, "switchboard/livechat/desk") || under(i, "switchboard/app") || strings.HasPrefix(i, "net/http")
		}, "the engine calls no HTTP edge, store implementation or platform driver"},
		{func(p string) bool { return under(p, "switchboard/engine") || under(p, "switchboard/livechat") },
			func(i string) bool { return under(i, "switchboard/channel") },
			"the engine and livechat know no messaging channel: channels call the engine"},
		{func(p string) bool { return under(p, "switchboard/channel") }, func(i string) bool {
			return inModule(i) && !under(i, "switchboard/channel") && !slices.Contains([]string{"switchboard", "switchboard/engine",
				"switchboard/outbox", "switchboard/livechat", "switchboard/internal/driverkit", "switchboard/internal/simkit", "switchboard/httpx"}, i)
		}, "messaging channels use the engine, the outbox, the kits, httpx and livechat's error marks only"},
		{func(p string) bool {
			return under(p, "switchboard/store") || under(p, "switchboard/outbox") || under(p, "switchboard/timers")
		},
			func(i string) bool {
				return under(i, "switchboard/engine") || under(i, "switchboard/livechat") || under(i, "switchboard/app")
			},
			"storage and workers do not know the engine or livechat"},
		{func(p string) bool {
			return inModule(p) && !under(p, "switchboard/cmd") && !under(p, "switchboard/app") && !under(p, "switchboard/bench")
		},
			func(i string) bool { return under(i, "switchboard/app") || under(i, "switchboard/cmd") },
			"only cmd and the load tools under bench wire everything (through app)"},
	}
	for pkg, imps := range imports {
		if strings.HasSuffix(pkg, "_test") {
			continue
		}
		for _, r := range rules {
			if !r.pkg(pkg) {
				continue
			}
			for _, i := range imps {
				if r.forbid(i) {
					t.Errorf("%s imports %s: %s", pkg, i, r.why)
				}
			}
		}
	}
}

// isStd reports whether an import path is in the standard library (no dot in
// its first element, and not this module).
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".") && first != "switchboard"
}

// csmlLibraries are the only outside code CSML's packages import; which
// package may import each is checked by csml/deps_test.go.
var csmlLibraries = map[string]bool{
	"golang.org/x/crypto/ripemd160": true, "github.com/emmansun/gmsm/sm3": true,
	"go.yaml.in/yaml/v3": true, "github.com/golang-jwt/jwt/v5": true, "github.com/wneessen/go-mail": true,
}

// csmlHooks are the packages that give CSML's HTTP() and SMTP() their
// production implementations.
var csmlHooks = map[string]bool{"switchboard/csml/httphost": true, "switchboard/csml/smtphost": true}
