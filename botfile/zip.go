package botfile

import (
	"archive/zip"
	"bytes"
	"path"
	"strings"

	"switchboard"
)

// ReadZip reads the bot of a zipped CSML Studio export: bot.json and
// flows/*.csml, at the top or in one folder. The zip's directory is checked
// against l before anything is unpacked (archive/zip refuses a file longer
// than its directory says), and the files are read within l.
func (l Limits) ReadZip(data []byte) (switchboard.Bot, error) {
	l = l.WithDefaults()
	if int64(len(data)) > l.UploadBytes {
		return switchboard.Bot{}, tooLarge("the zip is %d bytes, over the limit of %d (max_upload_bytes)", len(data), l.UploadBytes)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return switchboard.Bot{}, switchboard.Errorf(switchboard.EINVALID, "the upload is not a valid zip file: %v", err)
	}
	if err := l.checkZip(zr); err != nil {
		return switchboard.Bot{}, err
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
		return l.LoadFS(zr, found[0])
	default:
		return switchboard.Bot{}, switchboard.Errorf(switchboard.EINVALID, "the zip holds %d bots (bot.json in %v): import one at a time", len(found), found)
	}
}

// checkZip refuses a zip whose directory is over l: too many entries, a file
// too large or compressed too well (a zip bomb), or files too large together.
func (l Limits) checkZip(zr *zip.Reader) error {
	if len(zr.File) > l.Files {
		return tooLarge("the zip holds %d files, over the limit of %d (max_files)", len(zr.File), l.Files)
	}
	var total uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		if size > uint64(l.FileBytes) {
			return tooLarge("%s unzips to %d bytes, over the limit of %d for one file (max_file_bytes)", f.Name, size, l.FileBytes)
		}
		if size > ratioFloor && size/max(f.CompressedSize64, 1) > uint64(l.Ratio) {
			return tooLarge("%s unzips to %d times its zipped size (%d to %d bytes), over the limit of %d (max_ratio)", f.Name, size/max(f.CompressedSize64, 1), f.CompressedSize64, size, l.Ratio)
		}
		if total += size; total > uint64(l.TotalBytes) {
			return tooLarge("the zip's files unzip to more than %d bytes together (max_total_bytes), at %s", l.TotalBytes, f.Name)
		}
	}
	return nil
}
