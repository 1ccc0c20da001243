package httpapi

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"switchboard"
	"switchboard/botfile"
	"switchboard/engine"
	"switchboard/httpx"
)

// The CSML engine server API: the routes of the reference's csml_server
// (csml-engine repository, csml_server/src/main.rs and routes/, its
// swagger.yaml), under EnginePrefix, so that an application written for a
// self-hosted CSML engine moves by setting its engine URL to
// http://HOST/v1/engine. Requests carry one of the configured keys in
// X-Api-Key, as the reference's ENGINE_SERVER_API_KEYS; without keys the
// API is off (the reference then serves anyone).

// EnginePrefix is where the CSML engine server API is served.
const EnginePrefix = "/v1/engine"

// engineRoutes registers the engine server API on mux.
func (a *API) engineRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+EnginePrefix+"/status", a.engineStatus)
	for route, fn := range map[string]http.HandlerFunc{
		"POST /run":                                a.engineRun,
		"POST /validate":                           a.engineValidate,
		"POST /bots":                               a.engineAddBot,
		"GET /bots/{bot_id}":                       a.engineLatestBot,
		"GET /bots/{bot_id}/versions":              a.engineBotVersions,
		"GET /bots/{bot_id}/versions/{version}":    a.engineBotVersion,
		"DELETE /bots/{bot_id}":                    a.engineDeleteBot,
		"DELETE /bots/{bot_id}/versions/{version}": a.engineDeleteBotVersion,
		"DELETE /data/bots/{bot_id}":               a.engineDeleteBotData,
		"DELETE /data/clients":                     a.engineDeleteClient,
		"POST /data/cleanup":                       a.engineCleanup,
		"POST /conversations/open":                 a.engineOpenConversation,
		"POST /conversations/close":                a.engineCloseConversations,
		"GET /conversations":                       a.engineConversations,
		"GET /messages":                            a.engineMessages,
		"GET /state":                               a.engineState,
		"GET /memories":                            a.engineMemories,
		"POST /memories":                           a.engineCreateMemory,
		"DELETE /memories":                         a.engineDeleteMemories,
		"GET /memories/{key}":                      a.engineMemory,
		"DELETE /memories/{key}":                   a.engineDeleteMemory,
	} {
		method, path, _ := strings.Cut(route, " ")
		mux.Handle(method+" "+EnginePrefix+path, a.engineKey(fn))
	}
	mux.HandleFunc(EnginePrefix+"/", func(w http.ResponseWriter, r *http.Request) {
		a.fail(w, r, switchboard.Errorf(switchboard.ENOTFOUND, "no CSML engine API at %s %s: docs/api.md lists the routes switchboard serves", r.Method, r.URL.Path))
	})
}

// engineKey admits requests whose X-Api-Key is one of the engine keys.
func (a *API) engineKey(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get(headerKey))
		ok := false
		for _, k := range a.engineKeys {
			ok = ok || subtle.ConstantTimeCompare(got, []byte(k)) == 1
		}
		switch {
		case len(a.engineKeys) == 0:
			a.fail(w, r, switchboard.Errorf(switchboard.EFORBIDDEN, "the CSML engine API is off: set SWITCHBOARD_ENGINE_API_KEYS (comma-separated keys) and send one in X-Api-Key"))
		case len(got) == 0:
			a.fail(w, r, switchboard.Errorf(switchboard.EFORBIDDEN, "missing X-Api-Key header: send one of the engine API keys (SWITCHBOARD_ENGINE_API_KEYS)"))
		case !ok:
			a.fail(w, r, switchboard.Errorf(switchboard.EFORBIDDEN, "X-Api-Key is not one of the engine API keys (SWITCHBOARD_ENGINE_API_KEYS)"))
		default:
			next(w, r)
		}
	})
}

// engineStatus is the reference's GET /status.
func (a *API) engineStatus(w http.ResponseWriter, r *http.Request) {
	httpx.WriteJSON(w, http.StatusOK, map[string]any{
		"server_ready": true, "database_type": "switchboard", "server_auth_enabled": len(a.engineKeys) > 0,
		"encryption_enabled": false, "debug_mode_enabled": false, "engine_version": engineVersion,
	})
}

// engineClient is the reference's Client.
type engineClient struct {
	BotID     string `json:"bot_id"`
	ChannelID string `json:"channel_id"`
	UserID    string `json:"user_id"`
}

func (c engineClient) key() (switchboard.ClientKey, error) {
	k := switchboard.ClientKey{BotID: c.BotID, ChannelID: c.ChannelID, UserID: c.UserID}
	for name, v := range map[string]string{"bot_id": k.BotID, "channel_id": k.ChannelID, "user_id": k.UserID} {
		if v == "" {
			return k, switchboard.Errorf(switchboard.EINVALID, "client %s is missing: name the client with bot_id, channel_id and user_id", name)
		}
	}
	return k, nil
}

// queryClient reads the client of ?bot_id=&channel_id=&user_id=.
func queryClient(r *http.Request) (switchboard.ClientKey, error) {
	q := r.URL.Query()
	return engineClient{BotID: q.Get("bot_id"), ChannelID: q.Get("channel_id"), UserID: q.Get("user_id")}.key()
}

// runRequest is the body of POST /run: a bot (JSON), or the id of a stored
// one, and the event.
type runRequest struct {
	Bot          json.RawMessage `json:"bot"`
	BotID        string          `json:"bot_id"`
	VersionID    string          `json:"version_id"`
	AppsEndpoint string          `json:"apps_endpoint"`
	Multibot     json.RawMessage `json:"multibot"`
	Event        *struct {
		RequestID   string          `json:"request_id"`
		Client      engineClient    `json:"client"`
		Payload     *payloadIn      `json:"payload"`
		Metadata    json.RawMessage `json:"metadata"`
		CallbackURL string          `json:"callback_url"`
		TTLDuration json.RawMessage `json:"ttl_duration"`
		LowDataMode json.RawMessage `json:"low_data_mode"`
		StepLimit   json.RawMessage `json:"step_limit"`
	} `json:"event"`
}

// runResponse is the reference's answer to /run.
type runResponse struct {
	Messages        []message    `json:"messages"`
	ConversationEnd bool         `json:"conversation_end"`
	RequestID       string       `json:"request_id"`
	ReceivedAt      time.Time    `json:"received_at"`
	InteractionID   string       `json:"interaction_id"`
	Client          engineClient `json:"client"`
}

// engineRun runs an event with a bot given whole, or stored. switchboard
// runs one version of a bot at a time: a bot given whole that differs from
// the running one becomes its new version.
func (a *API) engineRun(w http.ResponseWriter, r *http.Request) {
	var in runRequest
	if err := httpx.DecodeJSON(w, r, maxBody, false, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	req, err := a.runEvent(r.Context(), &in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	reply, err := a.engine.HandleEvent(r.Context(), req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	k := req.Client
	out := runResponse{
		Messages: answerOf(reply.Messages), ConversationEnd: reply.ConversationEnd, RequestID: reply.RequestID,
		Client: engineClient{BotID: k.BotID, ChannelID: k.ChannelID, UserID: k.UserID},
	}
	if m := reply.Received; m != nil {
		out.InteractionID, out.ReceivedAt = strconv.FormatInt(m.ID, 10), m.CreatedAt
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// runEvent checks a /run request, deploys its bot when given whole, and
// returns the engine's request.
func (a *API) runEvent(ctx context.Context, in *runRequest) (engine.Request, error) {
	ev := in.Event
	switch {
	case ev == nil:
		return engine.Request{}, switchboard.Errorf(switchboard.EINVALID, `event is missing: {"bot_id": "...", "event": {"client": {...}, "payload": {...}}}`)
	case ev.Payload == nil:
		return engine.Request{}, switchboard.Errorf(switchboard.EINVALID, "event.payload is missing")
	case ev.CallbackURL != "":
		return engine.Request{}, switchboard.Errorf(switchboard.EINVALID, "event.callback_url is not supported by switchboard's engine API: read the answer of /run, or use the Chat API (/v1/api) of an API channel, whose webhook and callback_url receive asynchronous messages")
	case len(in.Multibot) > 0 && string(in.Multibot) != "null":
		return engine.Request{}, switchboard.Errorf(switchboard.EINVALID, "multibot is not taken from requests: in switchboard the bots a conversation may switch to are its channel's setting (PUT /v1/admin/channels/{id}/multibot)")
	}
	botID := in.BotID
	if len(in.Bot) > 0 && string(in.Bot) != "null" {
		bot, err := parseBot(in.Bot)
		if err == nil {
			_, err = a.deploy(ctx, bot, nil)
		}
		if err != nil {
			return engine.Request{}, err
		}
		botID = bot.ID
	}
	running, ok := a.engine.Bots().Get(botID)
	switch {
	case botID == "":
		return engine.Request{}, switchboard.Errorf(switchboard.EINVALID, "give the bot: bot (its JSON), or bot_id (its latest version), or bot_id and version_id")
	case !ok:
		return engine.Request{}, switchboard.Errorf(switchboard.ENOTFOUND, "bot %q has no version: POST /bots first, or send the bot's JSON in bot", botID)
	case in.VersionID != "" && in.VersionID != running.Version.VersionID:
		return engine.Request{}, switchboard.Errorf(switchboard.ECONFLICT, "version %q of bot %s is not the one that runs (%s): switchboard runs the latest version of a bot; run without version_id, or make that version the latest (POST /bots with it)", in.VersionID, botID, running.Version.VersionID)
	case ev.Client.BotID != "" && ev.Client.BotID != botID:
		return engine.Request{}, switchboard.Errorf(switchboard.EINVALID, "event.client.bot_id %q is not the bot run (%s)", ev.Client.BotID, botID)
	}
	ev.Client.BotID = botID
	key, err := ev.Client.key()
	if err != nil {
		return engine.Request{}, err
	}
	meta := ev.Metadata
	if string(meta) == "null" {
		meta = nil
	}
	return engine.Request{
		Client: key, RequestID: ev.RequestID, Metadata: meta,
		Payload: switchboard.Payload{ContentType: ev.Payload.ContentType, Content: ev.Payload.Content},
	}, nil
}

// deploy makes a bot the latest version of its id and runs it, unless it
// is the running version already; also, when given, runs in the same
// transaction. A bot that does not compile is refused with every error, and
// nothing changes.
func (a *API) deploy(ctx context.Context, bot switchboard.Bot, also func(tx switchboard.Tx, v switchboard.BotVersion) error) (switchboard.BotVersion, error) {
	v := switchboard.NewBotVersion(bot, a.clock.Now())
	running, ok := a.engine.Bots().Get(bot.ID)
	same := ok && running.Version.VersionID == v.VersionID
	if same {
		v = running.Version
		if also == nil {
			return v, nil
		}
	} else if _, err := engine.Compile(v); err != nil {
		return v, err
	}
	err := a.store.Update(ctx, func(tx switchboard.Tx) error {
		if !same {
			if err := tx.PutBotVersion(ctx, &v); err != nil {
				return fmt.Errorf("store bot %s: %w", bot.ID, err)
			}
		}
		if also != nil {
			return also(tx, v)
		}
		return nil
	})
	if err != nil || same {
		return v, err
	}
	if _, err := a.engine.Bots().Put(v); err != nil {
		return v, err
	}
	if a.notifier != nil {
		a.notifier.Notify(switchboard.TopicBots)
	}
	a.log.InfoContext(ctx, "bot version added", "bot", v.Bot.ID, "version", v.VersionID)
	return v, nil
}

// parseBot reads a bot given as JSON (the reference's BotModel).
func parseBot(raw []byte) (switchboard.Bot, error) {
	bot, err := botfile.Parse(raw)
	if err != nil {
		return bot, switchboard.Errorf(switchboard.EINVALID, "bot: %v", err)
	}
	for _, m := range bot.Modules {
		if m.Flow == nil {
			// Downloading here would download at every run of a bot sent whole.
			return bot, switchboard.Errorf(switchboard.EINVALID, "bot: module %q has no flow: the engine API takes modules with their flow inline; one given by url is downloaded by the admin import (POST /v1/admin/bots)", m.Name)
		}
	}
	return bot, nil
}

// engineValidate is the reference's POST /validate: a bot's errors.
func (a *API) engineValidate(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, maxBody)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	bot, err := parseBot(body)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, validationOf(engine.Diagnose(bot)))
}

// versionCreated is the reference's answer to POST /bots.
type versionCreated struct {
	VersionID     string `json:"version_id"`
	EngineVersion string `json:"engine_version"`
}

// engineAddBot is the reference's POST /bots: a new version, which runs.
func (a *API) engineAddBot(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, maxBody)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	bot, err := parseBot(body)
	var v switchboard.BotVersion
	if err == nil {
		v, err = a.deploy(r.Context(), bot, nil)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, versionCreated{VersionID: v.VersionID, EngineVersion: engineVersion})
}

// botVersionOut is a version as the reference shows it: the bot's fields
// and the version's (flows only when one version is asked for).
type botVersionOut struct {
	switchboard.Bot
	Flows         []switchboard.Flow `json:"flows,omitempty"`
	VersionID     string             `json:"version_id"`
	EngineVersion string             `json:"engine_version"`
	CreatedAt     time.Time          `json:"created_at"`
}

func botVersionOf(v switchboard.BotVersion, flows bool) botVersionOut {
	out := botVersionOut{Bot: v.Bot, VersionID: v.VersionID, EngineVersion: engineVersion, CreatedAt: v.CreatedAt}
	if flows {
		out.Flows = v.Bot.Flows
	}
	return out
}

// engineLatestBot is the reference's GET /bots/{bot_id}.
func (a *API) engineLatestBot(w http.ResponseWriter, r *http.Request) {
	v, err := read(r.Context(), a.store, func(tx switchboard.Tx) (*switchboard.BotVersion, error) {
		return tx.LatestBot(r.Context(), r.PathValue("bot_id"))
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, botVersionOf(*v, true))
}

// engineBotVersions is the reference's GET /bots/{bot_id}/versions: newest
// first, without the flows, limit (default 20) at a time; pagination_key
// asks for the next ones.
func (a *API) engineBotVersions(w http.ResponseWriter, r *http.Request) {
	limit, from, err := enginePage(r)
	var vs []switchboard.BotVersion
	if err == nil {
		vs, err = read(r.Context(), a.store, func(tx switchboard.Tx) ([]switchboard.BotVersion, error) {
			return tx.BotVersions(r.Context(), r.PathValue("bot_id"))
		})
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := struct {
		Bots          []botVersionOut `json:"bots"`
		PaginationKey string          `json:"pagination_key,omitempty"`
	}{Bots: []botVersionOut{}}
	vs, out.PaginationKey = offsetPage(vs[min(int(from), len(vs)):], limit, from)
	for _, v := range vs {
		out.Bots = append(out.Bots, botVersionOf(v, false))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// offsetPage keeps the first limit of items read from offset from on, and
// gives the pagination_key of the next page when there are more.
func offsetPage[T any](items []T, limit, from int64) ([]T, string) {
	if int64(len(items)) <= limit {
		return items, ""
	}
	return items[:limit], strconv.FormatInt(from+limit, 10)
}

// enginePage reads the reference's paging: ?limit= (default 20) and
// ?pagination_key=, the key a previous page answered (0 when absent).
func enginePage(r *http.Request) (limit, key int64, err error) {
	q := r.URL.Query()
	if limit, err = limitParam(q, 20); err == nil {
		key, err = intParam(q.Get("pagination_key"), "pagination_key", 0)
	}
	return limit, key, err
}

// engineBotVersion is the reference's GET /bots/{bot_id}/versions/{id}.
func (a *API) engineBotVersion(w http.ResponseWriter, r *http.Request) {
	v, err := read(r.Context(), a.store, func(tx switchboard.Tx) (*switchboard.BotVersion, error) {
		return findVersion(r.Context(), tx, r.PathValue("bot_id"), r.PathValue("version"))
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, botVersionOf(*v, true))
}

// bodyClient reads a client from a JSON body.
func bodyClient(w http.ResponseWriter, r *http.Request) (switchboard.ClientKey, error) {
	var c engineClient
	if err := httpx.DecodeJSON(w, r, maxBody, true, &c); err != nil {
		return switchboard.ClientKey{}, err
	}
	return c.key()
}

// engineOpenConversation is the reference's POST /conversations/open: the
// open conversation, or an empty answer.
func (a *API) engineOpenConversation(w http.ResponseWriter, r *http.Request) {
	key, err := bodyClient(w, r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	conv, err := read(r.Context(), a.store, func(tx switchboard.Tx) (*switchboard.Conversation, error) {
		return tx.FindOpenConversation(r.Context(), key)
	})
	switch {
	case err != nil:
		a.fail(w, r, err)
	case conv == nil:
		w.WriteHeader(http.StatusOK)
	default:
		httpx.WriteJSON(w, http.StatusOK, conv)
	}
}

// engineCloseConversations is the reference's POST /conversations/close.
func (a *API) engineCloseConversations(w http.ResponseWriter, r *http.Request) {
	key, err := bodyClient(w, r)
	if err == nil {
		_, err = a.engine.CloseConversations(r.Context(), key)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// engineConversations is the reference's GET /conversations: a client's
// conversations, newest first, limit (default 20) at a time; pagination_key
// asks for the next ones. (The reference answers {"conversations"}, as here,
// though its swagger.yaml says a bare array.)
func (a *API) engineConversations(w http.ResponseWriter, r *http.Request) {
	key, err := queryClient(r)
	var limit, from int64
	if err == nil {
		limit, from, err = enginePage(r)
	}
	var cs []switchboard.Conversation
	if err == nil {
		cs, err = read(r.Context(), a.store, func(tx switchboard.Tx) ([]switchboard.Conversation, error) {
			return tx.ClientConversations(r.Context(), key, int(limit)+1, int(from))
		})
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := struct {
		Conversations []switchboard.Conversation `json:"conversations"`
		PaginationKey string                     `json:"pagination_key,omitempty"`
	}{Conversations: []switchboard.Conversation{}}
	cs, out.PaginationKey = offsetPage(cs, limit, from)
	out.Conversations = append(out.Conversations, cs...)
	httpx.WriteJSON(w, http.StatusOK, out)
}

// engineMessage is a message as the reference lists it.
type engineMessage struct {
	message
	Client engineClient `json:"client"`
}

// engineMessages is the reference's GET /messages: a client's messages,
// newest first, limit (default 20) at a time; pagination_key asks for the
// older ones.
func (a *API) engineMessages(w http.ResponseWriter, r *http.Request) {
	key, err := queryClient(r)
	var limit, before int64
	if err == nil {
		limit, before, err = enginePage(r)
	}
	var ms []switchboard.Message
	if err == nil {
		ms, err = read(r.Context(), a.store, func(tx switchboard.Tx) ([]switchboard.Message, error) {
			return tx.LastMessages(r.Context(), key, before, int(limit)+1)
		})
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := struct {
		Messages      []engineMessage `json:"messages"`
		PaginationKey string          `json:"pagination_key,omitempty"`
	}{Messages: []engineMessage{}}
	if len(ms) > int(limit) {
		ms = ms[1:]
		out.PaginationKey = strconv.FormatInt(ms[0].ID, 10)
	}
	c := engineClient{BotID: key.BotID, ChannelID: key.ChannelID, UserID: key.UserID}
	for i := len(ms) - 1; i >= 0; i-- {
		out.Messages = append(out.Messages, engineMessage{message: messageOf(ms[i]), Client: c})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// engineState is the reference's GET /state: where the client's
// conversation waits (its hold), or an empty answer.
func (a *API) engineState(w http.ResponseWriter, r *http.Request) {
	key, err := queryClient(r)
	var conv *switchboard.Conversation
	if err == nil {
		conv, err = read(r.Context(), a.store, func(tx switchboard.Tx) (*switchboard.Conversation, error) {
			return tx.FindOpenConversation(r.Context(), key)
		})
	}
	switch {
	case err != nil:
		a.fail(w, r, err)
	case conv == nil || len(conv.Hold) == 0:
		w.WriteHeader(http.StatusOK)
	default:
		httpx.WriteJSON(w, http.StatusOK, map[string]any{
			"client": engineClient{BotID: key.BotID, ChannelID: key.ChannelID, UserID: key.UserID},
			"type":   "hold", "value": conv.Hold, "created_at": conv.UpdatedAt,
		})
	}
}

// engineMemories is the reference's GET /memories.
func (a *API) engineMemories(w http.ResponseWriter, r *http.Request) {
	key, err := queryClient(r)
	var ms []switchboard.Memory
	if err == nil {
		ms, err = read(r.Context(), a.store, func(tx switchboard.Tx) ([]switchboard.Memory, error) { return tx.Memories(r.Context(), key) })
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if ms == nil {
		ms = []switchboard.Memory{}
	}
	httpx.WriteJSON(w, http.StatusOK, ms)
}

// engineMemory is the reference's GET /memories/{key}.
func (a *API) engineMemory(w http.ResponseWriter, r *http.Request) {
	key, err := queryClient(r)
	var found *switchboard.Memory
	if err == nil {
		err = a.store.View(r.Context(), func(tx switchboard.Tx) error {
			ms, err := tx.Memories(r.Context(), key)
			for i := range ms {
				if ms[i].Key == r.PathValue("key") {
					found = &ms[i]
				}
			}
			if err == nil && found == nil {
				err = switchboard.Errorf(switchboard.ENOTFOUND, "client %s remembers no %q", key, r.PathValue("key"))
			}
			return err
		})
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, found)
}

// memoryKey is what CSML accepts as a memory's name (remember NAME = ...).
var memoryKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// engineCreateMemory is the reference's POST /memories: {key, value}.
func (a *API) engineCreateMemory(w http.ResponseWriter, r *http.Request) {
	key, err := queryClient(r)
	var m switchboard.Memory
	if err == nil {
		err = httpx.DecodeJSON(w, r, maxBody, true, &m)
	}
	switch {
	case err != nil:
	case !memoryKey.MatchString(m.Key):
		err = switchboard.Errorf(switchboard.EINVALID, "key %q is not a memory name: letters, digits and _, not starting with a digit", m.Key)
	case len(m.Value) == 0:
		err = switchboard.Errorf(switchboard.EINVALID, "value is missing: any JSON value")
	default:
		err = a.engine.UpdateClient(r.Context(), key, func(tx switchboard.Tx) error { return tx.PutMemory(r.Context(), key, m) })
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, m)
}

// engineDeleteMemories is the reference's DELETE /memories.
func (a *API) engineDeleteMemories(w http.ResponseWriter, r *http.Request) {
	a.deleteMemories(w, r, nil)
}

// engineDeleteMemory is the reference's DELETE /memories/{key}.
func (a *API) engineDeleteMemory(w http.ResponseWriter, r *http.Request) {
	a.deleteMemories(w, r, []string{r.PathValue("key")})
}

// deleteMemories forgets the named memories of the query's client, or all.
func (a *API) deleteMemories(w http.ResponseWriter, r *http.Request, names []string) {
	key, err := queryClient(r)
	if err == nil {
		err = a.engine.UpdateClient(r.Context(), key, func(tx switchboard.Tx) error { return tx.DeleteMemories(r.Context(), key, names) })
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
