package server

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"
)

// A real OIDC provider in the test process (mockoidc: discovery, authorize,
// token and userinfo endpoints, PKCE, signed ID tokens with the nonce).
func startOIDC(t *testing.T) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return m
}

func configureSSO(t *testing.T, owner *client, m *mockoidc.MockOIDC, domains ...string) {
	t.Helper()
	cfg := m.Config()
	r := owner.do("PUT", "/api/v1/tenant/sso", map[string]any{"issuer": cfg.Issuer, "client_id": cfg.ClientID,
		"client_secret": cfg.ClientSecret, "allowed_domains": domains,
		"group_roles": map[string]string{"bureau-admins": "tenant_admin", "bureau-consultants": "consultant"}})
	wantStatus(t, r, 200, "")
}

type ssoAttempt struct {
	binding  string // the bureau_oidc cookie
	callback string // where the provider sent the browser back
}

// ssoBegin starts a sign-in and walks the provider's authorize step.
func ssoBegin(t *testing.T, e *env, query ...string) ssoAttempt {
	t.Helper()
	res, err := e.srv.App.Test(httptest.NewRequest("GET", "/api/v1/auth/oidc/northwind/login"+strings.Join(query, ""), nil), -1)
	if err != nil || res.StatusCode != http.StatusFound {
		t.Fatalf("login: %v %v", res.StatusCode, err)
	}
	var a ssoAttempt
	for _, c := range res.Cookies() {
		if c.Name == "bureau_oidc" {
			a.binding = c.Value
			if c.SameSite != http.SameSiteLaxMode || !c.HttpOnly {
				t.Fatalf("binding cookie: %+v", c)
			}
		}
	}
	auth, _ := url.Parse(res.Header.Get("Location"))
	q := auth.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" ||
		q.Get("response_mode") == "form_post" { // OIDC-01, OIDC-02
		t.Fatalf("authorize URL lacks PKCE, nonce or state: %s", auth)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	pres, err := noRedirect.Get(auth.String())
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, pres.Body)
	pres.Body.Close()
	a.callback = pres.Header.Get("Location")
	if !strings.HasPrefix(a.callback, testBase+"/api/v1/auth/oidc/northwind/callback?") {
		t.Fatalf("provider redirect: %d %s", pres.StatusCode, a.callback)
	}
	return a
}

// ssoFinish delivers the callback with the binding cookie; it returns
// where Bureau sends the browser and the session cookie, if any.
func ssoFinish(t *testing.T, e *env, callback, binding string) (location, session string) {
	t.Helper()
	u, _ := url.Parse(callback)
	req := httptest.NewRequest("GET", u.RequestURI(), nil)
	if binding != "" {
		req.Header.Set("Cookie", "bureau_oidc="+binding)
	}
	res, err := e.srv.App.Test(req, -1)
	if err != nil || res.StatusCode != http.StatusFound {
		t.Fatalf("callback: %v %v", res.StatusCode, err)
	}
	for _, c := range res.Cookies() {
		if c.Name == "bureau_session" && c.Value != "" {
			session = c.Value
		}
	}
	return res.Header.Get("Location"), session
}

func (e *env) realClock() {
	e.clock.mu.Lock()
	e.clock.now = time.Now()
	e.clock.mu.Unlock()
}

func TestSSOSignIn(t *testing.T) {
	e := newEnv(t)
	e.realClock() // the provider signs tokens with the real time
	owner := e.setUp()
	m := startOIDC(t)
	configureSSO(t, owner, m, "northwind.example")

	// Unmapped groups: signed in at the provider, refused here.
	m.QueueUser(&mockoidc.MockUser{Subject: "sub-1", Email: "kim@northwind.example", Groups: []string{"sales"}})
	a := ssoBegin(t, e)
	if loc, sess := ssoFinish(t, e, a.callback, a.binding); sess != "" || !strings.Contains(loc, "sso_error=sso_no_role") {
		t.Fatalf("unmapped groups: %s", loc)
	}

	// A mapped group: a staff member is created just in time.
	m.QueueUser(&mockoidc.MockUser{Subject: "sub-1", Email: "kim@northwind.example", Groups: []string{"bureau-consultants"}})
	a = ssoBegin(t, e)
	loc, sess := ssoFinish(t, e, a.callback, a.binding)
	if loc != "/" || sess == "" {
		t.Fatalf("sign-in: %s", loc)
	}
	kim := &client{e: e, cookie: sess}
	me := kim.do("GET", "/api/v1/me", nil).json(t)
	if me["membership"].(map[string]any)["role"] != "consultant" || me["auth_method"] != "oidc" || me["user"].(map[string]any)["email"] != "kim@northwind.example" {
		t.Fatalf("me: %v", me)
	}
	// The state is single use: replaying the callback is refused.
	if loc, sess := ssoFinish(t, e, a.callback, a.binding); sess != "" || !strings.Contains(loc, "sso_error=sso_state_invalid") {
		t.Fatalf("replayed state: %s", loc)
	}

	// The subject decides: a changed email at the provider is the same
	// person, and a role change at the provider applies at the next login.
	m.QueueUser(&mockoidc.MockUser{Subject: "sub-1", Email: "kim.new@northwind.example", Groups: []string{"bureau-admins"}})
	a = ssoBegin(t, e)
	if _, sess := ssoFinish(t, e, a.callback, a.binding); sess == "" {
		t.Fatal("second sign-in")
	} else {
		me := (&client{e: e, cookie: sess}).do("GET", "/api/v1/me", nil).json(t)
		if me["user"].(map[string]any)["email"] != "kim@northwind.example" || me["membership"].(map[string]any)["role"] != "tenant_admin" {
			t.Fatalf("same person, new role: %v", me)
		}
	}
	if e.count(`SELECT COUNT(*) FROM users WHERE email LIKE 'kim%'`) != 1 {
		t.Fatal("a changed email created a second person")
	}

	// Another browser (no binding cookie, or another one) cannot finish.
	m.QueueUser(&mockoidc.MockUser{Subject: "sub-2", Email: "lee@northwind.example", Groups: []string{"bureau-consultants"}})
	a = ssoBegin(t, e)
	if loc, _ := ssoFinish(t, e, a.callback, ""); !strings.Contains(loc, "sso_state_invalid") {
		t.Fatalf("no binding cookie: %s", loc)
	}
	b := ssoBegin(t, e)
	if loc, _ := ssoFinish(t, e, b.callback, a.binding); !strings.Contains(loc, "sso_state_invalid") {
		t.Fatalf("another browser's cookie: %s", loc)
	}

	// A domain outside the allowed list, and a client person, are refused.
	m.QueueUser(&mockoidc.MockUser{Subject: "sub-3", Email: "eve@elsewhere.example", Groups: []string{"bureau-admins"}})
	a = ssoBegin(t, e)
	if loc, _ := ssoFinish(t, e, a.callback, a.binding); !strings.Contains(loc, "sso_domain_not_allowed") {
		t.Fatalf("domain: %s", loc)
	}
	e.addPerson("cli@northwind.example", "client person long password", "client", "acme")
	m.QueueUser(&mockoidc.MockUser{Subject: "sub-4", Email: "cli@northwind.example", Groups: []string{"bureau-admins"}})
	a = ssoBegin(t, e)
	if loc, _ := ssoFinish(t, e, a.callback, a.binding); !strings.Contains(loc, "sso_account_member") {
		t.Fatalf("client person: %s", loc)
	}

	// A state past its 10 minutes is refused.
	m.QueueUser(&mockoidc.MockUser{Subject: "sub-1", Email: "kim@northwind.example", Groups: []string{"bureau-admins"}})
	a = ssoBegin(t, e)
	e.clock.Advance(11 * time.Minute)
	if loc, _ := ssoFinish(t, e, a.callback, a.binding); !strings.Contains(loc, "sso_state_invalid") {
		t.Fatalf("expired state: %s", loc)
	}

	// The SSO sign-in makes the staff-password switch possible.
	owner = e.login("ann@northwind.example", ownerPassword)
	wantStatus(t, owner.do("PATCH", "/api/v1/tenant", map[string]any{"staff_passwords_enabled": false}), 200, "")
}

// The owner (a password user) links their SSO identity on first sign-in:
// the email is matched once, then the subject decides.
func TestSSOLinksExistingStaff(t *testing.T) {
	e := newEnv(t)
	e.realClock()
	owner := e.setUp()
	m := startOIDC(t)
	configureSSO(t, owner, m)
	m.QueueUser(&mockoidc.MockUser{Subject: "ann-oid", Email: "ann@northwind.example", Groups: []string{"bureau-admins"}})
	a := ssoBegin(t, e)
	if _, sess := ssoFinish(t, e, a.callback, a.binding); sess == "" {
		t.Fatal("owner sign-in")
	}
	if e.count(`SELECT COUNT(*) FROM oidc_identities WHERE subject = 'ann-oid' AND user_id = ?`, e.userID("ann@northwind.example")) != 1 {
		t.Fatal("the owner's identity is not linked")
	}
	if e.count(`SELECT COUNT(*) FROM tenant_sso WHERE last_success_at IS NOT NULL`) != 1 {
		t.Fatal("the successful sign-in is not recorded")
	}
}

// A test sign-in signs nobody in; it shows the claims and the role they
// map to, and a mapped one unlocks the staff-password switch.
func TestSSOTestSignIn(t *testing.T) {
	e := newEnv(t)
	e.realClock()
	owner := e.setUp()
	m := startOIDC(t)
	configureSSO(t, owner, m)

	m.QueueUser(&mockoidc.MockUser{Subject: "s-9", Email: "zoe@northwind.example", Groups: []string{"sales"}})
	a := ssoBegin(t, e, "?test=1")
	loc, sess := ssoFinish(t, e, a.callback, a.binding)
	if sess != "" || !strings.HasPrefix(loc, "/settings/sso?test=") {
		t.Fatalf("test sign-in: %s (session %q)", loc, sess)
	}
	r := owner.do("GET", "/api/v1/tenant/sso/tests/"+strings.TrimPrefix(loc, "/settings/sso?test="), nil)
	wantStatus(t, r, 200, "")
	res := r.json(t)
	if res["ok"] != false || res["code"] != "sso_no_role" || res["email"] != "zoe@northwind.example" ||
		fmt.Sprint(res["groups"]) != "[sales]" || res["claims"].(map[string]any)["sub"] != "s-9" {
		t.Fatalf("unmapped test: %s", r.body)
	}
	wantStatus(t, owner.do("PATCH", "/api/v1/tenant", map[string]any{"staff_passwords_enabled": false}), 409, "sso_not_verified")

	m.QueueUser(&mockoidc.MockUser{Subject: "s-9", Email: "zoe@northwind.example", Groups: []string{"bureau-consultants"}})
	a = ssoBegin(t, e, "?test=1")
	loc, _ = ssoFinish(t, e, a.callback, a.binding)
	res = owner.do("GET", "/api/v1/tenant/sso/tests/"+strings.TrimPrefix(loc, "/settings/sso?test="), nil).json(t)
	if res["ok"] != true || res["role"] != "consultant" {
		t.Fatalf("mapped test: %v", res)
	}
	if e.count(`SELECT COUNT(*) FROM users WHERE email = 'zoe@northwind.example'`) != 0 {
		t.Fatal("a test sign-in created a person")
	}
	wantStatus(t, owner.do("PATCH", "/api/v1/tenant", map[string]any{"staff_passwords_enabled": false}), 200, "")
}

// A staff invitation is accepted by signing in with SSO: the email is
// matched that once; the link is used up; the role comes from the groups.
func TestSSOAcceptsStaffInvitation(t *testing.T) {
	e := newEnv(t)
	e.realClock()
	owner := e.setUp()
	m := startOIDC(t)
	configureSSO(t, owner, m)
	wantStatus(t, owner.do("POST", "/api/v1/tenant/staff", map[string]any{"invites": []any{inv("max@northwind.example", "tenant_admin")}}), 201, "")
	token := e.outboxToken("max@northwind.example")
	if v := e.client().do("GET", "/api/v1/invitations/"+token, nil).json(t); v["sso"] != true || v["tenant"].(map[string]any)["slug"] != "northwind" {
		t.Fatalf("invitation view: %v", v)
	}
	m.QueueUser(&mockoidc.MockUser{Subject: "max-sub", Email: "max@northwind.example", Groups: []string{"bureau-consultants"}})
	a := ssoBegin(t, e)
	_, sess := ssoFinish(t, e, a.callback, a.binding)
	if sess == "" {
		t.Fatal("sign-in")
	}
	list := owner.do("GET", "/api/v1/tenant/staff", nil).json(t)
	if m := memberByEmail(t, list, "max@northwind.example"); m["status"] != "active" || m["role"] != "consultant" {
		t.Fatalf("after SSO: %v", m)
	}
	wantStatus(t, e.client().do("GET", "/api/v1/invitations/"+token, nil), 410, "invitation_used")
}

// A test sign-in that cannot reach the provider says so on the settings
// page (the admin is signed in; the sign-in page is the wrong place).
func TestSSOTestSignInProviderDown(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	wantStatus(t, owner.do("PUT", "/api/v1/tenant/sso", map[string]any{"issuer": "http://127.0.0.1:1/nowhere", "client_id": "bureau"}), 200, "")
	res, err := e.srv.App.Test(httptest.NewRequest("GET", "/api/v1/auth/oidc/northwind/login?test=1", nil), -1)
	if err != nil || res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), "/settings/sso?test=") {
		t.Fatalf("test sign-in with the provider down: %v %s", err, res.Header.Get("Location"))
	}
	r := owner.do("GET", "/api/v1/tenant/sso/tests/"+strings.TrimPrefix(res.Header.Get("Location"), "/settings/sso?test="), nil)
	if got := r.json(t); got["ok"] != false || got["code"] != "sso_provider_unreachable" {
		t.Fatalf("result: %s", r.body)
	}
	// A real sign-in goes back to the sign-in page with the code.
	res, _ = e.srv.App.Test(httptest.NewRequest("GET", "/api/v1/auth/oidc/northwind/login", nil), -1)
	if loc := res.Header.Get("Location"); !strings.Contains(loc, "/login?sso_error=sso_provider_unreachable") {
		t.Fatalf("sign-in with the provider down: %s", loc)
	}
}
