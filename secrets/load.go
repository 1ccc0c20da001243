package secrets

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"switchboard/internal/ownerfile"
)

// EnvVar names the environment variable that carries the keys: base64 keys
// separated by commas, the primary first. When it is set, no key file is read.
const EnvVar = "SWITCHBOARD_SECRET_KEYS"

// Load returns the keyring from the environment value when not empty, else
// from the key file (one base64 key per line, the primary first), which is
// created with one fresh key (mode 0600) when it does not exist.
func Load(envValue, keyFile string) (*Keyring, error) {
	if strings.TrimSpace(envValue) != "" {
		keys, err := decodeKeys(strings.Split(envValue, ","))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvVar, err)
		}
		return New(keys...)
	}
	if err := ownerfile.Check(keyFile); err != nil {
		return nil, fmt.Errorf("secrets: key file: %w", err)
	}
	data, err := os.ReadFile(keyFile)
	if errors.Is(err, fs.ErrNotExist) {
		if err := WriteKeyFile(keyFile, [][]byte{NewKey()}); err != nil {
			return nil, err
		}
		data, err = os.ReadFile(keyFile)
	}
	if err != nil {
		return nil, fmt.Errorf("secrets: read key file: %w", err)
	}
	keys, err := decodeKeys(strings.Split(string(data), "\n"))
	if err != nil {
		return nil, fmt.Errorf("secrets: key file %s: %w", keyFile, err)
	}
	return New(keys...)
}

// WriteKeyFile writes keys (the primary first) to a file only its owner reads.
func WriteKeyFile(path string, keys [][]byte) error {
	var sb strings.Builder
	for _, k := range keys {
		sb.WriteString(base64.StdEncoding.EncodeToString(k) + "\n")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("secrets: %w", err)
	}
	if err := ownerfile.Write(path, []byte(sb.String())); err != nil {
		return fmt.Errorf("secrets: write key file: %w", err)
	}
	return nil
}

// ReadKeyFile returns the keys of a key file, the primary first.
func ReadKeyFile(path string) ([][]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secrets: read key file: %w", err)
	}
	return decodeKeys(strings.Split(string(data), "\n"))
}

func decodeKeys(lines []string) ([][]byte, error) {
	var keys [][]byte
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		k, err := base64.StdEncoding.DecodeString(l)
		if err != nil {
			return nil, fmt.Errorf("key %d is not base64: generate one with `head -c 32 /dev/urandom | base64`", i+1)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New("no key found")
	}
	return keys, nil
}
