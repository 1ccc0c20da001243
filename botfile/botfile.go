// Package botfile reads bots from disk in the formats users bring: a CSML
// Studio export (a folder with bot.json and flows/*.csml) or a CSML engine
// BotModel JSON file (flows inline). Errors name the file and what to fix.
package botfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	pathpkg "path"
	"path/filepath"
	"sort"
	"strings"

	"switchboard"
)

// studioBot is bot.json of a CSML Studio export: flows are listed by name and
// their sources are in flows/<name>.csml.
type studioBot struct {
	ID               string          `json:"id"`
	Name             string          `json:"name"`
	DefaultFlow      string          `json:"default_flow"`
	Flows            []studioFlow    `json:"flows"`
	Env              json.RawMessage `json:"env"`
	CustomComponents json.RawMessage `json:"custom_components"`
	AppsEndpoint     string          `json:"apps_endpoint"`
	// The engine's BotModel carries the sources inline; bot.json may too.
	NoInterruptionDelay int `json:"no_interruption_delay"`
}

type studioFlow struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Content  *string  `json:"content"`
	Commands []string `json:"commands"`
}

// maxFileBytes bounds what one file of a bot may weigh.
const maxFileBytes = 4 << 20

// maxBotName bounds a bot's name, in characters: the chat page's title.
const maxBotName = 200

// Load reads a bot from a folder (bot.json + flows/*.csml), a bot.json file of
// such a folder, or a BotModel JSON file with the flow sources inline.
func Load(path string) (switchboard.Bot, error) {
	info, err := os.Stat(path)
	if err != nil {
		return switchboard.Bot{}, fmt.Errorf("load bot: %w", err)
	}
	dir, name := path, "bot.json"
	if !info.IsDir() {
		dir, name = filepath.Split(path)
	}
	return load(os.DirFS(filepath.Clean(dir)), name, func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) })
}

// LoadFS is Load within a file system (for example the bots embedded in the
// binary); path uses forward slashes.
func LoadFS(fsys fs.FS, path string) (switchboard.Bot, error) {
	file := path
	if info, err := fs.Stat(fsys, path); err == nil && info.IsDir() {
		file = pathpkg.Join(path, "bot.json")
	}
	return load(fsys, file, func(p string) string { return p })
}

// load reads bot.json (or a BotModel file) at file in fsys; show turns a path
// of fsys into the path the user knows, for error messages.
func load(fsys fs.FS, file string, show func(string) string) (switchboard.Bot, error) {
	d := &folder{fsys: fsys, dir: pathpkg.Dir(file), show: show}
	data, err := d.read(file)
	if err != nil {
		return switchboard.Bot{}, err
	}
	var sb studioBot
	if err := json.Unmarshal(data, &sb); err != nil {
		return switchboard.Bot{}, fmt.Errorf("load bot: %s is not valid JSON: %w", show(file), err)
	}
	return fromStudio(sb, d, show(file))
}

// folder is where a bot's files live.
type folder struct {
	fsys fs.FS
	dir  string
	show func(string) string
}

// Parse reads a bot from JSON alone (a BotModel with inline flows).
func Parse(data []byte) (switchboard.Bot, error) {
	var sb studioBot
	if err := json.Unmarshal(data, &sb); err != nil {
		return switchboard.Bot{}, fmt.Errorf("bot JSON is not valid: %w", err)
	}
	return fromStudio(sb, nil, "bot JSON")
}

// fromStudio fills in the flow sources (from dir when not inline), and checks
// what the rest of switchboard relies on.
func fromStudio(sb studioBot, dir *folder, what string) (switchboard.Bot, error) {
	b := switchboard.Bot{
		ID: strings.TrimSpace(sb.ID), Name: sb.Name, DefaultFlow: sb.DefaultFlow,
		Env: nullToNil(sb.Env), CustomComponents: nullToNil(sb.CustomComponents),
		AppsEndpoint: sb.AppsEndpoint, NoInterruptionDelay: sb.NoInterruptionDelay,
	}
	if b.ID == "" {
		return b, fmt.Errorf("load bot: %s has no \"id\": give the bot a stable id", what)
	}
	if err := switchboard.CheckBotID("id", b.ID); err != nil {
		return b, fmt.Errorf("load bot: %s: %w", what, err)
	}
	if b.Name == "" {
		b.Name = b.ID
	}
	if err := switchboard.CheckName("name", b.Name, maxBotName); err != nil {
		return b, fmt.Errorf("load bot: %s: %w", what, err)
	}
	if len(sb.Flows) == 0 {
		return b, fmt.Errorf("load bot: %s lists no flows", what)
	}
	seen := map[string]bool{}
	for i, f := range sb.Flows {
		if f.Name == "" {
			return b, fmt.Errorf("load bot: %s: flow %d has no \"name\"", what, i+1)
		}
		if seen[strings.ToLower(f.Name)] {
			return b, fmt.Errorf("load bot: %s lists flow %q twice", what, f.Name)
		}
		seen[strings.ToLower(f.Name)] = true
		flow := switchboard.Flow{ID: f.ID, Name: f.Name, Commands: f.Commands}
		if flow.ID == "" {
			flow.ID = f.Name
		}
		if flow.Commands == nil {
			flow.Commands = []string{}
		}
		switch {
		case f.Content != nil:
			flow.Content = *f.Content
		case dir != nil:
			src, err := dir.flowSource(f.Name)
			if err != nil {
				return b, err
			}
			flow.Content = src
		default:
			return b, fmt.Errorf("load bot: %s: flow %q has no \"content\"", what, f.Name)
		}
		b.Flows = append(b.Flows, flow)
	}
	if b.DefaultFlow == "" {
		b.DefaultFlow = b.Flows[0].Name
	}
	found := false
	for _, f := range b.Flows {
		if strings.EqualFold(f.Name, b.DefaultFlow) || strings.EqualFold(f.ID, b.DefaultFlow) {
			found = true
		}
	}
	if !found {
		return b, fmt.Errorf("load bot: %s: default_flow %q is not one of its flows", what, b.DefaultFlow)
	}
	return b, nil
}

// flowSource reads flows/<name>.csml, matching the name case-insensitively
// as exports from case-insensitive file systems need.
func (d *folder) flowSource(name string) (string, error) {
	flowsDir := pathpkg.Join(d.dir, "flows")
	exact := pathpkg.Join(flowsDir, name+".csml")
	entries, err := fs.ReadDir(d.fsys, flowsDir)
	if err != nil {
		return "", fmt.Errorf("load bot: flow %q: %s is missing (a CSML Studio export keeps each flow in flows/<name>.csml)", name, d.show(exact))
	}
	var names []string
	for _, e := range entries {
		if e.Name() == name+".csml" || strings.EqualFold(e.Name(), name+".csml") && !hasExact(entries, name+".csml") {
			data, err := d.read(pathpkg.Join(flowsDir, e.Name()))
			return string(data), err
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return "", fmt.Errorf("load bot: flow %q: %s is missing; flows/ holds %s", name, d.show(exact), strings.Join(names, ", "))
}

func hasExact(entries []fs.DirEntry, name string) bool {
	for _, e := range entries {
		if e.Name() == name {
			return true
		}
	}
	return false
}

// read reads one file of the bot, refusing files over the size limit.
func (d *folder) read(file string) ([]byte, error) {
	info, err := fs.Stat(d.fsys, file)
	if err != nil {
		return nil, fmt.Errorf("load bot: %s: %w", d.show(file), reason(err))
	}
	if info.Size() > maxFileBytes {
		return nil, fmt.Errorf("load bot: %s is %d bytes: the limit is %d", d.show(file), info.Size(), maxFileBytes)
	}
	data, err := fs.ReadFile(d.fsys, file)
	if err != nil {
		return nil, fmt.Errorf("load bot: %s: %w", d.show(file), reason(err))
	}
	return data, nil
}

// reason strips the path from a file system error, which we print ourselves.
func reason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func nullToNil(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return raw
}
