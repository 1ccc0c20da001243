package gorgias

import (
	"net/url"
	"regexp"
	"strings"

	"switchboard"
)

// subdomain is what Gorgias accepts as an account name.
var subdomain = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

// BaseURL turns the domain setting into the API's base URL (without /api).
// It accepts the account's subdomain ("acme"), its host
// ("acme.gorgias.com") or its URL ("https://acme.gorgias.com/app"); Gorgias
// hosts are always reached over https. Any other http(s) URL the operator
// typed in full is used as is: that is how switchboard reaches the simulator
// or a proxy ("http://127.0.0.1:8090").
func BaseURL(domain string) (string, error) {
	d := strings.TrimSpace(domain)
	if d == "" {
		return "", switchboard.Errorf(switchboard.EINVALID, "the Gorgias domain is empty: give your account's subdomain, such as acme for acme.gorgias.com")
	}
	lower := strings.ToLower(d)
	explicit := strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")
	if !explicit {
		if strings.Contains(lower, "://") {
			return "", switchboard.Errorf(switchboard.EINVALID, "the Gorgias domain %q must be a subdomain (acme) or an http(s) URL", d)
		}
		lower = "https://" + lower
	}
	u, err := url.Parse(lower)
	if err != nil || u.Host == "" {
		return "", switchboard.Errorf(switchboard.EINVALID, "the Gorgias domain %q is not a subdomain (acme) nor a URL (https://acme.gorgias.com)", d)
	}
	host := u.Hostname()
	if name, ok := strings.CutSuffix(host, ".gorgias.com"); ok {
		if !subdomain.MatchString(name) {
			return "", switchboard.Errorf(switchboard.EINVALID, "the Gorgias domain %q has an invalid account name %q", d, name)
		}
		return "https://" + host, nil
	}
	if !strings.Contains(host, ".") && u.Port() == "" && !explicit {
		// A bare account name.
		if !subdomain.MatchString(host) {
			return "", switchboard.Errorf(switchboard.EINVALID, "the Gorgias domain %q is not an account name: use letters, digits and dashes, as in acme", d)
		}
		return "https://" + host + ".gorgias.com", nil
	}
	if !explicit {
		return "", switchboard.Errorf(switchboard.EINVALID, "the Gorgias domain %q is not on gorgias.com: give the subdomain (acme), or a full http(s) URL for a proxy or the simulator", d)
	}
	// An explicit URL elsewhere: keep its scheme, host and path prefix. The
	// original case of the path is kept (only the scheme and host fold).
	orig, _ := url.Parse(d)
	path := strings.TrimSuffix(strings.TrimRight(orig.Path, "/"), "/api")
	return u.Scheme + "://" + u.Host + path, nil
}
