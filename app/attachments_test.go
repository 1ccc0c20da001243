package app_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"switchboard/attachment"
	"switchboard/internal/testclock"
	"switchboard/livechat/chatwoot/chatwootsim"
	"switchboard/livechat/gorgias/gorgiassim"
)

// pdf is a small PDF as a customer's invoice would start.
var pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// visitor gets a chat page visitor from the server, as the page does.
func visitor(t *testing.T, srv *server) (channel, userID, token string) {
	t.Helper()
	chat := srv.chatURL()
	channel = chat[strings.LastIndex(chat, "/")+1:]
	resp, err := http.Post(srv.app.URL()+"/v1/webapp/"+channel+"/visitors", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct{ UserID, Token string }
	if err := json.NewDecoder(resp.Body).Decode(&struct {
		UserID *string `json:"user_id"`
		Token  *string `json:"token"`
	}{&v.UserID, &v.Token}); err != nil {
		t.Fatal(err)
	}
	return channel, v.UserID, v.Token
}

// multipartFile is a body with one file part named file.
func multipartFile(name string, data []byte) (string, *bytes.Buffer) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", name)
	part.Write(data)
	w.Close()
	return w.FormDataContentType(), &body
}

// uploadAs posts a file to the chat page's upload route with a visitor's
// credentials and returns the answer.
func uploadAs(t *testing.T, srv *server, channel, userID, token, name string, data []byte) attachment.Uploaded {
	t.Helper()
	ct, body := multipartFile(name, data)
	resp, err := http.Post(srv.app.URL()+"/v1/webapp/"+channel+"/attachments?user_id="+userID+"&token="+token, ct, body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload = %d %s", resp.StatusCode, raw)
	}
	var u attachment.Uploaded
	if err := json.Unmarshal(raw, &u); err != nil {
		t.Fatal(err)
	}
	return u
}

// download reads a link as an agent's browser would.
func download(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d %s", url, resp.StatusCode, raw)
	}
	return raw
}

// TestAUsersFileReachesChatwootAsAFile: during a session the customer's
// upload is posted to the conversation as a real file (multipart
// attachments[]), with its name and bytes.
func TestAUsersFileReachesChatwootAsAFile(t *testing.T) {
	c := newChatwootStory(t, chatwootsim.Config{}, nil)
	channel, userID, token := visitor(t, c.srv)
	c.user.UserID = userID
	s := c.start()

	// A wrong token uploads nothing.
	ct, body := multipartFile("invoice.pdf", pdf)
	resp, err := http.Post(c.srv.app.URL()+"/v1/webapp/"+channel+"/attachments?user_id="+userID+"&token=nope", ct, body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("upload with a wrong token = %d, want 401", resp.StatusCode)
	}

	u := uploadAs(t, c.srv, channel, userID, token, "invoice.pdf", pdf)
	if u.Payload.ContentType != "file" || u.ContentType != "application/pdf" {
		t.Fatalf("upload = %+v", u)
	}
	c.event(u.Payload, nil)
	var file chatwootsim.Attachment
	c.waitFor("the file in the conversation", func() bool {
		for _, m := range c.conversation(s).Messages {
			if m.MessageType == chatwootsim.TypeIncoming && len(m.Attachments) == 1 {
				file = m.Attachments[0]
				return true
			}
		}
		return false
	})
	if file.FileName != "invoice.pdf" || file.FileType != "file" || file.FileSize != len(pdf) {
		t.Errorf("attachment = %+v", file)
	}
	if got := download(t, file.DataURL); !bytes.Equal(got, pdf) {
		t.Errorf("the file on Chatwoot is %q, want the PDF", got)
	}
}

// TestAUsersFileReachesGorgiasAsAnAttachment: Gorgias takes attachments
// by URL: the ticket message names the file's link, name, type and size,
// and the link serves the bytes to the agent's browser.
func TestAUsersFileReachesGorgiasAsAnAttachment(t *testing.T) {
	g := newGorgiasStory(t, gorgiassim.Config{}, nil)
	channel, userID, token := visitor(t, g.srv)
	g.user.UserID = userID
	s := g.start()
	u := uploadAs(t, g.srv, channel, userID, token, "invoice.pdf", pdf)
	g.event(u.Payload, nil)
	var att gorgiassim.Attachment
	g.waitFor("the attachment on the ticket", func() bool {
		for _, m := range g.ticket(s).Messages {
			if !m.FromAgent && len(m.Attachments) == 1 {
				att = m.Attachments[0]
				return true
			}
		}
		return false
	})
	if att.URL != u.URL || att.Name != "invoice.pdf" || att.ContentType != "application/pdf" || att.Size == nil || *att.Size != int64(len(pdf)) {
		t.Errorf("attachment = %+v (size %v), want %s", att, att.Size, u.URL)
	}
	if got := download(t, att.URL); !bytes.Equal(got, pdf) {
		t.Errorf("the link serves %q", got)
	}
}

// TestAnAgentsFileFromTheDeskReachesTheUser: an agent attaches an image to
// a desk session; the user's history gets an image message whose link
// serves it inline.
func TestAnAgentsFileFromTheDeskReachesTheUser(t *testing.T) {
	clock := testclock.New(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	srv := startServer(t, clock, nil)
	g := newStory(t, srv, clock, nil)
	s := g.start()
	client := deskClient(t, srv)
	img := pngOf(t)
	ct, body := multipartFile("label.png", img)
	req, _ := http.NewRequest(http.MethodPost, srv.app.URL()+"/desk/api/sessions/"+s.ID+"/attachments", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("X-CSRF-Token", client.csrf)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("desk upload = %d %s", resp.StatusCode, raw)
	}
	var url string
	for _, m := range g.history() {
		var c struct{ URL, Name string }
		if m.Payload.ContentType == "image" && json.Unmarshal(m.Payload.Content, &c) == nil && m.Sender.Name == agentName {
			url = c.URL
		}
	}
	if url == "" {
		t.Fatal("no image from the agent in the user's history")
	}
	got, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if !bytes.Equal(data, img) || !strings.HasPrefix(got.Header.Get("Content-Disposition"), "inline") {
		t.Errorf("the agent's image: %d bytes, %q", len(data), got.Header.Get("Content-Disposition"))
	}
}

// deskHTTP is an agent signed in to the desk over HTTP.
type deskHTTP struct {
	*http.Client
	csrf string
}

// deskClient signs the fixture's agent in.
func deskClient(t *testing.T, srv *server) deskHTTP {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	body, _ := json.Marshal(map[string]string{"email": agentEmail, "password": agentPassword})
	req, _ := http.NewRequest(http.MethodPost, srv.app.URL()+"/desk/api/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.CSRF == "" {
		t.Fatalf("desk sign-in = %d %v", resp.StatusCode, err)
	}
	return deskHTTP{c, out.CSRF}
}

// pngOf is a small PNG image.
func pngOf(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
