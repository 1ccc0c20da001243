package httpapi_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// The tests of this file are written from CSML Studio's API reference (the
// docs-studio repository: api/authentication.md and
// api/api-reference/{chat,broadcasts,conversations}-api.md): its signing
// recipe, in seconds, and its examples' literal bodies.

// studioSigned signs as the reference's recipe does: x-api-key is
// API_KEY|TIMESTAMP with the unix time in seconds, x-api-signature is
// sha256= and the hex HMAC-SHA256 of that value keyed with the secret.
func (f *fixture) studioSigned() http.Header {
	value := f.key + "|" + strconv.FormatInt(time.Now().Unix(), 10)
	m := hmac.New(sha256.New, f.secret)
	m.Write([]byte(value))
	return http.Header{"x-api-key": {value}, "x-api-signature": {"sha256=" + hex.EncodeToString(m.Sum(nil))}}
}

func TestStudioChatExamples(t *testing.T) {
	f := newFixture(t)
	// chat-api.md, "POST /chat".
	hello := []byte(`{
            "client": {
              "user_id": "some-user-id"
            },
            "metadata": {
              "firstname": "John",
              "lastname": "Doe"
            },
            "request_id": "random-id",
            "payload": {
              "content": {
                "text": "Hello"
              },
              "content_type": "text"
            }
          }`)
	r := f.chat(f.studioSigned(), hello)
	if r.RequestID != "random-id" || r.InteractionID == "" || !r.IsAuthorized || r.ReceivedAt.IsZero() || r.Client.UserID != "some-user-id" || r.Client.BotID == "" || r.Client.ChannelID == "" {
		t.Errorf("the answer lacks the documented fields: %+v", r)
	}
	if len(r.Messages) != 1 || r.Messages[0].Direction != "SEND" || r.Messages[0].InteractionOrder != 0 || r.Messages[0].ConversationID == "" || r.texts()[0] != "text|Hello|-" {
		t.Errorf("messages %+v, want one SEND numbered 0 as in the example", r.Messages)
	}
	// chat-api.md, "Triggering a specific flow", with its literal ids: the
	// id reused with another payload is refused; a fresh one runs.
	trigger := `{
  "client": {
    "user_id": "some-user-id"
  },
  "metadata": {
    "key": "value",
    "otherkey": "othervalue"
  },
  "request_id": "%s",
  "payload": {
    "content": {
      "flow_id": "myflow",
      "close_flows": true
    },
    "content_type": "flow_trigger"
  }
}`
	f.errorOf("POST", "/v1/api/chat", f.studioSigned(), []byte(fmt.Sprintf(trigger, "random-id")), http.StatusConflict)
	news := f.chat(f.studioSigned(), []byte(fmt.Sprintf(trigger, "random-id-2")))
	if got := news.texts(); len(got) != 2 || got[0] != "news 1 for Null" || news.Messages[0].InteractionOrder != 0 || news.Messages[1].InteractionOrder != 1 {
		t.Errorf("flow_trigger myflow: %q %+v", got, news.Messages)
	}
}

func TestStudioBroadcastAndConversationExamples(t *testing.T) {
	f := newFixture(t)
	// broadcasts-api.md, "POST /broadcasts".
	var b struct {
		RequestID string `json:"request_id"`
		Client    struct {
			UserID, BotID, ChannelID string
		} `json:"client"`
		Payload  map[string]any    `json:"payload"`
		Metadata map[string]string `json:"metadata"`
	}
	body := []byte(`{
  "payload": {
    "content": {
      "flow_id": "myflow"
    },
    "content_type": "flow_trigger"
  },
  "client": {
    "user_id": "some-user-id"
  },
  "metadata": {
    "somekey": "somevalue"
  }
}`)
	if res := f.call("POST", "/v1/api/broadcasts", f.studioSigned(), body, &b); res.StatusCode != http.StatusOK || b.RequestID == "" || b.Payload["content_type"] != "flow_trigger" || b.Metadata["somekey"] != "somevalue" {
		t.Fatalf("broadcast → %d %+v", res.StatusCode, b)
	}
	// conversations-api.md, "POST /conversations/open": the broadcast's
	// flow ended, so a chat opens one to look at.
	f.chat(f.studioSigned(), event("some-user-id", "text", map[string]any{"text": "hi"}, nil))
	var open struct {
		HasOpen      bool `json:"has_open"`
		Conversation struct {
			ID       string            `json:"id"`
			FlowID   string            `json:"flow_id"`
			StepID   string            `json:"step_id"`
			Status   string            `json:"status"`
			Metadata map[string]string `json:"metadata"`
			Client   struct {
				UserID string `json:"user_id"`
			} `json:"client"`
			LastInteractionAt time.Time `json:"last_interaction_at"`
			CreatedAt         time.Time `json:"created_at"`
		} `json:"conversation"`
	}
	res := f.call("POST", "/v1/api/conversations/open", f.studioSigned(), []byte(`{
          "user_id": "some-user-id"
        }`), &open)
	c := open.Conversation
	if res.StatusCode != http.StatusOK || !open.HasOpen || c.ID == "" || c.Status != "OPEN" || c.StepID != "start" || c.Client.UserID != "some-user-id" || c.Metadata["somekey"] != "somevalue" || c.CreatedAt.IsZero() {
		t.Errorf("conversations/open → %d %+v", res.StatusCode, open)
	}
	var closed struct {
		Closed bool `json:"closed"`
	}
	if f.call("POST", "/v1/api/conversations/close", f.studioSigned(), []byte(`{"user_id": "some-user-id"}`), &closed); !closed.Closed {
		t.Error("conversations/close closed nothing")
	}
}
