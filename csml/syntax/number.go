package syntax

import (
	"errors"
	"strconv"
	"strings"
)

// ParseInt reads s as Rust's str::parse::<i64> does: an optional sign and
// decimal digits, nothing else.
func ParseInt(s string) (int64, bool) {
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "+"), "-")
	if len(digits) == 0 || len(s)-len(digits) > 1 {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// ParseFloat reads s as Rust's str::parse::<f64> does: decimal notation with
// an optional exponent, inf, infinity and nan (any case); no hexadecimal, no
// underscores, and values beyond the range read as infinities.
func ParseFloat(s string) (float64, bool) {
	if !floatChars(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return f, true
}

// floatChars is a quick test that s may be a float, so that most words are
// rejected without building an error.
func floatChars(s string) bool {
	if s == "" {
		return false
	}
	if t := strings.TrimLeft(s, "+-"); strings.EqualFold(t, "inf") || strings.EqualFold(t, "infinity") || strings.EqualFold(t, "nan") {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '.', c == 'e', c == 'E', c == '+', c == '-':
		default:
			return false
		}
	}
	return true
}
