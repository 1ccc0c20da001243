package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"switchboard"
	"switchboard/csml"
	"switchboard/engine"
	"switchboard/httpx"
)

// The Bot API (CSML Studio's, api/api-reference/bot-api.md of docs-studio)
// edits a working copy of the channel's bot, its draft, and builds it into a
// new version, which then runs. The draft is a setting of its own, so edits
// run nothing until a build; it starts as a copy of the running version.

// draftPrefix names the setting that holds a bot's draft.
const draftPrefix = "botapi.draft:"

// engineVersion is the CSML engine version switchboard's interpreter follows,
// answered in builds as CSML Studio does.
const engineVersion = "1.11"

// draft is a bot being edited through the Bot API, with what CSML Studio
// keeps and a stored version does not (descriptions, times).
type draft struct {
	Bot         switchboard.Bot      `json:"bot"`
	Description string               `json:"description"`
	Flows       map[string]flowNotes `json:"flows"` // by flow id
	// Base is the version the draft started from or was last built into;
	// Edited says it changed since.
	Base      string    `json:"base"`
	Edited    bool      `json:"edited"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

type flowNotes struct {
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// botDoc is a bot as CSML Studio's Bot API shows it.
type botDoc struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	DefaultFlow string    `json:"default_flow"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Flows       []flowDoc `json:"flows"`
}

// flowDoc is a flow as CSML Studio's Bot API shows it.
type flowDoc struct {
	ID          string    `json:"id"`
	BotID       string    `json:"bot_id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Commands    []string  `json:"commands"`
	Content     string    `json:"content"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// buildDoc is a built version as CSML Studio shows it.
type buildDoc struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	DefaultFlow   string         `json:"default_flow"`
	CreatedAt     time.Time      `json:"created_at"`
	VersionID     string         `json:"version_id"`
	EngineVersion string         `json:"engine_version"`
	Flows         []buildFlowDoc `json:"flows"`
}

type buildFlowDoc struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Commands []string `json:"commands"`
	Content  string   `json:"content"`
}

func (d *draft) doc() botDoc {
	out := botDoc{ID: d.Bot.ID, Name: d.Bot.Name, Description: d.Description, DefaultFlow: defaultFlowID(d.Bot), CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, Flows: []flowDoc{}}
	for _, f := range d.Bot.Flows {
		out.Flows = append(out.Flows, d.flowDoc(f))
	}
	return out
}

func (d *draft) flowDoc(f switchboard.Flow) flowDoc {
	n := d.Flows[f.ID]
	return flowDoc{ID: f.ID, BotID: d.Bot.ID, Name: f.Name, Description: n.Description, Commands: commandsOf(f), Content: f.Content, CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt}
}

func buildOf(v switchboard.BotVersion) buildDoc {
	out := buildDoc{ID: v.Bot.ID, Name: v.Bot.Name, DefaultFlow: defaultFlowID(v.Bot), CreatedAt: v.CreatedAt, VersionID: v.VersionID, EngineVersion: engineVersion, Flows: []buildFlowDoc{}}
	for _, f := range v.Bot.Flows {
		out.Flows = append(out.Flows, buildFlowDoc{ID: f.ID, Name: f.Name, Commands: commandsOf(f), Content: f.Content})
	}
	return out
}

// flowIndex returns the index of the flow with this id, or -1.
func (d *draft) flowIndex(id string) int {
	for i, f := range d.Bot.Flows {
		if f.ID == id {
			return i
		}
	}
	return -1
}

// loadDraft reads the draft of a bot: the stored one, or a copy of the
// running version when there is none, or when that version changed through
// the administration and the draft has no edits of its own.
func loadDraft(ctx context.Context, tx switchboard.Tx, botID string) (*draft, error) {
	v, err := tx.LatestBot(ctx, botID)
	if err != nil {
		return nil, fmt.Errorf("read bot %s: %w", botID, err)
	}
	raw, err := tx.Setting(ctx, draftPrefix+botID)
	if err != nil {
		return nil, fmt.Errorf("read the draft of bot %s: %w", botID, err)
	}
	d := &draft{}
	if raw != nil {
		if err := json.Unmarshal(raw, d); err != nil {
			return nil, fmt.Errorf("read the draft of bot %s: %w", botID, err)
		}
	}
	if raw == nil || (d.Base != v.VersionID && !d.Edited) {
		d = &draft{Bot: v.Bot, Base: v.VersionID, Flows: map[string]flowNotes{}, CreatedAt: v.CreatedAt, UpdatedAt: v.CreatedAt}
		d.Bot.Flows = append([]switchboard.Flow(nil), v.Bot.Flows...)
		for _, f := range d.Bot.Flows {
			d.Flows[f.ID] = flowNotes{CreatedAt: v.CreatedAt, UpdatedAt: v.CreatedAt}
		}
	}
	if d.Flows == nil {
		d.Flows = map[string]flowNotes{}
	}
	return d, nil
}

// saveDraft stores a draft.
func saveDraft(ctx context.Context, tx switchboard.Tx, d *draft) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode the draft of bot %s: %w", d.Bot.ID, err)
	}
	if err := tx.PutSetting(ctx, draftPrefix+d.Bot.ID, raw); err != nil {
		return fmt.Errorf("save the draft of bot %s: %w", d.Bot.ID, err)
	}
	return nil
}

// viewDraft reads the draft of the caller's bot.
func (a *API) viewDraft(ctx context.Context, c *caller) (*draft, error) {
	return read(ctx, a.store, func(tx switchboard.Tx) (*draft, error) { return loadDraft(ctx, tx, c.channel.BotID) })
}

// editDraft changes the draft of the caller's bot in one transaction.
func (a *API) editDraft(ctx context.Context, c *caller, edit func(d *draft, now time.Time) error) (*draft, error) {
	var d *draft
	err := a.store.Update(ctx, func(tx switchboard.Tx) error {
		var err error
		if d, err = loadDraft(ctx, tx, c.channel.BotID); err != nil {
			return err
		}
		now := a.clock.Now()
		if err := edit(d, now); err != nil {
			return err
		}
		d.Edited, d.UpdatedAt = true, now
		return saveDraft(ctx, tx, d)
	})
	return d, err
}

// getBot answers the bot of the channel, as it stands in the draft.
func (a *API) getBot(w http.ResponseWriter, r *http.Request, c *caller) {
	d, err := a.viewDraft(r.Context(), c)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, d.doc())
}

// botUpdate is the body of PUT /v1/api/bot: fields left out are unchanged.
type botUpdate struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	DefaultFlow *string `json:"default_flow"`
}

// putBot changes the bot's name, description or default flow.
func (a *API) putBot(w http.ResponseWriter, r *http.Request, c *caller) {
	var in botUpdate
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	d, err := a.editDraft(r.Context(), c, func(d *draft, _ time.Time) error {
		if in.DefaultFlow != nil {
			i := d.flowIndex(*in.DefaultFlow)
			if i < 0 {
				return switchboard.Errorf(switchboard.EINVALID, "default_flow %q is not the id of a flow of this bot: GET /v1/api/bot/flows lists them", *in.DefaultFlow)
			}
			d.Bot.DefaultFlow = d.Bot.Flows[i].Name
		}
		if in.Name != nil {
			if strings.TrimSpace(*in.Name) == "" {
				return switchboard.Errorf(switchboard.EINVALID, "name is empty: give the bot a name")
			}
			d.Bot.Name = *in.Name
		}
		if in.Description != nil {
			d.Description = *in.Description
		}
		return nil
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, d.doc())
}

// listFlows answers the flows of the draft.
func (a *API) listFlows(w http.ResponseWriter, r *http.Request, c *caller) {
	d, err := a.viewDraft(r.Context(), c)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, d.doc().Flows)
}

// getFlow answers one flow of the draft.
func (a *API) getFlow(w http.ResponseWriter, r *http.Request, c *caller) {
	d, err := a.viewDraft(r.Context(), c)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	i := d.flowIndex(r.PathValue("id"))
	if i < 0 {
		a.fail(w, r, noFlow(r.PathValue("id")))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, d.flowDoc(d.Bot.Flows[i]))
}

func noFlow(id string) error {
	return switchboard.Errorf(switchboard.ENOTFOUND, "no flow %q in this bot: GET /v1/api/bot/flows lists the flows and their ids", id)
}

// flowIn is the body of POST /v1/api/bot/flows and PUT /v1/api/bot/flows/{id}.
type flowIn struct {
	Name        *string   `json:"name"`
	Description *string   `json:"description"`
	Commands    *[]string `json:"commands"`
	Content     *string   `json:"content"`
}

// createFlow adds a flow to the draft.
func (a *API) createFlow(w http.ResponseWriter, r *http.Request, c *caller) {
	var in flowIn
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	var id string
	d, err := a.editDraft(r.Context(), c, func(d *draft, now time.Time) error {
		switch {
		case in.Name == nil || strings.TrimSpace(*in.Name) == "":
			return switchboard.Errorf(switchboard.EINVALID, `name is missing: send {"name": "SomeFlow", "content": "start:\n  say \"Hi\"\n  goto end"}`)
		case in.Content == nil:
			return switchboard.Errorf(switchboard.EINVALID, "content is missing: the flow's CSML source")
		}
		for _, f := range d.Bot.Flows {
			if strings.EqualFold(f.Name, *in.Name) {
				return switchboard.Errorf(switchboard.ECONFLICT, "the bot already has a flow named %s (id %s): change it with PUT /v1/api/bot/flows/%s", f.Name, f.ID, f.ID)
			}
		}
		id = newFlowID()
		f := switchboard.Flow{ID: id, Name: *in.Name, Content: *in.Content, Commands: []string{}}
		if in.Commands != nil {
			f.Commands = *in.Commands
		}
		d.Bot.Flows = append(d.Bot.Flows, f)
		n := flowNotes{CreatedAt: now, UpdatedAt: now}
		if in.Description != nil {
			n.Description = *in.Description
		}
		d.Flows[id] = n
		return nil
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, d.flowDoc(d.Bot.Flows[d.flowIndex(id)]))
}

// newFlowID is the id of a new flow: random, as CSML Studio's are.
func newFlowID() string { return "flow_" + random(12) }

// putFlow changes a flow of the draft: its content, and its commands and
// description when given.
func (a *API) putFlow(w http.ResponseWriter, r *http.Request, c *caller) {
	var in flowIn
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	d, err := a.editDraft(r.Context(), c, func(d *draft, now time.Time) error {
		i := d.flowIndex(id)
		switch {
		case i < 0:
			return noFlow(id)
		case in.Content == nil:
			return switchboard.Errorf(switchboard.EINVALID, "content is missing: the flow's whole CSML source")
		case in.Name != nil && *in.Name != d.Bot.Flows[i].Name:
			return switchboard.Errorf(switchboard.EINVALID, "a flow's name cannot change (CSML Studio's Bot API neither): create a flow with the new name instead")
		}
		f := &d.Bot.Flows[i]
		f.Content = *in.Content
		if in.Commands != nil {
			f.Commands = *in.Commands
		}
		n := d.Flows[id]
		if in.Description != nil {
			n.Description = *in.Description
		}
		n.UpdatedAt = now
		d.Flows[id] = n
		return nil
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, d.flowDoc(d.Bot.Flows[d.flowIndex(id)]))
}

// validateIn is the body of POST /v1/api/bot/validate: a bot as GET
// /v1/api/bot answers it, or nothing for the draft.
type validateIn struct {
	Bot *botDoc `json:"bot"`
}

// validationOut is CSML Studio's answer to a validation.
type validationOut struct {
	Valid  bool          `json:"valid"`
	Errors []botErrorDoc `json:"errors,omitempty"`
}

// botErrorDoc is one diagnostic in CSML Studio's shape.
type botErrorDoc struct {
	Flow    string `json:"flow"`
	Step    string `json:"step"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// validateBot compiles the given bot, or the draft, and answers every error.
func (a *API) validateBot(w http.ResponseWriter, r *http.Request, c *caller) {
	var in validateIn
	if len(strings.TrimSpace(string(c.body))) > 0 {
		if err := httpx.DecodeJSON(w, r, maxBody, false, &in); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	var bot switchboard.Bot
	if in.Bot != nil {
		bot = switchboard.Bot{ID: c.channel.BotID, Name: in.Bot.Name, DefaultFlow: in.Bot.DefaultFlow}
		for _, f := range in.Bot.Flows {
			bot.Flows = append(bot.Flows, switchboard.Flow{ID: f.ID, Name: f.Name, Content: f.Content, Commands: f.Commands})
		}
	} else {
		d, err := a.viewDraft(r.Context(), c)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		bot = d.Bot
	}
	httpx.WriteJSON(w, http.StatusOK, validationOf(engine.Diagnose(bot)))
}

// validationOf sums up a compilation: valid, or its errors (warnings are
// left out, as CSML Studio's answer has none).
func validationOf(diags []csml.Diagnostic) validationOut {
	out := validationOut{Valid: true}
	for _, d := range diags {
		if d.Severity == csml.SeverityError {
			out.Valid = false
			out.Errors = append(out.Errors, botErrorDoc{Flow: d.Flow, Line: d.Line, Column: d.Column, Message: d.Message})
		}
	}
	return out
}

// build makes the draft a new version of the bot and runs it. A draft that
// does not compile is refused with every error, and nothing changes.
func (a *API) build(w http.ResponseWriter, r *http.Request, c *caller) {
	d, err := a.viewDraft(r.Context(), c)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	built, _ := json.Marshal(d.Bot) // plain fields and stored JSON
	v, err := a.deploy(r.Context(), d.Bot, func(tx switchboard.Tx, v switchboard.BotVersion) error {
		now, err := loadDraft(r.Context(), tx, c.channel.BotID)
		if err != nil {
			return err
		}
		// An edit that came in meanwhile stays to be built.
		same, _ := json.Marshal(now.Bot)
		now.Base, now.Edited = v.VersionID, string(same) != string(built)
		return saveDraft(r.Context(), tx, now)
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, buildOf(v))
}

// getBuild answers a built version: ?version_id=, or the latest.
func (a *API) getBuild(w http.ResponseWriter, r *http.Request, c *caller) {
	want := r.URL.Query().Get("version_id")
	v, err := read(r.Context(), a.store, func(tx switchboard.Tx) (*switchboard.BotVersion, error) {
		if want == "" || want == "latest" {
			return tx.LatestBot(r.Context(), c.channel.BotID)
		}
		return findVersion(r.Context(), tx, c.channel.BotID, want)
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, buildOf(*v))
}

// usageOut is CSML Studio's bot usage: messages and clients of the current
// calendar month, the last 30 days and the previous month (UTC).
type usageOut struct {
	CurrentMonth switchboard.Usage `json:"currentmonth"`
	Last30d      switchboard.Usage `json:"last30d"`
	LastMonth    switchboard.Usage `json:"lastmonth"`
}

// usage answers what the bot exchanged, over every channel of the bot.
func (a *API) usage(w http.ResponseWriter, r *http.Request, c *caller) {
	now := a.clock.Now().UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	var out usageOut
	err := a.store.View(r.Context(), func(tx switchboard.Tx) error {
		ctx, bot := r.Context(), c.channel.BotID
		var err error
		if out.CurrentMonth, err = tx.BotUsage(ctx, bot, month, now.Add(time.Nanosecond)); err != nil {
			return err
		}
		if out.Last30d, err = tx.BotUsage(ctx, bot, now.AddDate(0, 0, -30), now.Add(time.Nanosecond)); err != nil {
			return err
		}
		out.LastMonth, err = tx.BotUsage(ctx, bot, month.AddDate(0, -1, 0), month)
		return err
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// findVersion returns one stored version of a bot.
func findVersion(ctx context.Context, tx switchboard.Tx, botID, versionID string) (*switchboard.BotVersion, error) {
	vs, err := tx.BotVersions(ctx, botID)
	if err != nil {
		return nil, fmt.Errorf("read the versions of bot %s: %w", botID, err)
	}
	for i := range vs {
		if vs[i].VersionID == versionID {
			return &vs[i], nil
		}
	}
	return nil, switchboard.Errorf(switchboard.ENOTFOUND, "bot %q has no version %q: leave the version out for the latest", botID, versionID)
}

// defaultFlowID is the id of a bot's default flow (named by name or id).
func defaultFlowID(b switchboard.Bot) string {
	for _, f := range b.Flows {
		if strings.EqualFold(f.Name, b.DefaultFlow) || f.ID == b.DefaultFlow {
			return f.ID
		}
	}
	return ""
}

// commandsOf is a flow's commands, never null in an answer.
func commandsOf(f switchboard.Flow) []string {
	if f.Commands == nil {
		return []string{}
	}
	return f.Commands
}
