package whatsappsim

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"switchboard/channel/meta/metasim"
)

// Meta's media rules: the types each kind takes and its largest size.
var mediaTypes = map[string]struct {
	types []string
	max   int
}{
	"image":    {[]string{"image/jpeg", "image/png"}, 5 << 20},
	"video":    {[]string{"video/mp4", "video/3gpp"}, 16 << 20},
	"audio":    {[]string{"audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"}, 16 << 20},
	"sticker":  {[]string{"image/webp"}, 500 << 10},
	"document": {[]string{"text/plain", "application/pdf", "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.openxmlformats-officedocument.presentationml.presentation"}, 100 << 20},
}

// Lifetimes: an upload lasts 30 days, a customer's file 7, a download URL
// 5 minutes.
const (
	uploadLife   = 30 * 24 * time.Hour
	receivedLife = 7 * 24 * time.Hour
	urlLife      = 5 * time.Minute
	downloadPath = "whatsapp_business/attachments"
)

// storedMedia is an uploaded or received file.
type storedMedia struct {
	id, mimeType string
	data         []byte
	sha256       string
	expires      time.Time
}

func (m *storedMedia) expired(now time.Time) bool { return !now.Before(m.expires) }

// mediaKind is the message type a file of mimeType is sent as.
func mediaKind(mimeType string) string {
	base, _, _ := strings.Cut(mimeType, ";")
	switch base = strings.TrimSpace(base); {
	case base == "image/webp":
		return "sticker"
	case strings.HasPrefix(base, "image/"):
		return "image"
	case strings.HasPrefix(base, "video/"):
		return "video"
	case strings.HasPrefix(base, "audio/"):
		return "audio"
	}
	return "document"
}

// checkUpload checks a file against Meta's types and sizes for its kind
// and returns its base type.
func checkUpload(kind, mimeType string, size int) (string, error) {
	base, _, _ := strings.Cut(mimeType, ";")
	base = strings.TrimSpace(base)
	rule := mediaTypes[kind]
	ok := false
	for _, t := range rule.types {
		ok = ok || t == base
	}
	switch {
	case !ok:
		return "", fmt.Errorf("the type %q is not supported for %s (one of %s)", mimeType, kind, strings.Join(rule.types, ", "))
	case size == 0:
		return "", fmt.Errorf("the file is empty")
	case size > rule.max:
		return "", fmt.Errorf("the file is %d bytes, more than the %d bytes allowed for %s", size, rule.max, kind)
	}
	return base, nil
}

// extension is a file name ending for a type.
func extension(mimeType string) string {
	if exts, _ := mime.ExtensionsByType(mimeType); len(exts) > 0 {
		return exts[0]
	}
	return ".bin"
}

// store keeps a file for 7 days (an upload extends it to 30). The caller
// holds s.mu.
func (s *Sim) store(mimeType string, data []byte) *storedMedia {
	sum := sha256.Sum256(data)
	md := &storedMedia{id: metasim.Digits(16), mimeType: mimeType, data: data, sha256: base64.StdEncoding.EncodeToString(sum[:]), expires: s.now().Add(receivedLife)}
	s.media[md.id] = md
	return md
}

// serveUpload answers POST /{phone-number-id}/media: multipart fields
// messaging_product=whatsapp, file and type.
func (s *Sim) serveUpload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, int64(mediaTypes["document"].max+1<<20))
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		writeGraphError(w, errParam("Send the file as multipart/form-data with the fields messaging_product, file and type: "+err.Error()))
		return
	}
	defer r.MultipartForm.RemoveAll()
	if r.FormValue("messaging_product") != "whatsapp" {
		writeGraphError(w, errParam("The parameter messaging_product is required and must be \"whatsapp\"."))
		return
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		writeGraphError(w, errParam("The parameter file is required."))
		return
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		writeGraphError(w, errParam("The file could not be read: "+err.Error()))
		return
	}
	typ := r.FormValue("type")
	if typ == "" {
		typ = fh.Header.Get("Content-Type")
	}
	base, err := checkUpload(mediaKind(typ), typ, len(data))
	if err != nil {
		writeGraphError(w, errParam("Invalid file: "+err.Error()+"."))
		return
	}
	s.mu.Lock()
	md := s.store(base, data)
	md.expires = s.now().Add(uploadLife)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"id": md.id})
}

// serveMedia answers GET /{media-id} (its URL, valid 5 minutes, and what
// it is) and DELETE /{media-id}.
func (s *Sim) serveMedia(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	md, ok := s.media[id]
	now := s.now()
	if ok && md.expired(now) {
		delete(s.media, id)
		ok = false
	}
	if ok && r.Method == http.MethodDelete {
		delete(s.media, id)
	}
	base := s.URL()
	s.mu.Unlock()
	switch {
	case !ok:
		writeGraphError(w, errNoObject(id, r.Method))
	case r.Method == http.MethodDelete:
		writeJSON(w, http.StatusOK, map[string]bool{"success": true})
	default:
		exp := strconv.FormatInt(now.Add(urlLife).Unix(), 10)
		q := url.Values{"mid": {id}, "ext": {exp}, "hash": {s.urlHash(id, exp)}}
		writeJSON(w, http.StatusOK, map[string]any{"messaging_product": "whatsapp", "url": base + "/" + downloadPath + "/?" + q.Encode(),
			"mime_type": md.mimeType, "sha256": md.sha256, "file_size": len(md.data), "id": md.id})
	}
}

// urlHash binds a download URL to its media and expiry.
func (s *Sim) urlHash(id, exp string) string {
	mac := hmac.New(sha256.New, []byte(s.cfg.AppSecret+"/media"))
	mac.Write([]byte(id + "|" + exp))
	return hex.EncodeToString(mac.Sum(nil))[:32]
}

// serveDownload answers a media URL: only with the Bearer token, only
// before it expires.
func (s *Sim) serveDownload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		http.Error(w, "Method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !s.authorized(r) {
		writeGraphError(w, errToken())
		return
	}
	q := r.URL.Query()
	id, exp := q.Get("mid"), q.Get("ext")
	until, err := strconv.ParseInt(exp, 10, 64)
	good := subtle.ConstantTimeCompare([]byte(q.Get("hash")), []byte(s.urlHash(id, exp))) == 1
	s.mu.Lock()
	md, ok := s.media[id]
	now := s.now()
	s.mu.Unlock()
	if err != nil || !good || !ok || md.expired(now) || now.Unix() > until {
		http.Error(w, "URL signature expired", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", md.mimeType)
	w.Header().Set("Content-Length", strconv.Itoa(len(md.data)))
	_, _ = w.Write(md.data)
}
