package lsp

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"switchboard/csml/interp"
	"switchboard/csml/stdlib"
)

// builtinDoc is the signature and a one-line description of a builtin.
type builtinDoc struct{ sig, doc string }

// builtinDocs documents the builtins stdlib.Library registers, one entry
// each (a test checks that the two lists agree). The texts follow
// docs/csml.md and the reference's documentation.
var builtinDocs = map[string]builtinDoc{
	"App":     {"App(name, args...)", "Calls the app `name` of the bot's apps_endpoint with the arguments; returns its answer."},
	"Base64":  {"Base64(string)", "Base64 codec: `.encode()` and `.decode()`."},
	"Crypto":  {"Crypto(string)", "Hashes and HMACs: `.create_hash(\"sha256\").digest(\"hex\")`, `.create_hmac(\"sha256\", key).digest(\"base64\")`."},
	"Debug":   {"Debug(values...)", "A debug message with the values, as the `debug` action."},
	"Exists":  {"Exists(\"var_name\")", "Whether a variable of this name exists (local or in the memory)."},
	"Find":    {"Find(value, in = string)", "Whether `in` contains `value`, ignoring case."},
	"Floor":   {"Floor(float)", "The largest integer not greater than the float."},
	"Fn":      {"Fn(name, args...)", "The older name of App(): calls an app of the bot's apps_endpoint."},
	"HTTP":    {"HTTP(url)", "An HTTP request: `.get()`, `.post(body)`, `.put(body)`, `.patch(body)`, `.delete()`, `.set(headers)`, `.query(params)`, then `.send()`."},
	"Hex":     {"Hex(string)", "Hexadecimal codec: `.encode()` and `.decode()`."},
	"JWT":     {"JWT(payload)", "JSON Web Tokens (HS256/384/512): `.sign(alg, secret)`, `.decode(secret, alg)`, `.verify(claims, secret, alg)`."},
	"Length":  {"Length(value)", "The length of an array or of a string (in bytes)."},
	"Object":  {"Object(key = value, ...)", "An object of the named arguments."},
	"OneOf":   {"OneOf(array)", "One element of the array, at random."},
	"Or":      {"Or(value, fallback)", "The value, or the fallback when the value is an error."},
	"Random":  {"Random()", "A random float in [0, 1)."},
	"SMTP":    {"SMTP(server)", "Sends an e-mail: `.auth(user, password)`, `.port(n)`, `.tls(bool)`, then `.send(email)`."},
	"Shuffle": {"Shuffle(array)", "A copy of the array in random order."},
	"Time":    {"Time()", "The current time: `.at(...)`, `.with_timezone(tz)`, `.parse(text, format?)`, `.format(format?)`, `.unix()`."},
	"UUID":    {"UUID(\"v4\")", "A random UUID (\"v4\", the default) or a time-based one (\"v1\")."},
}

// builtinNames are the builtins of the standard library, sorted.
func builtinNames() []string {
	return slices.Sorted(maps.Keys(stdlib.Library().Builtins))
}

// componentSig is a component's signature from its parameters: required
// ones first as they are declared, optional ones with a '?'.
func componentSig(name string, c *interp.Component) string {
	var ps []string
	for _, p := range c.Params {
		s := p.Name
		if !p.Required {
			s += "?"
		}
		if p.Type != "" {
			s += ": " + p.Type
		}
		ps = append(ps, s)
	}
	return fmt.Sprintf("%s(%s)", name, strings.Join(ps, ", "))
}
