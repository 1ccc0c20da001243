package httpapi_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"switchboard/app"
)

// upload is a multipart body with one file part, and its header.
func upload(header http.Header, name string, data []byte) (http.Header, []byte) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", name)
	part.Write(data)
	w.Close()
	h := header.Clone()
	h.Set("Content-Type", w.FormDataContentType())
	return h, body.Bytes()
}

// TestAnAppSendsAUsersFile: an app uploads its user's file with the
// channel's key, then sends the answer's payload with /v1/api/chat: the bot
// gets a file event whose value is the file's link, and the link serves it.
func TestAnAppSendsAUsersFile(t *testing.T) {
	f := newFixture(t)
	data := []byte("Order 1234: one blue teapot\n")
	h, body := upload(f.public(), "order.txt", data)
	var u struct {
		URL     string          `json:"url"`
		Name    string          `json:"name"`
		Payload json.RawMessage `json:"payload"`
	}
	if res := f.call("POST", "/v1/api/attachments?user_id=grace", h, body, &u); res.StatusCode != http.StatusCreated {
		t.Fatalf("upload → %d", res.StatusCode)
	}
	if u.Name != "order.txt" || !strings.HasPrefix(u.URL, f.base+"/v1/attachments/") {
		t.Fatalf("upload = %+v", u)
	}
	var p struct {
		ContentType string         `json:"content_type"`
		Content     map[string]any `json:"content"`
	}
	_ = json.Unmarshal(u.Payload, &p)
	r := f.chat(f.public(), event("grace", p.ContentType, p.Content, nil))
	if got := r.texts(); len(got) != 1 || got[0] != "file|"+u.URL+"|-" {
		t.Errorf("the bot got %q, want the file event with its link", got)
	}
	res, err := http.Get(u.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.Header.Get("Content-Disposition") != `attachment; filename=order.txt` || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("download headers = %v", res.Header)
	}

	// A file elsewhere is sent by its URL, as CSML Studio's Chat API takes it.
	r = f.chat(f.public(), event("grace", "image", map[string]string{"url": "https://cdn.example.com/cat.png"}, nil))
	if got := r.texts(); len(got) != 1 || got[0] != "image|https://cdn.example.com/cat.png|-" {
		t.Errorf("an image by URL reached the bot as %q", got)
	}
}

// TestUploadsRefusedSayWhy: no key, no user, a file over the limit and a
// type outside the list are refused with what to do.
func TestUploadsRefusedSayWhy(t *testing.T) {
	f := newFixtureWith(t, func(c *app.Config) { c.AttachmentMaxBytes = 1 << 10 })
	h, body := upload(f.public(), "a.txt", []byte("hi"))
	noKey := h.Clone()
	noKey.Del("X-Api-Key")
	for _, c := range []struct {
		query  string
		header http.Header
		body   []byte
		status int
		want   string
	}{
		{"?user_id=grace", noKey, body, 401, "missing X-Api-Key"},
		{"", h, body, 400, "user_id is missing"},
		{"?user_id=%00", h, body, 400, "user_id"},
		{"?user_id=grace", f.public(), []byte(`{"file":1}`), 400, "multipart/form-data"},
	} {
		_, msg := f.errorOf("POST", "/v1/api/attachments"+c.query, c.header, c.body, c.status)
		if !strings.Contains(msg, c.want) {
			t.Errorf("%s: %q, want %q", c.query, msg, c.want)
		}
	}
	h, body = upload(f.public(), "big.txt", bytes.Repeat([]byte("a"), 2<<10))
	if _, msg := f.errorOf("POST", "/v1/api/attachments?user_id=grace", h, body, 413); msg != "the file is larger than 1 KiB: send a smaller file" {
		t.Errorf("oversize: %q", msg)
	}
	h, body = upload(f.public(), "big.txt", bytes.Repeat([]byte("a"), 200<<10))
	if _, msg := f.errorOf("POST", "/v1/api/attachments?user_id=grace", h, body, 413); msg != "the file is larger than 1 KiB: send a smaller file" {
		t.Errorf("far over: %q", msg)
	}
	h, body = upload(f.public(), "page.png", []byte("<!DOCTYPE html><p>hi"))
	if _, msg := f.errorOf("POST", "/v1/api/attachments?user_id=grace", h, body, 400); !strings.Contains(msg, "text/html, which is not accepted") {
		t.Errorf("html: %q", msg)
	}
}
