package livechat

import (
	"errors"
	"strings"
)

// FailureReason says in one word why a session could not be opened. The
// bot reads it in LIVECHAT_SESSION_ERROR's event.reason, next to
// event.message, a text it may show the user; the driver's error, which may
// name the platform, its answer and its settings, goes only to the log, the
// session's error in the administration and the metric
// switchboard_sessions_failed_total{reason}.
type FailureReason string

// The reasons a session fails.
const (
	// ReasonNotConfigured: the bot has no livechat platform.
	ReasonNotConfigured FailureReason = "not_configured"
	// ReasonMisconfigured: the settings are incomplete or point at no such
	// account, inbox or API (a wrong URL, a deleted inbox).
	ReasonMisconfigured FailureReason = "misconfigured"
	// ReasonBadCredentials: the platform refused the credentials (401,
	// 403).
	ReasonBadCredentials FailureReason = "bad_credentials"
	// ReasonPlatformRefused: the platform refused the request itself (400,
	// 422: what switchboard sent does not suit it).
	ReasonPlatformRefused FailureReason = "platform_refused"
	// ReasonPlatformUnreachable: the platform did not answer, or kept
	// failing (network errors, time-outs, 5xx, 429) for the whole open
	// timeout.
	ReasonPlatformUnreachable FailureReason = "platform_unreachable"
)

// customerTexts are the texts a bot may show the user, by reason. They say
// what the user can do, and nothing of the platform or the settings.
var customerTexts = map[FailureReason]string{
	ReasonNotConfigured:       "Chatting with our team is not available here. Please contact us another way.",
	ReasonMisconfigured:       "Chatting with our team is not available right now. Please contact us another way.",
	ReasonBadCredentials:      "Chatting with our team is not available right now. Please contact us another way.",
	ReasonPlatformRefused:     "We could not connect you to our team. Please try again later or contact us another way.",
	ReasonPlatformUnreachable: "Our team cannot be reached right now. Please try again in a few minutes.",
}

// CustomerText is the text a bot may show the user for the reason.
func (r FailureReason) CustomerText() string {
	if t, ok := customerTexts[r]; ok {
		return t
	}
	return customerTexts[ReasonPlatformRefused]
}

// reasonError carries the reason a driver gave an error.
type reasonError struct {
	reason FailureReason
	err    error
}

func (e *reasonError) Error() string { return e.err.Error() }
func (e *reasonError) Unwrap() error { return e.err }

// WithReason marks err with the reason a session failing on it fails for.
// The marks of Permanent and RetryAfter inside err still count.
func WithReason(reason FailureReason, err error) error {
	if err == nil {
		return nil
	}
	return &reasonError{reason: reason, err: err}
}

// Misconfigured marks an error of the bot's settings (missing, or pointing
// at something that is not the platform's API): retrying cannot help, and a
// session failing on it fails as ReasonMisconfigured.
func Misconfigured(err error) error {
	return WithReason(ReasonMisconfigured, Permanent(err))
}

// ReasonOf is the reason err was marked with (the first mark found);
// unmarked, a permanent error is the platform refusing, any other the
// platform unreachable (it kept failing until the open timeout).
func ReasonOf(err error) FailureReason {
	var r *reasonError
	switch {
	case errors.As(err, &r):
		return r.reason
	case IsPermanent(err):
		return ReasonPlatformRefused
	}
	return ReasonPlatformUnreachable
}

// FailureError is what a failed session records as its error: the reason,
// then the detail ("platform_unreachable: chatwoot: create contact: …").
func FailureError(reason FailureReason, detail string) string {
	return string(reason) + ": " + detail
}

// SplitFailure reads a session's error back into its reason and detail.
// An error recorded before reasons existed has no reason.
func SplitFailure(sessionError string) (FailureReason, string) {
	code, detail, ok := strings.Cut(sessionError, ": ")
	if _, known := customerTexts[FailureReason(code)]; ok && known {
		return FailureReason(code), detail
	}
	return "", sessionError
}
