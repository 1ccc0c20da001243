// Package httpx holds what every HTTP edge of switchboard shares: the one
// mapping from application error codes to HTTP statuses, JSON error bodies
// ({"error": {"code", "message"}}), size-limited JSON decoding, and a
// middleware that turns a handler panic into a 500 instead of a dead server.
package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"switchboard"
)

// Status maps an application error code to its HTTP status.
func Status(code switchboard.Code) int {
	switch code {
	case switchboard.EINVALID:
		return http.StatusBadRequest
	case switchboard.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case switchboard.EFORBIDDEN:
		return http.StatusForbidden
	case switchboard.ENOTFOUND:
		return http.StatusNotFound
	case switchboard.ECONFLICT:
		return http.StatusConflict
	case switchboard.EGONE:
		return http.StatusGone
	case switchboard.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case switchboard.ETOOMANY:
		return http.StatusTooManyRequests
	case switchboard.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// ErrorBody is the JSON of every error response.
type ErrorBody struct {
	Error struct {
		Code    switchboard.Code `json:"code"`
		Message string           `json:"message"`
	} `json:"error"`
}

// WriteError answers with the error's status and JSON body. Internal errors are
// logged and answered with a generic message, so no detail leaks.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	code := switchboard.ErrorCode(err)
	if code == switchboard.EINTERNAL && log != nil {
		log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var body ErrorBody
	body.Error.Code = code
	body.Error.Message = switchboard.ErrorMessage(err)
	WriteJSON(w, Status(code), body)
}

// WriteJSON answers with a JSON body.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// DecodeJSON reads a JSON request body of at most max bytes into v, rejecting
// unknown fields when strict. Its errors are application errors that say what
// is wrong.
func DecodeJSON(w http.ResponseWriter, r *http.Request, max int64, strict bool, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return switchboard.Errorf(switchboard.EINVALID, "Content-Type is %q: send application/json", ct)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, max))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return DecodeError(err, max)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return switchboard.Errorf(switchboard.EINVALID, "request body has data after the JSON value")
	}
	return nil
}

// DecodeError turns a JSON decoding error into an application error that says
// where the body is wrong.
func DecodeError(err error, max int64) error {
	var tooBig *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		return switchboard.Errorf(switchboard.ETOOLARGE, "request body is larger than %d bytes", max)
	case errors.As(err, &syntax):
		return switchboard.Errorf(switchboard.EINVALID, "malformed JSON at byte %d: %v", syntax.Offset, syntax)
	case errors.As(err, &typ):
		return switchboard.Errorf(switchboard.EINVALID, "field %q must be %s, not a JSON %s", typ.Field, typ.Type, typ.Value)
	case errors.Is(err, io.EOF):
		return switchboard.Errorf(switchboard.EINVALID, "request body is empty: send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return switchboard.Errorf(switchboard.EINVALID, "malformed JSON: the body ends too early")
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return switchboard.Errorf(switchboard.EINVALID, "%s", strings.TrimPrefix(err.Error(), "json: "))
	default:
		return switchboard.Errorf(switchboard.EINVALID, "malformed JSON: %v", err)
	}
}

// Recover answers 500 when a handler panics and logs the panic, so one bad
// request cannot stop the server.
func Recover(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.ErrorContext(r.Context(), "handler panicked", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				WriteError(w, r, nil, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// maxPath bounds a request's path, in characters; Go's server already
// bounds the request line with the headers (1 MB).
const maxPath = 8 << 10

// CheckPath refuses, with a 400 that says why, a request whose path once
// decoded is not valid UTF-8 or holds a control character (%00, %FF, %0A):
// no route's parameter may be one, and a handler would otherwise meet it
// in a lookup that a store refuses less clearly.
func CheckPath(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := switchboard.CheckName("the URL path", r.URL.Path, maxPath); err != nil {
			WriteError(w, r, log, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}
