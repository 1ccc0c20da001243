package stdlib

import (
	"errors"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"switchboard/csml/interp"
)

const (
	errAppend        = "[append] takes one parameter of type String. Usage: string.append(\"text to append\")"
	errContains      = "[contains] takes one parameter of type String. Usage: string.contains(\"word\")"
	errDoMatch       = "[do_match] takes one parameter of type String. Usage: string.do_match(\"tag\")"
	errReplace       = "[replace] takes tow parameter of type String. Usage: \"this is old\".replace(\"old\", \"new\")"
	errReplaceAll    = "[replace_all] takes tow parameter of type String. Usage: \"old old old old\".replace_all(\"old\", \"new\")"
	errReplaceRegex  = "[replace_regex] takes tow parameter of type String. Usage: \"hello world\".replace_regex(\"world\", \"Clevy\")"
	errContainsRegex = "[contains_regex] takes one parameter of type String. Usage: string.contains_regex(\"regex\")"
	errValidRegex    = "parameter must be a valid regex expression"
	errStartsWith    = "[starts_with] takes one parameter of type String. Usage: string.starts_with(\"tag\")"
	errStartsRegex   = "[starts_with_regex] takes one parameter of type String. Usage: string.start_with_regex(\"regex\")"
	errEndsWith      = "[ends_with] takes one parameter of type String. Usage: string.ends_with(\"tag\")"
	errEndsRegex     = "[ends_with_regex] takes one parameter of type String. Usage: string.ends_with_regex(\"regex\")"
	errFromJSON      = "[from_json] [!] string to object failed]"
	errSplit         = "[join] takes one parameter of type String. Usage: array.join(\"elem\") "
	errMatchRegex    = "[match_regex] takes one parameter of type String. Usage: string.match_regex(\"regex\")"
	errNumeric       = "the string must be of numeric type in order to use this method. Verify first with 'string.is_number() == true' to check it"
	errSliceInt      = ".slice(start, optional<end>) args need to be of type Integer"
	errSliceLen      = ".slice(start, optional<end>) args need to be inferior to the string length"
	errSliceOrder    = ".slice(start, optional<end>) end need to be superior to start in value ex: .slice(2, 5)"
)

// stringMethods are the methods of strings (the reference's string.rs);
// number methods also apply to numeric strings.
var stringMethods = map[string]interp.Method{
	"length": read(func(c *interp.Call) (interp.Value, error) {
		return integer(len(c.Recv.Str())), noArgs(c, "length() => int")
	}),
	"is_empty": read(func(c *interp.Call) (interp.Value, error) {
		return boolean(c.Recv.Str() == ""), noArgs(c, "is_empty() => boolean")
	}),
	"is_email": read(func(c *interp.Call) (interp.Value, error) {
		return boolean(emailRegexp.MatchString(c.Recv.Str())), noArgs(c, "is_email() => boolean")
	}),
	"to_lowercase": stringMap("to_lowercase() => string", strings.ToLower),
	"to_uppercase": stringMap("to_uppercase() => string", strings.ToUpper),
	"trim":         stringMap("trim() => string", strings.TrimSpace),
	"trim_left":    stringMap("trim_left() => string", func(s string) string { return strings.TrimLeftFunc(s, unicode.IsSpace) }),
	"trim_right":   stringMap("trim_right() => string", func(s string) string { return strings.TrimRightFunc(s, unicode.IsSpace) }),
	"capitalize": stringMap("capitalize() => string", func(s string) string {
		r, n := utf8.DecodeRuneInString(s)
		if n == 0 {
			return s
		}
		return strings.ToUpper(string(r)) + s[n:]
	}),
	"append": read(func(c *interp.Call) (interp.Value, error) {
		s, err := argString(c, 0, errAppend)
		return str(c.Recv.Str() + s), err
	}),
	"contains":       stringTest(errContains, strings.Contains),
	"starts_with":    stringTest(errStartsWith, strings.HasPrefix),
	"ends_with":      stringTest(errEndsWith, strings.HasSuffix),
	"contains_regex": regexTest(errContainsRegex, func(re *regexp.Regexp, s string) bool { return re.MatchString(s) }),
	"starts_with_regex": regexTest(errStartsRegex, func(re *regexp.Regexp, s string) bool {
		loc := re.FindStringIndex(s)
		return loc != nil && loc[0] == 0
	}),
	"ends_with_regex": regexTest(errEndsRegex, func(re *regexp.Regexp, s string) bool {
		for _, loc := range re.FindAllStringIndex(s, -1) {
			if loc[1] == len(s) {
				return true
			}
		}
		return false
	}),
	"replace":     replace(errReplace, 1),
	"replace_all": replace(errReplaceAll, -1),
	"replace_regex": read(func(c *interp.Call) (interp.Value, error) {
		re, err := regexArg(c, errReplaceRegex)
		if err != nil {
			return nullValue(), err
		}
		by, err := argString(c, 1, errReplaceRegex)
		if err != nil {
			return nullValue(), err
		}
		return str(re.ReplaceAllString(c.Recv.Str(), by)), nil
	}),
	"match": read(func(c *interp.Call) (interp.Value, error) {
		sub, err := argString(c, 0, errDoMatch)
		if err != nil || c.Args.Len() != 1 {
			return nullValue(), c.Errorf(errDoMatch)
		}
		n := strings.Count(c.Recv.Str(), sub)
		if sub == "" || n == 0 {
			return nullValue(), nil
		}
		items := make([]interp.Value, n)
		for i := range items {
			items[i] = str(sub)
		}
		return interp.ArrayValue(items), nil
	}),
	"match_regex": read(func(c *interp.Call) (interp.Value, error) {
		re, err := regexArg(c, errMatchRegex)
		if err != nil {
			return nullValue(), err
		}
		found := re.FindAllString(c.Recv.Str(), -1)
		if len(found) == 0 {
			return nullValue(), nil
		}
		items := make([]interp.Value, len(found))
		for i, f := range found {
			items[i] = str(f)
		}
		return interp.ArrayValue(items), nil
	}),
	"split": read(func(c *interp.Call) (interp.Value, error) {
		sep, err := argString(c, 0, errSplit)
		if err != nil {
			return nullValue(), err
		}
		parts := splitRust(c.Recv.Str(), sep)
		items := make([]interp.Value, len(parts))
		for i, p := range parts {
			items[i] = str(p)
		}
		return interp.ArrayValue(items), nil
	}),
	"slice": read(func(c *interp.Call) (interp.Value, error) {
		chars := []rune(c.Recv.Str())
		start, end, err := sliceBounds(c, len(chars))
		if err != nil {
			return nullValue(), err
		}
		return str(string(chars[start:end])), nil
	}),
	"from_json": read(func(c *interp.Call) (interp.Value, error) {
		c.Charge(2 * len(c.Recv.Str()))
		v, err := interp.ParseJSON([]byte(c.Recv.Str()))
		if err != nil {
			return nullValue(), c.Errorf(errFromJSON)
		}
		return v, nil
	}),
	// to_json reads the string as XML, else as YAML (so JSON too).
	"to_json": read(func(c *interp.Call) (interp.Value, error) {
		if err := noArgs(c, "to_json() => obj"); err != nil {
			return nullValue(), err
		}
		c.Charge(2 * len(c.Recv.Str()))
		if v, err := readXML(c.Recv.Str()); err == nil {
			return v, nil
		}
		v, size, err := readYAML(c.Recv.Str())
		switch {
		case err == nil:
			c.Charge(int(size))
			return v, nil
		case errors.Is(err, errYAMLBudget):
			return nullValue(), c.Errorf("[Memory limit] " + err.Error())
		}
		return nullValue(), c.Errorf("Invalid format string is not a valid yaml or xml")
	}),
	"encode_uri":           stringMap("encode_uri() => String", encodeURI),
	"decode_uri":           stringMap("encode_uri() => String", decodeURI),
	"encode_uri_component": stringMap("encode_uri_component() => String", encodeComponent),
	"decode_uri_component": read(func(c *interp.Call) (interp.Value, error) {
		s, ok := decodeComponent(c.Recv.Str())
		if !ok {
			return nullValue(), c.Errorf("Invalid UTF8 string")
		}
		return str(s), nil
	}),
	"encode_html_entities": stringMap("encode_html_entities() => String", strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace),
	"decode_html_entities": stringMap("decode_html_entities() => String", decodeHTML),
}

func init() {
	// Number methods apply to numeric strings.
	for name, m := range numberMethods {
		stringMethods[name] = read(func(c *interp.Call) (interp.Value, error) {
			n, ok := interp.Numeric(c.Recv.Str())
			if !ok {
				return nullValue(), c.Errorf("[" + name + "] " + errNumeric)
			}
			c.Recv = n
			return m.Fn(c)
		})
	}
	delete(stringMethods, "precision")
}

func stringMap(usage string, fn func(string) string) interp.Method {
	return read(func(c *interp.Call) (interp.Value, error) {
		if err := noArgs(c, usage); err != nil {
			return nullValue(), err
		}
		return str(fn(c.Recv.Str())), nil
	})
}

func stringTest(msg string, fn func(s, sub string) bool) interp.Method {
	return read(func(c *interp.Call) (interp.Value, error) {
		sub, err := argString(c, 0, msg)
		if err != nil || c.Args.Len() != 1 {
			return nullValue(), c.Errorf(msg)
		}
		return boolean(fn(c.Recv.Str(), sub)), nil
	})
}

func regexArg(c *interp.Call, msg string) (*regexp.Regexp, error) {
	pattern, err := argString(c, 0, msg)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, c.Errorf(errValidRegex)
	}
	return re, nil
}

func regexTest(msg string, fn func(re *regexp.Regexp, s string) bool) interp.Method {
	return read(func(c *interp.Call) (interp.Value, error) {
		re, err := regexArg(c, msg)
		if err != nil {
			return nullValue(), err
		}
		return boolean(fn(re, c.Recv.Str())), nil
	})
}

func replace(msg string, n int) interp.Method {
	return read(func(c *interp.Call) (interp.Value, error) {
		old, err := argString(c, 0, msg)
		if err != nil {
			return nullValue(), err
		}
		by, err := argString(c, 1, msg)
		if err != nil {
			return nullValue(), err
		}
		return str(strings.Replace(c.Recv.Str(), old, by, n)), nil
	})
}

// splitRust splits as Rust's str::split: an empty separator yields an empty
// string, every character, and an empty string.
func splitRust(s, sep string) []string {
	if sep != "" {
		return strings.Split(s, sep)
	}
	out := []string{""}
	for _, r := range s {
		out = append(out, string(r))
	}
	return append(out, "")
}

// sliceBounds reads slice(start, end?) for a length: negative indexes count
// from the end.
func sliceBounds(c *interp.Call, n int) (int, int, error) {
	if c.Args.Len() < 1 || c.Args.Len() > 2 {
		return 0, 0, c.Errorf("usage: slice(start: Integer, end: Optional<Integer>) => value")
	}
	start, err := argInt(c, 0, errSliceInt)
	if err != nil {
		return 0, 0, err
	}
	if start < 0 {
		start += int64(n)
	}
	end := int64(n)
	if c.Args.Len() == 2 {
		if end, err = argInt(c, 1, errSliceInt); err != nil {
			return 0, 0, err
		}
		if end < 0 {
			end += int64(n)
		}
		if end < start {
			return 0, 0, c.Errorf(errSliceOrder)
		}
	}
	if start < 0 || start >= int64(n) || end < 0 || end > int64(n) {
		return 0, 0, c.Errorf(errSliceLen)
	}
	return int(start), int(end), nil
}
