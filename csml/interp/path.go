package interp

import (
	"errors"
	"strconv"
	"unicode/utf8"

	"switchboard/csml/syntax"
)

const (
	errFindByIndex = "index must be of type int or string. Example var.[42] or var.[\"key\"]"
	errConstMethod = "Invalid operation constants can not execute self mutable functions"
	errConstAssign = "const variables are immutable"
)

// seg is a path segment with its index or arguments evaluated.
type seg struct {
	pos    syntax.Pos
	kind   syntax.SegKind // SegKey (also for ["key"]), SegIndex or SegMethod
	key    string
	idx    int64
	args   Args
	method string
}

// resolve evaluates the indexes and method arguments of a path, left to
// right, before the path is walked (as the reference's resolve_path). The
// segments are appended to out.
func (r *run) resolve(out []seg, segs []syntax.Seg, warn bool) ([]seg, error) {
	for _, s := range segs {
		rs := seg{pos: s.P, kind: s.Kind, key: s.Name}
		switch s.Kind {
		case syntax.SegIndex:
			v, err := r.eval(s.Index, warn)
			if err != nil {
				return nil, err
			}
			switch v.kind {
			case Int:
				rs.idx = v.n
			case String:
				rs.kind, rs.key = syntax.SegKey, v.s
			default:
				return nil, r.errorAt(s.P, errFindByIndex)
			}
		case syntax.SegMethod:
			rs.method = s.Name
			args, err := r.args(s.Args, warn)
			if err != nil {
				return nil, err
			}
			rs.args = args
		}
		out = append(out, rs)
	}
	return out, nil
}

func keyMissing(key string) string { return "[" + key + "] key does not exist" }

// indexMissing formats the index as the reference's usize conversion does.
func indexMissing(i int64) string {
	return "[" + strconv.FormatUint(uint64(i), 10) + "] index must be lower than or equal to array.length()"
}

// charAt is the i-th character of s as a string.
func charAt(s string, i int64) (Value, bool) {
	if i < 0 {
		return Value{}, false
	}
	for _, c := range s {
		if i == 0 {
			return StringValue(string(c)), true
		}
		i--
	}
	return Value{}, false
}

// walkMode says what a walked path's root is: a variable that methods may
// change in place, a constant that they may not change, or a temporary that
// they change on a copy. event marks the event's content.
type walkMode struct {
	writable bool
	constant bool
	event    bool
}

// walk reads segs from root. It reports whether a write method changed the
// root (in place), which must then be saved. Missing keys and indexes end
// the walk with null (and a message when warn is set); method errors are
// messages too.
func (r *run) walk(root Value, segs []seg, warn bool, m walkMode) (Value, bool) {
	cur := root
	written := false
	for _, s := range segs {
		switch s.kind {
		case syntax.SegKey:
			next, ok := cur.obj.Get(s.key)
			if !ok || cur.kind != Object {
				return r.missing(s.pos, keyMissing(s.key), warn), written
			}
			cur = next
		case syntax.SegIndex:
			switch {
			case cur.kind == String:
				c, ok := charAt(cur.s, s.idx)
				if !ok {
					return r.missing(s.pos, indexMissing(s.idx), warn), written
				}
				cur = c
			case cur.kind == Array && s.idx >= 0 && s.idx < int64(len(cur.arr.Items)):
				cur = cur.arr.Items[s.idx]
			default:
				return r.missing(s.pos, indexMissing(s.idx), warn), written
			}
		case syntax.SegMethod:
			res, wrote := r.callMethod(cur, s, m)
			written = written || wrote
			cur = res
			m = walkMode{}
		}
	}
	return cur, written
}

func (r *run) missing(pos syntax.Pos, msg string, warn bool) Value {
	if warn {
		return r.warn(pos, msg)
	}
	return errorValue(msg)
}

// callMethod calls a method on recv; errors are sent as messages and give
// null. Write methods change arrays and objects in place (through the
// pointers the value holds); it reports whether they changed a writable
// receiver.
func (r *run) callMethod(recv Value, s seg, m walkMode) (Value, bool) {
	if s.args.Named {
		return r.warn(s.pos, "arguments in method are not named"), false
	}
	recv, meth, ok := r.prog.Library.method(recv, m.event, s.method)
	if !ok {
		return r.warn(s.pos, "["+s.method+"] is not a method of "+recv.kind.TypeName()), false
	}
	if meth.Write && m.constant {
		return r.warn(s.pos, errConstMethod), false
	}
	if (meth.Write || meth.InPlace) && !m.writable {
		recv = recv.Clone()
	}
	c := &Call{r: r, Name: s.method, Pos: s.pos, Args: s.args, Recv: recv}
	if m.event {
		c.EventType = r.in.Event.ContentType
	}
	v, err := meth.Fn(c)
	if err != nil {
		return r.libraryError(s.pos, err), false
	}
	r.chargeValue(v)
	return v, meth.Write && m.writable
}

// libraryError sends a method's or builtin's error as a message; the null
// left carries the error and any additional info.
func (r *run) libraryError(pos syntax.Pos, err error) Value {
	v := r.warn(pos, errorMessage(err))
	var ie *InfoError
	if errors.As(err, &ie) && ie.Info != nil {
		info := ie.Info.Clone()
		info.Set("error", StringValue(ie.Msg))
		v = v.WithInfo(info)
	}
	return v
}

// errorMessage is the message of a library error (without position when it
// is an *Error).
func errorMessage(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Msg
	}
	return err.Error()
}

// evalPath reads a path, handling the special roots (event, _metadata,
// _env, _memory, Component) and writing back variables changed by methods.
func (r *run) evalPath(p *syntax.Path, warn bool) (Value, error) {
	id, isIdent := p.X.(*syntax.Ident)
	if isIdent && id.Name == "_metadata" {
		return r.metadataPath(p.Segs, warn)
	}
	if isIdent && id.Name == "Component" {
		return r.customComponent(id, p.Segs, warn)
	}
	var root Value
	mode := walkMode{}
	kind := varNone
	switch {
	case isIdent && id.Name == "event":
		root, mode.event = r.eventContent(), true
	case isIdent && (id.Name == "_env" || id.Name == "_memory"):
		v, err := r.variable(id, warn)
		if err != nil {
			return Value{}, err
		}
		root, mode.constant = v, id.Name == "_env"
	case isIdent:
		kind, root = r.lookup(id.Name)
		switch kind {
		case varNone:
			root = r.undefined(id, warn)
		case varConst:
			mode.constant = true
		default:
			mode.writable = true
		}
	default:
		v, err := r.eval(p.X, warn)
		if err != nil {
			return Value{}, err
		}
		root = v
	}
	segs, err := r.resolve(nil, p.Segs, warn)
	if err != nil {
		return Value{}, err
	}
	v, written := r.walk(root, segs, warn, mode)
	if written {
		r.save(id.Name, kind, root)
	}
	return v, nil
}

// save stores a variable changed in place: a step variable is put back, a
// memory is recorded as the reference's save_literal_in_mem does.
func (r *run) save(name string, kind varKind, v Value) {
	switch kind {
	case varLocal:
		r.locals[name] = v
	case varMemory:
		r.mem.set(name, v)
		r.record(name, v)
	}
}

// metadataPath reads _metadata.key...: an unknown key is null without a
// message, and _metadata._context gives where the run is.
func (r *run) metadataPath(segs []syntax.Seg, warn bool) (Value, error) {
	rs, err := r.resolve(nil, segs, warn)
	if err != nil {
		return Value{}, err
	}
	first := rs[0]
	if first.kind != syntax.SegKey {
		return Value{}, r.errorAt(first.pos, errFindByIndex)
	}
	var root Value
	rest := rs[1:]
	if first.key == "_context" {
		ctx := r.flowContext()
		root = ObjectValue(ctx)
		if len(rest) > 0 && rest[0].kind == syntax.SegKey {
			if v, ok := ctx.Get(rest[0].key); ok {
				root, rest = v, rest[1:]
			}
		}
	} else if v, ok := r.meta().Get(first.key); ok {
		root = v
	}
	v, _ := r.walk(root, rest, warn, walkMode{})
	return v, nil
}

// assign runs do target = value and its compound forms.
func (r *run) assign(s *syntax.Assignment) error {
	nv, err := r.eval(s.Value, true)
	if err != nil {
		return err
	}
	if nv.secure {
		r.warn(s.Value.Start(), errSecureAssign)
		return nil
	}
	nv = r.capture(r.store(nv))
	base, _ := s.Target.(*syntax.Ident)
	var segs []syntax.Seg
	if p, ok := s.Target.(*syntax.Path); ok {
		base, segs = p.X.(*syntax.Ident), p.Segs
	}
	kind, root := r.lookup(base.Name)
	if kind == varNone {
		kind = varLocal
		r.locals[base.Name] = root
	}
	rs, err := r.resolve(nil, segs, true)
	if err != nil {
		return err
	}
	if s.Op != syntax.OpNone {
		cur, _ := r.walk(root, rs, false, walkMode{})
		res, msg := Arith(s.Op, cur, nv)
		if msg != "" {
			r.warn(base.P, msg)
			nv = StringValue(msg)
		} else {
			nv = res.WithContentType(nv.ctype)
		}
	}
	if kind == varConst {
		r.warn(s.Value.Start(), errConstAssign)
		return nil
	}
	written, err := r.writePath(&root, rs, nv)
	if err != nil || !written {
		return err
	}
	r.save(base.Name, kind, root)
	return nil
}

// writePath stores nv at the end of segs under root. A missing key or index
// on the way is an error message and nothing is written; setting a key on
// something that is not an object is fatal, as in the reference.
func (r *run) writePath(root *Value, segs []seg, nv Value) (bool, error) {
	cur := root
	for i, s := range segs {
		last := i == len(segs)-1
		switch {
		case s.kind == syntax.SegKey && last:
			if cur.kind != Object {
				return false, r.errorAt(s.pos, "[insert] is not a method of "+cur.kind.TypeName())
			}
			cur.obj.Set(s.key, nv)
			return true, nil
		case s.kind == syntax.SegKey:
			var next *Value
			if cur.kind == Object {
				next = cur.obj.Ref(s.key)
			}
			if next == nil {
				r.warn(s.pos, keyMissing(s.key))
				return false, nil
			}
			cur = next
		case cur.kind == String && last:
			replaced, ok := replaceChar(cur.s, s.idx, ToString(nv))
			if !ok {
				r.warn(s.pos, indexMissing(s.idx))
				return false, nil
			}
			*cur = StringValue(replaced)
			return true, nil
		case cur.kind == Array && s.idx >= 0 && s.idx < int64(len(cur.arr.Items)):
			cur = &cur.arr.Items[s.idx]
		default:
			r.warn(s.pos, indexMissing(s.idx))
			return false, nil
		}
	}
	*cur = nv
	return true, nil
}

// replaceChar replaces the i-th character of s with with.
func replaceChar(s string, i int64, with string) (string, bool) {
	n := int64(0)
	for off := range s {
		if n == i {
			_, size := utf8.DecodeRuneInString(s[off:])
			return s[:off] + with + s[off+size:], true
		}
		n++
	}
	return "", false
}
