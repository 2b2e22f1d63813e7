package auth

import (
	"strings"
	"sync"
	"testing"
	"time"
)

var fast = Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// AUTH-01: the stored hash is Argon2id with parameters at the OWASP floor.
func TestPasswordHashParams(t *testing.T) {
	h := NewHasher(DefaultParams, 0)
	phc, err := h.Hash("a perfectly fine passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$") {
		t.Fatalf("not argon2id: %s", phc)
	}
	p, salt, key, err := ParsePHC(phc)
	if err != nil {
		t.Fatal(err)
	}
	if p.Memory < 19456 || p.Time < 2 || p.Threads != 1 || len(salt) != 16 || len(key) != 32 {
		t.Fatalf("params below the floor: %+v salt=%d key=%d", p, len(salt), len(key))
	}
	ok, stale, err := h.Verify("a perfectly fine passphrase", phc)
	if !ok || stale || err != nil {
		t.Fatalf("verify: %v %v %v", ok, stale, err)
	}
	if ok, _, _ := h.Verify("a perfectly fine passphrasE", phc); ok {
		t.Fatal("verify accepted another password")
	}
	other, _ := h.Hash("a perfectly fine passphrase")
	if other == phc {
		t.Fatal("two hashes of one password share a salt")
	}
}

// AUTH-02: a hash made with weaker parameters is reported stale.
func TestStaleHashDetected(t *testing.T) {
	weak := NewHasher(Params{Memory: 8192, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}, 0)
	phc, _ := weak.Hash("an older password hash here")
	ok, stale, err := NewHasher(DefaultParams, 0).Verify("an older password hash here", phc)
	if !ok || !stale || err != nil {
		t.Fatalf("ok=%v stale=%v err=%v", ok, stale, err)
	}
}

// AUTH-03: hashes in flight never exceed the limit.
func TestHashConcurrencyBounded(t *testing.T) {
	h := NewHasher(fast, 2)
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, _ = h.Verify("x", "")
		}()
	}
	wg.Wait()
	if h.Peak() > 2 || h.Peak() < 1 {
		t.Fatalf("peak %d, limit 2", h.Peak())
	}
}

func TestParsePHCRejectsGarbage(t *testing.T) {
	for _, s := range []string{"", "$2a$10$abc", "$argon2id$v=18$m=1,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=x$AAAA$AAAA", "$argon2id$v=19$m=1,t=1,p=1$!!$AAAA"} {
		if _, _, _, err := ParsePHC(s); err == nil {
			t.Errorf("accepted %q", s)
		}
	}
}

// AUTH-04, AUTH-05, AUTH-06.
func TestCheckPassword(t *testing.T) {
	ctx := []string{"Northwind Automation", "northwind", "Ann Owner", "ann.owner"}
	tests := []struct {
		pw   string
		code string
	}{
		{strings.Repeat("x", 14), "password_too_short"},
		{"fourteen chars", "password_too_short"},
		{"🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊", "password_too_short"}, // 14 code points, 56 bytes
		{"violet tractor mirrors", ""},
		{"🦊🐙🦉🐝🦋🐢🦀🐬🦜🐞🦔🐿🦩🐘🐊", ""}, // 15 code points
		{strings.Repeat("ab cd ef gh ", 5) + "ijkl", ""},
		{strings.Repeat("y", 1025), "password_too_long"},
		{"correct horse battery staple", ""},
		{"  Violet Tractor Mirrors  ", ""},
		{"passwordpassword", "password_too_common"},
		{"bureaubureau123456", "password_too_common"},
		{"northwindpassword123", "password_too_common"},
		{"NorthwindAutomation!", "password_too_common"},
		{"annowner1234567890", "password_too_common"},
		{"aaaaaaaaaaaaaaaaaaaa", "password_too_common"},
		{"123456789012345678", "password_too_common"},
		{"qwertyuiop123456789", "password_too_common"},
		{"iloveyou-iloveyou", "password_too_common"},
	}
	for _, tt := range tests {
		fe := CheckPassword("password", tt.pw, ctx...)
		got := ""
		if fe != nil {
			got = fe.Code
		}
		if got != tt.code {
			t.Errorf("%q: got %q, want %q", tt.pw, got, tt.code)
		}
	}
}

func FuzzCheckPassword(f *testing.F) {
	f.Add("correct horse battery staple", "acme")
	f.Add("northwindpassword123", "northwind")
	f.Fuzz(func(t *testing.T, pw, ctx string) {
		fe := CheckPassword("password", pw, ctx)
		if fe == nil && len([]rune(pw)) < MinPasswordRunes {
			t.Fatalf("accepted a short password %q", pw)
		}
	})
}

func TestLimiter(t *testing.T) {
	l := NewLimiter()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		if ok, _ := l.Allow("k", "ip", now); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	ok, wait := l.Allow("k", "ip", now)
	if ok || wait != 30*time.Second {
		t.Fatalf("6th: ok=%v wait=%s", ok, wait)
	}
	now = now.Add(30 * time.Second)
	if ok, _ := l.Allow("k", "ip", now); !ok {
		t.Fatal("after the wait")
	}
	if ok, wait := l.Allow("k", "ip", now); ok || wait != time.Minute {
		t.Fatalf("the delay doubles: ok=%v wait=%s", ok, wait)
	}
	// The delay is capped: never a permanent lockout.
	for i := 0; i < 40; i++ {
		now = now.Add(15 * time.Minute)
		l.Allow("k", "ip2", now)
	}
	if _, wait := l.Allow("k", "ip3", now); wait > 15*time.Minute {
		t.Fatalf("delay %s above the cap", wait)
	}
	l.Reset("k")
	if ok, _ := l.Allow("k", "ip4", now); !ok {
		t.Fatal("reset")
	}
}

func TestLimiterPerIP(t *testing.T) {
	l := NewLimiter()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 30; i++ {
		if ok, _ := l.Allow(strings.Repeat("k", i+1), "203.0.113.9", now); !ok {
			t.Fatalf("attempt %d from one IP refused", i+1)
		}
	}
	if ok, wait := l.Allow("fresh", "203.0.113.9", now); ok || wait <= 0 {
		t.Fatal("an IP spraying many emails is limited")
	}
	if ok, _ := l.Allow("fresh", "203.0.113.10", now); !ok {
		t.Fatal("another IP is not")
	}
	if ok, _ := l.Allow("fresh2", "203.0.113.9", now.Add(6*time.Second)); !ok {
		t.Fatal("the bucket refills")
	}
}

func BenchmarkHashPassword(b *testing.B) {
	h := NewHasher(DefaultParams, 0)
	for b.Loop() {
		if _, err := h.Hash("a perfectly fine passphrase"); err != nil {
			b.Fatal(err)
		}
	}
}
