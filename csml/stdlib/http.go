package stdlib

import (
	"encoding/base64"
	"fmt"
	"maps"
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

func httpVerb(verb string) interp.Method {
	return read(func(c *interp.Call) (interp.Value, error) {
		v := httpCopy(c, "method", str(verb))
		if body, ok := c.Args.At(0); ok {
			v.Obj().Set("body", body.Clone())
		} else {
			v.Obj().Delete("body")
		}
		return v, nil
	})
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
	resp, err := c.HTTP(req)
	if err != nil {
		return nullValue(), c.Errorf(err.Error())
	}
	info := interp.NewObject(2)
	info.Set("status", integer(resp.Status))
	headers := interp.NewObject(len(resp.Header))
	for _, k := range slices.Sorted(maps.Keys(resp.Header)) {
		headers.Set(k, str(resp.Header[k]))
	}
	info.Set("headers", interp.ObjectValue(headers))
	if resp.Status < 200 || resp.Status > 299 {
		info.Set("body", str(string(resp.Body)))
		return nullValue(), &interp.InfoError{Msg: fmt.Sprintf("%s: status code %d", req.URL, resp.Status), Info: info}
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
