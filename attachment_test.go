package switchboard_test

import (
	"testing"

	"switchboard"
)

// TestAttachmentIDOf: only this server's attachment links name an
// attachment, whatever comes after the id.
func TestAttachmentIDOf(t *testing.T) {
	const id = "0b8e1f1e-4a51-4d7c-9a51-2f0c7a3c9d10"
	for url, want := range map[string]string{
		"https://chat.example.com/v1/attachments/" + id + "/invoice.pdf": id,
		"http://127.0.0.1:8080/v1/attachments/" + id + "/a%20b.png?x=1":  id,
		"/v1/attachments/" + id + "/x":                                   id,
		"/v1/attachments/" + id:                                          id,
		"https://cdn.example.com/cat.png":                                "",
		"https://chat.example.com/v1/attachments/not-an-id/x":            "",
		"javascript:/v1/attachments/" + id + "/x":                        "",
		"https://x/?next=/v1/attachments/" + id + "/x":                   "",
	} {
		if got := switchboard.AttachmentIDOf(url); got != want {
			t.Errorf("AttachmentIDOf(%q) = %q, want %q", url, got, want)
		}
	}
	for ct, want := range map[string]string{"image/png": "image", "video/mp4": "video", "audio/mpeg": "audio", "application/pdf": "file", "": "file"} {
		if got := switchboard.AttachmentKind(ct); got != want {
			t.Errorf("AttachmentKind(%q) = %q, want %q", ct, got, want)
		}
	}
}
