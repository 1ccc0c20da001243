package switchboard

import (
	"errors"
	"fmt"
)

// Code classifies an application error; the HTTP edges map each code to a status
// in one place.
type Code string

// The application error codes.
const (
	ECONFLICT     Code = "conflict"      // state does not allow the request (409)
	EINTERNAL     Code = "internal"      // a bug or an outage (500)
	EINVALID      Code = "invalid"       // bad input (400)
	ENOTFOUND     Code = "not_found"     // no such thing (404)
	EUNAUTHORIZED Code = "unauthorized"  // missing or wrong credentials (401)
	EFORBIDDEN    Code = "forbidden"     // credentials that may not do this (403)
	ETOOLARGE     Code = "too_large"     // body over the limit (413)
	EUNAVAILABLE  Code = "unavailable"   // try again later (503)
	ETOOMANY      Code = "rate_limited"  // slow down (429)
	EGONE         Code = "session_ended" // the livechat session is over (410)
)

// Error is an application error: a code and a message that is safe to show to
// whoever sent the request.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an application error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first application error in err's chain, or
// EINTERNAL for anything else (and "" for nil).
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the safe message of an application error, or a generic
// text for anything else, so internal details never reach a client.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
