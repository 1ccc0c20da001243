package switchboard

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxIDLen bounds every identifier, in characters (Unicode code points,
// not bytes): what a client key's ids always allowed, so that no bot that
// ran before is refused now.
const MaxIDLen = 200

// CheckBotID checks a bot's id, which names it in URLs, logs and routing
// keys: 1 to MaxIDLen visible characters, no space and no '/'.
func CheckBotID(field, v string) error {
	return checkID(field, v, " /")
}

// CheckChannelID checks a channel's id (switchboard makes them: uuids), as
// it comes in a URL: 1 to MaxIDLen visible characters, no space and
// no '/'.
func CheckChannelID(field, v string) error {
	return checkID(field, v, " /")
}

// CheckUserID checks an end user's id, which the Chat API's caller chooses:
// 1 to MaxIDLen visible characters (spaces allowed), no '/'.
func CheckUserID(field, v string) error {
	return checkID(field, v, "/")
}

// CheckRequestID checks the id a caller gives a request to make its retries
// safe: 1 to MaxIDLen visible characters (spaces allowed).
func CheckRequestID(field, v string) error {
	return checkID(field, v, "")
}

// Check checks the three ids of a client key.
func (k ClientKey) Check() error {
	if err := CheckBotID("client.bot_id", k.BotID); err != nil {
		return err
	}
	if err := CheckChannelID("client.channel_id", k.ChannelID); err != nil {
		return err
	}
	return CheckUserID("client.user_id", k.UserID)
}

// checkID checks an identifier: valid UTF-8, not empty, at most MaxIDLen
// characters, none of them invisible (controls, format characters such as
// bidi overrides and zero-width ones, separators other than the plain
// space, the replacement character a JSON decoder puts for invalid UTF-8)
// nor one of forbidden. Ids that look alike but differ in what nobody sees,
// or that collapse to the same string once decoded, would name two things
// as one.
func checkID(field, v, forbidden string) error {
	if v == "" {
		return Errorf(EINVALID, "%s is missing", field)
	}
	if err := checkLength(field, v, MaxIDLen); err != nil {
		return err
	}
	for _, r := range v {
		if strings.ContainsRune(forbidden, r) || invisible(r) {
			return Errorf(EINVALID, "%s %s contains %s: %s", field, quote(v), describe(r), idRule(forbidden))
		}
	}
	return nil
}

// idRule says what an identifier may hold.
func idRule(forbidden string) string {
	switch forbidden {
	case "":
		return "use visible letters, digits, punctuation and spaces"
	case "/":
		return "use visible letters, digits, spaces and punctuation other than '/'"
	}
	return "use visible letters, digits and punctuation other than '/', without spaces"
}

// CheckName checks a one-line name people see (an agent's, a channel's, a
// saved reply's title): valid UTF-8, at most max characters, no control
// character, no bidi control (which would make a name read as another).
func CheckName(field, v string, max int) error {
	if err := checkLength(field, v, max); err != nil {
		return err
	}
	for _, r := range v {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == utf8.RuneError {
			return Errorf(EINVALID, "%s contains %s: use plain text on one line", field, describe(r))
		}
	}
	return nil
}

// CheckText checks free text (a reply, a saved reply's text): valid UTF-8,
// at most max characters, no control character but tab and line breaks.
func CheckText(field, v string, max int) error {
	if err := checkLength(field, v, max); err != nil {
		return err
	}
	for _, r := range v {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return Errorf(EINVALID, "%s contains %s: use text without control characters", field, describe(r))
		}
	}
	return nil
}

// checkLength checks that v is valid UTF-8 of at most max characters.
func checkLength(field, v string, max int) error {
	if !utf8.ValidString(v) {
		return Errorf(EINVALID, "%s is not valid UTF-8: send text encoded as UTF-8", field)
	}
	// Counting stops early: a huge value costs no more than a long one.
	n := 0
	for range v {
		if n++; n > max {
			return Errorf(EINVALID, "%s is longer than %d characters", field, max)
		}
	}
	return nil
}

// invisible reports whether r shows nothing (or something that is not
// there): controls, format characters (bidi overrides, zero-width
// characters, the byte order mark), separators but the plain space, other
// default-ignorable code points and variation selectors, noncharacters, and
// U+FFFD, which stands for bytes that were not valid UTF-8.
func invisible(r rune) bool {
	switch {
	case r < utf8.RuneSelf: // ASCII, most ids: only its controls are invisible
		return r < ' ' || r == 0x7f
	case r == utf8.RuneError:
		return true
	}
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Z, unicode.Other_Default_Ignorable_Code_Point,
		unicode.Variation_Selector, unicode.Noncharacter_Code_Point)
}

// describe names a character in an error message, readable even when the
// character itself is not.
func describe(r rune) string {
	switch {
	case r == utf8.RuneError:
		return "U+FFFD (invalid UTF-8 once decoded)"
	case r == 0:
		return "U+0000 (NUL)"
	case unicode.IsControl(r):
		return fmt.Sprintf("U+%04X (a control character)", r)
	case invisible(r):
		return fmt.Sprintf("U+%04X (an invisible character)", r)
	}
	return fmt.Sprintf("%q", r)
}

// quote shows a value in an error message, cut when long.
func quote(v string) string {
	const show = 40
	n := 0
	for i := range v {
		if n++; n > show {
			return fmt.Sprintf("%+q…", v[:i])
		}
	}
	return fmt.Sprintf("%+q", v)
}

// CheckStored is the stores' last guard: every text a store is given must
// be valid UTF-8 without NUL, which PostgreSQL refuses and SQLite would keep,
// so that both stores answer the same EINVALID whatever an edge let through.
// args are the arguments of a statement: strings, []byte (JSON) and slices
// of them (batches) are checked, other types pass.
func CheckStored(args []any) error {
	for _, a := range args {
		ok := true
		switch v := a.(type) {
		case string:
			ok = storable(v)
		case []byte:
			ok = storableBytes(v)
		case []string:
			for _, s := range v {
				ok = ok && storable(s)
			}
		case [][]byte:
			for _, b := range v {
				ok = ok && storableBytes(b)
			}
		}
		if !ok {
			return Errorf(EINVALID, "a value cannot be stored: text must be valid UTF-8 without NUL characters")
		}
	}
	return nil
}

// storable reports whether both stores keep s as it is.
func storable(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// storableBytes is storable for a JSON document, without copying it.
func storableBytes(b []byte) bool {
	return utf8.Valid(b) && bytes.IndexByte(b, 0) < 0
}
