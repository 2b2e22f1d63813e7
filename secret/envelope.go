package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
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
// A sealed value is text: "v1." + wrapped data key + "." + ciphertext,
// each base64url(nonce ‖ sealed bytes).
type Box struct {
	kek []byte
}

// NewBox returns a Box whose key-encryption key comes from master.
func NewBox(master []byte) (*Box, error) {
	if len(master) != 32 {
		return nil, errors.New("secret box: master key must be 32 bytes")
	}
	return &Box{kek: Derive(master, "envelope-kek")}, nil
}

const sealedPrefix = "v1."

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
	wrapped, err := gcmSeal(b.kek, dek, []byte("dek|"+aad))
	if err != nil {
		return "", err
	}
	body, err := gcmSeal(dek, plaintext, []byte("data|"+aad))
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	return sealedPrefix + enc.EncodeToString(wrapped) + "." + enc.EncodeToString(body), nil
}

// Open decrypts a value sealed for the same record.
func (b *Box) Open(sealed, aad string) ([]byte, error) {
	rest, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return nil, ErrOpen
	}
	w, c, ok := strings.Cut(rest, ".")
	if !ok {
		return nil, ErrOpen
	}
	enc := base64.RawURLEncoding
	wrapped, err1 := enc.DecodeString(w)
	body, err2 := enc.DecodeString(c)
	if err1 != nil || err2 != nil {
		return nil, ErrOpen
	}
	dek, err := gcmOpen(b.kek, wrapped, []byte("dek|"+aad))
	if err != nil {
		return nil, ErrOpen
	}
	plain, err := gcmOpen(dek, body, []byte("data|"+aad))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
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
