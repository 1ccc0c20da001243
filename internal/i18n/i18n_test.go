package i18n

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// pageKeys are the English texts of the pages: what their scripts pass to
// t(), their templates to .T, and the desk page's HTML texts and
// attributes.
func pageKeys(t *testing.T) map[string]string {
	t.Helper()
	keys := map[string]string{}
	read := func(pattern string) map[string]string {
		files, _ := filepath.Glob(filepath.Join("..", "..", pattern))
		if len(files) == 0 {
			t.Fatalf("no file matches %s", pattern)
		}
		out := map[string]string{}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out[f] = string(b)
		}
		return out
	}
	add := func(file, k string) {
		k = strings.TrimSpace(html.UnescapeString(k))
		if len([]rune(k)) > 1 && !regexp.MustCompile(`^[0-9?/+—·×]*$`).MatchString(k) {
			keys[k] = file
		}
	}
	call := regexp.MustCompile(`\bt\("((?:[^"\\]|\\.)*)"|\bt\('((?:[^'\\]|\\.)*)'|\{\{\.T "([^"]*)"\}\}|\bt\([^()]*\? "([^"]*)" : "([^"]*)"`)
	for _, pattern := range []string{"webapp/static/*.js", "webapp/templates/*.html", "livechat/desk/web/*.js"} {
		for f, s := range read(pattern) {
			for _, m := range call.FindAllStringSubmatch(s, -1) {
				for _, k := range m[1:] {
					add(f, strings.ReplaceAll(k, `\'`, "'"))
				}
			}
		}
	}
	for f, s := range read("livechat/desk/web/index.html") {
		s = regexp.MustCompile(`(?s)<!--.*?-->`).ReplaceAllString(s, "")
		s = s[strings.Index(s, "<body"):]
		for _, m := range regexp.MustCompile(`>([^<>]+)<|(?:placeholder|title|aria-label)="([^"]*)"`).FindAllStringSubmatch(s, -1) {
			add(f, m[1]+m[2])
		}
	}
	return keys
}

func TestFrenchTranslatesEveryPageText(t *testing.T) {
	fr := Shipped().Messages("fr")
	keys := pageKeys(t)
	if len(keys) < 100 {
		t.Fatalf("found %d texts in the pages: the scan is broken", len(keys))
	}
	for k, f := range keys {
		if fr[k] == "" {
			t.Errorf("%s: %q has no French translation in messages/fr.json", f, k)
		}
	}
	for k, v := range fr {
		for _, p := range regexp.MustCompile(`\{[a-z]+\}`).FindAllString(k, -1) {
			if !strings.Contains(v, p) {
				t.Errorf("the French of %q lacks %s", k, p)
			}
		}
	}
}

func TestLanguageFilesAddAndReplaceLanguages(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("de.json", `{"name": "Deutsch", "messages": {"Send": "Senden", "Hello {name}": "Hallo {name}"}}`)
	write("README.txt", "not a language")
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.T("de", "Send"); got != "Senden" {
		t.Errorf("de Send = %q", got)
	}
	if got := c.T("de", "Hello {name}", "name", "Ada"); got != "Hallo Ada" {
		t.Errorf("de Hello = %q", got)
	}
	if got := c.T("de", "Retry"); got != "Retry" {
		t.Errorf("an untranslated text = %q, want the English", got)
	}
	if got := c.T("fr", "Send"); got != "Envoyer" {
		t.Errorf("fr Send = %q: the shipped French should stay", got)
	}
	var codes []string
	for _, l := range c.Languages() {
		codes = append(codes, l.Code+":"+l.Name)
	}
	if strings.Join(codes, " ") != "de:Deutsch en:English fr:Français" {
		t.Errorf("languages %v", codes)
	}
	if c, _ := Load(filepath.Join(dir, "missing")); !c.Has("fr") || c.Has("de") {
		t.Error("a missing folder should give the shipped languages")
	}

	for name, body := range map[string]string{
		"german.json": `{"name": "Deutsch", "messages": {}}`,
		"it.json":     `{"messages": {}}`,
		"es.json":     `{"name": "Español", "messages": {"Send": 1}}`,
		"pt.json":     `{"name": "Português", "mesages": {}}`,
	} {
		bad := t.TempDir()
		if err := os.WriteFile(filepath.Join(bad, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s %s: error %v, want one naming the file", name, body, err)
		}
	}
}

func TestMatchPrefersTheBrowsersLanguages(t *testing.T) {
	c := Shipped()
	for header, want := range map[string]string{
		"":                          "en",
		"fr-CH, fr;q=0.9, en;q=0.8": "fr",
		"de-DE,de;q=0.9,en;q=0.5":   "en",
		"en-US,en;q=0.9,fr;q=0.8":   "en",
		"de, fr;q=0.5":              "fr",
		"FR":                        "fr",
		"fr;q=x":                    "fr",
	} {
		if got := c.Match(header); got != want {
			t.Errorf("Match(%q) = %q, want %q", header, got, want)
		}
	}
}
