// Package botfile reads bots from disk in the formats users bring: a CSML
// Studio export (a folder with bot.json and flows/*.csml) or a CSML engine
// BotModel JSON file (flows inline). Errors name the file and what to fix.
package botfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	NoInterruptionDelay int            `json:"no_interruption_delay"`
	Modules             []studioModule `json:"modules"`
}

// studioModule is a module as the engine's BotModel declares it.
type studioModule struct {
	Name    string      `json:"name"`
	URL     string      `json:"url"`
	Auth    string      `json:"auth"`
	Version string      `json:"version"`
	Flow    *studioFlow `json:"flow"`
}

type studioFlow struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Content  *string  `json:"content"`
	Commands []string `json:"commands"`
}

// maxBotName bounds a bot's name, in characters: the chat page's title.
const maxBotName = 200

// Load reads a bot from a folder (bot.json + flows/*.csml), a bot.json file of
// such a folder, or a BotModel JSON file with the flow sources inline, within
// DefaultLimits.
func Load(path string) (switchboard.Bot, error) { return DefaultLimits.Load(path) }

// LoadFS is Load within a file system (for example the bots embedded in the
// binary); path uses forward slashes.
func LoadFS(fsys fs.FS, path string) (switchboard.Bot, error) {
	return DefaultLimits.LoadFS(fsys, path)
}

// Parse reads a bot from JSON alone (a BotModel with inline flows), within
// DefaultLimits.
func Parse(data []byte) (switchboard.Bot, error) { return DefaultLimits.Parse(data) }

// Load is the package's Load within l.
func (l Limits) Load(path string) (switchboard.Bot, error) {
	info, err := os.Stat(path)
	if err != nil {
		return switchboard.Bot{}, fmt.Errorf("load bot: %w", err)
	}
	dir, name := path, "bot.json"
	if !info.IsDir() {
		dir, name = filepath.Split(path)
	}
	return l.load(os.DirFS(filepath.Clean(dir)), name, func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) })
}

// LoadFS is the package's LoadFS within l.
func (l Limits) LoadFS(fsys fs.FS, path string) (switchboard.Bot, error) {
	file := path
	if info, err := fs.Stat(fsys, path); err == nil && info.IsDir() {
		file = pathpkg.Join(path, "bot.json")
	}
	return l.load(fsys, file, func(p string) string { return p })
}

// load reads bot.json (or a BotModel file) at file in fsys; show turns a path
// of fsys into the path the user knows, for error messages.
func (l Limits) load(fsys fs.FS, file string, show func(string) string) (switchboard.Bot, error) {
	d := &folder{fsys: fsys, dir: pathpkg.Dir(file), show: show, lim: l.WithDefaults()}
	data, err := d.read(file)
	if err != nil {
		return switchboard.Bot{}, err
	}
	var sb studioBot
	if err := json.Unmarshal(data, &sb); err != nil {
		return switchboard.Bot{}, fmt.Errorf("load bot: %s is not valid JSON: %w", show(file), err)
	}
	return fromStudio(sb, d, show(file), d.lim)
}

// folder is where a bot's files live.
type folder struct {
	fsys fs.FS
	dir  string
	show func(string) string
	lim  Limits
	// taken counts the bytes of the files read so far, against
	// lim.TotalBytes.
	taken int64
}

// Parse is the package's Parse within l.
func (l Limits) Parse(data []byte) (switchboard.Bot, error) {
	var sb studioBot
	if err := json.Unmarshal(data, &sb); err != nil {
		return switchboard.Bot{}, fmt.Errorf("bot JSON is not valid: %w", err)
	}
	return fromStudio(sb, nil, "bot JSON", l.WithDefaults())
}

// fromStudio fills in the flow sources (from dir when not inline), and checks
// what the rest of switchboard relies on, and that the sources together are
// within lim.TotalBytes.
func fromStudio(sb studioBot, dir *folder, what string, lim Limits) (switchboard.Bot, error) {
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
	var err error
	seen := map[string]bool{}
	var total int64
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
		if total += int64(len(flow.Content)); total > lim.TotalBytes {
			return b, tooLarge("load bot: %s: its flows up to %q hold %d bytes of CSML, over the limit of %d (max_total_bytes)", what, f.Name, total, lim.TotalBytes)
		}
		b.Flows = append(b.Flows, flow)
	}
	if b.Modules, err = modulesOf(sb.Modules, what); err != nil {
		return b, err
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

// read reads one file of the bot, refusing a file over the size limit, or
// one that takes the files read together over the total limit.
func (d *folder) read(file string) ([]byte, error) {
	info, err := fs.Stat(d.fsys, file)
	if err != nil {
		return nil, fmt.Errorf("load bot: %s: %w", d.show(file), reason(err))
	}
	if info.Size() > d.lim.FileBytes {
		return nil, tooLarge("load bot: %s is %d bytes, over the limit of %d for one file (max_file_bytes)", d.show(file), info.Size(), d.lim.FileBytes)
	}
	if d.taken += info.Size(); d.taken > d.lim.TotalBytes {
		return nil, tooLarge("load bot: the bot's files up to %s are %d bytes, over the limit of %d (max_total_bytes)", d.show(file), d.taken, d.lim.TotalBytes)
	}
	f, err := d.fsys.Open(file)
	if err != nil {
		return nil, fmt.Errorf("load bot: %s: %w", d.show(file), reason(err))
	}
	defer f.Close()
	// A file that grows past its size as read is cut at the limit.
	data, err := io.ReadAll(io.LimitReader(f, d.lim.FileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("load bot: %s: %w", d.show(file), reason(err))
	}
	if int64(len(data)) > d.lim.FileBytes {
		return nil, tooLarge("load bot: %s is over the limit of %d bytes for one file (max_file_bytes)", d.show(file), d.lim.FileBytes)
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
