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
	if strings.Contains(sealed, "s3cret") || !strings.HasPrefix(sealed, "v1.") {
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
		"no version":         {b, strings.TrimPrefix(sealed, "v1."), "tenant/t1/sso"},
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
