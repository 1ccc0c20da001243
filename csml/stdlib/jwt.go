package stdlib

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"switchboard/csml/interp"
)

// JWT(claims or token) is an object {"jwt": value, "header": {"typ",
// "alg"}} of content type "jwt". sign(algo, secret, headers?) signs the
// claims; decode(algo, secret) and verify(validation, algo, secret) check
// a token and give {"header", "payload"}. Only the HMAC algorithms exist,
// as in the reference; validation follows the reference's jsonwebtoken 8:
// an "exp" claim is required and checked with 60 seconds of leeway.

const (
	jwtContentType     = "jwt"
	errJWT             = "JWT builtin expects payload as argument. Example: JWT({\n        \"user\": \"name\",\n        \"somekey\": {\n          \"somevalue\": 42\n        },\n        \"exp\": 1618064023,\n        \"iss\": \"CSML STUDIO\"\n      })"
	errJWTAlgo         = "Invalid Algorithm, supported Algorithms are HS256, HS384, HS512"
	errJWTSignClaims   = "JWT(claims) command expect argument 'claims' of type Object"
	errJWTSignAlgo     = "JWT(claims).sign(algo, secret, Optional<Header>) expect first argument 'algo' of type String"
	errJWTToken        = "JWT(jwt) command expect argument 'jwt' of type String"
	errJWTDecodeAlgo   = "JWT(jwt).decode(algo, secret) expect first argument 'algo' of type String"
	errJWTDecodeSecret = "JWT(jwt).decode(algo, secret) expect second argument 'claims' of type String"
	errJWTClaims       = "JWT(jwt).verify(claims, algo, secret) expect first argument 'claims' of type Object"
	errJWTVerifyAlgo   = "JWT(jwt).verify(claims, algo, secret) expect second argument 'algo' of type String"
	errJWTVerifySecret = "JWT(jwt).verify(claims, algo, secret) expect third argument 'secrete' of type String"
	defaultJWTLeeway   = 60
)

func jwtBuiltin(c *interp.Call) (interp.Value, error) {
	v, ok := c.Args.Get("jwt", 0)
	if !ok {
		return nullValue(), c.Errorf(errJWT)
	}
	header := interp.NewObject(2)
	header.Set("typ", str("JWT"))
	header.Set("alg", str("HS256"))
	o := interp.NewObject(2)
	o.Set("jwt", v)
	o.Set("header", interp.ObjectValue(header))
	return interp.ObjectValue(o).WithContentType(jwtContentType), nil
}

// hmacMethods are the HMAC algorithms, the reference's only ones, by name.
var hmacMethods = map[string]jwt.SigningMethod{"HS256": jwt.SigningMethodHS256, "HS384": jwt.SigningMethodHS384, "HS512": jwt.SigningMethodHS512}

// jwtAlgorithm reads argument i as an HMAC algorithm; msg is the error
// when it is not a string.
func jwtAlgorithm(c *interp.Call, i int, msg string) (string, error) {
	v, ok := c.Args.At(i)
	if !ok || v.Kind() != interp.String {
		return "", c.Errorf(msg)
	}
	if _, ok := hmacMethods[v.Str()]; !ok {
		return "", c.Errorf(errJWTAlgo)
	}
	return v.Str(), nil
}

// jwtSign signs the "header.claims" input. The header and claims are
// written here, not by the library: the reference's tokens put "typ"
// before "alg" and sort the claims, and a token's bytes must match.
func jwtSign(alg, secret, signingInput string) string {
	sig, _ := hmacMethods[alg].Sign(signingInput, []byte(secret)) // HMAC with a []byte key never fails
	return base64.RawURLEncoding.EncodeToString(sig)
}

var jwtMethods = map[string]interp.Method{
	"sign": read(func(c *interp.Call) (interp.Value, error) {
		alg, err := jwtAlgorithm(c, 0, errJWTSignAlgo)
		if err != nil {
			return nullValue(), err
		}
		claims, ok := c.Recv.Obj().Get("jwt")
		if !ok {
			return nullValue(), c.Errorf(errJWTSignClaims)
		}
		secret, err := argString(c, 1, errJWTAlgo)
		if err != nil {
			return nullValue(), err
		}
		typ := "JWT"
		if h, ok := c.Args.At(2); ok {
			if h.Kind() != interp.Object {
				return nullValue(), c.Errorf("JWT Headers wrong format")
			}
			for k, v := range h.Obj().All() {
				switch k {
				case "typ":
					if v.Kind() != interp.String {
						return nullValue(), c.Errorf("JWT Headers 'typ' must be of type String")
					}
					typ = v.Str()
				case "cty", "jku", "kid", "x5u", "x5t":
					// The reference reads these from the headers object
					// itself, which is never a string.
					return nullValue(), c.Errorf("JWT Headers '" + k + "' must be of type String")
				}
			}
		}
		header, _ := json.Marshal(struct {
			Typ string `json:"typ"`
			Alg string `json:"alg"`
		}{typ, alg})
		input := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(sortedJSON(plainJSON(claims)))
		return str(input + "." + jwtSign(alg, secret, input)), nil
	}),
	"decode": read(func(c *interp.Call) (interp.Value, error) {
		alg, err := jwtAlgorithm(c, 0, errJWTDecodeAlgo)
		if err != nil {
			return nullValue(), err
		}
		secret, err := argString(c, 1, errJWTDecodeSecret)
		if err != nil {
			return nullValue(), err
		}
		return jwtCheck(c, "decode", jwtValidation{alg: alg, leeway: defaultJWTLeeway, exp: true}, secret)
	}),
	"verify": read(func(c *interp.Call) (interp.Value, error) {
		rules, ok := c.Args.At(0)
		if !ok {
			return nullValue(), c.Errorf(errJWTClaims)
		}
		val := jwtValidation{leeway: defaultJWTLeeway, exp: true}
		if err := val.read(c, rules); err != nil {
			return nullValue(), err
		}
		alg, err := jwtAlgorithm(c, 1, errJWTVerifyAlgo)
		if err != nil {
			return nullValue(), err
		}
		val.alg = alg
		secret, err := argString(c, 2, errJWTVerifySecret)
		if err != nil {
			return nullValue(), err
		}
		return jwtCheck(c, "verify", val, secret)
	}),
}

// jwtValidation is what a decoded token is checked against.
type jwtValidation struct {
	alg            string
	leeway         int64
	exp, nbf       bool
	aud            []string
	iss, sub       string
	hasIss, hasSub bool
}

// read applies verify's first argument: leeway, validate_exp,
// validate_nbf, aud, iss, sub.
func (val *jwtValidation) read(c *interp.Call, rules interp.Value) error {
	if rules.Kind() != interp.Object {
		return c.Errorf("JWT Headers wrong format")
	}
	for k, v := range rules.Obj().All() {
		bad := func(what string) error {
			return c.Errorf("JWT Validation '" + k + "' must be of type " + what)
		}
		switch k {
		case "leeway":
			if v.Kind() != interp.Int || v.Int() < 0 {
				return bad("Int")
			}
			val.leeway = v.Int()
		case "validate_exp", "validate_nbf":
			if v.Kind() != interp.Bool {
				return bad("Boolean")
			}
			if k == "validate_exp" {
				val.exp = v.Bool()
			} else {
				val.nbf = v.Bool()
			}
		case "aud":
			if v.Kind() != interp.Array {
				return bad("Boolean")
			}
			for _, a := range v.Items() {
				if a.Kind() != interp.String {
					return bad("Boolean")
				}
				val.aud = append(val.aud, a.Str())
			}
		case "iss", "sub":
			if v.Kind() != interp.String {
				return c.Errorf("JWT Validation 'validate_nbf' must be of type Boolean")
			}
			if k == "iss" {
				val.iss, val.hasIss = v.Str(), true
			} else {
				val.sub, val.hasSub = v.Str(), true
			}
		}
	}
	return nil
}

// jwtCheck decodes and validates the receiver's token.
func jwtCheck(c *interp.Call, op string, val jwtValidation, secret string) (interp.Value, error) {
	tok, ok := c.Recv.Obj().Get("jwt")
	if !ok || tok.Kind() != interp.String {
		return nullValue(), c.Errorf(errJWTToken)
	}
	header, claims, kind := jwtVerify(tok.Str(), val, secret, c.Now().Unix())
	if kind != "" {
		return nullValue(), c.Errorf("Invalid JWT " + op + " " + kind)
	}
	o := interp.NewObject(2)
	o.Set("header", header)
	o.Set("payload", claims)
	return interp.ObjectValue(o), nil
}

// errJWTAlg stops a token signed with another algorithm than asked.
var errJWTAlg = errors.New("algorithm not asked for")

// jwtVerify checks a token; kind names the failure as the reference's
// jsonwebtoken errors print. github.com/golang-jwt/jwt/v5 splits and
// decodes the token and checks its algorithm and signature; the claims are
// validated by check, as jsonwebtoken 8 does.
func jwtVerify(token string, val jwtValidation, secret string, now int64) (header, claims interp.Value, kind string) {
	parser := jwt.NewParser(jwt.WithoutClaimsValidation(), jwt.WithJSONNumber())
	tok, err := parser.Parse(token, func(t *jwt.Token) (any, error) {
		if t.Method.Alg() != val.alg {
			return nil, errJWTAlg
		}
		return []byte(secret), nil
	})
	switch {
	case errors.Is(err, errJWTAlg), errors.Is(err, jwt.ErrTokenUnverifiable):
		return header, claims, "InvalidAlgorithm"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return header, claims, "InvalidSignature"
	case err != nil:
		return header, claims, "InvalidToken"
	}
	// The claims again, in their order (the library's map loses it).
	payload, err := parser.DecodeSegment(strings.Split(token, ".")[1])
	if err != nil {
		return header, claims, "InvalidToken"
	}
	if claims, err = interp.ParseJSON(payload); err != nil {
		return header, claims, "InvalidToken"
	}
	if kind := val.check(claims, now); kind != "" {
		return header, claims, kind
	}
	ho := interp.NewObject(4)
	for _, k := range []string{"typ", "alg", "cty", "kid"} {
		if v, ok := tok.Header[k].(string); ok {
			ho.Set(k, str(v))
		}
	}
	return interp.ObjectValue(ho), claims, ""
}

// check validates the registered claims.
func (val jwtValidation) check(claims interp.Value, now int64) string {
	get := func(k string) (interp.Value, bool) {
		if claims.Kind() != interp.Object {
			return interp.Value{}, false
		}
		return claims.Obj().Get(k)
	}
	exp, hasExp := get("exp")
	if !hasExp {
		return `MissingRequiredClaim("exp")`
	}
	if val.exp && exp.Kind() == interp.Int && exp.Int() < now-val.leeway {
		return "ExpiredSignature"
	}
	if nbf, ok := get("nbf"); val.nbf && ok && nbf.Kind() == interp.Int && nbf.Int() > now+val.leeway {
		return "ImmatureSignature"
	}
	if sub, ok := get("sub"); val.hasSub && (!ok || sub.Kind() != interp.String || sub.Str() != val.sub) {
		if !ok {
			return `MissingRequiredClaim("sub")`
		}
		return "InvalidSubject"
	}
	if iss, ok := get("iss"); val.hasIss && (!ok || iss.Kind() != interp.String || iss.Str() != val.iss) {
		if !ok {
			return `MissingRequiredClaim("iss")`
		}
		return "InvalidIssuer"
	}
	if aud, ok := get("aud"); len(val.aud) > 0 {
		if !ok {
			return `MissingRequiredClaim("aud")`
		}
		match := aud.Kind() == interp.String && slices.Contains(val.aud, aud.Str())
		for _, a := range aud.Items() {
			match = match || (a.Kind() == interp.String && slices.Contains(val.aud, a.Str()))
		}
		if !match {
			return "InvalidAudience"
		}
	}
	return ""
}

// sortedJSON writes JSON with object keys sorted, as the reference's
// serde_json maps serialize.
func sortedJSON(v interp.Value) []byte {
	var b bytes.Buffer
	writeSorted(&b, v)
	return b.Bytes()
}

func writeSorted(b *bytes.Buffer, v interp.Value) {
	switch v.Kind() {
	case interp.Array:
		b.WriteByte('[')
		for i, it := range v.Items() {
			if i > 0 {
				b.WriteByte(',')
			}
			writeSorted(b, it)
		}
		b.WriteByte(']')
	case interp.Object:
		b.WriteByte('{')
		for i, k := range slices.Sorted(slices.Values(v.Obj().Keys())) {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(interp.JSON(interp.StringValue(k)))
			b.WriteByte(':')
			x, _ := v.Obj().Get(k)
			writeSorted(b, x)
		}
		b.WriteByte('}')
	default:
		b.Write(interp.JSON(v))
	}
}
