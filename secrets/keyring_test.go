package secrets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealOpensOnlyInItsPlace(t *testing.T) {
	k, err := New(NewKey())
	if err != nil {
		t.Fatal(err)
	}
	s := k.Seal([]byte("api-key-123"), "livechat:shop:gorgias.api_key")
	if strings.Contains(s, "api-key-123") || !IsSealed(s) {
		t.Fatalf("sealed value %q", s)
	}
	if s == k.Seal([]byte("api-key-123"), "livechat:shop:gorgias.api_key") {
		t.Fatal("two seals of the same value are equal: the nonce is not random")
	}
	plain, err := k.Open(s, "livechat:shop:gorgias.api_key")
	if err != nil || string(plain) != "api-key-123" {
		t.Fatalf("open: %q %v", plain, err)
	}
	if _, err := k.Open(s, "livechat:other:gorgias.api_key"); err == nil {
		t.Fatal("a value sealed for one place opened in another")
	}
	tampered := s[:len(s)-2] + "AA"
	if _, err := k.Open(tampered, "livechat:shop:gorgias.api_key"); err == nil {
		t.Fatal("an altered value opened")
	}
	if _, err := k.Open("plain text", "x"); err == nil {
		t.Fatal("plain text opened")
	}
}

func TestRotation(t *testing.T) {
	oldKey, newKey := NewKey(), NewKey()
	old, _ := New(oldKey)
	sealed := old.Seal([]byte("secret"), "p")

	rotated, _ := New(newKey, oldKey)
	if !rotated.Stale(sealed) {
		t.Fatal("a value sealed with the old key is not reported stale")
	}
	plain, err := rotated.Open(sealed, "p")
	if err != nil || string(plain) != "secret" {
		t.Fatalf("old value after rotation: %v", err)
	}
	resealed := rotated.Seal(plain, "p")
	if rotated.Stale(resealed) {
		t.Fatal("a value sealed with the primary is stale")
	}
	onlyNew, _ := New(newKey)
	if _, err := onlyNew.Open(sealed, "p"); err == nil || !strings.Contains(err.Error(), "not in the keyring") {
		t.Fatalf("old value without the old key: %v", err)
	}
}

func TestLoadCreatesAPrivateKeyFileOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "secret.key")
	k1, err := Load("", path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", info.Mode(), err)
	}
	k2, err := Load("", path)
	if err != nil {
		t.Fatal(err)
	}
	s := k1.Seal([]byte("x"), "p")
	if _, err := k2.Open(s, "p"); err != nil {
		t.Fatal("a second load made another key")
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load("", path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("world-readable key file: %v", err)
	}
}

func TestLoadFromEnvironment(t *testing.T) {
	if _, err := Load("not base64!", ""); err == nil || !strings.Contains(err.Error(), "base64") {
		t.Fatalf("bad env: %v", err)
	}
	if _, err := Load("c2hvcnQ=", ""); err == nil || !strings.Contains(err.Error(), "32 random bytes") {
		t.Fatalf("short key: %v", err)
	}
}

func TestSealedInFindsEveryValueWithItsKey(t *testing.T) {
	oldKey, newKey := NewKey(), NewKey()
	old, _ := New(oldKey)
	both, _ := New(newKey, oldKey)
	doc := `{"token":"` + old.Seal([]byte("a"), "p") + `","gorgias":{"api_key":"` + both.Seal([]byte("b"), "q") + `"},"x":"sb1:nothex!:zz"}`
	found := SealedIn(doc)
	if len(found) != 2 {
		t.Fatalf("SealedIn found %q, want 2 values", found)
	}
	if !both.Stale(found[0]) || both.Stale(found[1]) {
		t.Fatalf("Stale = %v, %v; want the first only", both.Stale(found[0]), both.Stale(found[1]))
	}
	if both.Primary() == old.Primary() || !strings.Contains(found[1], both.Primary()) {
		t.Fatalf("Primary %s does not name the new key", both.Primary())
	}
}
