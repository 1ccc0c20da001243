package attachment_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchboard"
	"switchboard/attachment"
	"switchboard/internal/testclock"
	"switchboard/store/postgres"
	"switchboard/store/postgres/pgtest"
	"switchboard/store/sqlite"
)

// stores opens each store the tests run on: SQLite always, PostgreSQL when
// SWITCHBOARD_TEST_POSTGRES names a database.
var stores = map[string]func(t *testing.T) switchboard.Store{
	"SQLite": func(t *testing.T) switchboard.Store {
		db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "switchboard.db"), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	},
	"PostgreSQL": func(t *testing.T) switchboard.Store {
		db, err := postgres.Open(t.Context(), pgtest.Schema(t), postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	},
}

var grace = switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: "grace"}

// server serves uploads for grace and downloads, as the edges and app do.
func server(t *testing.T, s switchboard.Store, max int64) *httptest.Server {
	var srv *httptest.Server
	files := attachment.New(attachment.Config{Store: s, Base: func() string { return srv.URL }, MaxBytes: max})
	mux := http.NewServeMux()
	mux.HandleFunc("POST /upload", func(w http.ResponseWriter, r *http.Request) {
		u, err := files.Upload(w, r, grace, switchboard.SenderUser)
		if err != nil {
			w.WriteHeader(map[switchboard.Code]int{switchboard.ETOOLARGE: 413, switchboard.EINVALID: 400}[switchboard.ErrorCode(err)])
			fmt.Fprint(w, switchboard.ErrorMessage(err))
			return
		}
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(u)
	})
	mux.Handle("GET "+switchboard.AttachmentPath+"{id}/{name}", files)
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// upload posts a file as a browser's form does.
func upload(t *testing.T, srv *httptest.Server, name string, data []byte) (int, string, *attachment.Uploaded) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", name)
	part.Write(data)
	w.Close()
	resp, err := http.Post(srv.URL+"/upload", w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return resp.StatusCode, string(raw), nil
	}
	var u attachment.Uploaded
	if err := json.Unmarshal(raw, &u); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, "", &u
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, raw
}

func pngBytes(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// forEachStore runs fn on each store.
func forEachStore(t *testing.T, fn func(t *testing.T, s switchboard.Store)) {
	for name, open := range stores {
		t.Run(name, func(t *testing.T) { fn(t, open(t)) })
	}
}

// TestAnImageIsStoredAndShownInline: a PNG comes back byte for byte as an
// image the browser shows, with nosniff and a sandbox, and the upload's
// payload is the CSML image that sends it.
func TestAnImageIsStoredAndShownInline(t *testing.T) {
	forEachStore(t, func(t *testing.T, s switchboard.Store) {
		srv := server(t, s, 0)
		data := pngBytes(t)
		status, msg, u := upload(t, srv, "C:\\Users\\grace\\photo of the box.png", data)
		if status != http.StatusCreated {
			t.Fatalf("upload = %d %s", status, msg)
		}
		if u.Name != "photo of the box.png" || u.ContentType != "image/png" || u.Size != int64(len(data)) || u.Payload.ContentType != "image" {
			t.Errorf("upload = %+v", u)
		}
		var c map[string]any
		_ = json.Unmarshal(u.Payload.Content, &c)
		if c["url"] != u.URL || !strings.HasPrefix(u.URL, srv.URL+switchboard.AttachmentPath+u.ID+"/") {
			t.Errorf("payload %s, url %s", u.Payload.Content, u.URL)
		}
		resp, got := get(t, u.URL)
		h := resp.Header
		if resp.StatusCode != 200 || !bytes.Equal(got, data) {
			t.Fatalf("download = %d, %d bytes", resp.StatusCode, len(got))
		}
		for k, want := range map[string]string{"Content-Type": "image/png", "X-Content-Type-Options": "nosniff",
			"Content-Disposition": `inline; filename="photo of the box.png"`} {
			if h.Get(k) != want {
				t.Errorf("%s = %q, want %q", k, h.Get(k), want)
			}
		}
		if !strings.HasPrefix(h.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("Content-Security-Policy = %q", h.Get("Content-Security-Policy"))
		}
	})
}

// TestDisguisedActiveContentIsNeverInline: HTML named as an image is
// refused (its sniffed type is not accepted); SVG, which sniffs as text,
// is kept as text and served as a download named .txt, never as an image
// or a page.
func TestDisguisedActiveContentIsNeverInline(t *testing.T) {
	forEachStore(t, func(t *testing.T, s switchboard.Store) {
		srv := server(t, s, 0)
		status, msg, _ := upload(t, srv, "cat.png", []byte("<html><script>alert(document.cookie)</script></html>"))
		if status != http.StatusBadRequest || !strings.Contains(msg, "text/html, which is not accepted") || !strings.Contains(msg, "image/png") {
			t.Errorf("HTML as png = %d %q", status, msg)
		}
		svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>`)
		status, msg, u := upload(t, srv, "cat.svg", svg)
		if status != http.StatusCreated {
			t.Fatalf("svg = %d %s", status, msg)
		}
		if u.ContentType != "text/plain; charset=utf-8" || u.Name != "cat.svg.txt" || u.Payload.ContentType != "file" {
			t.Errorf("svg stored as %+v", u)
		}
		resp, _ := get(t, u.URL)
		if got := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(got, "attachment;") {
			t.Errorf("svg Content-Disposition = %q", got)
		}
		if got := resp.Header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
			t.Errorf("svg Content-Type = %q", got)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Error("no nosniff")
		}
	})
}

// TestOversizeIsRefusedAndNothingStored: a file over the limit is refused
// with the limit in the message, and the store has no file.
func TestOversizeIsRefusedAndNothingStored(t *testing.T) {
	forEachStore(t, func(t *testing.T, store switchboard.Store) {
		s := &writes{Store: store}
		srv := server(t, s, 1<<10)
		status, msg, _ := upload(t, srv, "big.txt", bytes.Repeat([]byte("a"), 1<<10+1))
		if status != http.StatusRequestEntityTooLarge || msg != "the file is larger than 1 KiB: send a smaller file" {
			t.Errorf("oversize = %d %q", status, msg)
		}
		status, msg, _ = upload(t, srv, "huge.txt", bytes.Repeat([]byte("a"), 200<<10))
		if status != http.StatusRequestEntityTooLarge {
			t.Errorf("far over = %d %q", status, msg)
		}
		if n := s.n.Load(); n != 0 {
			t.Errorf("%d writes for refused files", n)
		}
		if status, _, _ := upload(t, srv, "ok.txt", bytes.Repeat([]byte("a"), 1<<10)); status != http.StatusCreated {
			t.Errorf("at the limit = %d", status)
		}
	})
}

// writes counts the transactions that write, which every stored file
// needs.
type writes struct {
	switchboard.Store
	n atomic.Int32
}

func (w *writes) Update(ctx context.Context, fn func(switchboard.Tx) error) error {
	w.n.Add(1)
	return w.Store.Update(ctx, fn)
}

// TestBadUploadsSayWhatToDo: each malformed upload gets a 400 that says
// what to send.
func TestBadUploadsSayWhatToDo(t *testing.T) {
	srv := server(t, stores["SQLite"](t), 0)
	post := func(ct, body string) (int, string) {
		resp, err := http.Post(srv.URL+"/upload", ct, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}
	for _, c := range []struct{ ct, body, want string }{
		{"application/json", `{"file":"x"}`, "send the file as multipart/form-data with a part named file"},
		{"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nhi\r\n--x--\r\n", "no part named file"},
		{"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n\r\n--x--\r\n", "the file is empty"},
		{"multipart/form-data; boundary=x", "--x\r\nbroken", "cannot be read"},
		{"multipart/form-data", "", "cannot be read"},
	} {
		status, msg := post(c.ct, c.body)
		if status != http.StatusBadRequest || !strings.Contains(msg, c.want) {
			t.Errorf("%s %q = %d %q, want 400 with %q", c.ct, c.body, status, msg, c.want)
		}
	}
	for _, path := range []string{"00000000-0000-0000-0000-000000000000/x", "..%2f..%2fetc/passwd", "not-an-id/x"} {
		resp, _ := get(t, srv.URL+switchboard.AttachmentPath+path)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, resp.StatusCode)
		}
	}
}

// TestASenderIsLimitedInFilesNotForever: one address may send 20 files in
// 10 minutes; the next is refused with when to try again, and another
// address, or the same one later, is not.
func TestASenderIsLimitedInFilesNotForever(t *testing.T) {
	clock := testclock.New(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	files := attachment.New(attachment.Config{Store: stores["SQLite"](t), Clock: clock, Base: func() string { return "" }})
	for i := range 20 {
		if err := files.Admit("addr:192.0.2.1"); err != nil {
			t.Fatalf("file %d: %v", i+1, err)
		}
		clock.Advance(time.Second)
	}
	err := files.Admit("addr:192.0.2.1")
	if switchboard.ErrorCode(err) != switchboard.ETOOMANY || !strings.Contains(switchboard.ErrorMessage(err), "wait a few minutes") {
		t.Errorf("file 21 = %v", err)
	}
	if err := files.Admit("addr:192.0.2.2"); err != nil {
		t.Errorf("another address: %v", err)
	}
	clock.Advance(10 * time.Minute)
	if err := files.Admit("addr:192.0.2.1"); err != nil {
		t.Errorf("10 minutes later: %v", err)
	}
}
