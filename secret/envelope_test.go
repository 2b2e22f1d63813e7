package secret

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func box(t *testing.T, fill byte) *Box {
	t.Helper()
	b, err := NewBox(bytes.Repeat([]byte{fill}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBoxRoundTrip(t *testing.T) {
	b := box(t, 1)
	const aad = "tenant/t1/sso/client_secret"
	sealed, err := b.Seal([]byte("s3cret value"), aad)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "s3cret") || !strings.HasPrefix(sealed, "v2."+b.KeyID()+".") {
		t.Fatalf("sealed: %s", sealed)
	}
	again, _ := b.Seal([]byte("s3cret value"), aad)
	if again == sealed {
		t.Fatal("two seals of one value are equal: no fresh data key or nonce")
	}
	plain, err := b.Open(sealed, aad)
	if err != nil || string(plain) != "s3cret value" {
		t.Fatalf("open: %q %v", plain, err)
	}
}

// A sealed value opens only with the same master key, for the same record,
// untampered.
func TestBoxRefuses(t *testing.T) {
	b := box(t, 1)
	sealed, err := b.Seal([]byte("client secret"), "tenant/t1/sso")
	if err != nil {
		t.Fatal(err)
	}
	flip := []byte(sealed)
	flip[len(flip)-3] ^= 1
	cases := map[string]struct {
		box    *Box
		sealed string
		aad    string
	}{
		"another master key": {box(t, 2), sealed, "tenant/t1/sso"},
		"another record":     {b, sealed, "tenant/t2/sso"},
		"tampered":           {b, string(flip), "tenant/t1/sso"},
		"truncated":          {b, sealed[:len(sealed)-10], "tenant/t1/sso"},
		"no version":         {b, strings.TrimPrefix(sealed, "v2."), "tenant/t1/sso"},
		"empty":              {b, "", "tenant/t1/sso"},
		"short parts":        {b, "v1.AA.AA", "tenant/t1/sso"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := c.box.Open(c.sealed, c.aad); !errors.Is(err, ErrOpen) {
				t.Fatalf("got %v, want ErrOpen", err)
			}
		})
	}
	if _, err := NewBox([]byte("short")); err == nil {
		t.Fatal("a short master key was accepted")
	}
}

func TestMasterKeyFromConfig(t *testing.T) {
	dir := t.TempDir()
	key, err := MasterKey(strings.Repeat("ab", 32), dir)
	if err != nil || len(key) != 32 || key[0] != 0xab {
		t.Fatalf("configured key: %x %v", key, err)
	}
	if _, err := MasterKey("abcd", dir); err == nil {
		t.Fatal("a short configured key was accepted")
	}
	fromFile, err := MasterKey("", dir)
	if err != nil || len(fromFile) != 32 {
		t.Fatalf("file key: %v", err)
	}
	again, _ := MasterKey("", dir)
	if !bytes.Equal(fromFile, again) {
		t.Fatal("the key file is not reused")
	}
}

// SEC-04: rotating the master key re-wraps data keys only; every value
// opens under the new key, and values not yet re-wrapped still open while
// the old key is loaded beside it.
func TestRewrapUnderNewMasterKey(t *testing.T) {
	oldBox, newBox := box(t, 1), box(t, 2)
	const aad = "account/a1/connection/client_secret"
	sealed, err := oldBox.Seal([]byte("vendor secret"), aad)
	if err != nil {
		t.Fatal(err)
	}
	re, err := oldBox.Rewrap(sealed, aad, newBox)
	if err != nil {
		t.Fatal(err)
	}
	if SealedKeyID(re) != newBox.KeyID() || SealedKeyID(sealed) != oldBox.KeyID() {
		t.Fatalf("key ids: %s → %s", SealedKeyID(sealed), SealedKeyID(re))
	}
	// The ciphertext itself is unchanged: only the wrapped key moved.
	if sealed[strings.LastIndex(sealed, "."):] != re[strings.LastIndex(re, "."):] {
		t.Error("rewrap re-encrypted the value")
	}
	if plain, err := newBox.Open(re, aad); err != nil || string(plain) != "vendor secret" {
		t.Fatalf("open rewrapped: %q %v", plain, err)
	}
	_, err = newBox.Open(sealed, aad)
	if !errors.Is(err, ErrOpen) || !strings.Contains(err.Error(), oldBox.KeyID()) {
		t.Fatalf("old value under new key alone: %v, want ErrOpen naming key %s", err, oldBox.KeyID())
	}
	both, err := NewBox(testMaster(2), testMaster(1))
	if err != nil {
		t.Fatal(err)
	}
	if plain, err := both.Open(sealed, aad); err != nil || string(plain) != "vendor secret" {
		t.Fatalf("old value with both keys loaded: %q %v", plain, err)
	}
	if _, err := oldBox.Rewrap(sealed, "account/a2/connection/client_secret", newBox); !errors.Is(err, ErrOpen) {
		t.Fatalf("rewrap for another record: %v", err)
	}
}

// Values sealed before key ids existed ("v1.") still open.
func TestOpensValuesWithoutKeyID(t *testing.T) {
	b := box(t, 1)
	sealed, _ := b.Seal([]byte("legacy"), "x")
	parts := strings.SplitN(sealed, ".", 3) // v2, kid, rest
	legacy := "v1." + parts[2]
	if plain, err := b.Open(legacy, "x"); err != nil || string(plain) != "legacy" {
		t.Fatalf("open v1: %q %v", plain, err)
	}
}

func testMaster(fill byte) []byte { return bytes.Repeat([]byte{fill}, 32) }
