package interp

import (
	"fmt"
	"strings"
)

// NativeComponents returns the built-in components (the reference's
// interpreter/components/*.rs), plus QuickReply, which CSML Studio documents
// as Question(..., button_type = "quick_reply").
func NativeComponents() map[string]*Component {
	str := func(name string, required bool) Param { return Param{Name: name, Required: required, Type: "String"} }
	get := func(names ...string) Actions {
		a := Actions{Present: true, IsArray: true, List: []Action{}}
		for _, n := range names {
			a.List = append(a.List, Action{Get: n})
		}
		return a
	}
	url := func() []Param { return []Param{str("url", true)} }
	question := func() []Param {
		title := str("title", false)
		title.Default, title.Add = get(), get()
		return []Param{title, {Name: "buttons", Required: true, Type: "Array"}}
	}
	payload := str("payload", false)
	payload.Default = get("title")
	accepts := Param{Name: "accepts", Type: "Array", Default: get(), Add: get("title", "payload")}
	urlText, urlTitle := str("text", false), str("title", false)
	urlText.Default, urlTitle.Default = get("url"), get("url")
	buttonType := str("button_type", false)
	buttonType.Default = Actions{Present: true, IsArray: true, List: []Action{{Set: StringValue("quick_reply"), HasSet: true}}}

	specs := map[string][]Param{
		"Text":     {str("text", true)},
		"Button":   {str("title", true), payload, accepts},
		"Question": question(),
		"Card":     {str("title", true), {Name: "buttons", Type: "Array"}},
		"Carousel": {{Name: "cards", Required: true, Type: "Array"}},
		"Image":    url(),
		"Video":    url(),
		"Audio":    url(),
		"File":     url(),
		"Url":      {str("url", true), urlText, urlTitle},
		"Typing":   {{Name: "duration", Required: true, Type: "Number"}},
		"Wait":     {{Name: "duration", Required: true, Type: "Number"}},
	}
	out := make(map[string]*Component, len(specs)+1)
	for name, params := range specs {
		out[name] = &Component{ContentType: contentTypeOf(name, false), Params: params}
	}
	out["QuickReply"] = &Component{ContentType: "question", Params: append(question(), buttonType)}
	return out
}

// ParseComponents reads custom components, {"Name": {"params": [...]}}.
// Problems in a spec are reported when the component is used, as in the
// reference.
func ParseComponents(raw []byte) (map[string]*Component, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	v, err := ParseJSON(raw)
	if err != nil {
		return nil, err
	}
	if v.kind == Null {
		return nil, nil
	}
	if v.kind != Object {
		return nil, fmt.Errorf("custom components must be an object")
	}
	out := make(map[string]*Component, v.obj.Len())
	for name, spec := range v.obj.All() {
		out[name] = parseComponent(name, spec)
	}
	return out, nil
}

func parseComponent(name string, spec Value) *Component {
	c := &Component{ContentType: contentTypeOf(name, true)}
	params, _ := spec.obj.Get("params")
	if spec.kind != Object || params.kind != Array {
		return c
	}
	for _, p := range params.arr.Items {
		if p.kind != Object {
			continue
		}
		if p.obj.Len() > 1 {
			c.Err = fmt.Sprintf("invalid generic component %s, multiple keys are no allowed for single argument [%s]", name, quoteKeys(p.obj.Keys()))
			return c
		}
		for key, spec := range p.obj.All() {
			c.Params = append(c.Params, parseParam(key, spec))
		}
	}
	return c
}

func quoteKeys(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = fmt.Sprintf("%q", k)
	}
	return strings.Join(q, ", ")
}

func parseParam(name string, v Value) Param {
	p := Param{Name: name}
	if v.kind != Object {
		return p
	}
	if req, ok := v.obj.Get("required"); ok && req.kind == Bool {
		p.Required = req.Bool()
	}
	if t, ok := v.obj.Get("type"); ok && t.kind == String {
		p.Type = t.s
	}
	p.Default = parseActions(v.obj, "default_value")
	p.Add = parseActions(v.obj, "add_value")
	return p
}

func parseActions(o *ObjectData, key string) Actions {
	v, ok := o.Get(key)
	if !ok {
		return Actions{}
	}
	a := Actions{Present: true, IsArray: v.kind == Array}
	for _, it := range v.Items() {
		if it.kind != Object {
			continue
		}
		var act Action
		if g, ok := it.obj.Get("$_get"); ok && g.kind == String {
			act.Get = g.s
		}
		if s, ok := it.obj.Get("$_set"); ok {
			act.Set, act.HasSet = s, true
		}
		a.List = append(a.List, act)
	}
	return a
}
