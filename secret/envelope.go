package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Box seals secrets stored in the database (client secrets, connector
// credentials) with envelope encryption: each record gets its own random
// 256-bit data key; the data key is sealed with the key-encryption key,
// derived from the master key; both layers are AES-256-GCM. The record's
// identity (what the secret belongs to) is bound as additional data, so a
// sealed value copied to another record or tenant does not open there.
//
// A sealed value is text: "v2." + key id + "." + wrapped data key + "." +
// ciphertext, each base64url(nonce ‖ sealed bytes). The key id names the
// key-encryption key, so after a master-key rotation a value wrapped under
// a key that is not loaded says so instead of failing blindly. Values
// sealed before key ids ("v1.", no id) open under the current key.
type Box struct {
	keks map[string][]byte // key id → key-encryption key
	kid  string            // the key new values are sealed under
}

// NewBox returns a Box sealing under the key derived from master; older
// masters, when given, still open values wrapped under them (the window
// of a master-key rotation).
func NewBox(master []byte, older ...[]byte) (*Box, error) {
	b := &Box{keks: map[string][]byte{}}
	for i, m := range append([][]byte{master}, older...) {
		if len(m) != 32 {
			return nil, errors.New("secret box: master key must be 32 bytes")
		}
		kek := Derive(m, "envelope-kek")
		id := KeyID(m)
		b.keks[id] = kek
		if i == 0 {
			b.kid = id
		}
	}
	return b, nil
}

// KeyID names a master key without revealing it: the first 8 hex digits
// of a hash of its key-encryption key.
func KeyID(master []byte) string {
	sum := sha256.Sum256(Derive(master, "envelope-kek"))
	return hex.EncodeToString(sum[:4])
}

// KeyID is the id of the key new values are sealed under.
func (b *Box) KeyID() string { return b.kid }

// SealedKeyID returns the key id a sealed value was wrapped under ("" for
// values from before key ids).
func SealedKeyID(sealed string) string {
	if rest, ok := strings.CutPrefix(sealed, "v2."); ok {
		id, _, _ := strings.Cut(rest, ".")
		return id
	}
	return ""
}

// ErrOpen is any failure to open a sealed value: wrong key, wrong record,
// tampered or truncated text. It says nothing more on purpose.
var ErrOpen = errors.New("secret: cannot open sealed value")

// Seal encrypts plaintext for the record named by aad (e.g.
// "tenant/<id>/sso/client_secret").
func (b *Box) Seal(plaintext []byte, aad string) (string, error) {
	dek := make([]byte, 32)
	if _, err := rand.Read(dek); err != nil {
		return "", fmt.Errorf("secret seal: %w", err)
	}
	wrapped, err := gcmSeal(b.keks[b.kid], dek, []byte("dek|"+aad))
	if err != nil {
		return "", err
	}
	body, err := gcmSeal(dek, plaintext, []byte("data|"+aad))
	if err != nil {
		return "", err
	}
	return b.format(b.kid, wrapped, body), nil
}

func (b *Box) format(kid string, wrapped, body []byte) string {
	enc := base64.RawURLEncoding
	return "v2." + kid + "." + enc.EncodeToString(wrapped) + "." + enc.EncodeToString(body)
}

// Open decrypts a value sealed for the same record.
func (b *Box) Open(sealed, aad string) ([]byte, error) {
	dek, body, err := b.openDEK(sealed, aad)
	if err != nil {
		return nil, err
	}
	plain, err := gcmOpen(dek, body, []byte("data|"+aad))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// Rewrap re-seals the value's data key under to's current key, leaving
// the ciphertext as it is: rotating the master key touches only the small
// wrapped keys, never the secrets themselves.
func (b *Box) Rewrap(sealed, aad string, to *Box) (string, error) {
	dek, body, err := b.openDEK(sealed, aad)
	if err != nil {
		return "", err
	}
	wrapped, err := gcmSeal(to.keks[to.kid], dek, []byte("dek|"+aad))
	if err != nil {
		return "", err
	}
	return to.format(to.kid, wrapped, body), nil
}

// openDEK unwraps the data key of a sealed value.
func (b *Box) openDEK(sealed, aad string) (dek, body []byte, err error) {
	kid, rest := b.kid, ""
	if r, ok := strings.CutPrefix(sealed, "v2."); ok {
		var found bool
		if kid, rest, found = strings.Cut(r, "."); !found {
			return nil, nil, ErrOpen
		}
	} else if r, ok := strings.CutPrefix(sealed, "v1."); ok {
		rest = r
	} else {
		return nil, nil, ErrOpen
	}
	kek, ok := b.keks[kid]
	if !ok {
		return nil, nil, fmt.Errorf("%w: sealed under master key %s, which is not loaded (current key: %s)", ErrOpen, kid, b.kid)
	}
	w, c, ok := strings.Cut(rest, ".")
	if !ok {
		return nil, nil, ErrOpen
	}
	enc := base64.RawURLEncoding
	wrapped, err1 := enc.DecodeString(w)
	body, err2 := enc.DecodeString(c)
	if err1 != nil || err2 != nil {
		return nil, nil, ErrOpen
	}
	if dek, err = gcmOpen(kek, wrapped, []byte("dek|"+aad)); err != nil {
		return nil, nil, ErrOpen
	}
	return dek, body, nil
}

func gcmSeal(key, plaintext, aad []byte) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("secret seal: %w", err)
	}
	return aead.Seal(nonce, nonce, plaintext, aad), nil
}

func gcmOpen(key, sealed, aad []byte) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrOpen
	}
	n := aead.NonceSize()
	return aead.Open(nil, sealed[:n], sealed[n:], aad)
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	return cipher.NewGCM(block)
}
