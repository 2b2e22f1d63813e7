// Package apikey keeps an account's ingestion API keys (SPEC §4, security
// checklist KEY-01..KEY-10) and ingests what they send: a key belongs to
// one account and only writes into it; the plaintext is shown once at
// creation and only its SHA-256 is stored.
package apikey

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"regexp"
)

// A key reads bur_<id>_<secret>_<check> (KEY-01): "bur_" makes a leaked key
// greppable and secret-scannable; id is 8 random [a-z0-9] characters, the
// visible, stored prefix that finds the row; secret is 32 random bytes in
// base64url (43 characters, which may include '_' and '-'); check is the
// CRC-32 of everything before it in hex, so a scanner can reject a
// look-alike offline. Every part has a fixed length, so the '_' inside a
// secret never makes parsing ambiguous.
const (
	keyPrefix   = "bur_"
	idLen       = 8
	secretBytes = 32
	idAlphabet  = "abcdefghijklmnopqrstuvwxyz0123456789"
)

// Pattern matches a well-formed key anywhere in a text (log and body
// scanners use it; Parse also checks the checksum).
var Pattern = regexp.MustCompile(`bur_[a-z0-9]{8}_[A-Za-z0-9_-]{43}_[0-9a-f]{8}`)

var exact = regexp.MustCompile(`^` + Pattern.String() + `$`)

// generate makes a new key and returns it with its visible prefix.
func generate() (key, prefix string, err error) {
	id, err := randomID()
	if err != nil {
		return "", "", err
	}
	secret := make([]byte, secretBytes)
	if _, err := rand.Read(secret); err != nil {
		return "", "", fmt.Errorf("api key: %w", err)
	}
	body := keyPrefix + id + "_" + base64.RawURLEncoding.EncodeToString(secret)
	return body + "_" + checksum(body), keyPrefix + id, nil
}

// randomID draws idLen characters of idAlphabet from crypto/rand without
// modulo bias (bytes ≥ 252 are redrawn).
func randomID() (string, error) {
	out := make([]byte, 0, idLen)
	buf := make([]byte, 16)
	for len(out) < idLen {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("api key id: %w", err)
		}
		for _, b := range buf {
			if b < 252 && len(out) < idLen {
				out = append(out, idAlphabet[int(b)%len(idAlphabet)])
			}
		}
	}
	return string(out), nil
}

func checksum(body string) string {
	return fmt.Sprintf("%08x", crc32.ChecksumIEEE([]byte(body)))
}

// parse checks a presented key's shape and checksum and returns its
// prefix; ok is false for anything that cannot be a key of ours.
func parse(key string) (prefix string, ok bool) {
	if !exact.MatchString(key) {
		return "", false
	}
	body, check := key[:len(key)-9], key[len(key)-8:]
	if checksum(body) != check {
		return "", false
	}
	return key[:len(keyPrefix)+idLen], true
}

// hashKey is what the database keeps of a key (KEY-02): SHA-256 of the
// whole key. The key carries 256 random bits, so no salt or slow hash is
// needed: there is nothing to guess.
func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
