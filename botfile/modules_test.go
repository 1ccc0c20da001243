package botfile

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchboard/internal/netpolicy"
)

// buttonsModule is a module in the spirit of the docs' example
// (docs-language, native-csml-functions.md, "Modules"): it exposes
// YesNoButtons.
const buttonsModule = `fn YesNoButtons(yes, no) {
  return [Button(Or(yes, "Yes"), value="yes"), Button(Or(no, "No"), value="no")]
}
`

// moduleServer serves buttonsModule at /buttons.csml to requests with the
// basic credentials user:secret, and records the Authorization headers.
func moduleServer(t *testing.T) (*httptest.Server, *[]string) {
	var auths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auths = append(auths, r.Header.Get("Authorization"))
		switch {
		case r.URL.Path == "/big.csml":
			w.Write([]byte(strings.Repeat("x", 100)))
		case r.URL.Path != "/buttons.csml":
			http.NotFound(w, r)
		case r.Header.Get("Authorization") != "Basic dXNlcjpzZWNyZXQ=": // user:secret
			http.Error(w, "who are you", http.StatusUnauthorized)
		default:
			w.Write([]byte(buttonsModule))
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &auths
}

func botWithModule(url, auth string) string {
	return `{"id": "b", "flows": [{"name": "Default", "content": "import YesNoButtons from modules/buttons\nstart:\n  say \"hi\""}],
	  "modules": [{"name": "buttons", "url": "` + url + `", "auth": "` + auth + `"}, {"name": "inline", "flow": {"content": "fn One() { return 1 }"}}]}`
}

func TestModulesDownloadedAtImport(t *testing.T) {
	srv, auths := moduleServer(t)
	b, err := Parse([]byte(botWithModule(srv.URL+"/buttons.csml", "user:secret")))
	if err != nil {
		t.Fatal(err)
	}
	if b.Modules[0].Flow != nil || b.Modules[0].Auth != "user:secret" || b.Modules[1].Flow.Content != "fn One() { return 1 }" {
		t.Fatalf("parsed modules: %+v", b.Modules)
	}
	f := NewModuleFetcher(netpolicy.MustParseRules("127.0.0.1"))
	if err := f.Fetch(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	if len(*auths) != 1 {
		t.Fatalf("%d downloads, want one (the inline module is not fetched)", len(*auths))
	}
	m := b.Modules[0]
	if m.Flow == nil || m.Flow.Content != buttonsModule || m.Flow.Name != "buttons" || m.Auth != "" {
		t.Fatalf("module after fetch: %+v (the source is kept, the credentials forgotten)", m)
	}
}

func TestModuleDownloadErrors(t *testing.T) {
	srv, _ := moduleServer(t)
	loopback := netpolicy.MustParseRules("127.0.0.1")
	small := NewModuleFetcher(loopback)
	small.maxBytes = 10
	for name, tc := range map[string]struct {
		url, auth string
		f         *ModuleFetcher
		want      string
	}{
		"private address": {srv.URL + "/buttons.csml", "user:secret", NewModuleFetcher(nil), "not public"},
		"wrong auth":      {srv.URL + "/buttons.csml", "user:nope", NewModuleFetcher(loopback), "401 Unauthorized"},
		"missing":         {srv.URL + "/nothing.csml", "", NewModuleFetcher(loopback), "404 Not Found"},
		"too large":       {srv.URL + "/big.csml", "", small, "larger than 10 bytes"},
	} {
		b, err := Parse([]byte(botWithModule(tc.url, tc.auth)))
		if err != nil {
			t.Fatal(err)
		}
		err = tc.f.Fetch(context.Background(), &b)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), `module "buttons"`) {
			t.Errorf("%s: %v, want an error naming the module and %q", name, err, tc.want)
		}
		if name == "private address" && !errors.Is(err, netpolicy.ErrRefused) {
			t.Errorf("private address: %v is not ErrRefused", err)
		}
		if b.Modules[0].Flow != nil {
			t.Errorf("%s: the bot changed: %+v", name, b.Modules[0])
		}
	}
}

func TestModulesChecked(t *testing.T) {
	for body, want := range map[string]string{
		`[{"name": "a/b", "url": "https://x.example/a.csml"}]`:                                            `name "a/b"`,
		`[{"name": "a", "url": "https://x.example/a.csml"}, {"name": "a", "url": "https://x.example/b"}]`: `module "a" twice`,
		`[{"name": "a"}]`: `neither "url" nor "flow"`,
		`[{"name": "a", "url": "file:///etc/passwd"}]`: "use an http:// or https:// URL",
	} {
		_, err := Parse([]byte(`{"id": "b", "flows": [{"name": "Default", "content": "start:\n  say 1"}], "modules": ` + body + `}`))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", body, err, want)
		}
	}
}
