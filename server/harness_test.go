package server

import (
	"bureau/connection"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"bureau/account"
	"bureau/apikey"
	"bureau/auth"
	"bureau/config"
	"bureau/mail"
	"bureau/people"
	"bureau/policy"
	"bureau/runs"
	"bureau/secret"
	"bureau/sso"
	"bureau/store"
	"bureau/syncer"
	"bureau/tenant"
)

// testLicenseKey signs the licenses tests upload; the server trusts it.
var testLicenseKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))

// cheapParams keep tests fast; TestPasswordHashParams checks the real ones.
var cheapParams = auth.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

const testBase = "http://bureau.test"

// clock is a settable time source for expiry tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type env struct {
	t     *testing.T
	srv   *Server
	db    *store.DB
	clock *clock
	path  string
	logs  *bytes.Buffer
	// syncer runs POST …/sync; tests may set its NewProvider first.
	syncer *syncer.Syncer
}

type cfgT = config.Config

type envOption func(*config.Config)

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	cfg := config.Defaults()
	cfg.BaseURL = testBase
	for _, o := range opts {
		o(&cfg)
	}
	return newEnvFrom(t, nil, cfg)
}

// newEnvFrom starts a server on a copy of the database file image (nil: a
// new database).
func newEnvFrom(t *testing.T, image []byte, cfg config.Config) *env {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bureau.db")
	if image != nil {
		if err := os.WriteFile(path, image, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	pol, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	sessions := &auth.Sessions{DB: db, Now: clk.Now, Idle: cfg.Session.IdleTimeout, Absolute: cfg.Session.AbsoluteTimeout}
	svc := &auth.Service{DB: db, Hasher: auth.NewHasher(cheapParams, 0), Limiter: auth.NewLimiter(), ResetLimiter: auth.NewResetLimiter(), Sessions: sessions, Now: clk.Now}
	logs := &bytes.Buffer{}
	web := fstest.MapFS{
		"index.html":           {Data: []byte("<!doctype html><title>Bureau test</title>")},
		"assets/app-1a2b3c.js": {Data: []byte("console.log('bureau')")},
		"favicon.svg":          {Data: []byte("<svg/>")},
	}
	accounts := &account.Service{DB: db, Now: clk.Now, LicenseKey: testLicenseKey.Public().(ed25519.PublicKey)}
	tenants := &tenant.Service{DB: db, Now: clk.Now, LicenseKey: testLicenseKey.Public().(ed25519.PublicKey)}
	mailer, err := mail.New(mail.FromConfig(cfg.SMTP), nil, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	peopleSvc := &people.Service{DB: db, Hasher: svc.Hasher, Limiter: svc.Limiter, Now: clk.Now}
	box, err := secret.NewBox(bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	ssoSvc := &sso.Service{DB: db, Box: box, Now: clk.Now}
	connections := &connection.Service{DB: db, Box: box, Now: clk.Now}
	runsSvc := &runs.Service{DB: db, Connections: connections, Now: clk.Now}
	keys := &apikey.Service{DB: db, Now: clk.Now}
	syncSvc := &syncer.Syncer{DB: db, Connections: connections, Now: clk.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	t.Cleanup(func() { // before the database closes: cleanups run last-in first-out
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = syncSvc.Stop(ctx)
	})
	srv, err := New(Deps{Syncer: syncSvc, Runs: runsSvc, APIKeys: keys, Connections: connections, Config: cfg, DB: db, Policy: pol, Auth: svc, Accounts: accounts, Tenants: tenants, Web: web, Now: clk.Now,
		People: peopleSvc, SSO: ssoSvc, Flow: &sso.Flow{Settings: ssoSvc, BaseURL: cfg.BaseURL}, Mailer: mailer,
		Log: slog.New(slog.NewJSONHandler(&lockedWriter{w: logs}, nil)), CSRFKey: []byte("test-csrf-key-0123456789abcdef!!")})
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, srv: srv, db: db, clock: clk, path: path, logs: logs, syncer: syncSvc}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// resp is a finished response with its body read.
type resp struct {
	*http.Response
	body []byte
}

func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, r.body)
	}
	return m
}

func (r resp) code(t *testing.T) string {
	t.Helper()
	c, _ := r.json(t)["code"].(string)
	return c
}

// client is a browser-like caller: it keeps the session cookie and CSRF
// token and sends a same-origin Origin header, unless told otherwise.
// Through app.Test every request comes from one peer address; tests of
// client IPs use a real socket (TestClientIPFromTrustedProxyOnly).
type client struct {
	e      *env
	cookie string
	csrf   string
}

func (e *env) client() *client { return &client{e: e} }

type reqOpt func(*http.Request)

func header(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }

func (c *client) do(method, path string, body any, opts ...reqOpt) resp {
	c.e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if method != http.MethodGet {
		req.Header.Set("Origin", testBase)
		if c.csrf != "" {
			req.Header.Set("X-CSRF-Token", c.csrf)
		}
	}
	if c.cookie != "" {
		req.Header.Set("Cookie", "bureau_session="+c.cookie)
	}
	for _, o := range opts {
		o(req)
	}
	res, err := c.e.srv.App.Test(req, -1)
	if err != nil {
		c.e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	for _, ck := range res.Cookies() {
		if ck.Name == "bureau_session" {
			c.cookie = ck.Value
		}
	}
	var m map[string]any
	if json.Unmarshal(data, &m) == nil {
		if tok, ok := m["csrf_token"].(string); ok {
			c.csrf = tok
		}
	}
	return resp{Response: res, body: data}
}

const ownerPassword = "violet tractor mirrors seventeen"

func validSetup() tenant.SetupInput {
	return tenant.SetupInput{
		TenantName: "Northwind Automation", TenantSlug: "northwind",
		OwnerName: "Ann Owner", OwnerEmail: "ann@northwind.example", OwnerPassword: ownerPassword,
		AccountName: "Acme Corporation", AccountSlug: "acme",
	}
}

// setUp runs setup through the API and returns the signed-in owner.
func (e *env) setUp() *client {
	e.t.Helper()
	c := e.client()
	if r := c.do("POST", "/api/v1/setup", validSetup()); r.StatusCode != 201 {
		e.t.Fatalf("setup: %d %s", r.StatusCode, r.body)
	}
	return c
}

// login signs a new client in and fails the test if that does not work.
func (e *env) login(email, password string) *client {
	e.t.Helper()
	c := e.client()
	if r := c.do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password}); r.StatusCode != 200 {
		e.t.Fatalf("login %s: %d %s", email, r.StatusCode, r.body)
	}
	return c
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.R.QueryRow(query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// lastLinkToken is the token of the newest link in the outbox: how an
// evaluator without SMTP gets to an invitation.
func (e *env) lastLinkToken() string {
	e.t.Helper()
	var link string
	if err := e.db.R.QueryRow(`SELECT link FROM outbox WHERE link != '' ORDER BY created_at DESC, id DESC LIMIT 1`).Scan(&link); err != nil {
		e.t.Fatal(err)
	}
	return link[strings.LastIndexByte(link, '/')+1:]
}
