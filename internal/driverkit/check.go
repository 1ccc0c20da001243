package driverkit

import (
	"errors"
	"net"
	"net/http"

	"switchboard"
	"switchboard/livechat"
)

// CheckWords name the platform in the errors of a failed settings check.
type CheckWords struct {
	Product string // "Gorgias": how operators call it
	Place   string // "the Gorgias account": what the settings' address names
	Fix     string // what to check when nothing is there: "check the domain"
}

// ExplainCheck turns a failed settings check against base into an error an
// operator can act on. known gives the platform's own words for the
// answers it knows (nil: none); then a 429 asks to save again in a minute,
// a 5xx later, another answer is a refusal, an unknown host or a permanent
// error is the settings' fault, and anything else the network's.
func ExplainCheck(err error, base string, w CheckWords, known func(*APIError) error) error {
	var api *APIError
	var dns *net.DNSError
	if errors.As(err, &api) && known != nil {
		if explained := known(api); explained != nil {
			return explained
		}
	}
	switch {
	case errors.As(err, &api) && api.Status == http.StatusTooManyRequests:
		return switchboard.Errorf(switchboard.EUNAVAILABLE, "%s at %s is rate limiting (429): save again in a minute", w.Product, base)
	case errors.As(err, &api) && api.Status >= 500:
		return switchboard.Errorf(switchboard.EUNAVAILABLE, "%s at %s is failing (%d %s): save again later", w.Product, base, api.Status, http.StatusText(api.Status))
	case errors.As(err, &api):
		return switchboard.Errorf(switchboard.EINVALID, "%s at %s refused to %s: %v", w.Product, base, api.Op, api)
	case errors.As(err, &dns):
		return switchboard.Errorf(switchboard.EINVALID, "cannot find %s at %s (no such host): %s", w.Place, base, w.Fix)
	case livechat.IsPermanent(err):
		return switchboard.Errorf(switchboard.EINVALID, "%v", err)
	default:
		return switchboard.Errorf(switchboard.EUNAVAILABLE, "cannot reach %s at %s: %v", w.Product, base, NetworkCause(err))
	}
}
