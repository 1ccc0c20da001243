package webapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"switchboard"
	"switchboard/httpx"
)

// visitor is an end user of a webapp channel as the page knows them: a user id
// and the token proving the server issued it for this channel.
type visitor struct {
	UserID string `json:"user_id"`
	Token  string `json:"token"`
}

// token is base64url(HMAC-SHA256(secret, channel + "/" + user id)), unpadded.
func (h *Handler) token(channelID, userID string) string {
	mac := hmac.New(sha256.New, h.secret)
	mac.Write([]byte(channelID + "/" + userID))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// serveVisitors answers POST /v1/webapp/{channel}/visitors with a new visitor.
func (h *Handler) serveVisitors(w http.ResponseWriter, r *http.Request) {
	ch, _, err := h.lookup(r.Context(), r.PathValue("channel"))
	if err != nil {
		httpx.WriteError(w, r, h.log, err)
		return
	}
	id := uuid.NewString()
	httpx.WriteJSON(w, http.StatusCreated, visitor{UserID: id, Token: h.token(ch.ID, id)})
}

// visitorOf returns the client of the visitor of a request to a channel's
// route ({channel} in the path, user_id and token in the query).
func (h *Handler) visitorOf(r *http.Request) (switchboard.ClientKey, error) {
	ch, _, err := h.lookup(r.Context(), r.PathValue("channel"))
	if err != nil {
		return switchboard.ClientKey{}, err
	}
	return h.authenticate(r, ch)
}

// authenticate returns the client of the visitor named by the user_id and
// token query parameters, or EUNAUTHORIZED.
func (h *Handler) authenticate(r *http.Request, ch *switchboard.Channel) (switchboard.ClientKey, error) {
	q := r.URL.Query()
	userID, token := q.Get("user_id"), strings.TrimRight(q.Get("token"), "=")
	if userID == "" || token == "" {
		return switchboard.ClientKey{}, switchboard.Errorf(switchboard.EUNAUTHORIZED,
			"user_id and token are required: get them from POST /v1/webapp/%s/visitors", ch.ID)
	}
	if err := switchboard.CheckUserID("user_id", userID); err != nil {
		return switchboard.ClientKey{}, err
	}
	if !hmac.Equal([]byte(token), []byte(h.token(ch.ID, userID))) {
		return switchboard.ClientKey{}, switchboard.Errorf(switchboard.EUNAUTHORIZED, "the token does not match this user_id and channel")
	}
	return switchboard.ClientKey{BotID: ch.BotID, ChannelID: ch.ID, UserID: userID}, nil
}
