package interp

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// isNormal is Rust's f64::is_normal: not zero, infinite, NaN or subnormal.
func isNormal(f float64) bool {
	if f == 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return false
	}
	return math.Abs(f) >= 0x1p-1022
}

// FormatFloat formats f as Rust's Display does: the shortest decimal that
// reads back to f, never with an exponent (2.0 is "2", 1e21 is
// "1000000000000000000000"), inf, -inf and NaN.
func FormatFloat(f float64) string {
	return string(appendFloatDisplay(nil, f))
}

func appendFloatDisplay(b []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(b, "inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

// appendFloatJSON formats f as serde_json does (the ryu crate): shortest
// digits, integral values with ".0", an exponent outside 1e-5..1e16, and
// null for NaN and infinities.
func appendFloatJSON(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	if f == 0 {
		if math.Signbit(f) {
			return append(b, "-0.0"...)
		}
		return append(b, "0.0"...)
	}
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64)
	if e[0] == '-' {
		b = append(b, '-')
		e = e[1:]
	}
	// e is "d.ddde±XX" or "de±XX": split digits and exponent.
	mark := bytes.IndexByte(e, 'e')
	exp, neg := 0, e[mark+1] == '-'
	for _, c := range e[mark+2:] {
		exp = exp*10 + int(c-'0')
	}
	if neg {
		exp = -exp
	}
	digits := make([]byte, 0, 17)
	for _, c := range e[:mark] {
		if c != '.' {
			digits = append(digits, c)
		}
	}
	n := len(digits)
	k := exp - (n - 1) // value = digits * 10^k
	kk := n + k        // position of the decimal point
	switch {
	case k >= 0 && kk <= 16:
		b = append(b, digits...)
		for i := 0; i < k; i++ {
			b = append(b, '0')
		}
		b = append(b, ".0"...)
	case kk > 0 && kk <= 16:
		b = append(b, digits[:kk]...)
		b = append(b, '.')
		b = append(b, digits[kk:]...)
	case kk > -5 && kk <= 0:
		b = append(b, "0."...)
		for i := 0; i < -kk; i++ {
			b = append(b, '0')
		}
		b = append(b, digits...)
	default:
		b = append(b, digits[0])
		if n > 1 {
			b = append(b, '.')
			b = append(b, digits[1:]...)
		}
		b = append(b, 'e')
		b = strconv.AppendInt(b, int64(kk-1), 10)
	}
	return b
}

// ToString is the reference's to_string, used by interpolation, debug and
// to_string(): strings as they are, null as "Null", floats as Rust displays
// them, arrays and objects as compact JSON, closures as "Null".
func ToString(v Value) string {
	switch v.kind {
	case String:
		return v.s
	case Null, Closure:
		return "Null"
	case Bool:
		if v.n != 0 {
			return "true"
		}
		return "false"
	case Int:
		return strconv.FormatInt(v.n, 10)
	case Float:
		return FormatFloat(v.Float())
	}
	return string(appendJSON(nil, v))
}

// writeString writes ToString(v) to b.
func writeString(b *strings.Builder, v Value) {
	if v.kind == String {
		b.WriteString(v.s)
		return
	}
	var tmp [32]byte
	b.Write(appendString(tmp[:0], v))
}

// appendString appends ToString(v) to b.
func appendString(b []byte, v Value) []byte {
	switch v.kind {
	case String:
		return append(b, v.s...)
	case Int:
		return strconv.AppendInt(b, v.n, 10)
	case Float:
		return appendFloatDisplay(b, v.Float())
	case Array, Object:
		return appendJSON(b, v)
	}
	return append(b, ToString(v)...)
}
