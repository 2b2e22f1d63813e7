// Package auth signs people in with local passwords: Argon2id hashing with
// bounded concurrency, the password policy, the login limiter and server-side
// sessions that store only a hash of the cookie's token.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// Params are Argon2id parameters. The default is OWASP's m=19456 KiB, t=2,
// p=1 (AUTH-01); `make bench` reports the time per hash on this machine.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	KeyLen  uint32
	SaltLen int
}

// DefaultParams meet the OWASP floor.
var DefaultParams = Params{Memory: 19456, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}

// Hasher hashes and verifies passwords. At most `limit` hashes run at once,
// so a login flood cannot allocate unbounded memory (AUTH-03).
type Hasher struct {
	params   Params
	sem      chan struct{}
	dummy    func() string // made on first use: a hash costs memory at start
	inFlight atomic.Int64
	peak     atomic.Int64
}

// NewHasher returns a hasher; limit ≤ 0 means runtime.NumCPU().
func NewHasher(p Params, limit int) *Hasher {
	if limit <= 0 {
		limit = runtime.NumCPU()
	}
	h := &Hasher{params: p, sem: make(chan struct{}, limit)}
	h.dummy = sync.OnceValue(func() string {
		dummy, err := h.Hash("bureau-dummy-password-for-unknown-emails")
		if err != nil {
			panic(fmt.Sprintf("auth: dummy hash: %v", err)) // crypto/rand failed: nothing can work
		}
		return dummy
	})
	return h
}

// Peak is the largest number of hashes that ran at once.
func (h *Hasher) Peak() int64 { return h.peak.Load() }

func (h *Hasher) run(fn func()) {
	h.sem <- struct{}{}
	n := h.inFlight.Add(1)
	for {
		p := h.peak.Load()
		if n <= p || h.peak.CompareAndSwap(p, n) {
			break
		}
	}
	defer func() {
		h.inFlight.Add(-1)
		<-h.sem
	}()
	fn()
}

// Hash returns the PHC string of password with a fresh random salt.
func (h *Hasher) Hash(password string) (string, error) {
	salt := make([]byte, h.params.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	var key []byte
	p := h.params
	h.run(func() { key = argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen) })
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify compares password with the PHC string. stale reports that the hash
// was made with weaker parameters than the current ones and should be
// replaced (AUTH-02). An empty phc runs a dummy verification, so an unknown
// email costs as much time as a wrong password (AUTH-07).
func (h *Hasher) Verify(password, phc string) (ok, stale bool, err error) {
	if phc == "" {
		_, _, _ = h.Verify(password, h.dummy())
		return false, false, nil
	}
	p, salt, want, err := ParsePHC(phc)
	if err != nil {
		return false, false, err
	}
	var got []byte
	h.run(func() { got = argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want))) })
	ok = subtle.ConstantTimeCompare(got, want) == 1
	stale = p.Memory < h.params.Memory || p.Time < h.params.Time || len(want) < int(h.params.KeyLen)
	return ok, stale, nil
}

// ParsePHC reads `$argon2id$v=19$m=..,t=..,p=..$salt$hash`.
func ParsePHC(phc string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("password hash: not an argon2id PHC string")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, errors.New("password hash: unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("password hash parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[4]); err != nil {
		return p, nil, nil, fmt.Errorf("password hash salt: %w", err)
	}
	if key, err = b64.DecodeString(parts[5]); err != nil {
		return p, nil, nil, fmt.Errorf("password hash key: %w", err)
	}
	p.KeyLen, p.SaltLen = uint32(len(key)), len(salt)
	return p, salt, key, nil
}
