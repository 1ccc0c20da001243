package stdlib

import (
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"switchboard/csml/interp"
)

const (
	errHTTP        = "HTTP builtin expects one url of type string. Example: HTTP(\"https://clevy.io\")"
	errHTTPSet     = "[set] takes one argument of type Object. Usage: HTTP(...).set( {\"key\": 42} )"
	errHTTPQuery   = "[query] takes one argument of type Object. Usage: HTTP(...).query( {\"key\": 42} )"
	errHTTPMethod  = "is not a method of HTTP"
	errHTTPGetVal  = "not found in HTTP object. Use the HTTP() builtin to construct the correct object to make HTTP calls"
	errHTTPFailed  = "failed to read response as JSON"
	errHTTPNoJSON  = "Invalid Response format, please send a json or a valid UTF-8 sequence"
	httpContentTyp = "http"
)

// httpBuiltin is HTTP(url): a request object, content type "http", that
// methods complete and send() performs through the host.
func httpBuiltin(c *interp.Call) (interp.Value, error) {
	url, ok := c.Args.Get("url", 0)
	if !ok || url.Kind() != interp.String {
		return nullValue(), c.Errorf(errHTTP)
	}
	header := interp.NewObject(3)
	header.Set("Content-Type", str("application/json"))
	header.Set("Accept", str("application/json,text/*"))
	header.Set("User-Agent", str("csml/v1"))
	o := interp.NewObject(4)
	o.Set("url", url)
	o.Set("method", str("get"))
	o.Set("header", interp.ObjectValue(header))
	if !c.Args.Named && c.Args.Len() > 1 {
		return nullValue(), c.Errorf("to many arguments")
	}
	if c.Args.Named {
		c.Args.Each(func(name string, v interp.Value) {
			switch name {
			case "", "url", "header", "query", "body":
			default:
				o.Set(name, v)
			}
		})
	}
	return interp.ObjectValue(o).WithContentType(httpContentTyp), nil
}

// httpCopy returns a copy of the request object with key set to v.
func httpCopy(c *interp.Call, key string, v interp.Value) interp.Value {
	o := c.Recv.Obj().Clone()
	o.Set(key, v)
	return interp.ObjectValue(o).WithContentType(httpContentTyp)
}

// httpMerge returns a copy of the request object with the entries of add
// merged into its object key.
func httpMerge(c *interp.Call, key string, add *interp.ObjectData) interp.Value {
	o := c.Recv.Obj().Clone()
	cur, ok := o.Get(key)
	if !ok || cur.Kind() != interp.Object {
		o.Set(key, interp.ObjectValue(add.Clone()))
	} else {
		for k, v := range add.All() {
			cur.Obj().Set(k, v.Clone())
		}
	}
	return interp.ObjectValue(o).WithContentType(httpContentTyp)
}

// httpVerb is get(), post(body?), put(body?), delete(body?) and
// patch(body?): a copy of the request with that method. As in the
// reference, post, put and delete also set (or remove) the body of the
// object they are called on; patch without a body sets it to null; get
// takes no argument and drops the body.
func httpVerb(verb string) interp.Method {
	m := read(func(c *interp.Call) (interp.Value, error) {
		body, hasBody := c.Args.At(0)
		switch verb {
		case "get":
			if c.Args.Len() > 0 {
				return nullValue(), c.Errorf("usage: get() => http object")
			}
		case "patch":
		default:
			if hasBody {
				c.Recv.Obj().Set("body", body.Clone())
			} else {
				c.Recv.Obj().Delete("body")
			}
		}
		v := httpCopy(c, "method", str(verb))
		switch {
		case verb == "get":
			v.Obj().Delete("body")
		case verb == "patch":
			v.Obj().Set("body", body.Clone())
		}
		return v, nil
	})
	m.InPlace = verb == "post" || verb == "put" || verb == "delete"
	return m
}

func objectArg(c *interp.Call, msg string) (*interp.ObjectData, error) {
	v, ok := c.Args.At(0)
	if !ok || v.Kind() != interp.Object || c.Args.Len() != 1 {
		return nil, c.Errorf(msg)
	}
	return v.Obj(), nil
}

// httpMethods are the methods of HTTP request objects.
var httpMethods = map[string]interp.Method{
	"get":    httpVerb("get"),
	"post":   httpVerb("post"),
	"put":    httpVerb("put"),
	"patch":  httpVerb("patch"),
	"delete": httpVerb("delete"),
	"set": read(func(c *interp.Call) (interp.Value, error) {
		h, err := objectArg(c, errHTTPSet)
		if err != nil {
			return nullValue(), err
		}
		return httpMerge(c, "header", h), nil
	}),
	"query": read(func(c *interp.Call) (interp.Value, error) {
		q, err := objectArg(c, errHTTPQuery)
		if err != nil {
			return nullValue(), err
		}
		return httpMerge(c, "query", q), nil
	}),
	"auth": read(func(c *interp.Call) (interp.Value, error) {
		user, err := argString(c, 0, "usage: auth(username, password) => http object")
		if err != nil {
			return nullValue(), err
		}
		pass, err := argString(c, 1, "usage: auth(username, password) => http object")
		if err != nil {
			return nullValue(), err
		}
		h := interp.NewObject(1)
		h.Set("Authorization", str("Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+pass))))
		return httpMerge(c, "header", h), nil
	}),
	"disable_ssl_verify": read(func(c *interp.Call) (interp.Value, error) {
		return httpCopy(c, "disable_ssl_verify", boolean(true)), nil
	}),
	"send": read(httpSend),
}

// httpSend performs the request. The response body is read as JSON (else
// as a string) and carries {status, headers} as additional info; a failure
// is an error whose info also holds the body.
func httpSend(c *interp.Call) (interp.Value, error) {
	o := c.Recv.Obj()
	method, _ := o.Get("method")
	switch method.Str() {
	case "get", "post", "put", "patch", "delete":
	default:
		return nullValue(), c.Errorf("[" + method.Str() + "] " + errHTTPMethod)
	}
	url, ok := o.Get("url")
	if !ok || url.Kind() != interp.String {
		return nullValue(), c.Errorf("'url' " + errHTTPGetVal)
	}
	req := interp.HTTPRequest{Method: strings.ToUpper(method.Str()), URL: url.Str(), Header: map[string]string{}}
	if q, ok := o.Get("query"); ok && q.Kind() == interp.Object && q.Obj().Len() > 0 {
		var parts []string
		for k, v := range q.Obj().All() {
			parts = append(parts, k+"="+interp.ToString(v))
		}
		req.URL += "?" + strings.Join(parts, "&")
	}
	if h, ok := o.Get("header"); ok && h.Kind() == interp.Object {
		for k, v := range h.Obj().All() {
			req.Header[k] = interp.ToString(v)
		}
	}
	if body, ok := o.Get("body"); ok {
		req.Body = interp.JSON(body)
	}
	if v, ok := o.Get("disable_ssl_verify"); ok && v.Kind() == interp.Bool {
		req.InsecureSkipVerify = v.Bool()
	}
	return perform(c, req, false)
}

// perform makes an HTTP call through the host. The response body is read
// as JSON (else as a string) and carries {status, headers} as additional
// info; a failure is an error whose info also holds the body. For App()
// calls (app), error messages do not show the apps endpoint.
func perform(c *interp.Call, req interp.HTTPRequest, app bool) (interp.Value, error) {
	resp, err := c.HTTP(req)
	if err != nil {
		where := origin(req.URL)
		c.Log("warn", fmt.Sprintf("HTTP %s %s failed: %v", req.Method, where, err))
		if app {
			return nullValue(), c.Errorf("Apps service: error")
		}
		return nullValue(), c.Errorf(httpFailure(where, err))
	}
	c.Charge(len(resp.Body))
	info := interp.NewObject(2)
	info.Set("status", integer(resp.Status))
	headers := interp.NewObject(len(resp.Header))
	for _, k := range slices.Sorted(maps.Keys(resp.Header)) {
		headers.Set(k, str(resp.Header[k]))
	}
	info.Set("headers", interp.ObjectValue(headers))
	if resp.Status < 200 || resp.Status > 299 {
		msg := fmt.Sprintf("%s: status code %d", req.URL, resp.Status)
		if app {
			msg = fmt.Sprintf("Apps service: status code %d", resp.Status)
		}
		body := string(resp.Body)
		if !utf8.Valid(resp.Body) {
			body = errHTTPNoJSON
		}
		info.Set("body", str(body))
		return nullValue(), &interp.InfoError{Msg: msg, Info: info}
	}
	v, err := interp.ParseJSON(resp.Body)
	if err != nil {
		if !utf8.Valid(resp.Body) {
			info.Set("body", str(errHTTPNoJSON))
			return nullValue(), &interp.InfoError{Msg: errHTTPFailed, Info: info}
		}
		v = str(string(resp.Body))
	}
	return v.WithInfo(info), nil
}

// httpFailure is the error message users see for a call that got no
// answer: the host's reason (interp.HTTPError), never the addresses or the
// resolver its error names, which only the log gets.
func httpFailure(where string, err error) string {
	var he *interp.HTTPError
	switch {
	case errors.As(err, &he):
		return fmt.Sprintf("the request to %s failed: %s", where, he.Reason)
	case errors.Is(err, interp.ErrNoHTTP):
		return fmt.Sprintf("the request to %s failed: %v", where, err)
	}
	return fmt.Sprintf("the request to %s failed", where)
}

// origin is a URL's scheme and host, without the path and query that may
// hold tokens.
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "an invalid URL"
	}
	return u.Scheme + "://" + u.Host
}
