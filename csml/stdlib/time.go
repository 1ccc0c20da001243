package stdlib

import (
	"strconv"
	"strings"
	"time"

	"switchboard/csml/interp"
)

const timeContentType = "time"

// timeBuiltin is Time(): {"milliseconds": now} (the host's clock), content
// type "time". Time zones are not supported: times are UTC.
func timeBuiltin(c *interp.Call) (interp.Value, error) {
	return timeValue(c.Now().UnixMilli()), nil
}

func timeValue(ms int64) interp.Value {
	o := interp.NewObject(1)
	o.Set("milliseconds", interp.IntValue(ms))
	return interp.ObjectValue(o).WithContentType(timeContentType)
}

func millis(c *interp.Call) (int64, error) {
	v, ok := c.Recv.Obj().Get("milliseconds")
	if !ok || v.Kind() != interp.Int {
		return 0, c.Errorf("time object without milliseconds")
	}
	return v.Int(), nil
}

// shift is add(seconds) and sub(seconds): they change the time and return
// it.
func shift(sign int64, usage string) interp.Method {
	return write(func(c *interp.Call) (interp.Value, error) {
		ms, err := millis(c)
		if err != nil {
			return nullValue(), err
		}
		secs, err := argInt(c, 0, "usage: "+usage)
		if err != nil {
			return nullValue(), err
		}
		c.Recv.Obj().Set("milliseconds", interp.IntValue(ms+sign*secs*1000))
		return c.Recv.Clone(), nil
	})
}

// timeMethods are the methods of Time() objects.
var timeMethods = map[string]interp.Method{
	"add": shift(1, "add(time_in_seconds: int) => Time Object"),
	"sub": shift(-1, "sub(time_in_seconds: int) => Time Object"),
	"unix": write(func(c *interp.Call) (interp.Value, error) {
		ms, err := millis(c)
		if err != nil {
			return nullValue(), err
		}
		if unit, ok := c.Args.At(0); ok && unit.Kind() == interp.String && unit.Str() == "s" {
			return interp.IntValue(ms / 1000), nil
		}
		return interp.IntValue(ms), nil
	}),
	"format": read(func(c *interp.Call) (interp.Value, error) {
		ms, err := millis(c)
		if err != nil {
			return nullValue(), err
		}
		t := time.UnixMilli(ms).UTC()
		if c.Args.Len() == 0 {
			return str(t.Format("2006-01-02T15:04:05.000Z")), nil
		}
		layout, err := argString(c, 0, "format parameter must be of type string")
		if err != nil {
			return nullValue(), err
		}
		return str(strftime(t, layout)), nil
	}),
}

// strftime formats t with chrono's (strftime) specifiers; unknown ones are
// kept as written.
func strftime(t time.Time, layout string) string {
	var b strings.Builder
	two := func(n int) { b.WriteString(pad(n, 2)) }
	for i := 0; i < len(layout); i++ {
		if layout[i] != '%' || i+1 == len(layout) {
			b.WriteByte(layout[i])
			continue
		}
		i++
		switch layout[i] {
		case 'Y':
			b.WriteString(strconv.Itoa(t.Year()))
		case 'y':
			two(t.Year() % 100)
		case 'm':
			two(int(t.Month()))
		case 'd':
			two(t.Day())
		case 'e':
			if t.Day() < 10 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.Itoa(t.Day()))
		case 'H':
			two(t.Hour())
		case 'I':
			two((t.Hour()+11)%12 + 1)
		case 'M':
			two(t.Minute())
		case 'S':
			two(t.Second())
		case 'p':
			b.WriteString(t.Format("PM"))
		case 'b', 'h':
			b.WriteString(t.Format("Jan"))
		case 'B':
			b.WriteString(t.Format("January"))
		case 'a':
			b.WriteString(t.Format("Mon"))
		case 'A':
			b.WriteString(t.Format("Monday"))
		case 'j':
			b.WriteString(pad(t.YearDay(), 3))
		case 'F':
			b.WriteString(t.Format("2006-01-02"))
		case 'T':
			b.WriteString(t.Format("15:04:05"))
		case 'D':
			b.WriteString(t.Format("01/02/06"))
		case 's':
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		case 'Z':
			b.WriteString("UTC")
		case 'z':
			b.WriteString("+0000")
		case '%':
			b.WriteByte('%')
		case '.':
			if strings.HasPrefix(layout[i:], ".3f") {
				b.WriteString("." + pad(t.Nanosecond()/1e6, 3))
				i += 2
				continue
			}
			b.WriteString("%.")
		default:
			b.WriteByte('%')
			b.WriteByte(layout[i])
		}
	}
	return b.String()
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", max(width-len(s), 0)) + s
}
