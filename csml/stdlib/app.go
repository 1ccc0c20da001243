package stdlib

import "switchboard/csml/interp"

// App(name, key = value...) (or Fn) calls a function of the bot's apps
// service: a POST to the bot's apps_endpoint of {"function_id", "data":
// {named arguments}, "client"}; the value is the response's "data".

const (
	errFnID       = "App name must be of type string"
	errFnEndpoint = "App can not be called because apps_endpoint is not set in bot"
	errHTTPNoData = "bad format: no 'data' in HTTP response"
)

func appBuiltin(c *interp.Call) (interp.Value, error) {
	endpoint := c.AppsEndpoint()
	if endpoint == "" {
		return nullValue(), c.Errorf(errFnEndpoint)
	}
	id, ok := c.Args.Get("fn_id", 0)
	if !ok || id.Kind() != interp.String {
		return nullValue(), c.Errorf(errFnID)
	}
	if !c.Args.Named && c.Args.Len() > 1 {
		return nullValue(), c.Errorf("to many arguments")
	}
	data := interp.NewObject(c.Args.Len())
	c.Args.Each(func(name string, v interp.Value) {
		if name != "" && name != "fn_id" {
			data.Set(name, v)
		}
	})
	body := interp.NewObject(3)
	body.Set("function_id", id)
	body.Set("data", interp.ObjectValue(data))
	client := interp.NullValue()
	if raw := c.Client(); raw != nil {
		client, _ = interp.ParseJSON(raw)
	}
	body.Set("client", client)
	req := interp.HTTPRequest{
		Method: "POST", URL: endpoint, Body: interp.JSON(interp.ObjectValue(body)),
		Header: map[string]string{"content-type": "application/json", "accept": "application/json,text/*"},
	}
	v, err := perform(c, req, true)
	if err != nil {
		return v, err
	}
	if v.Kind() != interp.Object {
		return nullValue(), c.Errorf(errHTTPNoData)
	}
	out, ok := v.Obj().Get("data")
	if !ok {
		return nullValue(), c.Errorf(errHTTPNoData)
	}
	return out.WithInfo(v.Info()), nil
}
