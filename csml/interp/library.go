package interp

import (
	crand "crypto/rand"
	"math/rand/v2"
	"time"

	"switchboard/csml/syntax"
)

// Library is the set of methods and builtin functions a program can call
// beyond the core language; the stdlib package provides the reference's.
type Library struct {
	// Methods are looked up by the receiver's content type first (e.g.
	// "event", "http"), then by its kind, then in Generic.
	ByContentType map[string]map[string]Method
	ByKind        map[Kind]map[string]Method
	Generic       map[string]Method
	// Builtins are the functions called by name (Length(x), OneOf(a)...).
	Builtins map[string]Builtin
}

// Method is a method of a value. Write methods may change their receiver:
// they are refused on constants and, on a remembered variable, record the
// new value.
type Method struct {
	Fn    func(c *Call) (Value, error)
	Write bool
	// InPlace marks a reading method that still changes its receiver (the
	// reference's HTTP post, put and delete set the body of the variable
	// they are called on): the change stays in the variable for the rest
	// of the run, without a memory record.
	InPlace bool
}

// Builtin is a builtin function. Quiet builtins evaluate their arguments
// without undefined-variable warnings (the reference's Or).
type Builtin struct {
	Fn    func(c *Call) (Value, error)
	Quiet bool
}

// Call is what a method or builtin receives.
type Call struct {
	r    *run
	Name string
	Pos  syntax.Pos
	Args Args
	// Recv is the method's receiver. Write methods change its arrays and
	// objects in place.
	Recv Value
	// EventType is the event's content type when the receiver is the event.
	EventType string
}

// Errorf returns the error a method or builtin reports: the caller sends it
// as an error message and goes on with null (these errors are not fatal).
func (c *Call) Errorf(msg string) error { return c.r.errorAt(c.Pos, msg) }

// Now is the run's clock.
func (c *Call) Now() time.Time { return c.r.now() }

// Rand is the run's randomness: the host's, else a generator seeded at
// random on first use.
func (c *Call) Rand() *rand.Rand {
	if c.r.rnd == nil {
		var seed [32]byte
		_, _ = crand.Read(seed[:]) // crypto/rand.Read never fails
		c.r.rnd = rand.New(rand.NewChaCha8(seed))
	}
	return c.r.rnd
}

// AppsEndpoint is where App() calls go (empty when the bot has none).
func (c *Call) AppsEndpoint() string { return c.r.prog.AppsEndpoint }

// Client is the client's identity sent to apps (nil when unknown).
func (c *Call) Client() []byte { return c.r.in.Client }

// Charge counts bytes a method or builtin allocated against the run's
// memory budget.
func (c *Call) Charge(n int) { c.r.charge(n) }

// Log sends a line to the host's log (as the log action does).
func (c *Call) Log(level, msg string) {
	if c.r.in.Log != nil {
		c.r.in.Log(level, msg)
	}
}

// Flow is the current flow's name.
func (c *Call) Flow() string { return c.r.flowName }

// Exists reports whether a variable of that name is defined (a constant, a
// step variable or a memory).
func (c *Call) Exists(name string) bool {
	k, _ := c.r.lookup(name)
	return k != varNone
}

// Invoke calls a closure with args (for map, filter, reduce).
func (c *Call) Invoke(fn Value, args ...Value) (Value, error) {
	return c.r.invokeClosure(c.Pos, fn, args)
}

// method finds method name for recv. On the event's content (evt), only
// the event methods apply; other names are forwarded to the content's
// "text", else "payload", as the reference does. It returns the receiver
// the method applies to.
func (l *Library) method(recv Value, evt bool, name string) (Value, Method, bool) {
	if l == nil {
		return recv, Method{}, false
	}
	if evt && recv.kind == Object {
		if m, ok := l.ByContentType["event"][name]; ok {
			return recv, m, true
		}
		for _, k := range [...]string{"text", "payload"} {
			if v, ok := recv.obj.Get(k); ok {
				return l.method(v, false, name)
			}
		}
		return recv, Method{}, false
	}
	if m, ok := l.ByContentType[recv.ContentType()][name]; ok {
		return recv, m, true
	}
	if m, ok := l.ByKind[recv.kind][name]; ok {
		return recv, m, true
	}
	m, ok := l.Generic[name]
	return recv, m, ok
}

func (l *Library) builtin(name string) (Builtin, bool) {
	if l == nil {
		return Builtin{}, false
	}
	b, ok := l.Builtins[name]
	return b, ok
}
