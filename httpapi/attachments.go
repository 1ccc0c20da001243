package httpapi

import (
	"net/http"

	"switchboard"
	"switchboard/httpx"
)

// uploadSlack is what an upload's body may hold beyond the file: the
// multipart boundaries and headers.
const uploadSlack = 64 << 10

// uploading admits an upload like authenticated admits other requests,
// with a body as large as a file may be.
func (a *API) uploading(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.files == nil {
			a.fail(w, r, switchboard.Errorf(switchboard.ENOTFOUND, "this server takes no files"))
			return
		}
		c, err := a.authenticate(w, r, a.files.MaxBytes()+uploadSlack)
		if switchboard.ErrorCode(err) == switchboard.ETOOLARGE {
			err = a.files.TooLarge()
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		fn(w, r, c)
	})
}

// upload answers POST /v1/api/attachments?user_id=: the file (part "file"
// of a multipart/form-data body) is checked and stored for that user of
// the channel, and the answer's payload is the event to send with
// POST /v1/api/chat. A payload that names a file by URL elsewhere is sent
// with /v1/api/chat directly, as CSML Studio's Chat API takes it.
func (a *API) upload(w http.ResponseWriter, r *http.Request, c *caller) {
	userID := r.URL.Query().Get("user_id")
	if userID == "" {
		a.fail(w, r, switchboard.Errorf(switchboard.EINVALID, "user_id is missing: name the user the file is from (?user_id=...)"))
		return
	}
	if err := switchboard.CheckUserID("user_id", userID); err != nil {
		a.fail(w, r, err)
		return
	}
	key := switchboard.ClientKey{BotID: c.channel.BotID, ChannelID: c.channel.ID, UserID: userID}
	u, err := a.files.Upload(w, r, key, switchboard.SenderUser)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, u)
}
