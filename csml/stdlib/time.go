package stdlib

import (
	"strings"
	"time"
	_ "time/tzdata" // with_timezone must work on hosts without a zoneinfo database

	"switchboard/csml/interp"
)

// Time() is an object {"milliseconds": ms} of content type "time" (the
// host's clock). with_timezone adds "timezone", parse may add "offset" (in
// seconds); format renders the time in that zone or offset.

const (
	timeContentType = "time"
	errTimeParse1   = "invalid value, 'parse(String)' expect a valid RFC 3339 and ISO 8601 date and time string such as '1996-12-19T00:00:00Z'"
	errTimeParse2   = "invalid value,\n    expect date and a specified format to parse the date example:\n    parse(\"1983 08 13 12:09:14.274\", \"%Y %m %d %H:%M:%S%.3f\")"
	errTimeParseN   = "usage: expect one ore two arguments :\n                Time().parse(\"2020-08-13\")   or\n                Time().parse(\"1983-08-13 12:09:14.274\", \"%Y-%m-%d %H:%M:%S%.3f\")"
	errTimezone     = "usage: with_timezone(timezone_name: string) => Time Object. Example: with_timezone(\"Europe/Paris\") "
	errUnix         = "unix(type_of_time) expect string argument \"m\" || \"s\" => int(time in seconds or milliseconds)"
	errTimeFormat   = "usage: Time().format(format: String)"
)

func timeBuiltin(c *interp.Call) (interp.Value, error) {
	return timeValue(c.Now().UnixMilli(), 0), nil
}

// timeValue is a time object; offset (seconds east of UTC) is kept when
// not zero.
func timeValue(ms int64, offset int) interp.Value {
	o := interp.NewObject(2)
	o.Set("milliseconds", interp.IntValue(ms))
	if offset != 0 {
		o.Set("offset", interp.IntValue(int64(offset)))
	}
	return interp.ObjectValue(o).WithContentType(timeContentType)
}

// setTime sets the receiver's milliseconds and returns it (the write
// methods at, add and sub).
func setTime(c *interp.Call, ms int64) interp.Value {
	c.Recv.Obj().Set("milliseconds", interp.IntValue(ms))
	return c.Recv.Clone()
}

func millis(c *interp.Call) (int64, bool) {
	v, ok := c.Recv.Obj().Get("milliseconds")
	return v.Int(), ok && v.Kind() == interp.Int
}

// shift is add(seconds) and sub(seconds).
func shift(sign int64, usage string) interp.Method {
	return write(func(c *interp.Call) (interp.Value, error) {
		ms, _ := millis(c)
		secs, err := argInt(c, 0, "usage: "+usage)
		if err != nil {
			return nullValue(), err
		}
		return setTime(c, ms+sign*secs*1000), nil
	})
}

// loadZone reads an IANA zone name; "Local" and "" are not zone names.
func loadZone(name string) (*time.Location, bool) {
	if name == "" || name == "Local" || strings.Contains(name, "..") {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	return loc, err == nil
}

// timeMethods are the methods of Time() objects.
var timeMethods = map[string]interp.Method{
	"add": shift(1, "add(time_in_seconds: int) => Time Object"),
	"sub": shift(-1, "sub(time_in_seconds: int) => Time Object"),
	// at(year, month?, day?, hour?, minute?, second?, ms?): the defaults
	// are January 1st, 01:00 (the reference's); an impossible date gives
	// false.
	"at": write(func(c *interp.Call) (interp.Value, error) {
		date := [7]int64{0, 1, 1, 1, 0, 0, 0}
		for i := range date {
			if v, ok := c.Args.At(i); ok && v.Kind() == interp.Int {
				date[i] = v.Int()
			}
		}
		if date[1] < 1 || date[1] > 12 || date[2] < 1 || date[3] > 23 || date[4] > 59 || date[5] > 59 || date[6] > 1999 || date[3] < 0 || date[4] < 0 || date[5] < 0 || date[6] < 0 {
			return boolean(false), nil
		}
		t := time.Date(int(date[0]), time.Month(date[1]), int(date[2]), int(date[3]), int(date[4]), int(date[5]), int(date[6])*1e6, time.UTC)
		if t.Day() != int(date[2]) {
			return boolean(false), nil
		}
		return setTime(c, t.UnixMilli()), nil
	}),
	"with_timezone": write(func(c *interp.Call) (interp.Value, error) {
		name, err := argString(c, 0, errTimezone)
		if err != nil {
			return nullValue(), err
		}
		if _, ok := loadZone(name); !ok {
			return nullValue(), c.Errorf("invalid timezone " + name)
		}
		c.Recv.Obj().Set("timezone", str(name))
		return c.Recv.Clone(), nil
	}),
	"unix": write(func(c *interp.Call) (interp.Value, error) {
		ms, ok := millis(c)
		if !ok {
			return nullValue(), c.Errorf(errUnix)
		}
		if unit, ok := c.Args.At(0); ok && unit.Kind() == interp.String && unit.Str() == "s" {
			return interp.IntValue(floorDiv(ms, 1000)), nil
		}
		return interp.IntValue(ms), nil
	}),
	"format": read(func(c *interp.Call) (interp.Value, error) {
		t, useZ, err := timeOf(c)
		if err != nil {
			return nullValue(), err
		}
		if c.Args.Len() == 0 {
			return str(rfc3339Millis(t, useZ)), nil
		}
		layout, err := argString(c, 0, "format parameter must be of type string")
		if err != nil {
			return nullValue(), err
		}
		return str(strftime(t, layout)), nil
	}),
	"parse": read(func(c *interp.Call) (interp.Value, error) {
		switch {
		case c.Args.Len() == 1:
			s, err := argString(c, 0, errTimeParse1)
			if err != nil {
				return nullValue(), err
			}
			t, ok := parseRFC3339(completeDate(s))
			if !ok {
				return nullValue(), c.Errorf(errTimeParse1)
			}
			_, off := t.Zone()
			return timeValue(t.UnixMilli(), off), nil
		case c.Args.Len() >= 2:
			s, err1 := argString(c, 0, errTimeParse2)
			layout, err2 := argString(c, 1, errTimeParse2)
			if err1 != nil || err2 != nil {
				return nullValue(), c.Errorf(errTimeParse2)
			}
			f, ok := strptime(s, layout)
			var t time.Time
			if ok && (f.hasYear || f.hasUnix) {
				t, ok = f.date()
			}
			if !ok || !(f.hasYear || f.hasUnix) {
				return nullValue(), c.Errorf(errTimeParse2)
			}
			return timeValue(t.UnixMilli(), 0), nil
		}
		return nullValue(), c.Errorf(errTimeParseN)
	}),
}

// timeOf reads the receiver as a time in its zone or offset; useZ tells
// whether UTC is written Z (a time with neither zone nor offset).
func timeOf(c *interp.Call) (time.Time, bool, error) {
	ms, ok := millis(c)
	if !ok {
		return time.Time{}, false, c.Errorf(errTimeFormat)
	}
	t := time.UnixMilli(ms).UTC()
	if tz, ok := c.Recv.Obj().Get("timezone"); ok {
		if tz.Kind() != interp.String {
			return t, false, nil
		}
		loc, ok := loadZone(tz.Str())
		if !ok {
			return t, false, c.Errorf("invalid timezone " + tz.Str())
		}
		return t.In(loc), false, nil
	}
	if off, ok := c.Recv.Obj().Get("offset"); ok && off.Kind() == interp.Int {
		return t.In(time.FixedZone("", int(off.Int()))), false, nil
	}
	return t, true, nil
}

// rfc3339Millis is chrono's to_rfc3339_opts(SecondsFormat::Millis, useZ).
func rfc3339Millis(t time.Time, useZ bool) string {
	if _, off := t.Zone(); off == 0 && useZ {
		return t.Format("2006-01-02T15:04:05.000Z")
	}
	return t.Format("2006-01-02T15:04:05.000-07:00")
}

// completeDate completes a partial date as the reference does, by its
// length: "2020" is 2020-01-01T00:00:00Z, "2020-08-13" midnight UTC...
func completeDate(s string) string {
	switch len(s) {
	case 4:
		return s + "-01-01T00:00:00Z"
	case 7:
		return s + "-01T00:00:00Z"
	case 10:
		return s + "T00:00:00Z"
	case 13:
		return s + ":00:00Z"
	case 16:
		return s + ":00Z"
	case 19:
		return s + "Z"
	}
	return s
}

// parseRFC3339 reads an RFC 3339 date-time as chrono does: 'T', 't' or a
// space between date and time, an optional fraction, Z or an offset.
func parseRFC3339(s string) (time.Time, bool) {
	if len(s) < 20 {
		return time.Time{}, false
	}
	if c := s[10]; c == 't' || c == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	if c := s[len(s)-1]; c == 'z' {
		s = s[:len(s)-1] + "Z"
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	if _, off := t.Zone(); off != 0 {
		t = t.In(time.FixedZone("", off))
	}
	return t, true
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
