package server

import (
	"strings"
	"testing"
)

// CSRF-01, CSRF-04: state-changing requests from other sites are refused,
// login included; same-origin ones pass.
func TestCrossSiteRequestsRefused(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	login := map[string]string{"email": "ann@northwind.example", "password": ownerPassword}
	tests := []struct {
		name   string
		c      *client
		path   string
		body   any
		opts   []reqOpt
		status int
		code   string
	}{
		{"login from another site (Sec-Fetch-Site)", e.client(), "/api/v1/auth/login", login,
			[]reqOpt{header("Sec-Fetch-Site", "cross-site")}, 403, "csrf_rejected"},
		{"login from another origin", e.client(), "/api/v1/auth/login", login,
			[]reqOpt{header("Origin", "https://evil.example")}, 403, "csrf_rejected"},
		{"login with neither header", e.client(), "/api/v1/auth/login", login,
			[]reqOpt{header("Origin", "")}, 403, "csrf_rejected"},
		{"same-site but not same-origin", e.client(), "/api/v1/auth/login", login,
			[]reqOpt{header("Sec-Fetch-Site", "same-site")}, 403, "csrf_rejected"},
		{"logout with the cookie but no token", &client{e: e, cookie: owner.cookie}, "/api/v1/auth/logout", nil,
			nil, 403, "csrf_rejected"},
		{"logout with a wrong token", &client{e: e, cookie: owner.cookie, csrf: "forged"}, "/api/v1/auth/logout", nil,
			nil, 403, "csrf_rejected"},
		{"logout with another session's token", &client{e: e, cookie: owner.cookie, csrf: e.login("ann@northwind.example", ownerPassword).csrf},
			"/api/v1/auth/logout", nil, nil, 403, "csrf_rejected"},
		{"login as text/plain (CSRF-02)", e.client(), "/api/v1/auth/login", `{"email":"a","password":"b"}`,
			[]reqOpt{header("Content-Type", "text/plain")}, 415, "unsupported_media_type"},
		{"same-origin login by Sec-Fetch-Site", e.client(), "/api/v1/auth/login", login,
			[]reqOpt{header("Sec-Fetch-Site", "same-origin"), header("Origin", "")}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.c.do("POST", tt.path, tt.body, tt.opts...)
			if r.StatusCode != tt.status {
				t.Fatalf("got %d %s, want %d", r.StatusCode, r.body, tt.status)
			}
			if tt.code != "" && r.code(t) != tt.code {
				t.Fatalf("code %q, want %q", r.code(t), tt.code)
			}
		})
	}
	// The owner's session survived every refused logout.
	if r := owner.do("GET", "/api/v1/me", nil); r.StatusCode != 200 {
		t.Fatalf("owner session: %d", r.StatusCode)
	}
}

// CSRF-05: no CORS, ever.
func TestNoCORS(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, m := range []string{"GET", "OPTIONS"} {
		r := c.do(m, "/api/v1/setup", nil, header("Origin", "https://evil.example"))
		if got := r.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s: Access-Control-Allow-Origin %q", m, got)
		}
	}
}

// OPS-01, ISO-14: malformed bodies get problem+json, never a 500.
func TestBadJSONIsProblem(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	tests := []struct {
		name, body, code string
		status           int
	}{
		{"not JSON", `{"tenant_name": `, "invalid_json", 400},
		{"an array", `[1,2,3]`, "invalid_json", 400},
		{"empty", ``, "invalid_json", 400},
		{"wrong type", `{"tenant_name": 42}`, "invalid_json", 400},
		{"unknown field", `{"tenant_name":"X","tenant_id":"other"}`, "unknown_field", 400},
		{"two objects", `{} {}`, "invalid_json", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.do("POST", "/api/v1/setup", tt.body, header("Content-Type", "application/json"))
			if r.StatusCode != tt.status || r.code(t) != tt.code {
				t.Fatalf("got %d %s", r.StatusCode, r.body)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
			p := r.json(t)
			for _, k := range []string{"type", "title", "status", "detail", "code"} {
				if _, ok := p[k]; !ok {
					t.Errorf("problem lacks %q: %s", k, r.body)
				}
			}
		})
	}
	if n := e.count("SELECT COUNT(*) FROM tenants"); n != 0 {
		t.Fatal("a bad body wrote something")
	}
}

func TestUnknownFieldNamesTheField(t *testing.T) {
	e := newEnv(t)
	r := e.client().do("POST", "/api/v1/auth/login", `{"email":"a@b.c","password":"x","role":"tenant_admin"}`)
	if r.StatusCode != 400 || r.code(t) != "unknown_field" || !strings.Contains(string(r.body), `"role"`) {
		t.Fatalf("%d %s", r.StatusCode, r.body)
	}
}

// The web app: deep links get index.html, assets are cached long, a missing
// asset is a 404, and /api/* is never HTML.
func TestSPAAndAPIFallbacks(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, path := range []string{"/", "/login", "/acme/settings", "/accounts/acme/jobs?state=faulted"} {
		r := c.do("GET", path, nil)
		if r.StatusCode != 200 || !strings.Contains(string(r.body), "Bureau test") {
			t.Errorf("%s: %d %s", path, r.StatusCode, r.body)
		}
		if ct := r.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: content type %q", path, ct)
		}
		if cc := r.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("%s: index cache-control %q", path, cc)
		}
	}
	r := c.do("GET", "/assets/app-1a2b3c.js", nil)
	if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("asset: %d %q", r.StatusCode, r.Header.Get("Cache-Control"))
	}
	if ct := r.Header.Get("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("asset content type %q", ct)
	}
	if r := c.do("GET", "/assets/missing-123.js", nil); r.StatusCode != 404 || strings.Contains(string(r.body), "<title>") {
		t.Errorf("missing asset: %d %s", r.StatusCode, r.body)
	}
	for _, path := range []string{"/api/v1/nope", "/api/v2/accounts", "/api/", "/api/v1/accounts/acme/unknown"} {
		r := c.do("GET", path, nil)
		if r.StatusCode != 404 || r.Header.Get("Content-Type") != "application/problem+json" || r.code(t) != "not_found" {
			t.Errorf("%s: %d %q %s", path, r.StatusCode, r.Header.Get("Content-Type"), r.body)
		}
	}
	if r := c.do("DELETE", "/api/v1/setup", nil); r.StatusCode != 404 || r.code(t) != "not_found" {
		t.Errorf("unrouted method: %d %s", r.StatusCode, r.body)
	}
	if r := c.do("GET", "/%2e%2e/%2e%2e/etc/passwd", nil); strings.Contains(string(r.body), "root:") {
		t.Error("path traversal")
	}
}

// HDR-01, HDR-02, HDR-04: headers on HTML, API and asset responses.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, path := range []string{"/", "/api/v1/setup", "/assets/app-1a2b3c.js", "/api/v1/nope"} {
		r := c.do("GET", path, nil)
		want := map[string]string{
			"X-Content-Type-Options":       "nosniff",
			"Referrer-Policy":              "no-referrer",
			"Cross-Origin-Opener-Policy":   "same-origin",
			"Cross-Origin-Resource-Policy": "same-origin",
			"X-Frame-Options":              "DENY",
		}
		for k, v := range want {
			if got := r.Header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", path, k, got, v)
			}
		}
		csp := r.Header.Get("Content-Security-Policy")
		for _, d := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("%s: CSP lacks %s", path, d)
			}
		}
		if strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
			t.Errorf("%s: inline scripts allowed", path)
		}
		if r.Header.Get("Server") != "" || r.Header.Get("X-Powered-By") != "" {
			t.Errorf("%s: server banner", path)
		}
		if strings.HasPrefix(path, "/api/") && r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, r.Header.Get("Cache-Control"))
		}
		if r.Header.Get("X-Request-ID") == "" {
			t.Errorf("%s: no request id", path)
		}
	}
	if hsts := c.do("GET", "/", nil).Header.Get("Strict-Transport-Security"); hsts != "" {
		t.Errorf("plain-http install sends HSTS: %q", hsts)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	if r := c.do("GET", "/healthz", nil); r.StatusCode != 200 || strings.Contains(string(r.body), "version") {
		t.Errorf("healthz: %d %s", r.StatusCode, r.body)
	}
	if r := c.do("GET", "/readyz", nil); r.StatusCode != 200 {
		t.Errorf("readyz: %d %s", r.StatusCode, r.body)
	}
	e.srv.draining.Store(true)
	if r := c.do("GET", "/readyz", nil); r.StatusCode != 503 || r.code(t) != "not_ready" {
		t.Errorf("readyz while draining: %d %s", r.StatusCode, r.body)
	}
}

func TestUnauthenticatedAPI(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	for _, path := range []string{"/api/v1/me", "/api/v1/accounts", "/api/v1/accounts/acme"} {
		r := e.client().do("GET", path, nil)
		if r.StatusCode != 401 || r.code(t) != "unauthenticated" {
			t.Errorf("%s: %d %s", path, r.StatusCode, r.body)
		}
	}
}

// The served OpenAPI document lists exactly the routes of routes.go.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t)
	doc := e.client().do("GET", "/api/v1/openapi.json", nil).json(t)
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi %v", doc["openapi"])
	}
	paths := doc["paths"].(map[string]any)
	n := 0
	for _, item := range paths {
		n += len(item.(map[string]any))
	}
	routes := e.srv.Routes()
	if n != len(routes) {
		t.Fatalf("document has %d operations, routes.go %d", n, len(routes))
	}
	for _, r := range routes {
		p := pathParam.ReplaceAllString(r.Path, "{$1}")
		op, ok := paths[p].(map[string]any)[strings.ToLower(r.Method)].(map[string]any)
		if !ok || op["x-permission"] != r.Perm || op["summary"] == "" {
			t.Errorf("%s %s: %v", r.Method, r.Path, op)
		}
	}
}
