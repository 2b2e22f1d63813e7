package server

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"bureau/auth"
	"bureau/store"
)

// addPerson creates a user with a membership directly in the store. An empty
// password leaves the person without one (a pending invitee); an empty
// accountSlug makes them staff.
func (e *env) addPerson(email, password, role, accountSlug string) string {
	e.t.Helper()
	var tenantID string
	if err := e.db.R.QueryRow(`SELECT id FROM tenants ORDER BY created_at LIMIT 1`).Scan(&tenantID); err != nil {
		e.t.Fatal(err)
	}
	var hash any
	if password != "" {
		h, err := e.srv.Auth.Hasher.Hash(password)
		if err != nil {
			e.t.Fatal(err)
		}
		hash = h
	}
	id, now := store.NewID(), store.Time(e.clock.Now())
	_, err := e.db.W.Exec(`INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		id, email, "Person "+email, hash, now, now)
	if err != nil {
		e.t.Fatal(err)
	}
	var account any
	if accountSlug != "" {
		var aid string
		if err := e.db.R.QueryRow(`SELECT id FROM accounts WHERE tenant_id = ? AND slug = ?`, tenantID, accountSlug).Scan(&aid); err != nil {
			e.t.Fatal(err)
		}
		account = aid
	}
	_, err = e.db.W.Exec(`INSERT INTO memberships (id, tenant_id, user_id, account_id, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, store.NewID(), tenantID, id, account, role, now, now)
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

func (e *env) exec(query string, args ...any) {
	e.t.Helper()
	if _, err := e.db.W.Exec(query, args...); err != nil {
		e.t.Fatal(err)
	}
}

func TestLoginSucceedsAndMeShowsTheMembership(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	c := e.client()
	r := c.do("POST", "/api/v1/auth/login", map[string]string{"email": "ANN@northwind.example", "password": ownerPassword})
	if r.StatusCode != 200 {
		t.Fatalf("login: %d %s", r.StatusCode, r.body)
	}
	if c.csrf == "" {
		t.Fatal("login answer carries no csrf_token")
	}
	me := c.do("GET", "/api/v1/me", nil).json(t)
	if me["user"].(map[string]any)["email"] != "ann@northwind.example" {
		t.Errorf("me: %v", me["user"])
	}
	perms := me["permissions"].([]any)
	if len(perms) == 0 {
		t.Error("a Tenant Admin has permissions")
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_events WHERE action = 'auth.login' AND outcome = 'success'`); n < 2 {
		t.Errorf("sign-ins audited: %d", n)
	}
}

// AUTH-07: unknown email, wrong password, a member of a deactivated account
// and a pending invitee get byte-identical answers.
func TestLoginFailuresAreIdentical(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	e.addPerson("dora@acme.example", "deactivated but right password", "account_admin", "acme")
	e.exec(`UPDATE accounts SET status = 'deactivated' WHERE slug = 'acme'`)
	e.addPerson("pete@acme.example", "", "client", "acme")

	attempts := map[string][2]string{
		"unknown email":       {"nobody@northwind.example", ownerPassword},
		"wrong password":      {"ann@northwind.example", "wrong password, really wrong"},
		"deactivated account": {"dora@acme.example", "deactivated but right password"},
		"pending invitee":     {"pete@acme.example", "anything at all goes here"},
	}
	var first []byte
	for name, cred := range attempts {
		c := e.client()
		r := c.do("POST", "/api/v1/auth/login", map[string]string{"email": cred[0], "password": cred[1]})
		if r.StatusCode != 401 || r.code(t) != "invalid_credentials" {
			t.Fatalf("%s: %d %s", name, r.StatusCode, r.body)
		}
		if first == nil {
			first = r.body
		} else if !bytes.Equal(first, r.body) {
			t.Errorf("%s: body differs:\n%s\n%s", name, first, r.body)
		}
		if c.cookie != "" {
			t.Errorf("%s: a failed login set a session cookie", name)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_events WHERE action = 'auth.login' AND outcome = 'failure'`); n < 3 {
		t.Errorf("failed sign-ins of known people are audited: %d", n)
	}
	if strings.Contains(e.logs.String(), "wrong password, really wrong") {
		t.Error("a password reached the log (AUTH-13)")
	}
}

// AUTH-08: five attempts, then 429 with Retry-After; after the wait the
// right password works and resets the counter.
func TestLoginRateLimited(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	c := e.client()
	bad := map[string]string{"email": "ann@northwind.example", "password": "not the password at all"}
	for i := 1; i <= 5; i++ {
		if r := c.do("POST", "/api/v1/auth/login", bad); r.StatusCode != 401 {
			t.Fatalf("attempt %d: %d", i, r.StatusCode)
		}
	}
	r := c.do("POST", "/api/v1/auth/login", bad)
	if r.StatusCode != 429 || r.code(t) != "rate_limited" {
		t.Fatalf("6th attempt: %d %s", r.StatusCode, r.body)
	}
	wait, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || wait < 1 {
		t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	// Even the right password waits.
	good := map[string]string{"email": "ann@northwind.example", "password": ownerPassword}
	if r := c.do("POST", "/api/v1/auth/login", good); r.StatusCode != 429 {
		t.Fatalf("right password while locked: %d", r.StatusCode)
	}
	e.clock.Advance(time.Duration(wait) * time.Second)
	if r := c.do("POST", "/api/v1/auth/login", good); r.StatusCode != 200 {
		t.Fatalf("after the wait: %d %s", r.StatusCode, r.body)
	}
	// Another email from the same IP was never limited by this one's failures.
	other := e.client()
	if r := other.do("POST", "/api/v1/auth/login", map[string]string{"email": "x@northwind.example", "password": "p"}); r.StatusCode != 401 {
		t.Fatalf("other email: %d", r.StatusCode)
	}
}

func TestLoginBurstCannotExceedLimit(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	var wg sync.WaitGroup
	var mu sync.Mutex
	counts := map[int]int{}
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.client().do("POST", "/api/v1/auth/login", map[string]string{"email": "ann@northwind.example", "password": "guess guess guess guess"})
			mu.Lock()
			counts[r.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if counts[401] != 5 || counts[429] != 5 {
		t.Fatalf("statuses %v: want exactly 5 checked, 5 refused", counts)
	}
}

// SES-02: cookie attributes on plain http and on https installs.
func TestSessionCookieAttributes(t *testing.T) {
	e := newEnv(t)
	r := e.client().do("POST", "/api/v1/setup", validSetup())
	raw := r.Header.Get("Set-Cookie")
	for _, want := range []string{"bureau_session=", "HttpOnly", "SameSite=Strict", "path=/"} {
		if !strings.Contains(raw, want) {
			t.Errorf("cookie %q lacks %s", raw, want)
		}
	}
	if strings.Contains(strings.ToLower(raw), "domain=") {
		t.Errorf("cookie has a Domain: %q", raw)
	}

	secure := newEnv(t, func(c *cfgT) { c.BaseURL = "https://bureau.example" })
	c := secure.client()
	r = c.do("POST", "/api/v1/setup", validSetup(), header("Origin", "https://bureau.example"))
	raw = r.Header.Get("Set-Cookie")
	for _, want := range []string{"__Host-bureau_session=", "secure", "HttpOnly", "SameSite=Strict", "path=/"} {
		if !strings.Contains(raw, want) {
			t.Errorf("https cookie %q lacks %s", raw, want)
		}
	}
	if hsts := r.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=31536000") {
		t.Errorf("https install without HSTS: %q", hsts)
	}
	if len(raw) > 4096 {
		t.Errorf("cookie is %d bytes", len(raw))
	}
}

// SES-01: the database file never holds the cookie's token.
func TestSessionTokenNotInDatabase(t *testing.T) {
	e := newEnv(t)
	c := e.setUp()
	if c.cookie == "" {
		t.Fatal("no cookie")
	}
	if _, err := e.db.W.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(e.path + suffix)
		if err != nil && suffix == "" {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(c.cookie)) {
			t.Fatalf("the session token is in %s", e.path+suffix)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM sessions`); n != 1 {
		t.Fatalf("%d sessions", n)
	}
}

// SES-04: idle and absolute expiry, judged by the injected clock.
func TestSessionExpiry(t *testing.T) {
	e := newEnv(t)
	c := e.setUp()
	e.clock.Advance(29 * time.Minute)
	if r := c.do("GET", "/api/v1/me", nil); r.StatusCode != 200 {
		t.Fatalf("within idle: %d", r.StatusCode)
	}
	e.clock.Advance(31 * time.Minute)
	if r := c.do("GET", "/api/v1/me", nil); r.StatusCode != 401 || r.code(t) != "unauthenticated" {
		t.Fatalf("past idle: %d %s", r.StatusCode, r.body)
	}
	if n := e.count(`SELECT COUNT(*) FROM sessions`); n != 0 {
		t.Error("an expired session stays stored")
	}

	// Active every 10 minutes, the session still ends at 12 hours.
	c = e.login("ann@northwind.example", ownerPassword)
	for elapsed := time.Duration(0); elapsed < 12*time.Hour-10*time.Minute; elapsed += 10 * time.Minute {
		e.clock.Advance(10 * time.Minute)
		if r := c.do("GET", "/api/v1/me", nil); r.StatusCode != 200 {
			t.Fatalf("active at %s: %d", elapsed+10*time.Minute, r.StatusCode)
		}
	}
	e.clock.Advance(11 * time.Minute)
	if r := c.do("GET", "/api/v1/me", nil); r.StatusCode != 401 {
		t.Fatalf("past the absolute lifetime: %d", r.StatusCode)
	}
}

// SES-05: logout ends the session on the server and clears the browser.
func TestLogout(t *testing.T) {
	e := newEnv(t)
	c := e.setUp()
	token := c.cookie
	r := c.do("POST", "/api/v1/auth/logout", nil)
	if r.StatusCode != 204 {
		t.Fatalf("logout: %d %s", r.StatusCode, r.body)
	}
	if got := r.Header.Get("Clear-Site-Data"); got != `"cookies", "storage"` {
		t.Errorf("Clear-Site-Data %q", got)
	}
	c.cookie = token // replay the old cookie
	if r := c.do("GET", "/api/v1/me", nil); r.StatusCode != 401 {
		t.Fatalf("replayed cookie after logout: %d", r.StatusCode)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_events WHERE action = 'auth.logout'`); n != 1 {
		t.Errorf("logout audited %d times", n)
	}
}

// SES-03: signing in issues a new token and kills the one the browser had.
func TestLoginRotatesSession(t *testing.T) {
	e := newEnv(t)
	c := e.setUp()
	old := c.cookie
	if r := c.do("POST", "/api/v1/auth/login", map[string]string{"email": "ann@northwind.example", "password": ownerPassword}); r.StatusCode != 200 {
		t.Fatalf("login: %d %s", r.StatusCode, r.body)
	}
	if c.cookie == old {
		t.Fatal("login kept the old token")
	}
	stale := e.client()
	stale.cookie = old
	if r := stale.do("GET", "/api/v1/me", nil); r.StatusCode != 401 {
		t.Fatalf("old token after login: %d", r.StatusCode)
	}
}

// ISO-11: role and account status are read per request.
func TestDeactivationTakesEffectOnNextRequest(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	e.addPerson("aa@acme.example", "acme admin long password", "account_admin", "acme")
	c := e.login("aa@acme.example", "acme admin long password")
	if r := c.do("GET", "/api/v1/accounts/acme", nil); r.StatusCode != 200 {
		t.Fatalf("before: %d", r.StatusCode)
	}
	e.exec(`UPDATE accounts SET status = 'deactivated' WHERE slug = 'acme'`)
	if r := c.do("GET", "/api/v1/accounts/acme", nil); r.StatusCode != 404 {
		t.Fatalf("after deactivation: %d", r.StatusCode)
	}
	me := c.do("GET", "/api/v1/me", nil).json(t)
	if role := me["membership"].(map[string]any)["role"]; role != nil {
		t.Errorf("role after deactivation: %v", role)
	}
	if perms := me["permissions"].([]any); len(perms) != 0 {
		t.Errorf("permissions after deactivation: %v", perms)
	}
}

func TestPurgeExpiredSessions(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	e.login("ann@northwind.example", ownerPassword)
	e.clock.Advance(time.Hour)
	n, err := e.srv.Auth.Sessions.PurgeExpired(context.Background())
	if err != nil || n != 2 {
		t.Fatalf("purged %d, %v", n, err)
	}
}

// AUTH-02: signing in with a hash of weaker parameters stores a new one.
func TestLoginRehashesWeakHash(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	weak := auth.NewHasher(auth.Params{Memory: 512, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}, 0)
	h, _ := weak.Hash(ownerPassword)
	e.exec(`UPDATE users SET password_hash = ? WHERE email = 'ann@northwind.example'`, h)
	e.login("ann@northwind.example", ownerPassword)
	var stored string
	if err := e.db.R.QueryRow(`SELECT password_hash FROM users WHERE email = 'ann@northwind.example'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stored, "m=1024,t=1") {
		t.Fatalf("hash not upgraded: %s", stored)
	}
	e.login("ann@northwind.example", ownerPassword)
}

// Naming a tenant in the login body does not reset the email's counter.
func TestLoginLimitIgnoresTenantField(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	c := e.client()
	for i := 0; i < 5; i++ {
		c.do("POST", "/api/v1/auth/login", map[string]string{"email": "ann@northwind.example", "password": "wrong wrong wrong wrong", "tenant": fmt.Sprint("t", i)})
	}
	r := c.do("POST", "/api/v1/auth/login", map[string]string{"email": "ann@northwind.example", "password": ownerPassword, "tenant": "northwind"})
	if r.StatusCode != 429 {
		t.Fatalf("after 5 failures across tenant names: %d", r.StatusCode)
	}
}

// AUTH-09: X-Forwarded-For counts only from a configured proxy. This runs
// over a real socket, since the peer address is what decides.
func TestClientIPFromTrustedProxyOnly(t *testing.T) {
	for _, tt := range []struct {
		trusted []string
		want    string
	}{
		{nil, "127.0.0.1"},
		{[]string{"10.9.9.9"}, "127.0.0.1"},
		{[]string{"127.0.0.1"}, "203.0.113.8"},
	} {
		e := newEnv(t, func(c *cfgT) { c.HTTP.TrustedProxies = tt.trusted })
		e.setUp()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = e.srv.App.Listener(ln) }()
		body := strings.NewReader(`{"email":"ann@northwind.example","password":"` + ownerPassword + `"}`)
		req, _ := http.NewRequest("POST", "http://"+ln.Addr().String()+"/api/v1/auth/login", body)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", testBase)
		req.Header.Set("X-Forwarded-For", "203.0.113.8")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		_ = e.srv.App.Shutdown()
		if res.StatusCode != 200 {
			t.Fatalf("login: %d", res.StatusCode)
		}
		var ip string
		if err := e.db.R.QueryRow(`SELECT ip FROM audit_events WHERE action = 'auth.login' ORDER BY seq DESC LIMIT 1`).Scan(&ip); err != nil {
			t.Fatal(err)
		}
		if ip != tt.want {
			t.Errorf("trusted %v: audited IP %s, want %s", tt.trusted, ip, tt.want)
		}
	}
}
