package chatwoot

import "testing"

func TestBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://app.chatwoot.com":                           "https://app.chatwoot.com",
		" https://App.Chatwoot.com/ ":                        "https://app.chatwoot.com",
		"https://app.chatwoot.com/app/accounts/1/dashboard":  "https://app.chatwoot.com",
		"https://support.acme.com/chatwoot/api/v1/":          "https://support.acme.com/chatwoot",
		"http://127.0.0.1:8091":                              "http://127.0.0.1:8091",
		"https://support.acme.com/chatwoot/app/accounts/3/x": "https://support.acme.com/chatwoot",
	} {
		if got, err := BaseURL(in); err != nil || got != want {
			t.Errorf("BaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "app.chatwoot.com", "ftp://x.example", "https://"} {
		if got, err := BaseURL(bad); err == nil {
			t.Errorf("BaseURL(%q) = %q, want an error", bad, got)
		}
	}
	if got := ReceiveURL("https://sb.example.com/", "a+b/c"); got != "https://sb.example.com/v1/livechat/chatwoot/receive?token=a%2Bb%2Fc" {
		t.Errorf("ReceiveURL = %q", got)
	}
}

func TestPhoneNumbersAreSentOnlyInE164(t *testing.T) {
	for in, want := range map[string]string{
		"+44 20 7946 0958":     "+442079460958",
		"0044 (20) 7946-0958":  "+442079460958",
		"+1.415.555.0100":      "+14155550100",
		"020 7946 0958":        "",
		"+0 123":               "",
		"call me":              "",
		"+1234567890123456789": "",
	} {
		if got := phoneNumber(in); got != want {
			t.Errorf("phoneNumber(%q) = %q, want %q", in, got, want)
		}
	}
}
