package attachment

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"switchboard"
	"switchboard/httpx"
)

// Config says where files go and what is accepted.
type Config struct {
	Store switchboard.Store
	Clock switchboard.Clock
	// Base returns the server's public URL (no trailing slash): links in
	// messages are absolute, so platforms and API clients can follow them.
	Base func() string
	// MaxBytes is the largest file accepted; 0 is DefaultMaxBytes.
	MaxBytes int64
	// Types are the sniffed content types accepted; nil is DefaultTypes.
	Types []string
	Log   *slog.Logger
}

// Service receives and serves attachments.
type Service struct {
	cfg   Config
	limit throttle
}

// New returns a Service with cfg's defaults filled.
func New(cfg Config) *Service {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.Types == nil {
		cfg.Types = DefaultTypes
	}
	if cfg.Clock == nil {
		cfg.Clock = switchboard.SystemClock{}
	}
	return &Service{cfg: cfg}
}

// MaxBytes is the largest file accepted.
func (s *Service) MaxBytes() int64 { return s.cfg.MaxBytes }

// Uploaded is a stored file as the upload routes answer it: Payload is the
// message that sends it (a CSML file, image, audio or video component).
type Uploaded struct {
	ID          string                 `json:"id"`
	URL         string                 `json:"url"`
	Name        string                 `json:"name"`
	ContentType string                 `json:"content_type"`
	Size        int64                  `json:"size"`
	Payload     switchboard.Payload    `json:"payload"`
	Attachment  switchboard.Attachment `json:"-"`
}

// multipartSlack is what a multipart body may hold beyond the file: the
// boundaries and part headers.
const multipartSlack = 64 << 10

// read reads the part named "file" of a multipart/form-data upload and
// checks it; nothing is stored. Errors say what is wrong and what to do.
func (s *Service) read(w http.ResponseWriter, r *http.Request, client switchboard.ClientKey, sender switchboard.SenderKind) (*Uploaded, []byte, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return nil, nil, switchboard.Errorf(switchboard.EINVALID, "send the file as multipart/form-data with a part named file (Content-Type is %q)", r.Header.Get("Content-Type"))
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBytes+multipartSlack)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, switchboard.Errorf(switchboard.EINVALID, "the multipart body cannot be read: %v", err)
	}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, nil, switchboard.Errorf(switchboard.EINVALID, "the body has no part named file: send the file in a part named file")
		}
		if err != nil {
			return nil, nil, s.bodyError(err)
		}
		if p.FormName() != "file" {
			continue
		}
		return s.readFile(p, client, sender)
	}
}

// readFile reads and checks the file part.
func (s *Service) readFile(p *multipart.Part, client switchboard.ClientKey, sender switchboard.SenderKind) (*Uploaded, []byte, error) {
	data, err := io.ReadAll(io.LimitReader(p, s.cfg.MaxBytes+1))
	if err != nil {
		return nil, nil, s.bodyError(err)
	}
	if int64(len(data)) > s.cfg.MaxBytes {
		return nil, nil, s.TooLarge()
	}
	if len(data) == 0 {
		return nil, nil, switchboard.Errorf(switchboard.EINVALID, "the file is empty: choose a file with content")
	}
	ct := http.DetectContentType(data)
	if !slices.Contains(s.cfg.Types, ct) {
		base, _, _ := strings.Cut(ct, ";")
		return nil, nil, switchboard.Errorf(switchboard.EINVALID, "the file's content is %s, which is not accepted: send one of %s", base, listTypes(s.cfg.Types))
	}
	sum := sha256.Sum256(data)
	a := switchboard.Attachment{
		ID: uuid.NewString(), Client: client, Sender: sender, Name: cleanName(p.FileName(), ct),
		ContentType: ct, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), CreatedAt: s.cfg.Clock.Now().UTC(),
	}
	if err := switchboard.CheckText("file name", a.Name, maxName); err != nil {
		a.Name = cleanName("", ct)
	}
	return s.describe(a), data, nil
}

// bodyError says why the body could not be read.
func (s *Service) bodyError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return s.TooLarge()
	}
	return switchboard.Errorf(switchboard.EINVALID, "the multipart body cannot be read: %v", err)
}

// TooLarge is the error of a file over the limit, for edges that read the
// body before Upload does.
func (s *Service) TooLarge() error {
	return switchboard.Errorf(switchboard.ETOOLARGE, "the file is larger than %s: send a smaller file", size(s.cfg.MaxBytes))
}

// size writes a byte count for people.
func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// Upload reads the upload of r and stores it, in a transaction of its own.
func (s *Service) Upload(w http.ResponseWriter, r *http.Request, client switchboard.ClientKey, sender switchboard.SenderKind) (*Uploaded, error) {
	u, data, err := s.read(w, r, client, sender)
	if err != nil {
		return nil, err
	}
	err = s.cfg.Store.Update(r.Context(), func(tx switchboard.Tx) error { return tx.PutAttachment(r.Context(), &u.Attachment, data) })
	if err != nil {
		return nil, err
	}
	return u, nil
}

// describe is the answer for a stored (or about to be stored) file.
func (s *Service) describe(a switchboard.Attachment) *Uploaded {
	u := s.URL(a)
	content, _ := json.Marshal(map[string]any{"url": u, "name": a.Name, "mime_type": a.ContentType, "size": a.Size})
	return &Uploaded{
		ID: a.ID, URL: u, Name: a.Name, ContentType: a.ContentType, Size: a.Size, Attachment: a,
		Payload: switchboard.Payload{ContentType: kind(a.ContentType), Content: content},
	}
}

// kind is the component a stored file is sent as: only the inline images
// are images; audio and video play from their URL.
func kind(contentType string) string {
	if k := switchboard.AttachmentKind(contentType); k != "image" || inline[contentType] {
		return k
	}
	return "file"
}

// URL is the absolute link that serves a file.
func (s *Service) URL(a switchboard.Attachment) string {
	return strings.TrimRight(s.cfg.Base(), "/") + switchboard.AttachmentPath + a.ID + "/" + url.PathEscape(a.Name)
}

// ServeHTTP serves GET AttachmentPath{id}/{name}: the URL is the
// permission (the id is random and only the conversation's messages carry
// it), as with the platforms' own attachment links.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	a, data, err := s.load(r.Context(), id)
	if err != nil {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		httpx.WriteError(w, r, s.cfg.Log, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; media-src 'self'")
	h.Set("Cache-Control", "private, max-age=86400, immutable")
	disposition := "attachment"
	if inline[a.ContentType] {
		disposition = "inline"
	}
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": a.Name}))
	http.ServeContent(w, r, "", a.CreatedAt, bytes.NewReader(data))
}

// load reads a file; an id of another form is not found.
func (s *Service) load(ctx context.Context, id string) (*switchboard.Attachment, []byte, error) {
	var a *switchboard.Attachment
	var data []byte
	err := s.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		a, data, err = tx.Attachment(ctx, id)
		return err
	})
	return a, data, err
}
