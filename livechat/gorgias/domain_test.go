package gorgias

import (
	"strings"
	"testing"
)

func TestBaseURL(t *testing.T) {
	ok := map[string]string{
		"acme":                              "https://acme.gorgias.com",
		" Acme ":                            "https://acme.gorgias.com",
		"acme.gorgias.com":                  "https://acme.gorgias.com",
		"https://acme.gorgias.com/":         "https://acme.gorgias.com",
		"http://acme.gorgias.com/app/":      "https://acme.gorgias.com",
		"https://my-shop.gorgias.com/api":   "https://my-shop.gorgias.com",
		"http://127.0.0.1:8090":             "http://127.0.0.1:8090",
		"http://127.0.0.1:8090/api/":        "http://127.0.0.1:8090",
		"https://proxy.example.com/Gorgias": "https://proxy.example.com/Gorgias",
	}
	for in, want := range ok {
		got, err := BaseURL(in)
		if err != nil || got != want {
			t.Errorf("BaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":                       "empty",
		"acme.example.com":       "not on gorgias.com",
		"ftp://acme.gorgias.com": "subdomain (acme) or an http(s) URL",
		"ac_me":                  "not an account name",
		"https://-x.gorgias.com": "invalid account name",
		"127.0.0.1:8090":         "not on gorgias.com",
	}
	for in, want := range bad {
		if _, err := BaseURL(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("BaseURL(%q) = %v, want an error saying %q", in, err, want)
		}
	}
}
