package httpapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"switchboard"
	"switchboard/engine"
	"switchboard/httpx"
)

// eventRequest is the body of POST /v1/api/chat and /v1/api/broadcasts, in
// CSML Studio's shape.
type eventRequest struct {
	Client      clientIn        `json:"client"`
	Metadata    json.RawMessage `json:"metadata,omitempty"`
	RequestID   string          `json:"request_id,omitempty"`
	CallbackURL string          `json:"callback_url,omitempty"`
	Payload     *payloadIn      `json:"payload"`
}

// clientIn names the user; bot_id and channel_id, when sent, must be the
// API key's.
type clientIn struct {
	UserID    string `json:"user_id"`
	BotID     string `json:"bot_id,omitempty"`
	ChannelID string `json:"channel_id,omitempty"`
}

type payloadIn struct {
	ContentType string          `json:"content_type"`
	Content     json.RawMessage `json:"content"`
}

// Limits of an event request's fields.
const (
	maxRequestID   = 200
	maxCallbackURL = 2000
)

// decodeEvent reads and checks an event request; the engine checks the
// payload's content.
func (a *API) decodeEvent(w http.ResponseWriter, r *http.Request, c *caller) (engine.Request, error) {
	var in eventRequest
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		return engine.Request{}, err
	}
	ch := c.channel
	switch {
	case in.Client.BotID != "" && in.Client.BotID != ch.BotID:
		return engine.Request{}, switchboard.Errorf(switchboard.EINVALID, "client.bot_id %q is not the bot of this API key (%s): leave it out", in.Client.BotID, ch.BotID)
	case in.Client.ChannelID != "" && in.Client.ChannelID != ch.ID:
		return engine.Request{}, switchboard.Errorf(switchboard.EINVALID, "client.channel_id %q is not the channel of this API key (%s): leave it out", in.Client.ChannelID, ch.ID)
	case in.Payload == nil:
		return engine.Request{}, switchboard.Errorf(switchboard.EINVALID, `payload is missing: send {"content_type": "text", "content": {"text": "Hello"}}`)
	case in.Payload.ContentType == "":
		return engine.Request{}, switchboard.Errorf(switchboard.EINVALID, "payload.content_type is missing: use text, payload, flow_trigger, image, video, audio, file or url")
	case len(in.Payload.Content) == 0 || string(in.Payload.Content) == "null":
		return engine.Request{}, switchboard.Errorf(switchboard.EINVALID, "payload.content is missing: an object such as {\"text\": \"Hello\"}")
	case utf8.RuneCountInString(in.RequestID) > maxRequestID:
		return engine.Request{}, switchboard.Errorf(switchboard.EINVALID, "request_id is longer than %d characters", maxRequestID)
	}
	if in.CallbackURL != "" {
		if !c.signed {
			return engine.Request{}, switchboard.Errorf(switchboard.EFORBIDDEN, "callback_url needs a signed request (private mode): with the public key alone, anyone could redirect a user's messages")
		}
		if err := a.checkCallbackURL(in.CallbackURL); err != nil {
			return engine.Request{}, err
		}
	}
	if string(in.Metadata) == "null" {
		in.Metadata = nil
	}
	if in.Payload.ContentType == "flow_trigger" {
		if err := a.checkFlowTrigger(ch.BotID, in.Payload.Content); err != nil {
			return engine.Request{}, err
		}
	}
	if in.RequestID == "" {
		in.RequestID = c.replayID
	}
	return engine.Request{
		Client:    switchboard.ClientKey{BotID: ch.BotID, ChannelID: ch.ID, UserID: in.Client.UserID},
		RequestID: in.RequestID,
		Payload:   switchboard.Payload{ContentType: in.Payload.ContentType, Content: in.Payload.Content},
		Metadata:  in.Metadata,
		// The public key proves nothing of who the user is: it may name a
		// new user's metadata, not change an existing one's.
		KeepMetadata:   !c.signed,
		CallbackURL:    in.CallbackURL,
		DeliverReplies: c.hook.SyncReplies,
	}, nil
}

// checkFlowTrigger refuses a flow_trigger whose flow (or step) the bot does
// not have: the CSML engine would run the default flow instead, and the app
// would never know that its flow id is wrong.
func (a *API) checkFlowTrigger(botID string, content json.RawMessage) error {
	var trig struct {
		FlowID string `json:"flow_id"`
		StepID string `json:"step_id"`
	}
	if json.Unmarshal(content, &trig) != nil || trig.FlowID == "" {
		return nil // the engine names what is wrong with the content
	}
	bot, ok := a.engine.Bots().Get(botID)
	if !ok {
		return nil // the engine says the bot is not loaded
	}
	switch flow, ok := bot.Program.FlowByName(trig.FlowID); {
	case !ok:
		return switchboard.Errorf(switchboard.EINVALID, "payload.content.flow_id %q is not a flow of bot %s: use the id or the name of one of its flows (GET /v1/api/bot/flows lists them)", trig.FlowID, botID)
	case trig.StepID != "" && !bot.Program.HasStep(flow, trig.StepID):
		return switchboard.Errorf(switchboard.EINVALID, "payload.content.step_id %q is not a step of flow %s", trig.StepID, flow)
	}
	return nil
}

// checkCallbackURL accepts absolute http and https URLs, but not to an
// internal address written in the URL (the dial-time check in Deliver
// catches names that resolve to one).
func (a *API) checkCallbackURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case len(raw) > maxCallbackURL:
		return switchboard.Errorf(switchboard.EINVALID, "callback_url is longer than %d characters", maxCallbackURL)
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return switchboard.Errorf(switchboard.EINVALID, "callback_url %q is not an http(s) URL such as https://app.example.com/switchboard", raw)
	case u.User != nil:
		return switchboard.Errorf(switchboard.EINVALID, "callback_url must not carry a user name or password: verify our signature instead")
	case a.callbacks.CheckHost(u.Host) != nil:
		return switchboard.Errorf(switchboard.EINVALID, "callback_url host %s is a loopback, private or link-local address, which switchboard does not call: give your app's public URL, or, if it runs on this host or network, list its address in the server's callback_allow setting (SWITCHBOARD_CALLBACK_ALLOW)", u.Host)
	}
	return nil
}

// chatResponse is CSML Studio's answer to a chat request, with what
// switchboard adds: the livechat session the user is in, if any.
type chatResponse struct {
	RequestID       string    `json:"request_id"`
	InteractionID   string    `json:"interaction_id"`
	Messages        []message `json:"messages"`
	Client          clientOut `json:"client"`
	ReceivedAt      time.Time `json:"received_at"`
	IsAuthorized    bool      `json:"is_authorized"`
	ConversationEnd bool      `json:"conversation_end"`
	// Livechat is the user's live session: while it is set, messages go to
	// agents and their replies come to the callback URL.
	Livechat *livechatState `json:"livechat"`
}

// livechatState is a live session as a client sees it.
type livechatState struct {
	SessionID string                   `json:"session_id"`
	State     switchboard.SessionState `json:"state"`
	Platform  string                   `json:"platform"`
	AgentName string                   `json:"agent_name,omitempty"`
	StartedAt time.Time                `json:"started_at"`
}

func livechatOf(s *switchboard.Session) *livechatState {
	if s == nil || !s.Live() {
		return nil
	}
	return &livechatState{SessionID: s.ID, State: s.State, Platform: s.Platform, AgentName: s.AgentName, StartedAt: s.CreatedAt}
}

// chat runs one event of a user and answers the bot's replies; during a
// livechat session the event goes to the agent and the answer says so.
func (a *API) chat(w http.ResponseWriter, r *http.Request, c *caller) {
	req, err := a.decodeEvent(w, r, c)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	reply, err := a.engine.HandleEvent(r.Context(), req)
	if err == nil && reply.Duplicate && !c.signed {
		// Anyone with the public key may send any user_id and request_id:
		// the stored reply goes back only to a signed request.
		err = switchboard.Errorf(switchboard.ECONFLICT,
			"request_id %q was already handled for this user: with the public key alone its reply is not sent again (anyone could ask for it); send a new request_id for a new event, or sign the request (private mode) to get the stored reply", req.RequestID)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := chatResponse{
		RequestID: reply.RequestID, Messages: answerOf(reply.Messages), Client: clientOf(req.Client),
		IsAuthorized: true, ConversationEnd: reply.ConversationEnd, Livechat: livechatOf(reply.Session),
	}
	if m := reply.Received; m != nil {
		out.InteractionID, out.ReceivedAt = strconv.FormatInt(m.ID, 10), m.CreatedAt
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
