package stdlib

import (
	"strconv"
	"strings"
	"time"
)

// The reference formats and parses dates with chrono's strftime
// specifiers; these functions follow chrono 0.4's documented behaviour.

var (
	shortDays   = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	shortMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// strftime formats t with chrono's specifiers. zone is what %Z writes (the
// zone's abbreviation, or the offset for a fixed offset). An unknown
// specifier is written as it is.
func strftime(t time.Time, layout string) string {
	var b strings.Builder
	for i := 0; i < len(layout); i++ {
		c := layout[i]
		if c != '%' || i+1 == len(layout) {
			b.WriteByte(c)
			continue
		}
		start := i
		i++
		pad := byte(0) // 0: the specifier's own, '-': none, '_': spaces, '0': zeros
		if strings.IndexByte("-_0", layout[i]) >= 0 && i+1 < len(layout) {
			pad, i = layout[i], i+1
		}
		spec := layout[i]
		// %.f, %.3f, %3f, %:z take more than one character.
		switch {
		case spec == '.' && i+1 < len(layout) && layout[i+1] == 'f':
			b.WriteString(autoFraction(t.Nanosecond()))
			i++
			continue
		case spec == '.' && i+2 < len(layout) && strings.IndexByte("369", layout[i+1]) >= 0 && layout[i+2] == 'f':
			b.WriteString("." + fraction(t.Nanosecond(), int(layout[i+1]-'0')))
			i += 2
			continue
		case strings.IndexByte("369", spec) >= 0 && i+1 < len(layout) && layout[i+1] == 'f':
			b.WriteString(fraction(t.Nanosecond(), int(spec-'0')))
			i++
			continue
		case spec == ':' && i+1 < len(layout) && layout[i+1] == 'z':
			b.WriteString(offsetString(t, true))
			i++
			continue
		}
		if !formatSpec(&b, t, spec, pad) {
			b.WriteString(layout[start : i+1])
		}
	}
	return b.String()
}

// num writes n with the padding of the specifier (width digits, zeros or
// spaces by default) unless overridden by pad.
func num(b *strings.Builder, n, width int, space bool, pad byte) {
	s := strconv.Itoa(n)
	fill := "0"
	if space {
		fill = " "
	}
	switch pad {
	case '-':
		width = 0
	case '_':
		fill = " "
	case '0':
		fill = "0"
	}
	if n < 0 {
		b.WriteByte('-')
		s = s[1:]
		width--
	}
	for k := len(s); k < width; k++ {
		b.WriteString(fill)
	}
	b.WriteString(s)
}

func formatSpec(b *strings.Builder, t time.Time, spec, pad byte) bool {
	switch spec {
	case 'Y':
		y := t.Year()
		if y > 9999 {
			b.WriteByte('+')
		}
		num(b, y, 4, false, pad)
	case 'C':
		num(b, t.Year()/100, 2, false, pad)
	case 'y':
		num(b, t.Year()%100, 2, false, pad)
	case 'm':
		num(b, int(t.Month()), 2, false, pad)
	case 'b', 'h':
		b.WriteString(shortMonths[t.Month()-1])
	case 'B':
		b.WriteString(t.Month().String())
	case 'd':
		num(b, t.Day(), 2, false, pad)
	case 'e':
		num(b, t.Day(), 2, true, pad)
	case 'a':
		b.WriteString(shortDays[t.Weekday()])
	case 'A':
		b.WriteString(t.Weekday().String())
	case 'w':
		num(b, int(t.Weekday()), 1, false, pad)
	case 'u':
		num(b, (int(t.Weekday())+6)%7+1, 1, false, pad)
	case 'U':
		num(b, (t.YearDay()+6-int(t.Weekday()))/7, 2, false, pad)
	case 'W':
		num(b, (t.YearDay()+6-(int(t.Weekday())+6)%7)/7, 2, false, pad)
	case 'G':
		y, _ := t.ISOWeek()
		num(b, y, 4, false, pad)
	case 'g':
		y, _ := t.ISOWeek()
		num(b, y%100, 2, false, pad)
	case 'V':
		_, w := t.ISOWeek()
		num(b, w, 2, false, pad)
	case 'j':
		num(b, t.YearDay(), 3, false, pad)
	case 'D', 'x':
		b.WriteString(strftime(t, "%m/%d/%y"))
	case 'F':
		b.WriteString(strftime(t, "%Y-%m-%d"))
	case 'v':
		b.WriteString(strftime(t, "%e-%b-%Y"))
	case 'H':
		num(b, t.Hour(), 2, false, pad)
	case 'k':
		num(b, t.Hour(), 2, true, pad)
	case 'I':
		num(b, (t.Hour()+11)%12+1, 2, false, pad)
	case 'l':
		num(b, (t.Hour()+11)%12+1, 2, true, pad)
	case 'P':
		b.WriteString(strings.ToLower(t.Format("PM")))
	case 'p':
		b.WriteString(t.Format("PM"))
	case 'M':
		num(b, t.Minute(), 2, false, pad)
	case 'S':
		num(b, t.Second(), 2, false, pad)
	case 'f':
		num(b, t.Nanosecond(), 9, false, pad)
	case 'R':
		b.WriteString(strftime(t, "%H:%M"))
	case 'T', 'X':
		b.WriteString(strftime(t, "%H:%M:%S"))
	case 'r':
		b.WriteString(strftime(t, "%I:%M:%S %p"))
	case 'c':
		b.WriteString(strftime(t, "%a %b %e %H:%M:%S %Y"))
	case '+':
		b.WriteString(strftime(t, "%Y-%m-%dT%H:%M:%S%.f") + offsetString(t, true))
	case 'Z':
		b.WriteString(zoneName(t))
	case 'z':
		b.WriteString(offsetString(t, false))
	case 's':
		b.WriteString(strconv.FormatInt(t.Unix(), 10))
	case 't':
		b.WriteByte('\t')
	case 'n':
		b.WriteByte('\n')
	case '%':
		b.WriteByte('%')
	default:
		return false
	}
	return true
}

// fraction is the first digits digits of the nanoseconds.
func fraction(nanos, digits int) string {
	s := strconv.Itoa(nanos + 1e9)[1:]
	return s[:digits]
}

// autoFraction is chrono's %.f: nothing for a whole second, else 3, 6 or 9
// digits, the fewest that hold the value.
func autoFraction(nanos int) string {
	switch {
	case nanos == 0:
		return ""
	case nanos%1e6 == 0:
		return "." + fraction(nanos, 3)
	case nanos%1e3 == 0:
		return "." + fraction(nanos, 6)
	}
	return "." + fraction(nanos, 9)
}

// offsetString writes the UTC offset as +hhmm, or +hh:mm with colon.
func offsetString(t time.Time, colon bool) string {
	_, off := t.Zone()
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	h, m := off/3600, off/60%60
	s := string(sign) + fraction(h*1e7, 2)
	if colon {
		s += ":"
	}
	return s + fraction(m*1e7, 2)
}

// zoneName is %Z: the zone abbreviation, or the offset when the time has a
// fixed offset without a name.
func zoneName(t time.Time) string {
	name, _ := t.Zone()
	if name == "" {
		return offsetString(t, true)
	}
	return name
}

// strptime parses s with chrono's specifiers: the fields read, and whether
// the whole of s matched. A space in the layout matches any run of spaces
// (including none).
func strptime(s, layout string) (dateFields, bool) {
	p := &dateParser{s: s, f: dateFields{month: 1, day: 1}}
	if !p.parse(layout) {
		return p.f, false
	}
	return p.f, p.i == len(p.s)
}

// dateFields are what strptime read.
type dateFields struct {
	year, month, day           int
	hour, minute, second, nano int
	pm, hasPM                  bool
	hasYear, hasDate, hasTime  bool
	offset                     int
	hasOffset                  bool
	unix                       int64
	hasUnix                    bool
	yday                       int
}

type dateParser struct {
	s string
	i int
	f dateFields
}

func (p *dateParser) parse(layout string) bool {
	for j := 0; j < len(layout); j++ {
		c := layout[j]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			for p.i < len(p.s) && strings.IndexByte(" \t\n\r", p.s[p.i]) >= 0 {
				p.i++
			}
			continue
		case c != '%' || j+1 == len(layout):
			if p.i >= len(p.s) || p.s[p.i] != c {
				return false
			}
			p.i++
			continue
		}
		j++
		if strings.IndexByte("-_0", layout[j]) >= 0 && j+1 < len(layout) {
			j++
		}
		spec := layout[j]
		switch {
		case spec == '.' && j+1 < len(layout) && layout[j+1] == 'f',
			spec == '.' && j+2 < len(layout) && strings.IndexByte("369", layout[j+1]) >= 0 && layout[j+2] == 'f':
			for j < len(layout) && layout[j] != 'f' {
				j++
			}
			if p.i < len(p.s) && p.s[p.i] == '.' {
				p.i++
				if !p.nanos() {
					return false
				}
			}
			continue
		case strings.IndexByte("369", spec) >= 0 && j+1 < len(layout) && layout[j+1] == 'f':
			j++
			if !p.nanos() {
				return false
			}
			continue
		case spec == ':' && j+1 < len(layout) && layout[j+1] == 'z':
			j++
			if !p.zone() {
				return false
			}
			continue
		}
		if !p.spec(spec) {
			return false
		}
	}
	return true
}

// number reads up to max digits (at least one), with a sign when signed.
func (p *dateParser) number(max int, signed bool) (int, bool) {
	neg := false
	if signed && p.i < len(p.s) && (p.s[p.i] == '-' || p.s[p.i] == '+') {
		neg = p.s[p.i] == '-'
		p.i++
	}
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
	start := p.i
	for p.i < len(p.s) && p.i-start < max && isDigitByte(p.s[p.i]) {
		p.i++
	}
	if p.i == start {
		return 0, false
	}
	n, _ := strconv.Atoi(p.s[start:p.i])
	if neg {
		n = -n
	}
	return n, true
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// nanos reads a fraction of a second (its digits after the dot).
func (p *dateParser) nanos() bool {
	start := p.i
	for p.i < len(p.s) && isDigitByte(p.s[p.i]) {
		p.i++
	}
	if p.i == start {
		return false
	}
	digits := (p.s[start:p.i] + "000000000")[:9]
	p.f.nano, _ = strconv.Atoi(digits)
	return true
}

// name reads one of names (or its first three letters), ignoring case.
func (p *dateParser) name(names []string) (int, bool) {
	rest := strings.ToLower(p.s[p.i:])
	for k, n := range names {
		n = strings.ToLower(n)
		if strings.HasPrefix(rest, n) {
			p.i += len(n)
			return k, true
		}
	}
	for k, n := range names {
		if strings.HasPrefix(rest, strings.ToLower(n[:3])) {
			p.i += 3
			return k, true
		}
	}
	return 0, false
}

// zone reads +hh:mm, +hhmm or Z.
func (p *dateParser) zone() bool {
	if p.i < len(p.s) && (p.s[p.i] == 'Z' || p.s[p.i] == 'z') {
		p.i++
		p.f.hasOffset = true
		return true
	}
	if p.i >= len(p.s) || (p.s[p.i] != '+' && p.s[p.i] != '-') {
		return false
	}
	sign := 1
	if p.s[p.i] == '-' {
		sign = -1
	}
	p.i++
	h, ok := p.fixed(2)
	if !ok {
		return false
	}
	if p.i < len(p.s) && p.s[p.i] == ':' {
		p.i++
	}
	m, ok := p.fixed(2)
	if !ok {
		return false
	}
	p.f.offset, p.f.hasOffset = sign*(h*3600+m*60), true
	return true
}

// fixed reads exactly n digits.
func (p *dateParser) fixed(n int) (int, bool) {
	if p.i+n > len(p.s) {
		return 0, false
	}
	v, err := strconv.Atoi(p.s[p.i : p.i+n])
	if err != nil || v < 0 {
		return 0, false
	}
	p.i += n
	return v, true
}

var (
	longDays   = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	longMonths = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

func (p *dateParser) spec(spec byte) bool {
	var ok bool
	set := func(dst *int, max int, signed bool) bool {
		*dst, ok = p.number(max, signed)
		return ok
	}
	switch spec {
	case 'Y', 'G':
		p.f.hasYear, p.f.hasDate = true, true
		return set(&p.f.year, 9, true)
	case 'y', 'g':
		p.f.hasYear, p.f.hasDate = true, true
		if !set(&p.f.year, 2, false) {
			return false
		}
		if p.f.year < 70 {
			p.f.year += 2000
		} else {
			p.f.year += 1900
		}
	case 'm':
		p.f.hasDate = true
		return set(&p.f.month, 2, false)
	case 'b', 'B', 'h':
		p.f.hasDate = true
		k, ok := p.name(longMonths)
		p.f.month = k + 1
		return ok
	case 'd', 'e':
		p.f.hasDate = true
		return set(&p.f.day, 2, false)
	case 'a', 'A':
		_, ok := p.name(longDays)
		return ok
	case 'w', 'u':
		_, ok := p.number(1, false)
		return ok
	case 'U', 'W', 'V', 'C':
		_, ok := p.number(2, false)
		return ok
	case 'j':
		p.f.hasDate = true
		return set(&p.f.yday, 3, false)
	case 'H', 'k':
		p.f.hasTime = true
		return set(&p.f.hour, 2, false)
	case 'I', 'l':
		p.f.hasTime = true
		return set(&p.f.hour, 2, false)
	case 'M':
		p.f.hasTime = true
		return set(&p.f.minute, 2, false)
	case 'S':
		p.f.hasTime = true
		return set(&p.f.second, 2, false)
	case 'f':
		return p.nanos()
	case 'p', 'P':
		rest := strings.ToLower(p.s[p.i:])
		switch {
		case strings.HasPrefix(rest, "am"):
			p.f.pm = false
		case strings.HasPrefix(rest, "pm"):
			p.f.pm = true
		default:
			return false
		}
		p.f.hasPM = true
		p.i += 2
	case 'z':
		return p.zone()
	case 'Z':
		for p.i < len(p.s) && (p.s[p.i] >= 'A' && p.s[p.i] <= 'Z' || p.s[p.i] >= 'a' && p.s[p.i] <= 'z') {
			p.i++
		}
	case 's':
		n, ok := p.number(19, true)
		p.f.unix, p.f.hasUnix = int64(n), ok
		return ok
	case 'D', 'x':
		return p.parse("%m/%d/%y")
	case 'F':
		return p.parse("%Y-%m-%d")
	case 'v':
		return p.parse("%e-%b-%Y")
	case 'R':
		return p.parse("%H:%M")
	case 'T', 'X':
		return p.parse("%H:%M:%S")
	case 'r':
		return p.parse("%I:%M:%S %p")
	case 'c':
		return p.parse("%a %b %e %H:%M:%S %Y")
	case '+':
		return p.parse("%Y-%m-%dT%H:%M:%S%.f%:z")
	case 't', 'n':
		return p.parse(" ")
	case '%':
		if p.i >= len(p.s) || p.s[p.i] != '%' {
			return false
		}
		p.i++
	default:
		return false
	}
	return true
}

// date builds the time the fields describe, in UTC shifted by the parsed
// offset; ok is false for an impossible date or time.
func (f dateFields) date() (time.Time, bool) {
	if f.hasUnix {
		return time.Unix(f.unix, 0).UTC(), true
	}
	hour := f.hour
	if f.hasPM {
		if hour < 1 || hour > 12 {
			return time.Time{}, false
		}
		hour %= 12
		if f.pm {
			hour += 12
		}
	}
	if f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31 || hour > 23 || f.minute > 59 || f.second > 60 {
		return time.Time{}, false
	}
	t := time.Date(f.year, time.Month(f.month), f.day, hour, f.minute, min(f.second, 59), f.nano, time.UTC)
	if f.yday > 0 {
		t = time.Date(f.year, 1, f.yday, hour, f.minute, min(f.second, 59), f.nano, time.UTC)
	} else if t.Day() != f.day {
		return time.Time{}, false
	}
	return t.Add(-time.Duration(f.offset) * time.Second), true
}
