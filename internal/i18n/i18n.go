// Package i18n is the message catalogue of the pages people read: the chat
// page, the widget and the desk. A message's key is its English text, so
// English needs no file and a missing translation shows the English one.
// English and French ship in the binary; more languages are files in the
// data folder's languages/ directory (see docs/languages.md), which may also
// replace a shipped language.
package i18n

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Default is the language of pages nobody chose one for.
const Default = "en"

//go:embed messages/*.json
var shipped embed.FS

// file is a language file: the language's own name and its messages.
type file struct {
	Name     string            `json:"name"`
	Messages map[string]string `json:"messages"`
}

// Language is one language a page can speak.
type Language struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Catalog holds the messages of every language.
type Catalog struct {
	langs map[string]file
}

// codePattern is what a language code may be: a BCP 47 language with an
// optional region or script ("fr", "pt-BR", "zh-Hant").
var codePattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)

// Shipped is the catalogue of the languages in the binary only.
func Shipped() *Catalog {
	c, err := Load("")
	if err != nil {
		panic(err) // the shipped files are tested
	}
	return c
}

// Load reads the shipped languages, then the files <code>.json of dir (a
// missing dir adds none). A file that cannot be read, or is not a language
// file, is an error naming it.
func Load(dir string) (*Catalog, error) {
	c := &Catalog{langs: map[string]file{}}
	if err := c.addDir(shipped, "messages"); err != nil {
		return nil, err
	}
	if dir == "" {
		return c, nil
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err := c.addDir(os.DirFS(dir), "."); err != nil {
		return nil, fmt.Errorf("languages in %s: %w", dir, err)
	}
	return c, nil
}

func (c *Catalog) addDir(fsys fs.FS, dir string) error {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".json" {
			continue
		}
		code := strings.TrimSuffix(e.Name(), ".json")
		if !codePattern.MatchString(code) {
			return fmt.Errorf("%s: the file name must be a language code such as de.json or pt-BR.json", e.Name())
		}
		raw, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		var f file
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			return fmt.Errorf("%s: %w: write {\"name\": \"Deutsch\", \"messages\": {\"English text\": \"translation\"}}", e.Name(), err)
		}
		if strings.TrimSpace(f.Name) == "" {
			return fmt.Errorf("%s: \"name\" is missing: the language's own name, such as \"Deutsch\"", e.Name())
		}
		c.langs[code] = f
	}
	return nil
}

// Has reports whether pages can speak the language.
func (c *Catalog) Has(code string) bool {
	_, ok := c.langs[code]
	return ok
}

// Languages lists the languages, by code.
func (c *Catalog) Languages() []Language {
	out := make([]Language, 0, len(c.langs))
	for code, f := range c.langs {
		out = append(out, Language{Code: code, Name: f.Name})
	}
	slices.SortFunc(out, func(a, b Language) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// Messages is a language's translations, by English text; English (or an
// unknown language) has none. The map is shared: do not change it.
func (c *Catalog) Messages(code string) map[string]string {
	if m := c.langs[code].Messages; m != nil {
		return m
	}
	return map[string]string{}
}

// T translates one message, with its {name} placeholders replaced by args
// given as name, value pairs.
func (c *Catalog) T(code, key string, args ...string) string {
	s, ok := c.langs[code].Messages[key]
	if !ok || s == "" {
		s = key
	}
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+args[i]+"}", args[i+1])
	}
	return s
}

// Match is the catalogue's language an Accept-Language header prefers
// most ("fr-CH, fr;q=0.9, en;q=0.8"), or Default. A region the catalogue
// lacks falls back to its language.
func (c *Catalog) Match(header string) string {
	best, bestQ := Default, 0.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		if q <= bestQ {
			continue
		}
		if code := c.find(strings.TrimSpace(tag)); code != "" {
			best, bestQ = code, q
		}
	}
	return best
}

// find is the catalogue's code for a language tag, ignoring case, or its
// language without the region, or "".
func (c *Catalog) find(tag string) string {
	for code := range c.langs {
		if strings.EqualFold(code, tag) {
			return code
		}
	}
	if lang, _, ok := strings.Cut(tag, "-"); ok {
		return c.find(lang)
	}
	if strings.EqualFold(tag, Default) {
		return Default
	}
	return ""
}
