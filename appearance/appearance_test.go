package appearance

import (
	"encoding/base64"
	"strings"
	"testing"
)

// png1x1 is a 1×1 PNG.
var png1x1, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

func TestCheckAcceptsWhatPagesCanShow(t *testing.T) {
	has := func(code string) bool { return code == "en" || code == "fr" }
	dataURL := "data:image/png;base64," + base64.StdEncoding.EncodeToString(png1x1)
	for _, a := range []Appearance{
		{},
		{Name: "Acme", Accent: "#0b5394", AccentText: "#FFFFFF", Launcher: "left", WelcomeTitle: "Hi!", WelcomeText: "Ask us anything.", Language: "fr"},
		{Accent: "#fde047", AccentText: "#111111"},
		{Logo: "https://shop.example/logo.png"},
		{Logo: dataURL},
	} {
		if err := a.Check(has); err != nil {
			t.Errorf("%+v: %v", a, err)
		}
	}
	for _, tc := range []struct {
		a    Appearance
		says string
	}{
		{Appearance{Accent: "blue"}, `accent: "blue" is not a colour`},
		{Appearance{Accent: "#fde047"}, "accent_text: #ffffff on #fde047 has a contrast of 1.3:1"},
		{Appearance{Accent: "#777777", AccentText: "#888888"}, "WCAG AA"},
		{Appearance{AccentText: "#12345"}, `accent_text: "#12345" is not a colour`},
		{Appearance{Launcher: "top"}, `launcher: "top" is not a side`},
		{Appearance{Language: "de"}, `language: the pages do not speak "de"`},
		{Appearance{Name: strings.Repeat("n", 81)}, "name is 81 characters long"},
		{Appearance{WelcomeText: "a\x00b"}, "welcome_text is not valid text"},
		{Appearance{Logo: "http://shop.example/logo.png"}, "not an https URL"},
		{Appearance{Logo: "javascript:alert(1)"}, "not an https URL"},
		{Appearance{Logo: "https://user:pw@shop.example/logo.png"}, "not an https URL"},
		{Appearance{Logo: "data:image/svg+xml;base64,PHN2Zy8+"}, "SVG and other files are refused"},
		{Appearance{Logo: "data:image/png;base64,!!"}, "does not decode"},
		{Appearance{Logo: "data:image/png;base64," + base64.StdEncoding.EncodeToString([]byte("<html><script>"))}, "holds text/html"},
		{Appearance{Logo: "data:image/gif;base64," + base64.StdEncoding.EncodeToString(png1x1)}, "says image/gif but holds image/png"},
		{Appearance{Logo: "data:image/png;base64," + base64.StdEncoding.EncodeToString(append(png1x1, make([]byte, MaxLogoBytes)...))}, "at most 100 KiB"},
	} {
		err := tc.a.Check(has)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%+v: %v, want %q", tc.a, err, tc.says)
		}
	}
}

func TestContrastIsWCAGs(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want float64
	}{{"#000000", "#ffffff", 21}, {"#ffffff", "#ffffff", 1}, {"#2563eb", "#ffffff", 5.17}} {
		if got := Contrast(tc.a, tc.b); got < tc.want-0.01 || got > tc.want+0.01 {
			t.Errorf("Contrast(%s, %s) = %.2f, want %.2f", tc.a, tc.b, got, tc.want)
		}
	}
}
