package admin

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"switchboard"
	"switchboard/botfile"
)

// readBot reads an uploaded bot (see readUpload) and downloads the modules
// it gives by URL.
func (h *handler) readBot(w http.ResponseWriter, r *http.Request) (switchboard.Bot, error) {
	bot, err := readUpload(w, r)
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
// flows inline (a CSML engine BotModel).
func readUpload(w http.ResponseWriter, r *http.Request) (switchboard.Bot, error) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBotImport))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return switchboard.Bot{}, switchboard.Errorf(switchboard.ETOOLARGE, "the bot is larger than %d bytes", maxBotImport)
	case err != nil:
		return switchboard.Bot{}, switchboard.Errorf(switchboard.EINVALID, "could not read the upload: %v", err)
	case len(data) == 0:
		return switchboard.Bot{}, switchboard.Errorf(switchboard.EINVALID, "the upload is empty: send the CSML Studio export (zip) or the bot's JSON")
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var bot switchboard.Bot
	switch {
	case mt == "application/json":
		bot, err = botfile.Parse(data)
	case mt == "application/zip" || mt == "application/x-zip-compressed" || mt == "application/octet-stream" && bytes.HasPrefix(data, []byte("PK")):
		bot, err = readZip(data)
	default:
		return bot, switchboard.Errorf(switchboard.EINVALID, "Content-Type %q: send a CSML Studio export as application/zip, or a bot with inline flows as application/json", mt)
	}
	if err != nil && switchboard.ErrorCode(err) == switchboard.EINTERNAL {
		err = switchboard.Errorf(switchboard.EINVALID, "%v", err) // botfile's messages name the file and what to fix
	}
	return bot, err
}

// readZip loads the bot of a zipped export.
func readZip(data []byte) (switchboard.Bot, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return switchboard.Bot{}, switchboard.Errorf(switchboard.EINVALID, "the upload is not a valid zip file: %v", err)
	}
	var found []string
	for _, f := range zr.File {
		if path.Base(f.Name) == "bot.json" && strings.Count(path.Clean(f.Name), "/") <= 1 {
			found = append(found, path.Dir(f.Name))
		}
	}
	switch len(found) {
	case 0:
		return switchboard.Bot{}, switchboard.Errorf(switchboard.EINVALID, "the zip has no bot.json at its top or in a folder at its top: zip the exported bot's folder (bot.json and flows/)")
	case 1:
		return botfile.LoadFS(fs.FS(zr), found[0])
	default:
		return switchboard.Bot{}, switchboard.Errorf(switchboard.EINVALID, "the zip holds %d bots (bot.json in %v): import one at a time", len(found), found)
	}
}
