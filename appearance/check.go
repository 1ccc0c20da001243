package appearance

import (
	"encoding/base64"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"switchboard"
)

// Limits of the fields.
const (
	MaxLogoBytes    = 100 << 10
	maxURL          = 2000
	maxName         = 80
	maxWelcomeTitle = 120
	maxWelcomeText  = 1000
	// MinContrast is WCAG AA's contrast for normal text.
	MinContrast = 4.5
)

var hexColour = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// logoTypes are the images a logo may be: raster images browsers show in
// an <img>, never SVG (it can carry scripts).
var logoTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// Check says what is wrong with an appearance, field by field, for the
// person who set it; hasLanguage says which language codes pages speak.
func (a Appearance) Check(hasLanguage func(string) bool) error {
	for _, f := range []struct {
		name, value string
		max         int
	}{{"name", a.Name, maxName}, {"welcome_title", a.WelcomeTitle, maxWelcomeTitle}, {"welcome_text", a.WelcomeText, maxWelcomeText}} {
		if err := checkText(f.name, f.value, f.max); err != nil {
			return err
		}
	}
	r := a.Resolved("")
	for _, c := range []struct{ name, value string }{{"accent", r.Accent}, {"accent_text", r.AccentText}} {
		if !hexColour.MatchString(c.value) {
			return switchboard.Errorf(switchboard.EINVALID, "%s: %q is not a colour: write it as #rrggbb, such as #2563eb", c.name, c.value)
		}
	}
	if c := Contrast(r.Accent, r.AccentText); c < MinContrast {
		return switchboard.Errorf(switchboard.EINVALID,
			"accent_text: %s on %s has a contrast of %.1f:1, and text needs at least %.1f:1 to be readable (WCAG AA): darken the accent or choose a text colour further from it",
			r.AccentText, r.Accent, math.Floor(c*10)/10, MinContrast)
	}
	if r.Launcher != LauncherRight && r.Launcher != LauncherLeft {
		return switchboard.Errorf(switchboard.EINVALID, `launcher: %q is not a side: use "right" or "left"`, a.Launcher)
	}
	if a.Language != "" && !hasLanguage(a.Language) {
		return switchboard.Errorf(switchboard.EINVALID, "language: the pages do not speak %q: choose one of the languages listed, or add a file for it (docs/languages.md)", a.Language)
	}
	return checkLogo(a.Logo)
}

func checkText(name, s string, max int) error {
	switch {
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		return switchboard.Errorf(switchboard.EINVALID, "%s is not valid text", name)
	case utf8.RuneCountInString(s) > max:
		return switchboard.Errorf(switchboard.EINVALID, "%s is %d characters long: at most %d", name, utf8.RuneCountInString(s), max)
	}
	return nil
}

// checkLogo accepts no logo, an https URL, or a data: URL of a PNG, JPEG,
// GIF or WebP image whose bytes are what it says.
func checkLogo(logo string) error {
	if logo == "" {
		return nil
	}
	if rest, ok := strings.CutPrefix(logo, "data:"); ok {
		mediaType, data, ok := strings.Cut(rest, ";base64,")
		if !ok || !logoTypes[mediaType] {
			return switchboard.Errorf(switchboard.EINVALID, "logo: upload a PNG, JPEG, GIF or WebP image (as data:image/png;base64,…); SVG and other files are refused")
		}
		img, err := base64.StdEncoding.DecodeString(data)
		if err != nil {
			return switchboard.Errorf(switchboard.EINVALID, "logo: the image's base64 does not decode: upload the file again")
		}
		if len(img) > MaxLogoBytes {
			return switchboard.Errorf(switchboard.EINVALID, "logo: the image is %d KiB: at most %d KiB, make it smaller (a logo needs no more than 256×256 pixels)", len(img)>>10, MaxLogoBytes>>10)
		}
		if sniffed := http.DetectContentType(img); sniffed != mediaType {
			return switchboard.Errorf(switchboard.EINVALID, "logo: the file says %s but holds %s: upload a PNG, JPEG, GIF or WebP image", mediaType, sniffed)
		}
		return nil
	}
	u, err := url.Parse(logo)
	switch {
	case len(logo) > maxURL:
		return switchboard.Errorf(switchboard.EINVALID, "logo: the URL is %d characters long: at most %d", len(logo), maxURL)
	case err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil:
		return switchboard.Errorf(switchboard.EINVALID, "logo: %q is not an https URL: give the address of an image, such as https://shop.example/logo.png, or upload one", logo)
	}
	return nil
}

// Contrast is the WCAG contrast ratio of two #rrggbb colours, from 1 to 21.
func Contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is a #rrggbb colour's relative luminance (WCAG 2).
func luminance(hex string) float64 {
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}
