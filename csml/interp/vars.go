package interp

import (
	"switchboard/csml/syntax"
)

// varKind tells where a variable lives.
type varKind uint8

const (
	varNone varKind = iota
	varConst
	varLocal
	varMemory
)

// lookup finds a variable: flow constants first, then step variables, then
// remembered memories.
func (r *run) lookup(name string) (varKind, Value) {
	if v, ok := r.flow.Consts[name]; ok {
		return varConst, v
	}
	if v, ok := r.locals[name]; ok {
		return varLocal, v
	}
	if p := r.mem.ref(name); p != nil {
		return varMemory, *p
	}
	return varNone, Value{}
}

func (r *run) undefined(id *syntax.Ident, warn bool) Value {
	msg := "< " + id.Name + " > is used before it was saved in memory"
	if warn {
		return r.warn(id.P, msg)
	}
	return errorValue(msg)
}

// variable reads a bare identifier.
func (r *run) variable(id *syntax.Ident, warn bool) (Value, error) {
	switch id.Name {
	case "event":
		return StringValue(r.in.Event.ContentValue).WithSecure(r.eventSecure()), nil
	case "_metadata":
		o := r.meta().Clone()
		if o == nil {
			o = NewObject(1)
		}
		o.Set("_context", ObjectValue(r.flowContext()))
		return ObjectValue(o), nil
	case "_memory":
		return r.memoryObject(), nil
	case "_env":
		return r.prog.Env, nil
	case "Component":
		return Value{}, r.errorAt(id.P, "component must have a function applied")
	}
	if k, v := r.lookup(id.Name); k != varNone {
		return v, nil
	}
	return r.undefined(id, warn), nil
}

// eventSecure reports whether the event is secure: the engine marks the
// event that answers a hold_secure.
func (r *run) eventSecure() bool {
	return r.in.Event.Secure || (r.in.Hold != nil && r.in.Hold.Secure)
}

// eventContent is the event's content object, tagged "event" (decoded once).
func (r *run) eventContent() Value {
	if r.event == nil {
		v, err := ParseJSON(r.in.Event.Content)
		if err != nil || len(r.in.Event.Content) == 0 {
			v = ObjectValue(NewObject(0))
		}
		v = v.WithContentType("event").WithSecure(r.eventSecure())
		r.event = &v
	}
	return *r.event
}

// meta is the request metadata object (decoded once; empty when absent).
func (r *run) meta() *ObjectData {
	if r.metadata == nil {
		v, err := ParseJSON(r.in.Metadata)
		if err != nil || v.kind != Object {
			v = ObjectValue(NewObject(0))
		}
		r.metadata = v.obj
	}
	return r.metadata
}

// flowContext is _metadata._context: where the run is.
func (r *run) flowContext() *ObjectData {
	o := NewObject(5)
	o.Set("current_step", StringValue(r.stepName))
	o.Set("current_flow", StringValue(r.flowName))
	o.Set("default_flow", StringValue(r.prog.DefaultFlow))
	if r.prev != nil {
		o.Set("previous_step", StringValue(r.prev.Step))
		o.Set("previous_flow", StringValue(r.prev.StepFlow))
	}
	return o
}

// memoryObject is _memory: remembered values merged with step variables.
func (r *run) memoryObject() Value {
	o := NewObject(len(r.locals))
	r.mem.each(func(k string, v Value) { o.Set(k, v) })
	for k, v := range r.locals {
		o.Set(k, v)
	}
	return ObjectValue(o)
}

// capture gives a closure being stored the variables visible now.
func (r *run) capture(v Value) Value {
	if v.kind != Closure {
		return v
	}
	fn := *v.Closure()
	fn.Captured = r.memoryObject().obj.Clone()
	return closureValue(&fn).WithInfo(v.Info())
}
