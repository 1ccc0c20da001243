package switchboard_test

import (
	"strings"
	"testing"

	"switchboard"
)

func TestIdentifiersRefuseWhatNobodySees(t *testing.T) {
	bad := map[string]string{
		"empty":              "",
		"NUL":                "bot\x00",
		"control":            "bot\x1b[31m",
		"DEL":                "bot\x7f",
		"invalid UTF-8":      "bot\xff",
		"replacement":        "bot\uFFFD", // what a JSON decoder makes of invalid UTF-8
		"zero-width space":   "b\u200Bot",
		"zero-width joiner":  "b\u200Dot",
		"bidi override":      "bot\u202Egpj",
		"bidi isolate":       "bot\u2066",
		"byte order mark":    "\uFEFFbot",
		"line separator":     "bot\u2028",
		"no-break space":     "bot\u00A0",
		"hangul filler":      "bot\u3164",
		"variation selector": "bot\uFE0F",
		"noncharacter":       "bot\uFFFF",
		"100,000 characters": strings.Repeat("b", 100_000),
		"slash":              "a/b",
		"space":              "a b",
	}
	for name, v := range bad {
		err := switchboard.CheckBotID("id", v)
		if switchboard.ErrorCode(err) != switchboard.EINVALID {
			t.Errorf("CheckBotID(%s %+q) = %v, want invalid", name, v, err)
		}
		if err != nil && len(err.Error()) > 300 {
			t.Errorf("CheckBotID(%s): the message is %d bytes long: it must stay readable", name, len(err.Error()))
		}
	}
	for _, v := range []string{"support-bot", "bot_1.2", "b0t:fr", "ボット", "8f14e45f-ceea-467f-a0e6-62e8a9ff4f8e", strings.Repeat("é", switchboard.MaxIDLen)} {
		if err := switchboard.CheckBotID("id", v); err != nil {
			t.Errorf("CheckBotID(%q) = %v, want nil", v, err)
		}
	}
}

func TestUserAndRequestIDsCountCharacters(t *testing.T) {
	// 200 characters as documented, not 200 bytes: "é" is 2 bytes.
	long := strings.Repeat("é", 200)
	if err := switchboard.CheckUserID("client.user_id", long); err != nil {
		t.Errorf("200 characters: %v", err)
	}
	if err := switchboard.CheckUserID("client.user_id", long+"é"); switchboard.ErrorCode(err) != switchboard.EINVALID {
		t.Errorf("201 characters: %v, want invalid", err)
	}
	if err := switchboard.CheckUserID("client.user_id", "Ada Lovelace"); err != nil {
		t.Errorf("a space in a user id: %v", err)
	}
	if err := switchboard.CheckUserID("client.user_id", "a/b"); switchboard.ErrorCode(err) != switchboard.EINVALID {
		t.Errorf("'/' in a user id: %v, want invalid", err)
	}
	if err := switchboard.CheckRequestID("request_id", "req/1 a"); err != nil {
		t.Errorf("request id with '/' and a space: %v", err)
	}
	if err := switchboard.CheckRequestID("request_id", "r\x00"); switchboard.ErrorCode(err) != switchboard.EINVALID {
		t.Errorf("NUL in a request id: %v, want invalid", err)
	}
}

func TestNamesAndTexts(t *testing.T) {
	for _, c := range []struct {
		name, v string
		ok      bool
	}{
		{"plain", "Sam Smith", true},
		{"persian with ZWNJ", "می\u200Cخواهم", true},
		{"emoji sequence", "👩\u200D💻 Kim", true},
		{"NUL", "Sam\x00", false},
		{"newline", "Sam\nSmith", false},
		{"bidi override", "Sam\u202E", false},
		{"invalid UTF-8", "Sam\xff", false},
		{"too long", strings.Repeat("a", 101), false},
	} {
		err := switchboard.CheckName("name", c.v, 100)
		if (err == nil) != c.ok {
			t.Errorf("CheckName(%s) = %v, want ok %v", c.name, err, c.ok)
		}
	}
	if err := switchboard.CheckText("text", "line 1\r\nline\t2", 4000); err != nil {
		t.Errorf("CheckText with line breaks and a tab: %v", err)
	}
	for _, v := range []string{"a\x00b", "a\x07b", "a\xffb"} {
		if err := switchboard.CheckText("text", v, 4000); switchboard.ErrorCode(err) != switchboard.EINVALID {
			t.Errorf("CheckText(%+q) = %v, want invalid", v, err)
		}
	}
}
