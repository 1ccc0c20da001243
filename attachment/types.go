package attachment

import (
	"mime"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultTypes are the content types accepted unless configured otherwise,
// as http.DetectContentType names them (office documents sniff as zip).
var DefaultTypes = []string{
	"image/png", "image/jpeg", "image/gif", "image/webp",
	"application/pdf", "text/plain; charset=utf-8", "text/plain; charset=utf-16be", "text/plain; charset=utf-16le",
	"application/zip", "audio/mpeg", "audio/wave", "audio/ogg", "video/mp4", "video/webm",
}

// DefaultMaxBytes is the size limit of a file unless configured otherwise.
const DefaultMaxBytes = 10 << 20

// inline are the types served for display: images browsers render without
// running anything. Everything else is served as a download.
var inline = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// maxName is the longest file name kept, in bytes.
const maxName = 200

// cleanName keeps the last element of a file name, without control
// characters or quotes, at most maxName bytes, and with the extension of
// its sniffed type when its own extension says another type (so a text
// file named page.html is saved as page.html.txt).
func cleanName(name, contentType string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || r == '/' || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." {
		name = "file"
	}
	base, _, _ := strings.Cut(contentType, ";")
	if ext := path.Ext(name); ext == "" || !sameType(mime.TypeByExtension(ext), base) {
		if exts, _ := mime.ExtensionsByType(base); len(exts) > 0 {
			name += preferred(base, exts)
		}
	}
	for len(name) > maxName {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}

// sameType compares two media types without their parameters.
func sameType(a, b string) bool {
	a, _, _ = strings.Cut(a, ";")
	return strings.EqualFold(strings.TrimSpace(a), b)
}

// preferred is the usual extension of a type among those registered.
func preferred(contentType string, exts []string) string {
	want := map[string]string{"image/jpeg": ".jpg", "text/plain": ".txt", "audio/mpeg": ".mp3", "audio/wave": ".wav"}[contentType]
	for _, e := range exts {
		if e == want {
			return e
		}
	}
	return exts[0]
}

// listTypes lists accepted types for an error message.
func listTypes(types []string) string {
	seen := map[string]bool{}
	var out []string
	for _, t := range types {
		base, _, _ := strings.Cut(t, ";")
		if !seen[base] {
			seen[base] = true
			out = append(out, base)
		}
	}
	return strings.Join(out, ", ")
}
