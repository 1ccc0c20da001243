package stdlib

import (
	"encoding/binary"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"strings"
	"time"

	"switchboard/csml/interp"
)

const (
	errOneOf   = "OneOf builtin expects one value of type Array. Example: OneOf( [1, 2, 3] )"
	errExists  = "Exists builtin expects one value of type String. Example: Exists( \"var_name\" )"
	errShuffle = "Shuffle builtin expects one value of type Array. Example: Shuffle( [1, 2, 3] )"
	errLength  = "Length builtin expects one value of type Array or String. Example: Length( value )"
	errFindIn  = "Find builtin expects 'in' param to be of type String. Example: Find(value, in = \"hola\", case_sensitive = true)"
	errFloor   = "Floor builtin expects one argument of type float. Example: Floor(4.2)"
	errUUID    = "UUID builtin expects one optional argument of type String. Example: UUID(\"v4\") or UUID(\"v1\")"
)

func builtin(fn func(c *interp.Call) (interp.Value, error)) interp.Builtin {
	return interp.Builtin{Fn: fn}
}

// builtins are the reference's builtin functions (interpreter/builtins).
var builtins = map[string]interp.Builtin{
	"HTTP":   builtin(httpBuiltin),
	"Time":   builtin(timeBuiltin),
	"Base64": codec("base64"),
	"Hex":    codec("hex"),
	"Crypto": builtin(cryptoBuiltin),
	"JWT":    builtin(jwtBuiltin),
	"SMTP":   builtin(smtpBuiltin),
	"App":    builtin(appBuiltin),
	"Fn":     builtin(appBuiltin),
	"OneOf": builtin(func(c *interp.Call) (interp.Value, error) {
		a, ok := c.Args.Get("array", 0)
		if !ok || a.Kind() != interp.Array || len(a.Items()) == 0 {
			return nullValue(), c.Errorf(errOneOf)
		}
		return a.Items()[c.Rand().IntN(len(a.Items()))], nil
	}),
	"Shuffle": builtin(func(c *interp.Call) (interp.Value, error) {
		a, ok := c.Args.Get("array", 0)
		if !ok || a.Kind() != interp.Array {
			return nullValue(), c.Errorf(errShuffle)
		}
		items := append([]interp.Value(nil), a.Items()...)
		c.Rand().Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		return interp.ArrayValue(items), nil
	}),
	"Length": builtin(func(c *interp.Call) (interp.Value, error) {
		v, _ := c.Args.Get("length", 0)
		switch v.Kind() {
		case interp.Array:
			return integer(len(v.Items())), nil
		case interp.String:
			return integer(len(v.Str())), nil
		}
		return nullValue(), c.Errorf(errLength)
	}),
	"Find": builtin(func(c *interp.Call) (interp.Value, error) {
		in, ok := c.Args.Get("in", 1)
		value, ok2 := c.Args.Get("value", 0)
		if !ok || !ok2 || in.Kind() != interp.String || value.Kind() != interp.String {
			return nullValue(), c.Errorf(errFindIn)
		}
		return boolean(strings.Contains(strings.ToLower(in.Str()), strings.ToLower(value.Str()))), nil
	}),
	"Random": builtin(func(c *interp.Call) (interp.Value, error) {
		return interp.FloatValue(c.Rand().Float64()), nil
	}),
	"Floor": builtin(func(c *interp.Call) (interp.Value, error) {
		v, ok := c.Args.Get("float", 0)
		if !ok || v.Kind() != interp.Float {
			return nullValue(), c.Errorf(errFloor)
		}
		return interp.FloatValue(math.Floor(v.Float())), nil
	}),
	"UUID": builtin(func(c *interp.Call) (interp.Value, error) {
		if c.Args.Len() == 0 {
			return str(uuid4(c.Rand())), nil
		}
		v, _ := c.Args.Get("value", 0)
		switch {
		case v.Kind() != interp.String:
			return nullValue(), c.Errorf(errFloor)
		case v.Str() == "v4":
			return str(uuid4(c.Rand())), nil
		case v.Str() == "v1":
			return str(uuid1(c.Now(), c.Rand())), nil
		}
		return nullValue(), c.Errorf(errUUID)
	}),
	"Exists": builtin(func(c *interp.Call) (interp.Value, error) {
		v, ok := c.Args.Get("string", 0)
		if !ok || v.Kind() != interp.String {
			return nullValue(), c.Errorf(errExists)
		}
		return boolean(c.Exists(v.Str())), nil
	}),
	"Or": {Quiet: true, Fn: func(c *interp.Call) (interp.Value, error) {
		first, ok1 := c.Args.Get("arg0", 0)
		second, ok2 := c.Args.Get("arg1", 1)
		if !ok1 || !ok2 {
			return nullValue(), c.Errorf("ERROR_SHUFFLE")
		}
		if first.IsError() {
			return second, nil
		}
		return first, nil
	}},
	"Debug": builtin(func(c *interp.Call) (interp.Value, error) {
		var args []interp.Value
		c.Args.Each(func(_ string, v interp.Value) { args = append(args, v) })
		return interp.DebugValue(args), nil
	}),
	"Object": builtin(func(c *interp.Call) (interp.Value, error) {
		if !c.Args.Named && c.Args.Len() > 0 {
			return nullValue(), c.Errorf("to many arguments")
		}
		o := interp.NewObject(c.Args.Len())
		c.Args.Each(func(name string, v interp.Value) {
			if name != "" {
				o.Set(name, v)
			}
		})
		return interp.ObjectValue(o), nil
	}),
}

// uuid4 returns a random (version 4) UUID, lowercase and hyphenated.
func uuid4(rnd *mrand.Rand) string {
	var b [16]byte
	fillRandom(rnd, b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

// uuid1 returns a time-based (version 1) UUID of now, with a random clock
// sequence and node, as the reference makes them.
func uuid1(now time.Time, rnd *mrand.Rand) string {
	// 100-nanosecond intervals since 1582-10-15, the Gregorian epoch.
	ts := uint64(now.UnixNano()/100) + 0x01B21DD213814000
	var b [16]byte
	fillRandom(rnd, b[8:])
	binary.BigEndian.PutUint32(b[0:], uint32(ts))
	binary.BigEndian.PutUint16(b[4:], uint16(ts>>32))
	binary.BigEndian.PutUint16(b[6:], uint16(ts>>48)&0x0fff|0x1000)
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

func fillRandom(rnd *mrand.Rand, b []byte) {
	for i := range b {
		b[i] = byte(rnd.Uint32())
	}
}

func formatUUID(b [16]byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
