package chatwootsim

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"switchboard/internal/simkit"
	"switchboard/internal/simkit/simtest"
)

// client calls a simulator's API with a token.
type client struct {
	t     *testing.T
	base  string
	token string
}

func start(t *testing.T, cfg Config) (*Server, *client) {
	s := simtest.Start(t, Start, cfg)
	return s, &client{t: t, base: s.URL, token: DefaultUser.Token}
}

// as is the same client with another token.
func (c *client) as(token string) *client { return &client{t: c.t, base: c.base, token: token} }

// do sends a request and decodes the JSON answer (an object or an array).
func (c *client) do(method, path string, body any) (int, any) {
	c.t.Helper()
	st, out, _ := simtest.JSON(c.t, method, c.base+path, body, func(req *http.Request) {
		if c.token != "" {
			req.Header.Set("api_access_token", c.token)
		}
	})
	return st, out
}

func (c *client) send(req *http.Request) (int, any) {
	c.t.Helper()
	st, out, _ := simtest.Send(c.t, req)
	return st, out
}

// obj reads an answer as an object, fields by dotted path.
func obj(v any, path string) any { return simkit.Lookup(v, path) }

// setup makes an API inbox (with a webhook when given), a contact and an
// open conversation; it returns the inbox, the contact and the
// conversation's display id.
func setup(t *testing.T, c *client, webhook string) (inbox, contact, conv int64) {
	t.Helper()
	st, out := c.do("POST", "/api/v1/accounts/1/inboxes", map[string]any{"name": "Bots", "channel": map[string]any{"type": "api", "webhook_url": webhook}})
	if st != 200 {
		t.Fatalf("create inbox: %d %v", st, out)
	}
	inbox = int64(obj(out, "id").(float64))
	st, out = c.do("POST", "/api/v1/accounts/1/contacts", map[string]any{"inbox_id": inbox, "name": "Ada", "email": "ada@example.com"})
	if st != 200 {
		t.Fatalf("create contact: %d %v", st, out)
	}
	contact = int64(obj(out, "payload.contact.id").(float64))
	st, out = c.do("POST", fmt.Sprintf("/api/v1/accounts/1/contacts/%d/contact_inboxes", contact), map[string]any{"inbox_id": inbox, "source_id": "session-1"})
	if st != 200 {
		t.Fatalf("create contact inbox: %d %v", st, out)
	}
	st, out = c.do("POST", "/api/v1/accounts/1/conversations", map[string]any{"source_id": "session-1", "inbox_id": inbox, "contact_id": contact})
	if st != 200 {
		t.Fatalf("create conversation: %d %v", st, out)
	}
	return inbox, contact, int64(obj(out, "id").(float64))
}

func TestAuthenticationAndProfile(t *testing.T) {
	_, c := start(t, Config{})
	for _, tok := range []string{"", "nope"} {
		if st, out := c.as(tok).do("GET", "/api/v1/profile", nil); st != 401 || obj(out, "error") != "Invalid Access Token" {
			t.Errorf("token %q: %d %v", tok, st, out)
		}
	}
	req, _ := http.NewRequest("GET", c.base+"/api/v1/profile", nil)
	req.Header.Set("HTTP_API_ACCESS_TOKEN", DefaultUser.Token)
	st, out := c.send(req)
	if st != 200 || obj(out, "account_id") != 1.0 || obj(out, "email") != DefaultUser.Email {
		t.Fatalf("profile: %d %v", st, out)
	}
	if accts, _ := obj(out, "accounts").([]any); len(accts) != 1 || obj(accts[0], "role") != "administrator" {
		t.Errorf("accounts %v", obj(out, "accounts"))
	}
	if st, out := c.as(DefaultBot.Token).do("GET", "/api/v1/profile", nil); st != 401 || !strings.Contains(fmt.Sprint(out), "not authorized for bots") {
		t.Errorf("a bot's profile: %d %v", st, out)
	}
	if st, _ := c.do("GET", "/api/v1/accounts/9/inboxes", nil); st != 404 {
		t.Errorf("an unknown account: %d", st)
	}
}

func TestInboxesAreForAdministrators(t *testing.T) {
	agent := User{ID: 2, Name: "Intern", Token: "intern", Roles: map[int64]string{1: "agent"}}
	admin := DefaultUser
	admin.Roles = map[int64]string{1: "administrator"}
	_, c := start(t, Config{Users: []User{admin, agent}, Accounts: []Account{DefaultAccount, {ID: 2, Name: "Other"}}})
	body := map[string]any{"name": "Bots", "channel": map[string]any{"type": "api", "webhook_url": "https://sb.example.com/hook"}}
	if st, out := c.as(agent.Token).do("POST", "/api/v1/accounts/1/inboxes", body); st != 401 || obj(out, "error") != "You are not authorized to do this action" {
		t.Errorf("an agent made an inbox: %d %v", st, out)
	}
	if st, _ := c.do("GET", "/api/v1/accounts/2/inboxes", nil); st != 401 {
		t.Errorf("an account the user is not in: %d", st)
	}
	st, out := c.do("POST", "/api/v1/accounts/1/inboxes", body)
	if st != 200 || obj(out, "channel_type") != "Channel::Api" || obj(out, "secret") == nil || obj(out, "hmac_token") == nil || obj(out, "inbox_identifier") == nil {
		t.Fatalf("create inbox: %d %v", st, out)
	}
	id := obj(out, "id").(float64)
	st, out = c.as(agent.Token).do("GET", "/api/v1/accounts/1/inboxes", nil)
	if list, _ := obj(out, "payload").([]any); st != 200 || len(list) != 1 || obj(list[0], "secret") != nil || obj(list[0], "webhook_url") != "https://sb.example.com/hook" {
		t.Errorf("inboxes an agent reads: %d %v", st, out)
	}
	st, out = c.do("PATCH", fmt.Sprintf("/api/v1/accounts/1/inboxes/%v", id), map[string]any{"channel": map[string]any{"webhook_url": "https://sb.example.com/moved"}})
	if st != 200 || obj(out, "webhook_url") != "https://sb.example.com/moved" {
		t.Errorf("update webhook: %d %v", st, out)
	}
	if st, _ := c.do("POST", "/api/v1/accounts/1/inboxes", map[string]any{"name": "X", "channel": map[string]any{"type": "carrier_pigeon"}}); st != 422 {
		t.Errorf("an unknown channel type: %d", st)
	}
}

func TestContactsFollowChatwootsUniquenessRules(t *testing.T) {
	_, c := start(t, Config{})
	inbox, _, _ := setup(t, c, "")
	create := func(body map[string]any) (int, any) {
		body["inbox_id"] = inbox
		return c.do("POST", "/api/v1/accounts/1/contacts", body)
	}
	if st, out := c.do("POST", "/api/v1/accounts/1/contacts", map[string]any{"name": "No inbox"}); st != 422 {
		t.Errorf("no inbox_id: %d %v", st, out)
	}
	st, out := create(map[string]any{"name": "Bob", "identifier": "u-1", "phone_number": "+442079460958"})
	if st != 200 || obj(out, "payload.contact_inbox.source_id") == nil || obj(out, "payload.contact.identifier") != "u-1" {
		t.Fatalf("create: %d %v", st, out)
	}
	for name, c := range map[string]struct {
		body map[string]any
		msg  string
	}{
		"an email of another case": {map[string]any{"email": "ADA@example.com"}, "Email has already been taken"},
		"an identifier":            {map[string]any{"identifier": "u-1"}, "Identifier has already been taken"},
		"a phone":                  {map[string]any{"phone_number": "+442079460958"}, "Phone number has already been taken"},
		"a phone not in E.164":     {map[string]any{"phone_number": "020 7946 0958"}, "Phone number should be in e164 format"},
		"an invalid email":         {map[string]any{"email": "not an email"}, "Email Invalid email"},
	} {
		st, out := create(c.body)
		if st != 422 || !strings.Contains(fmt.Sprint(obj(out, "message")), c.msg) || obj(out, "attributes") == nil {
			t.Errorf("%s: %d %v", name, st, out)
		}
	}
	for i := range 20 {
		create(map[string]any{"name": fmt.Sprint("Searchable ", i), "email": fmt.Sprintf("s%d@example.com", i)})
	}
	create(map[string]any{"name": "Searchable but unknown"}) // no identifier, email or phone
	_, p1 := c.do("GET", "/api/v1/accounts/1/contacts/search?q=searchable", nil)
	_, p2 := c.do("GET", "/api/v1/accounts/1/contacts/search?q=searchable&page=2", nil)
	if l1, l2 := obj(p1, "payload").([]any), obj(p2, "payload").([]any); len(l1) != 15 || len(l2) != 5 || obj(p1, "meta.count") != 20.0 {
		t.Errorf("search pages: %d then %d, meta %v", len(l1), len(l2), obj(p1, "meta"))
	}
	_, f := c.do("POST", "/api/v1/accounts/1/contacts/filter", map[string]any{"payload": []any{map[string]any{"attribute_key": "identifier", "filter_operator": "equal_to", "values": []string{"u-1"}}}})
	if l := obj(f, "payload").([]any); len(l) != 1 || obj(l[0], "name") != "Bob" {
		t.Errorf("filter: %v", f)
	}
	id := obj(out, "payload.contact.id").(float64)
	if st, out := c.do("PUT", fmt.Sprintf("/api/v1/accounts/1/contacts/%v", id), map[string]any{"email": "ada@example.com"}); st != 422 {
		t.Errorf("update to a taken email: %d %v", st, out)
	}
	ci := fmt.Sprintf("/api/v1/accounts/1/contacts/%v/contact_inboxes", id)
	if st, _ := c.do("POST", ci, map[string]any{"inbox_id": inbox, "source_id": "session-9"}); st != 200 {
		t.Errorf("contact inbox: %d", st)
	}
	if st, out := c.do("POST", ci, map[string]any{"inbox_id": inbox, "source_id": "session-9"}); st != 422 {
		t.Errorf("a source_id taken: %d %v", st, out)
	}
	if st, out := c.do("GET", fmt.Sprintf("/api/v1/accounts/1/contacts/%v", id), nil); st != 200 || len(obj(out, "payload.contact_inboxes").([]any)) != 2 {
		t.Errorf("the contact with its inboxes: %d %v", st, out)
	}
}

func TestConversationsHaveDisplayIDsPerAccount(t *testing.T) {
	admin := DefaultUser
	admin.Roles = map[int64]string{1: "administrator", 2: "administrator"}
	_, c := start(t, Config{Users: []User{admin}, Accounts: []Account{DefaultAccount, {ID: 2, Name: "Other"}}})
	_, _, first := setup(t, c, "")
	if first != 1 {
		t.Errorf("the first conversation of account 1 is #%d", first)
	}
	if st, out := c.do("POST", "/api/v1/accounts/1/conversations", map[string]any{"source_id": "nobody", "inbox_id": 1}); st != 404 {
		t.Errorf("a source_id of no contact inbox: %d %v", st, out)
	}
	st, out := c.do("POST", "/api/v1/accounts/2/inboxes", map[string]any{"name": "B", "channel": map[string]any{"type": "api"}})
	inbox := obj(out, "id")
	_, out = c.do("POST", "/api/v1/accounts/2/contacts", map[string]any{"inbox_id": inbox, "name": "Zed"})
	source := obj(out, "payload.contact_inbox.source_id")
	st, out = c.do("POST", "/api/v1/accounts/2/conversations", map[string]any{"source_id": source, "inbox_id": inbox})
	if st != 200 || obj(out, "id") != 1.0 || obj(out, "status") != "open" {
		t.Errorf("the first conversation of account 2: %d %v", st, out)
	}
	path := fmt.Sprintf("/api/v1/accounts/1/conversations/%d", first)
	for _, want := range []string{"resolved", "open"} {
		st, out := c.do("POST", path+"/toggle_status", nil)
		if st != 200 || obj(out, "payload.current_status") != want || obj(out, "payload.success") != true || obj(out, "payload.conversation_id") != float64(first) {
			t.Errorf("toggle to %s: %d %v", want, st, out)
		}
	}
	if st, out := c.do("POST", path+"/toggle_status", map[string]any{"status": "pending"}); st != 200 || obj(out, "payload.current_status") != "pending" {
		t.Errorf("to pending: %d %v", st, out)
	}
	if st, _ := c.do("POST", path+"/toggle_status", map[string]any{"status": "closed"}); st != 422 {
		t.Errorf("an unknown status: %d", st)
	}
	if st, out := c.do("GET", "/api/v1/accounts/1/conversations/99", nil); st != 404 || obj(out, "error") == nil {
		t.Errorf("an unknown conversation: %d %v", st, out)
	}
	if st, out := c.do("GET", path, nil); st != 200 || obj(out, "status") != "pending" || obj(out, "inbox_id") != 1.0 {
		t.Errorf("get: %d %v", st, out)
	}
}

func TestMessages(t *testing.T) {
	_, c := start(t, Config{FloodLimit: 100})
	_, _, conv := setup(t, c, "")
	path := fmt.Sprintf("/api/v1/accounts/1/conversations/%d", conv)
	st, out := c.do("POST", path+"/messages", map[string]any{"content": "hi", "message_type": "incoming", "source_id": "x-1"})
	if st != 200 || obj(out, "message_type") != 0.0 || obj(out, "sender_type") != "Contact" || obj(out, "status") != "sent" || obj(out, "source_id") != "x-1" {
		t.Fatalf("incoming: %d %v", st, out)
	}
	if _, ok := obj(out, "created_at").(float64); !ok {
		t.Errorf("created_at is not unix seconds: %v", obj(out, "created_at"))
	}
	st, out = c.do("POST", path+"/messages", map[string]any{"content": "note", "private": true})
	if st != 200 || obj(out, "message_type") != 1.0 || obj(out, "private") != true || obj(out, "sender_type") != "User" {
		t.Errorf("a note: %d %v", st, out)
	}
	// An incoming message reopens a resolved conversation.
	c.do("POST", path+"/toggle_status", map[string]any{"status": "resolved"})
	c.do("POST", path+"/messages", map[string]any{"content": "again", "message_type": "incoming"})
	if _, out := c.do("GET", path, nil); obj(out, "status") != "open" {
		t.Errorf("after an incoming message the conversation is %v", obj(out, "status"))
	}
	if st, _ := c.do("POST", path+"/messages", map[string]any{"content": strings.Repeat("x", maxContent+1)}); st != 422 {
		t.Errorf("a message too long: %d", st)
	}
	for i := range 30 {
		c.do("POST", path+"/messages", map[string]any{"content": fmt.Sprint("m", i)})
	}
	ids := func(out any) []int {
		var n []int
		for _, m := range obj(out, "payload").([]any) {
			n = append(n, int(obj(m, "id").(float64)))
		}
		return n
	}
	_, latest := c.do("GET", path+"/messages", nil)
	l := ids(latest)
	_, before := c.do("GET", fmt.Sprintf("%s/messages?before=%d", path, l[0]), nil)
	b := ids(before)
	_, after := c.do("GET", fmt.Sprintf("%s/messages?after=%d&limit=5", path, b[0]), nil)
	if len(l) != 20 || len(b) != 15 || b[14] >= l[0] || len(ids(after)) != 5 || ids(after)[0] <= b[0] {
		t.Errorf("latest %v, before %v, after %v", l, b, ids(after))
	}
	_, public := c.do("GET", path+"/messages?filter_internal_messages=1", nil)
	for _, m := range obj(public, "payload").([]any) {
		if obj(m, "private") == true || obj(m, "message_type") == 2.0 {
			t.Errorf("filter_internal_messages kept %v", m)
		}
	}
	mid := l[19]
	if st, out := c.do("PATCH", fmt.Sprintf("%s/messages/%d", path, mid), map[string]any{"status": "delivered"}); st != 200 || obj(out, "status") != "delivered" {
		t.Errorf("mark delivered: %d %v", st, out)
	}
	if st, out := c.do("DELETE", fmt.Sprintf("%s/messages/%d", path, mid), nil); st != 200 || obj(out, "content") != "This message was deleted" {
		t.Errorf("delete: %d %v", st, out)
	}
	// A bot posts as itself, and may not read.
	bot := c.as(DefaultBot.Token)
	if st, out := bot.do("POST", path+"/messages", map[string]any{"content": "beep"}); st != 200 || obj(out, "sender_type") != "AgentBot" {
		t.Errorf("a bot's message: %d %v", st, out)
	}
	if st, _ := bot.do("GET", path+"/messages", nil); st != 401 {
		t.Errorf("a bot read messages: %d", st)
	}
	// Files come as multipart, and are served.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("content", "a file")
	fw, _ := mw.CreateFormFile("attachments[]", "label.txt")
	fw.Write([]byte("the label"))
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path+"/messages", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("api_access_token", c.token)
	st, out = c.send(req)
	files, _ := obj(out, "attachments").([]any)
	if st != 200 || len(files) != 1 {
		t.Fatalf("multipart: %d %v", st, out)
	}
	resp, err := http.Get(obj(files[0], "data_url").(string))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(data) != "the label" {
		t.Errorf("the file served: %q", data)
	}
}

func TestIncomingMessagesOnlyOnAPIInboxesAndTheFloodGuard(t *testing.T) {
	_, c := start(t, Config{FloodLimit: 3})
	_, out := c.do("POST", "/api/v1/accounts/1/inboxes", map[string]any{"name": "Site", "channel": map[string]any{"type": "web_widget"}})
	inbox := obj(out, "id")
	_, out = c.do("POST", "/api/v1/accounts/1/contacts", map[string]any{"inbox_id": inbox, "name": "Visitor"})
	_, out = c.do("POST", "/api/v1/accounts/1/conversations", map[string]any{"source_id": obj(out, "payload.contact_inbox.source_id"), "inbox_id": inbox})
	path := fmt.Sprintf("/api/v1/accounts/1/conversations/%v", obj(out, "id"))
	if st, out := c.do("POST", path+"/messages", map[string]any{"content": "hi", "message_type": "incoming"}); st != 422 || obj(out, "error") != "Incoming messages are only allowed in Api inboxes" {
		t.Errorf("incoming on a web widget: %d %v", st, out)
	}
	_, out = c.do("POST", path+"/messages", map[string]any{"content": "hello"})
	if st, out := c.do("PATCH", fmt.Sprintf("%s/messages/%v", path, obj(out, "id")), map[string]any{"status": "read"}); st != 403 {
		t.Errorf("a status update on a web widget: %d %v", st, out)
	}
	c.do("POST", path+"/messages", map[string]any{"content": "2"})
	c.do("POST", path+"/messages", map[string]any{"content": "3"})
	if st, out := c.do("POST", path+"/messages", map[string]any{"content": "4"}); st != 422 || obj(out, "message") != "Too many messages" {
		t.Errorf("past the flood limit: %d %v", st, out)
	}
}

func TestCannedResponses(t *testing.T) {
	_, c := start(t, Config{})
	st, out := c.do("GET", "/api/v1/accounts/1/canned_responses", nil)
	if list, _ := out.([]any); st != 200 || len(list) != 1 || obj(list[0], "short_code") != SignOffShortCode || !strings.HasSuffix(obj(list[0], "content").(string), "LIVECHAT_SESSION_END") {
		t.Fatalf("the sign-off canned response: %d %v", st, out)
	}
	st, out = c.do("POST", "/api/v1/accounts/1/canned_responses", map[string]any{"short_code": "hi", "content": "Hello!"})
	if st != 200 {
		t.Fatalf("create: %d %v", st, out)
	}
	id := obj(out, "id")
	if st, _ := c.do("POST", "/api/v1/accounts/1/canned_responses", map[string]any{"short_code": "hi", "content": "Again"}); st != 422 {
		t.Errorf("a short code taken: %d", st)
	}
	if st, out := c.do("PATCH", fmt.Sprintf("/api/v1/accounts/1/canned_responses/%v", id), map[string]any{"content": "Hi there!"}); st != 200 || obj(out, "content") != "Hi there!" {
		t.Errorf("update: %d %v", st, out)
	}
	if st, _ := c.do("DELETE", fmt.Sprintf("/api/v1/accounts/1/canned_responses/%v", id), nil); st != 200 {
		t.Errorf("delete: %d", st)
	}
}
