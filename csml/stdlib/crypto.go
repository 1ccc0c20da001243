package stdlib

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"strings"

	"github.com/emmansun/gmsm/sm3"
	"golang.org/x/crypto/ripemd160" //nolint:staticcheck // deprecated as a weak hash, still what the reference offers

	"switchboard/csml/interp"
)

// Crypto(string) is an object {"value": string} of content type "crypto";
// create_hash(algo) and create_hmac(algo, key) give {"hash": [bytes...]},
// which digest("hex" | "base64") encodes.

const (
	cryptoContentType = "crypto"
	errCrypto         = "CRYPTO builtin expects one argument of type string. Example: CRYPTO(\"text\")"
	errHash           = "Crypto(string) command expect argument of type String"
	errHashAlgo       = "Invalid Algorithm, supported Algorithms are md5 sha1 sha256 sha384 sha512"
	errHMACKey        = "HMAC key need to be of type string"
	errDigest         = "Invalid argument, '.digest' is use incorrectly"
	errDigestAlgo     = "Invalid Digest Algorithm, supported Algorithms are hex, base64"
)

func cryptoBuiltin(c *interp.Call) (interp.Value, error) {
	v, ok := c.Args.Get("value", 0)
	if !ok {
		return nullValue(), c.Errorf(errCrypto)
	}
	o := interp.NewObject(1)
	o.Set("value", v)
	return interp.ObjectValue(o).WithContentType(cryptoContentType), nil
}

// hashes are the reference's algorithms (OpenSSL's there): Go's standard
// library's, ripemd160 from golang.org/x/crypto and sm3 (GB/T 32905-2016)
// from github.com/emmansun/gmsm. SHAKE digests have OpenSSL's default
// lengths.
var hashes = map[string]func() hash.Hash{
	"md5": md5.New, "sha1": sha1.New, "sha256": sha256.New, "sha384": sha512.New384, "sha512": sha512.New,
	"sha3_224": func() hash.Hash { return sha3.New224() }, "sha3_256": func() hash.Hash { return sha3.New256() },
	"sha3_384": func() hash.Hash { return sha3.New384() }, "sha3_512": func() hash.Hash { return sha3.New512() },
	"ripemd160": ripemd160.New, "sm3": sm3.New,
}

var shakes = map[string]func(data []byte) []byte{
	"shake_128": func(data []byte) []byte { return sha3.SumSHAKE128(data, 16) },
	"shake_256": func(data []byte) []byte { return sha3.SumSHAKE256(data, 32) },
}

// algorithm reads the algorithm argument, written all lowercase or all
// uppercase.
func algorithm(c *interp.Call) (string, error) {
	name, err := argString(c, 0, errHashAlgo)
	if err != nil {
		return "", err
	}
	n := strings.ToLower(name)
	_, isHash := hashes[n]
	_, isShake := shakes[n]
	if (name != n && name != strings.ToUpper(name)) || (!isHash && !isShake) {
		return "", c.Errorf("'" + name + "' " + errHashAlgo)
	}
	return n, nil
}

func cryptoValue(c *interp.Call) (string, error) {
	v, ok := c.Recv.Obj().Get("value")
	if !ok || v.Kind() != interp.String {
		return "", c.Errorf(errHash)
	}
	return v.Str(), nil
}

// hashValue is {"hash": [bytes]}, content type "crypto".
func hashValue(sum []byte) interp.Value {
	items := make([]interp.Value, len(sum))
	for i, b := range sum {
		items[i] = interp.IntValue(int64(b))
	}
	o := interp.NewObject(1)
	o.Set("hash", interp.ArrayValue(items))
	return interp.ObjectValue(o).WithContentType(cryptoContentType)
}

var cryptoMethods = map[string]interp.Method{
	"create_hash": read(func(c *interp.Call) (interp.Value, error) {
		data, err := cryptoValue(c)
		if err != nil {
			return nullValue(), err
		}
		algo, err := algorithm(c)
		if err != nil {
			return nullValue(), err
		}
		if shake, ok := shakes[algo]; ok {
			return hashValue(shake([]byte(data))), nil
		}
		h := hashes[algo]()
		h.Write([]byte(data))
		return hashValue(h.Sum(nil)), nil
	}),
	"create_hmac": read(func(c *interp.Call) (interp.Value, error) {
		data, err := cryptoValue(c)
		if err != nil {
			return nullValue(), err
		}
		algo, err := algorithm(c)
		if err != nil {
			return nullValue(), err
		}
		key, err := argString(c, 1, errHMACKey)
		if err != nil {
			return nullValue(), err
		}
		if _, ok := hashes[algo]; !ok {
			return nullValue(), c.Errorf("'" + algo + "' " + errHashAlgo)
		}
		mac := hmac.New(hashes[algo], []byte(key))
		mac.Write([]byte(data))
		return hashValue(mac.Sum(nil)), nil
	}),
	"digest": read(func(c *interp.Call) (interp.Value, error) {
		h, ok := c.Recv.Obj().Get("hash")
		if !ok || h.Kind() != interp.Array {
			return nullValue(), c.Errorf(errDigest)
		}
		enc, err := argString(c, 0, errDigestAlgo)
		if err != nil {
			return nullValue(), err
		}
		sum := make([]byte, len(h.Items()))
		for i, b := range h.Items() {
			if b.Kind() != interp.Int {
				return nullValue(), c.Errorf("ERROR_hash_TOKEN")
			}
			sum[i] = byte(b.Int())
		}
		switch enc {
		case "hex":
			return str(hex.EncodeToString(sum)), nil
		case "base64":
			return str(base64.StdEncoding.EncodeToString(sum)), nil
		}
		return nullValue(), c.Errorf("'" + enc + "' " + errDigestAlgo)
	}),
}
