package livechat

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Limits of what an agent hands back to the bot.
const (
	MaxHandbackKeys  = 20
	MaxHandbackValue = 500
)

// handbackLine matches a line "#handback key=value" of an agent's message,
// also as markdown editors escape it ("\#handback order\_id=1").
var handbackLine = regexp.MustCompile(`(?m)^[ \t]*\\?#handback[ \t]+([A-Za-z_\\][A-Za-z0-9_\\]{0,80})[ \t]*=[ \t]*(.*?)[ \t]*$\n?`)

// HandbackKey matches the keys an agent can hand back.
var HandbackKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// Handback takes the "#handback key=value" lines out of an agent's message:
// the rest is what the user sees; values are what the bot reads in
// event.handback when the session ends. A key given twice keeps the last
// value; keys past MaxHandbackKeys and values past MaxHandbackValue
// characters are cut.
func Handback(text string) (rest string, values map[string]string) {
	if !strings.Contains(text, "#handback") {
		return text, nil
	}
	for _, m := range handbackLine.FindAllStringSubmatch(text, -1) {
		key := strings.ReplaceAll(m[1], `\`, "")
		if !HandbackKey.MatchString(key) {
			continue
		}
		if values == nil {
			values = map[string]string{}
		}
		if _, ok := values[key]; !ok && len(values) >= MaxHandbackKeys {
			continue
		}
		values[key] = Cut(m[2], MaxHandbackValue)
	}
	rest = handbackLine.ReplaceAllString(text, "")
	return strings.TrimSpace(rest), values
}

// Cut shortens s to n characters.
func Cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
