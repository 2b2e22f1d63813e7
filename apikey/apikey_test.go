package apikey

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/store"
	"bureau/store/storetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var (
	bg    = context.Background()
	actor = audit.Actor{Kind: audit.ActorUser, ID: "u1", Email: "aa@acme.example"}
)

func newService(t *testing.T) (*Service, *store.DB, *clock) {
	t.Helper()
	db := storetest.Open(t,
		`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ('t1','firm','Firm','','')`,
		`INSERT INTO accounts (id, tenant_id, slug, name, created_at, updated_at) VALUES ('a1','t1','acme','Acme','',''), ('a2','t1','beta','Beta','','')`,
		`INSERT INTO users (id, email, name, created_at, updated_at) VALUES ('u1','aa@acme.example','Ada Admin','','')`)
	clk := &clock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	return &Service{DB: db, Now: clk.Now}, db, clk
}

// KEY-01: every key has the documented shape and a valid checksum, 10,000
// keys are all different, and a one-character change fails the checksum.
func TestKeyFormatAndUniqueness(t *testing.T) {
	keys, prefixes := map[string]bool{}, map[string]bool{}
	for range 10000 {
		key, prefix, err := generate()
		if err != nil {
			t.Fatal(err)
		}
		got, ok := parse(key)
		if !ok || got != prefix || len(key) != 65 || !strings.HasPrefix(key, "bur_") || !Pattern.MatchString(key) {
			t.Fatalf("key %q (prefix %q): parse %q %v", key, prefix, got, ok)
		}
		if keys[key] {
			t.Fatalf("duplicate key %q", key)
		}
		keys[key], prefixes[prefix] = true, true
	}
	if len(prefixes) < 9990 {
		t.Errorf("only %d distinct prefixes in 10,000 keys", len(prefixes))
	}
	key, _, _ := generate()
	for _, bad := range []string{
		key[:20] + flip(key[20]) + key[21:],      // a typo in the secret
		key[:len(key)-1] + flip(key[len(key)-1]), // a typo in the checksum
		"bur_" + strings.Repeat("a", 61),
		strings.Replace(key, "bur_", "bor_", 1),
		key + "x", "", "Bearer " + key,
	} {
		if _, ok := parse(bad); ok {
			t.Errorf("parse accepted %q", bad)
		}
	}
}

func flip(c byte) string {
	if c == 'a' {
		return "b"
	}
	return "a"
}

func TestCreateValidatesAndShowsKeyOnce(t *testing.T) {
	s, db, _ := newService(t)
	days := 0
	_, err := s.Create(bg, actor, "t1", "a1", CreateInput{Name: "  ", ExpiresInDays: &days})
	e, ok := apperr.As(err)
	if !ok || e.Code != "validation_failed" || len(e.Fields) != 2 {
		t.Fatalf("got %v", err)
	}
	_, err = s.Create(bg, actor, "t1", "a1", CreateInput{Name: strings.Repeat("n", 81)})
	if apperr.CodeOf(err) != "name_invalid" {
		t.Fatalf("long name: %v", err)
	}
	days = 30
	c, err := s.Create(bg, actor, "t1", "a1", CreateInput{Name: " Nightly export ", ExpiresInDays: &days})
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Nightly export" || !strings.HasPrefix(c.Key, c.Prefix+"_") || c.Status != "active" || c.CreatedBy.Name != "Ada Admin" ||
		!c.ExpiresAt.Equal(s.Now().AddDate(0, 0, 30)) {
		t.Fatalf("created: %+v", c)
	}
	var stored string
	if err := db.R.QueryRow(`SELECT hash FROM api_keys WHERE id = ?`, c.ID).Scan(&stored); err != nil || stored != hashKey(c.Key) {
		t.Fatalf("stored hash %q, %v", stored, err)
	}
	list, next, err := s.List(bg, "a1", 50, "")
	if err != nil || len(list) != 1 || next != "" || list[0].ID != c.ID {
		t.Fatalf("list: %+v %q %v", list, next, err)
	}
	if other, _, _ := s.List(bg, "a2", 50, ""); len(other) != 0 {
		t.Errorf("another account lists %d keys", len(other))
	}
	if _, err := s.Deactivate(bg, actor, "t1", "a2", c.ID); apperr.CodeOf(err) != "not_found" {
		t.Errorf("deactivate from another account: %v", err)
	}
}

// KEY-06: a hundred uses within a second write last_used_at once; the next
// write comes only after the interval.
func TestLastUsedWrittenAtMostOncePerInterval(t *testing.T) {
	s, db, clk := newService(t)
	c, err := s.Create(bg, actor, "t1", "a1", CreateInput{Name: "feed"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Authenticate(bg, c.Key, "10.0.0.1"); err != nil {
				t.Error(err)
			}
		}()
		if i%10 == 0 {
			clk.Advance(100 * time.Millisecond)
		}
	}
	wg.Wait()
	if n := s.touches.Load(); n != 1 {
		t.Fatalf("%d last_used_at writes for 100 calls in one second, want 1", n)
	}
	var used, ip string
	if err := db.R.QueryRow(`SELECT last_used_at, last_used_ip FROM api_keys WHERE id = ?`, c.ID).Scan(&used, &ip); err != nil || ip != "10.0.0.1" {
		t.Fatalf("last_used_at %q ip %q: %v", used, ip, err)
	}
	clk.Advance(59 * time.Second)
	s.Authenticate(bg, c.Key, "10.0.0.1")
	clk.Advance(2 * time.Second)
	s.Authenticate(bg, c.Key, "10.0.0.2")
	if n := s.touches.Load(); n != 2 {
		t.Errorf("%d writes after a minute, want 2", n)
	}
}

// Each key has its own bucket: one key spending its budget leaves another
// untouched, and the wait is announced.
func TestLimiterPerKey(t *testing.T) {
	clk := &clock{t: time.Unix(0, 0)}
	l := NewLimiter(10, 20, clk.Now)
	for i := range 20 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait != 100*time.Millisecond {
		t.Fatalf("21st: %v, wait %s", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another key was refused")
	}
	clk.Advance(100 * time.Millisecond)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("no token after the refill time")
	}
}

// KEY-10: expiry is audited once, by the sweep, without the key.
func TestExpiryIsAuditedOnce(t *testing.T) {
	s, db, clk := newService(t)
	one := 1
	c, err := s.Create(bg, actor, "t1", "a1", CreateInput{Name: "short", ExpiresInDays: &one})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.RecordExpired(bg); err != nil || n != 0 {
		t.Fatalf("before expiry: %d %v", n, err)
	}
	clk.Advance(25 * time.Hour)
	if _, err := s.Authenticate(bg, c.Key, ""); apperr.CodeOf(err) != "invalid_api_key" {
		t.Fatalf("expired key: %v", err)
	}
	for want := 1; want >= 0; want-- {
		if n, err := s.RecordExpired(bg); err != nil || n != want {
			t.Fatalf("sweep: %d %v, want %d", n, err, want)
		}
	}
	var n int
	db.R.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = 'apikey.expire' AND target_id = ?`, c.ID).Scan(&n)
	if n != 1 {
		t.Errorf("apikey.expire events: %d", n)
	}
	db.R.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE details LIKE '%' || ? || '%'`, c.Key[13:40]).Scan(&n)
	if n != 0 {
		t.Errorf("the key is in %d audit events", n)
	}
}
