package admin

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"runtime/debug"

	"switchboard"
)

// freeAfter is the size of the sources above which an import gives the
// memory it took back to the system at once: compiling takes many times the
// sources' size, and the Go runtime otherwise keeps freed memory for a while.
const freeAfter = 256 << 10

// sourceSize is what a bot's flows' sources weigh together.
func sourceSize(b switchboard.Bot) int {
	n := 0
	for _, f := range b.Flows {
		n += len(f.Content)
	}
	return n
}

// upload waits for the import slot, then reads the uploaded bot. Imports
// read and compile one at a time, so that the memory they take is bounded by
// BotLimits once, not once per request in flight. Call done when finished
// with the bot, whatever the error: it gives the memory back (after a large
// import) and frees the slot.
func (h *handler) upload(w http.ResponseWriter, r *http.Request) (bot switchboard.Bot, done func(), err error) {
	select {
	case h.importing <- struct{}{}:
	case <-r.Context().Done():
		return bot, func() {}, switchboard.Errorf(switchboard.EUNAVAILABLE, "gave up waiting for another bot import to finish: %v", r.Context().Err())
	}
	bot, err = h.readBot(w, r)
	size := sourceSize(bot)
	return bot, func() {
		if size > freeAfter {
			debug.FreeOSMemory()
		}
		<-h.importing
	}, err
}

// readBot reads an uploaded bot (see readUpload) and downloads the modules
// it gives by URL.
func (h *handler) readBot(w http.ResponseWriter, r *http.Request) (switchboard.Bot, error) {
	bot, err := h.readUpload(w, r)
	if err != nil {
		return bot, err
	}
	if err := h.Modules.Fetch(r.Context(), &bot); err != nil {
		return bot, switchboard.Errorf(switchboard.EINVALID, "%v", err)
	}
	return bot, nil
}

// readUpload reads an uploaded bot: a CSML Studio export as a zip (bot.json
// and flows/*.csml, at the top or in one folder), or a bot as JSON with its
// flows inline (a CSML engine BotModel), within BotLimits.
func (h *handler) readUpload(w http.ResponseWriter, r *http.Request) (switchboard.Bot, error) {
	lim := h.BotLimits
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, lim.UploadBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return switchboard.Bot{}, switchboard.Errorf(switchboard.ETOOLARGE, "the bot is larger than %d bytes (max_upload_bytes): split the bot, or raise the limit (bot_import in the configuration, docs/security.md)", lim.UploadBytes)
	case err != nil:
		return switchboard.Bot{}, switchboard.Errorf(switchboard.EINVALID, "could not read the upload: %v", err)
	case len(data) == 0:
		return switchboard.Bot{}, switchboard.Errorf(switchboard.EINVALID, "the upload is empty: send the CSML Studio export (zip) or the bot's JSON")
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var bot switchboard.Bot
	switch {
	case mt == "application/json":
		bot, err = lim.Parse(data)
	case mt == "application/zip" || mt == "application/x-zip-compressed" || mt == "application/octet-stream" && bytes.HasPrefix(data, []byte("PK")):
		bot, err = lim.ReadZip(data)
	default:
		return switchboard.Bot{}, switchboard.Errorf(switchboard.EINVALID, "Content-Type %q: send a CSML Studio export as application/zip, or a bot with inline flows as application/json", mt)
	}
	if err != nil && switchboard.ErrorCode(err) == switchboard.EINTERNAL {
		err = switchboard.Errorf(switchboard.EINVALID, "%v", err) // botfile's messages name the file and what to fix
	}
	return bot, err
}
