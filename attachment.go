package switchboard

import (
	"context"
	"strings"
	"time"
)

// Attachment is a file a user or an agent sent, kept by switchboard so that
// every instance serves it. Its bytes travel beside it (AttachmentStore),
// never inside a message: messages carry its URL.
type Attachment struct {
	// ID is random (a UUID): the URL that serves the file names it, and
	// knowing it is what lets one download the file.
	ID string `json:"id"`
	// Client is whose conversation the file belongs to; an agent's file has
	// the client of the session it answers.
	Client ClientKey `json:"client"`
	// Sender is who uploaded it: the user or an agent.
	Sender SenderKind `json:"sender"`
	// Name is the file name the uploader gave, cleaned (no folders).
	Name string `json:"name"`
	// ContentType is the type switchboard sniffed from the bytes.
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"` // hex
	CreatedAt   time.Time `json:"created_at"`
}

// AttachmentStore keeps attachments: SQLite puts the bytes in files of the
// data folder, PostgreSQL in a table, so that every instance of a shared
// database reaches them.
type AttachmentStore interface {
	// PutAttachment stores a file; an id already stored is ECONFLICT.
	PutAttachment(ctx context.Context, a *Attachment, data []byte) error
	// Attachment returns a file and its bytes, or ENOTFOUND.
	Attachment(ctx context.Context, id string) (*Attachment, []byte, error)
}

// ValidAttachmentID reports whether id has the form of the ids switchboard
// gives attachments (a UUID in lowercase), so that no other text, a path
// among them, reaches a store.
func ValidAttachmentID(id string) bool {
	if len(id) != 36 {
		return false
	}
	for i, c := range id {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case (c < '0' || c > '9') && (c < 'a' || c > 'f'):
			return false
		}
	}
	return true
}

// AttachmentPath is where switchboard serves attachments:
// AttachmentPath + id + "/" + name.
const AttachmentPath = "/v1/attachments/"

// AttachmentIDOf returns the id of the attachment a URL of this server
// names (its path is under AttachmentPath), or "".
func AttachmentIDOf(rawURL string) string {
	if i := strings.IndexAny(rawURL, "?#"); i >= 0 {
		rawURL = rawURL[:i]
	}
	i := strings.Index(rawURL, AttachmentPath)
	if i < 0 {
		return ""
	}
	if before := rawURL[:i]; before != "" && !strings.HasPrefix(before, "http://") && !strings.HasPrefix(before, "https://") {
		return ""
	}
	id, _, _ := strings.Cut(rawURL[i+len(AttachmentPath):], "/")
	if !ValidAttachmentID(id) {
		return ""
	}
	return id
}

// AttachmentKind is the CSML component a file of this content type is
// shown as: image, video, audio or file.
func AttachmentKind(contentType string) string {
	for _, k := range []string{"image", "video", "audio"} {
		if strings.HasPrefix(contentType, k+"/") {
			return k
		}
	}
	return "file"
}
