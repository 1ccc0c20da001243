package interp

import (
	"context"
	"errors"
)

// HTTPRequest is an HTTP call a bot makes (HTTP(url)...send()): the host
// performs it. Body is JSON, nil for none.
type HTTPRequest struct {
	Method             string
	URL                string
	Header             map[string]string
	Body               []byte
	InsecureSkipVerify bool
}

// HTTPResponse is what the host got back.
type HTTPResponse struct {
	Status int
	Header map[string]string
	Body   []byte
}

// HTTPFunc performs an HTTP call for a run.
type HTTPFunc func(ctx context.Context, req HTTPRequest) (HTTPResponse, error)

// ErrNoHTTP is the error of a call made when the host gives no HTTP access.
var ErrNoHTTP = errors.New("HTTP calls are not available")

// InfoError is a library error that also carries additional info (an HTTP
// failure's status, headers and body): the null it leaves reports it through
// get_info().
type InfoError struct {
	Msg  string
	Info *ObjectData
}

func (e *InfoError) Error() string { return e.Msg }

// HTTP performs req through the host.
func (c *Call) HTTP(req HTTPRequest) (HTTPResponse, error) {
	if c.r.in.HTTP == nil {
		return HTTPResponse{}, ErrNoHTTP
	}
	return c.r.in.HTTP(c.r.ctx, req)
}
