package livechat

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"switchboard"
)

// UserInfo is what a channel knows of the user (its metadata), split into
// the fields platforms have a place for (names, email, phone) and the rest.
type UserInfo struct {
	First, Last, Name, Email, Phone string
	// Meta is every metadata key, for the platform's free-form attributes.
	Meta map[string]any
}

// ReadUserInfo reads a session's metadata; a missing or odd object is no
// information, never an error. The channels' usual spellings are accepted
// (firstname or first_name, phone or phone_number…).
func ReadUserInfo(raw json.RawMessage) UserInfo {
	var u UserInfo
	_ = json.Unmarshal(raw, &u.Meta)
	get := func(keys ...string) string {
		for _, k := range keys {
			if s, ok := u.Meta[k].(string); ok && strings.TrimSpace(s) != "" {
				return strings.TrimSpace(s)
			}
		}
		return ""
	}
	u.First, u.Last = get("firstname", "first_name"), get("lastname", "last_name")
	u.Name, u.Email, u.Phone = get("name", "fullname", "full_name"), get("email"), get("phone", "phone_number")
	return u
}

// DisplayName is how agents see the user: the full name, else first and
// last names, else the email; "" when the channel knows none.
func (u UserInfo) DisplayName() string {
	if u.Name != "" {
		return u.Name
	}
	if n := strings.TrimSpace(u.First + " " + u.Last); n != "" {
		return n
	}
	return u.Email
}

// Label is the name a platform's contact gets: DisplayName, else "Chat user"
// and the start of the user's id.
func (u UserInfo) Label(userID string) string {
	if n := u.DisplayName(); n != "" {
		return n
	}
	if len(userID) > 8 {
		userID = userID[:8]
	}
	return "Chat user " + userID
}

// UserKey is how a platform knows the user (a Gorgias customer's
// external_id, a Chatwoot contact's identifier): the same user of the same
// channel of the same bot always maps to it, so no duplicate is made. Keys
// longer than the 255 characters platforms keep are hashed.
func UserKey(k switchboard.ClientKey) string {
	key := "switchboard:" + k.String()
	if len(key) <= 255 {
		return key
	}
	sum := sha256.Sum256([]byte(k.String()))
	return "switchboard:" + hex.EncodeToString(sum[:])
}
