package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"switchboard"
	"switchboard/httpx"
	"switchboard/livechat"
)

// What the session list shows, of the desk's sessions only: the maxLive
// sessions waiting longest (oldest first), the maxLive newest claimed ones,
// and the maxEnded newest of those that ended within recentEnded. A
// session's page shows its last maxSessionMessages messages.
const (
	maxLive            = 500
	maxEnded           = 50
	recentEnded        = 24 * time.Hour
	maxSessionMessages = 500
	previewRunes       = 120
	// maxEarlier is how many of the customer's earlier sessions a
	// session's page lists.
	maxEarlier = 10
	// previewScan bounds the messages of a session read back to find the
	// customer's last one, when the client wrote after the session.
	previewScan = 50
	// maxSearch is how many sessions of each list a search answers, and
	// maxQueryRunes how long its text may be.
	maxSearch     = 50
	maxQueryRunes = 200
)

// sessionItem is a session as the desk lists it.
type sessionItem struct {
	ID        string                   `json:"id"`
	State     switchboard.SessionState `json:"state"`
	BotID     string                   `json:"bot_id"`
	BotName   string                   `json:"bot_name"`
	Client    switchboard.ClientKey    `json:"client"`
	Customer  customer                 `json:"customer"`
	AgentID   string                   `json:"agent_id,omitempty"`
	AgentName string                   `json:"agent_name,omitempty"`
	CreatedAt time.Time                `json:"created_at"`
	EndedAt   *time.Time               `json:"ended_at,omitempty"`
	// WaitingSeconds is set while nobody has claimed the session;
	// DurationSeconds once somebody has, or when it ended.
	WaitingSeconds  *int64 `json:"waiting_seconds,omitempty"`
	DurationSeconds *int64 `json:"duration_seconds,omitempty"`
	// ExpiresAt is when a live session expires if nobody writes.
	ExpiresAt     *time.Time            `json:"expires_at,omitempty"`
	LastMessage   *preview              `json:"last_message,omitempty"`
	EndReason     switchboard.EndReason `json:"end_reason,omitempty"`
	EndReasonText string                `json:"end_reason_text,omitempty"`
	// The bot's routing: the team (id and name) whose queue the session is
	// in, its priority, tags and the note (transfers add to it); and the
	// customer's place in that queue while waiting.
	Team          string   `json:"team,omitempty"`
	TeamName      string   `json:"team_name,omitempty"`
	Priority      string   `json:"priority,omitempty"`
	Tags          []string `json:"tags,omitempty"`
	Note          string   `json:"note,omitempty"`
	QueuePosition int      `json:"queue_position,omitempty"`
}

// customer is who the session is with, from the user's metadata.
type customer struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// preview is the customer's last message of a session, in one line.
type preview struct {
	Text   string                 `json:"text"`
	Sender switchboard.SenderKind `json:"sender"`
	At     time.Time              `json:"at"`
}

// sessionList is the answer of GET /desk/api/sessions. Now is the server's
// time, from which the page ticks the durations; Limits is the most entries
// each list holds.
type sessionList struct {
	Now     time.Time     `json:"now"`
	Limits  limits        `json:"limits"`
	Waiting []sessionItem `json:"waiting"`
	Active  []sessionItem `json:"active"`
	Ended   []sessionItem `json:"ended"`
}

// limits are the lengths at which the lists are cut. A page that merges
// changes into a list cut at its limit cannot tell what follows the cut:
// when it loses an entry there, it reads the whole list again.
type limits struct {
	Waiting int `json:"waiting"`
	Active  int `json:"active"`
	Ended   int `json:"ended"`
}

// The limits of the session list, and of a search's answer.
var (
	listLimits   = limits{Waiting: maxLive, Active: maxLive, Ended: maxEnded}
	searchLimits = limits{Waiting: maxSearch, Active: maxSearch, Ended: maxSearch}
)

// sessionDetail is the answer of GET /desk/api/sessions/{id}: the session, what
// is known of the user now, and its transcript: the bot conversation it was
// opened with (the bot's transcript length of messages before it) and the
// session's own messages, nothing the customer said after it ended. Earlier
// is the customer's other desk sessions of the same bot (the same client),
// newest first, maxEarlier at most: before this one, or after it.
type sessionDetail struct {
	Now        time.Time             `json:"now"`
	Session    sessionItem           `json:"session"`
	Metadata   json.RawMessage       `json:"metadata"`
	Transcript []switchboard.Message `json:"transcript"`
	Earlier    []sessionItem         `json:"other_sessions"`
	// CustomerTyping is set while the customer writes in the chat page.
	CustomerTyping bool `json:"customer_typing,omitempty"`
}

// scope is the bots whose sessions an agent sees, as a session filter
// keeps them: nil for every bot.
func scope(a *switchboard.Agent) []string {
	if a.SeesAllBots() {
		return nil
	}
	if a.Bots == nil {
		return []string{}
	}
	return a.Bots
}

// listSessions answers the waiting, active and recently ended desk sessions
// of the caller's bots, with the last message of each in one read. With
// ?q=, it answers those where the text appears (in the customer's name,
// e-mail or any message of the session), maxSearch of each list, ended
// ones however long ago. With ?ids=, it answers those sessions only (see
// listByID).
func (h *handler) listSessions(w http.ResponseWriter, r *http.Request, c *Caller) {
	if r.URL.Query().Has("ids") {
		h.listByID(w, r, c)
		return
	}
	ctx := r.Context()
	now := h.clock.Now()
	out := sessionList{Now: now, Limits: listLimits}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if err := checkQuery(q); err != nil {
		h.fail(w, r, err)
		return
	}
	live := []switchboard.SessionState{switchboard.SessionPending, switchboard.SessionActive}
	unclaimed, claimed := false, true
	bots := scope(c.Agent)
	liveN, endedN, endedAfter := maxLive, maxEnded, now.Add(-recentEnded)
	if q != "" {
		liveN, endedN, endedAfter = maxSearch, maxSearch, time.Time{}
		out.Limits = searchLimits
		out.Limits = searchLimits
	}
	err := h.store.View(ctx, func(tx switchboard.Tx) error {
		waiting, err := tx.ListSessions(ctx, switchboard.SessionFilter{
			BotIDs: bots, States: live, Platform: livechat.PlatformDesk, Claimed: &unclaimed, OldestFirst: true, Text: q, Limit: liveN,
		})
		if err != nil {
			return err
		}
		active, err := tx.ListSessions(ctx, switchboard.SessionFilter{
			BotIDs: bots, States: live, Platform: livechat.PlatformDesk, Claimed: &claimed, Text: q, Limit: liveN,
		})
		if err != nil {
			return err
		}
		ended, err := tx.ListSessions(ctx, switchboard.SessionFilter{
			BotIDs: bots, States: []switchboard.SessionState{switchboard.SessionEnded}, EndedAfter: endedAfter,
			Platform: livechat.PlatformDesk, Text: q, Limit: endedN,
		})
		if err != nil {
			return err
		}
		v, err := teamsOf(ctx, tx, c.Agent)
		if err != nil {
			return err
		}
		unseen := func(s switchboard.Session) bool { return !v.sees(c.Agent, &s) }
		waiting, active, ended = slices.DeleteFunc(waiting, unseen), slices.DeleteFunc(active, unseen), slices.DeleteFunc(ended, unseen)
		all := slices.Concat(waiting, active, ended)
		items, err := h.items(ctx, tx, all, now)
		if err != nil {
			return err
		}
		out.Waiting = items[:len(waiting):len(waiting)]
		out.Active = items[len(waiting) : len(waiting)+len(active) : len(waiting)+len(active)]
		out.Ended = items[len(waiting)+len(active):]
		return nil
	})
	if err != nil {
		h.fail(w, r, fmt.Errorf("list sessions: %w", err))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// checkQuery refuses a search text the desk does not look for.
func checkQuery(q string) error {
	switch {
	case !utf8.ValidString(q) || strings.ContainsRune(q, 0):
		return switchboard.Errorf(switchboard.EINVALID, "the search text (q) is not valid text: type letters, digits or punctuation")
	case utf8.RuneCountInString(q) > maxQueryRunes:
		return switchboard.Errorf(switchboard.EINVALID, "the search text (q) is %d characters long: search with at most %d", utf8.RuneCountInString(q), maxQueryRunes)
	}
	return nil
}

// sessionDetail answers one session with its client's metadata and its
// transcript.
func (h *handler) sessionDetail(w http.ResponseWriter, r *http.Request, c *Caller) {
	ctx := r.Context()
	now := h.clock.Now()
	out := sessionDetail{Now: now}
	err := h.store.View(ctx, func(tx switchboard.Tx) error {
		s, err := deskSession(ctx, tx, r.PathValue("id"), c.Agent)
		if err != nil {
			return err
		}
		if out.Session, err = h.item(ctx, tx, s, now); err != nil {
			return err
		}
		out.Metadata = s.Metadata
		client, err := tx.FindClient(ctx, s.Client)
		if err != nil {
			return err
		}
		if client != nil && len(client.Metadata) > 0 {
			out.Metadata = client.Metadata
		}
		if out.Transcript, err = h.transcript(ctx, tx, s); err != nil {
			return err
		}
		out.Earlier, err = h.earlier(ctx, tx, s, now)
		return err
	})
	if err != nil {
		h.fail(w, r, fmt.Errorf("read session: %w", err))
		return
	}
	if len(out.Metadata) == 0 {
		out.Metadata = json.RawMessage(`{}`)
	}
	out.CustomerTyping = out.Session.State != switchboard.SessionEnded && h.engine.CustomerIsTyping(out.Session.Client)
	if out.Transcript == nil {
		out.Transcript = []switchboard.Message{}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// earlier lists the customer's other desk sessions: the same client, so the
// same bot, which the agent sees since they see s.
func (h *handler) earlier(ctx context.Context, tx switchboard.Tx, s *switchboard.Session, now time.Time) ([]sessionItem, error) {
	ss, err := tx.ListSessions(ctx, switchboard.SessionFilter{Client: &s.Client, Platform: livechat.PlatformDesk, Limit: maxEarlier + 1})
	if err != nil {
		return nil, err
	}
	ss = slices.DeleteFunc(ss, func(o switchboard.Session) bool { return o.ID == s.ID })
	return h.items(ctx, tx, ss[:min(len(ss), maxEarlier)], now)
}

// transcript is what a session's page shows: the bot conversation the
// session was opened with, as a platform's ticket gets it (the bot's
// transcript length of messages before the session's first one), then the
// session's own messages, then the customer's click that ended it (stored
// after the session, with no session id). When the session has more than
// maxSessionMessages, its last ones, without the bot conversation.
func (h *handler) transcript(ctx context.Context, tx switchboard.Tx, s *switchboard.Session) ([]switchboard.Message, error) {
	own, err := tx.SessionMessages(ctx, s.Client, s.ID, maxSessionMessages)
	if err != nil || len(own) == 0 {
		return own, err
	}
	if s.State == switchboard.SessionEnded {
		next, err := tx.MessagesAfter(ctx, s.Client, own[len(own)-1].ID, 1)
		if err != nil {
			return nil, err
		}
		if len(next) == 1 && isEndClick(next[0]) {
			own = append(own, next[0])
		}
	}
	if len(own) >= maxSessionMessages {
		return own, nil
	}
	settings, err := livechat.LoadSettings(ctx, tx, h.sealer, s.Client.BotID)
	if err != nil {
		return nil, err
	}
	n := settings.Resolve().TranscriptLength
	if n == 0 {
		return own, nil
	}
	before, err := tx.LastMessages(ctx, s.Client, own[0].ID, n)
	if err != nil {
		return nil, err
	}
	return slices.Concat(before, own), nil
}

// deskSession reads a session the desk handles and the agent sees. Sessions
// of other platforms are answered on those platforms, and those of bots the
// agent does not answer are not theirs: to the agent, neither exists.
func deskSession(ctx context.Context, tx switchboard.Tx, id string, a *switchboard.Agent) (*switchboard.Session, error) {
	s, err := tx.Session(ctx, id)
	if err == nil && (s.Platform != livechat.PlatformDesk || !a.SeesBot(s.Client.BotID)) {
		err = switchboard.Errorf(switchboard.ENOTFOUND, "session %s not found", id)
	}
	// Only a session in a team's queue, neither the caller's nor seen by
	// every administrator, needs the teams read (see teamView.sees).
	if err == nil && s.Team != "" && s.AgentID != a.ID && !a.Admin {
		var v teamView
		if v, err = teamsOf(ctx, tx, a); err == nil && !v.sees(a, s) {
			err = switchboard.Errorf(switchboard.ENOTFOUND, "session %s is in another team's queue", id)
		}
	}
	if switchboard.ErrorCode(err) == switchboard.ENOTFOUND {
		return nil, switchboard.Errorf(switchboard.ENOTFOUND, "there is no conversation %s on your desk", id)
	}
	return s, err
}

// item builds the list entry of a session.
func (h *handler) item(ctx context.Context, tx switchboard.Tx, s *switchboard.Session, now time.Time) (sessionItem, error) {
	items, err := h.items(ctx, tx, []switchboard.Session{*s}, now)
	if err != nil {
		return sessionItem{}, err
	}
	return items[0], nil
}

// items builds the list entries of sessions, in their order, reading the
// customer's last message of every session's client in one call; a session
// whose customer wrote after it (an ended one) reads its own.
func (h *handler) items(ctx context.Context, tx switchboard.Tx, ss []switchboard.Session, now time.Time) ([]sessionItem, error) {
	keys := make([]switchboard.ClientKey, len(ss))
	for i := range ss {
		keys[i] = ss[i].Client
	}
	last, err := tx.LatestMessages(ctx, keys, switchboard.SenderUser)
	if err != nil {
		return nil, err
	}
	var v teamView // the teams' names, read when a session has a team
	if slices.ContainsFunc(ss, func(s switchboard.Session) bool { return s.Team != "" }) {
		if v.teams, err = livechat.LoadTeams(ctx, tx); err != nil {
			return nil, err
		}
	}
	out := make([]sessionItem, len(ss))
	for i := range ss {
		out[i] = h.entry(&ss[i], now)
		if out[i].Team != "" {
			out[i].TeamName = v.teamName(out[i].Team)
		}
		m, ok := last[ss[i].Client]
		if ok && m.SessionID != ss[i].ID {
			// The customer wrote since, outside this session (after it
			// ended): the session's own last customer message, if among
			// its last previewScan, is the one to show.
			own, err := tx.SessionMessages(ctx, ss[i].Client, ss[i].ID, previewScan)
			if err != nil {
				return nil, err
			}
			ok = false
			for j := len(own) - 1; j >= 0 && !ok; j-- {
				m, ok = own[j], own[j].Sender.Kind == switchboard.SenderUser
			}
		}
		if ok {
			out[i].LastMessage = &preview{Text: clip(payloadText(m.Payload), previewRunes), Sender: m.Sender.Kind, At: m.CreatedAt}
		}
	}
	return out, nil
}

// entry is the list entry of a session, without its last message.
func (h *handler) entry(s *switchboard.Session, now time.Time) sessionItem {
	it := sessionItem{
		ID: s.ID, State: s.State, BotID: s.Client.BotID, BotName: h.botName(s.Client.BotID),
		Client: s.Client, Customer: customerOf(s.Metadata), AgentID: s.AgentID, AgentName: s.AgentName,
		CreatedAt: s.CreatedAt, EndedAt: s.EndedAt, EndReason: s.EndReason,
		Team: s.Team, Priority: s.Priority, Tags: s.Tags, Note: s.Note, QueuePosition: s.QueuePosition,
	}
	secs := int64(now.Sub(s.CreatedAt).Seconds())
	switch {
	case !s.Live():
		if s.EndedAt != nil {
			secs = int64(s.EndedAt.Sub(s.CreatedAt).Seconds())
		}
		it.DurationSeconds = &secs
		it.EndReasonText = endReasonText(s)
	case s.AgentID == "":
		it.WaitingSeconds = &secs
	default:
		it.DurationSeconds = &secs
	}
	if s.Live() {
		d := s.Deadline()
		it.ExpiresAt = &d
	}
	return it
}

// botName is the loaded bot's name, or its id when it is not loaded.
func (h *handler) botName(id string) string {
	if b, ok := h.engine.Bots().Get(id); ok && b.Version.Bot.Name != "" {
		return b.Version.Bot.Name
	}
	return id
}

// customerOf reads a name and an email from a user's metadata, under the
// spellings channels use (firstname, first_name, firstName, name, ...).
func customerOf(meta json.RawMessage) customer {
	var m map[string]any
	if json.Unmarshal(meta, &m) != nil {
		return customer{}
	}
	get := func(keys ...string) string {
		for _, k := range keys {
			if v, ok := m[k].(string); ok && strings.TrimSpace(v) != "" {
				return strings.TrimSpace(v)
			}
		}
		return ""
	}
	name := strings.TrimSpace(get("firstname", "first_name", "firstName") + " " + get("lastname", "last_name", "lastName"))
	if name == "" {
		name = get("name", "full_name", "fullName", "username")
	}
	return customer{Name: name, Email: get("email", "Email")}
}

// endReasonText says why a session ended, for the agent.
func endReasonText(s *switchboard.Session) string {
	switch s.EndReason {
	case switchboard.EndUser:
		return "The customer ended the conversation."
	case switchboard.EndAgent:
		return "An agent closed the conversation."
	case switchboard.EndExpired:
		return fmt.Sprintf("Nobody wrote for %s: the conversation expired.", shortDuration(s.Timeout))
	case switchboard.EndError:
		if s.Error != "" {
			return "The conversation could not be opened: " + s.Error + "."
		}
		return "The conversation could not be opened."
	case switchboard.EndAdmin:
		return "An administrator ended the conversation."
	case switchboard.EndTimeout:
		return "Nobody took the conversation in time: the customer went back to the bot."
	default:
		return "The conversation has ended."
	}
}

// shortDuration writes whole minutes and hours without zero units: "30m",
// "1h", "1h30m".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// payloadText renders a message body in one line of text.
func payloadText(p switchboard.Payload) string {
	var c map[string]any
	_ = json.Unmarshal(p.Content, &c)
	str := func(k string) string { s, _ := c[k].(string); return s }
	switch p.ContentType {
	case "text":
		return str("text")
	case "payload":
		if t := str("title"); t != "" {
			return t
		}
		return str("payload")
	case "question":
		return str("title")
	case "image", "video", "audio", "file", "url":
		return "[" + p.ContentType + "] " + str("url")
	default:
		return "[" + p.ContentType + "]"
	}
}

// clip shortens s to n runes on one line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// isEndClick reports whether m is the customer's click on the button that
// ends a livechat session.
func isEndClick(m switchboard.Message) bool {
	if m.Direction != switchboard.DirectionReceive || m.Payload.ContentType != "payload" {
		return false
	}
	var c struct{ Payload string }
	return json.Unmarshal(m.Payload.Content, &c) == nil && c.Payload == switchboard.PayloadSessionEnd
}
