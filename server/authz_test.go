package server

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"os"
	"strconv"
	"strings"
	"testing"

	"bureau/config"
	"bureau/tenant"
)

// callers are the matrix's columns, in order (ISO-03).
var callers = []string{"anon", "ta", "c", "aa", "au", "cl", "xt", "dm"}

type matrixRow struct {
	line         int
	method, path string
	body         string // "" for none
	scope        string // all | own | other
	want         map[string]int
}

func loadMatrix(t *testing.T) []matrixRow {
	t.Helper()
	f, err := os.Open("testdata/authz_matrix.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []matrixRow
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 4 {
			t.Fatalf("matrix line %d: want 4 |-separated parts: %s", n, line)
		}
		route := strings.Fields(parts[0])
		statuses := strings.Fields(parts[3])
		scope := strings.TrimSpace(parts[2])
		if len(route) != 2 || len(statuses) != len(callers) {
			t.Fatalf("matrix line %d: want method, path and %d statuses (one per caller %v)", n, len(callers), callers)
		}
		if scope != "all" && scope != "own" && scope != "other" {
			t.Fatalf("matrix line %d: scope %q", n, scope)
		}
		r := matrixRow{line: n, method: route[0], path: route[1], scope: scope, want: map[string]int{}}
		if b := strings.TrimSpace(parts[1]); b != "-" {
			r.body = b
		}
		for i, s := range statuses {
			code, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("matrix line %d: status %q", n, s)
			}
			r.want[callers[i]] = code
		}
		rows = append(rows, r)
	}
	return rows
}

// seeded is a database with one person of every kind, and their sessions.
type seeded struct {
	image  []byte
	tokens map[string]string // caller → session token
	ids    map[string]string // what :user, :id and :token stand for; see fill
}

// fill puts seeded objects in for a path's parameters: :user is acme's
// Account User (a staff member under /tenant/staff), :id a group, an
// invitation of acme or a staff invitation, :token a live invitation link.
func (s seeded) fill(path string) string {
	user, id := s.ids["au"], "no-such-id"
	switch {
	case strings.Contains(path, "/tenant/staff/invitations/"):
		id = s.ids["staff_invitation"]
	case strings.Contains(path, "/tenant/staff/"):
		user = s.ids["c"]
	case strings.Contains(path, "/invitations/:id"):
		id = s.ids["invitation"]
	case strings.Contains(path, "/groups/:id"):
		id = s.ids["group"]
	}
	return strings.NewReplacer(":user", user, ":id", id, ":token", s.ids["token"], ":tenant", "northwind").Replace(path)
}

func seedMatrix(t *testing.T) seeded {
	t.Helper()
	e := newEnv(t)
	owner := e.setUp()
	for _, slug := range []string{"beta", "gamma"} {
		if r := owner.do("POST", "/api/v1/accounts", newAccount(strings.ToUpper(slug[:1])+slug[1:], slug)); r.StatusCode != 201 {
			t.Fatalf("seed %s: %d %s", slug, r.StatusCode, r.body)
		}
	}
	ids := map[string]string{
		"ta": e.userID("ann@northwind.example"),
		"c":  e.addPerson("con@northwind.example", "", "consultant", ""),
		"aa": e.addPerson("aa@acme.example", "", "account_admin", "acme"),
		"au": e.addPerson("au@acme.example", "", "account_user", "acme"),
		"cl": e.addPerson("cl@acme.example", "", "client", "acme"),
		"dm": e.addPerson("dm@gamma.example", "", "account_admin", "gamma"),
	}
	e.exec(`UPDATE accounts SET status = 'deactivated' WHERE slug = 'gamma'`)
	ids["group"] = owner.do("POST", "/api/v1/accounts/acme/groups", map[string]any{"name": "Finance"}).json(t)["id"].(string)
	invited := owner.do("POST", "/api/v1/accounts/acme/invitations", map[string]any{
		"invites": []any{map[string]any{"email": "pending@acme.example", "role": "client", "groups": []string{}}}}).json(t)
	ids["invitation"] = invited["items"].([]any)[0].(map[string]any)["invitation_id"].(string)
	ids["token"] = e.lastLinkToken()
	staff := owner.do("POST", "/api/v1/tenant/staff", map[string]any{
		"invites": []any{map[string]any{"email": "pending@northwind.example", "role": "consultant"}}}).json(t)
	ids["staff_invitation"] = staff["items"].([]any)[0].(map[string]any)["invitation_id"].(string)
	south, err := tenant.Create(context.Background(), e.db, e.srv.Auth.Hasher, e.clock.Now(), nil, tenant.CreateInput{
		Name: "Southwind", Slug: "southwind", OwnerName: "Sam", OwnerEmail: "sam@southwind.example",
		OwnerPassword: "southwind owner long password"})
	if err != nil {
		t.Fatal(err)
	}
	ids["xt"] = e.userID("sam@southwind.example")
	tenants := map[string]string{}
	for _, caller := range callers[1:] {
		tenants[caller] = e.tenantOf(ids[caller])
	}
	tenants["xt"] = south.TenantID
	s := seeded{tokens: map[string]string{}, ids: ids}
	for _, caller := range callers[1:] {
		id := ids[caller]
		err := e.db.Write(context.Background(), func(tx *sql.Tx) error {
			token, _, err := e.srv.Auth.Sessions.Create(context.Background(), tx, id, tenants[caller], "password", "", "")
			s.tokens[caller] = token
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.db.W.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	if s.image, err = os.ReadFile(e.path); err != nil {
		t.Fatal(err)
	}
	return s
}

func (e *env) userID(email string) string {
	e.t.Helper()
	var id string
	if err := e.db.R.QueryRow(`SELECT id FROM users WHERE email = ?`, email).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

func (e *env) tenantOf(userID string) string {
	e.t.Helper()
	var id string
	if err := e.db.R.QueryRow(`SELECT tenant_id FROM memberships WHERE user_id = ?`, userID).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// callerClient is a browser signed in as caller, in a fresh copy of the seed.
func (s seeded) callerClient(t *testing.T, caller string) *client {
	cfg := config.Defaults()
	cfg.BaseURL = testBase
	e := newEnvFrom(t, s.image, cfg)
	c := e.client()
	if caller != "anon" {
		c.cookie = s.tokens[caller]
		c.csrf = c.do("GET", "/api/v1/auth/csrf", nil).json(t)["token"].(string)
	}
	return c
}

func slugFor(caller, scope string) string {
	switch {
	case scope == "other":
		return "beta"
	case caller == "dm":
		return "gamma"
	}
	return "acme"
}

// TestAuthzMatrix is ISO-02: every cell of the matrix, over real HTTP.
func TestAuthzMatrix(t *testing.T) {
	rows := loadMatrix(t)
	seed := seedMatrix(t)
	for _, row := range rows {
		for _, caller := range callers {
			name := row.method + " " + row.path + " " + row.scope + " " + caller
			t.Run(name, func(t *testing.T) {
				c := seed.callerClient(t, caller)
				path := seed.fill(strings.Replace(row.path, ":account", slugFor(caller, row.scope), 1))
				if strings.HasSuffix(path, "slug-availability") {
					path += "?slug=new-client"
				}
				var body any
				if row.body != "" {
					body = row.body
				}
				r := c.do(row.method, path, body)
				if r.StatusCode != row.want[caller] {
					t.Fatalf("matrix line %d: %s as %s: got %d, want %d\n%s", row.line, path, caller, r.StatusCode, row.want[caller], r.body)
				}
			})
		}
	}
}

// ISO-01: every route of routes.go has its rows in the matrix, and every row
// names a real route; account routes need both an own and an other row.
func TestMatrixCoversEveryRoute(t *testing.T) {
	rows := loadMatrix(t)
	have := map[string]map[string]bool{}
	for _, r := range rows {
		key := r.method + " " + r.path
		if have[key] == nil {
			have[key] = map[string]bool{}
		}
		have[key][r.scope] = true
	}
	e := newEnv(t)
	declared := map[string]bool{}
	for _, r := range e.srv.Routes() {
		key := r.Method + " " + r.Path
		declared[key] = true
		scopes := have[key]
		if strings.Contains(r.Path, ":account") {
			if !scopes["own"] || !scopes["other"] {
				t.Errorf("%s: the matrix needs an own and an other row", key)
			}
		} else if !scopes["all"] {
			t.Errorf("%s: missing from testdata/authz_matrix.txt", key)
		}
	}
	for key := range have {
		if !declared[key] {
			t.Errorf("%s: in the matrix but not in routes.go", key)
		}
	}
}

// ISO-01: nothing is routed around the table: every API route Fiber knows
// is one of routes.go's.
func TestEveryRouteDeclaresPermission(t *testing.T) {
	e := newEnv(t)
	declared := map[string]string{}
	for _, r := range e.srv.Routes() {
		declared[r.Method+" "+r.Path] = r.Perm
	}
	for _, r := range e.srv.App.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/") || r.Method == "HEAD" {
			continue
		}
		if _, ok := declared[r.Method+" "+r.Path]; !ok {
			t.Errorf("%s %s is routed without a declared permission", r.Method, r.Path)
		}
	}
}

func TestUndeclaredPermissionFailsAtStart(t *testing.T) {
	e := newEnv(t)
	for _, perm := range []string{"", "accounts:craete"} {
		s := &Server{Deps: e.srv.Deps, App: e.srv.App}
		routes := []Route{{"GET", "/api/v1/typo", perm, s.getTenant, ""}}
		if err := s.register(e.srv.App.Group("/api"), routes); err == nil {
			t.Errorf("permission %q accepted", perm)
		}
	}
}

// ISO-04: another account's object answers exactly like a missing one.
func TestOtherAccountLooksMissing(t *testing.T) {
	seed := seedMatrix(t)
	for _, caller := range []string{"aa", "au", "cl"} {
		c := seed.callerClient(t, caller)
		for _, suffix := range []string{"", "/settings"} {
			other := c.do("GET", "/api/v1/accounts/beta"+suffix, nil)
			missing := c.do("GET", "/api/v1/accounts/no-such-account"+suffix, nil)
			if other.StatusCode != 404 || !bytes.Equal(other.body, missing.body) {
				t.Errorf("%s %s: other %d %s vs missing %d %s", caller, suffix, other.StatusCode, other.body, missing.StatusCode, missing.body)
			}
			for _, h := range []string{"Content-Type", "Content-Length", "Cache-Control"} {
				if other.Header.Get(h) != missing.Header.Get(h) {
					t.Errorf("%s: header %s differs", caller, h)
				}
			}
		}
	}
	// Another tenant's staff: the same for an account that exists only here.
	xt := seed.callerClient(t, "xt")
	if a, b := xt.do("GET", "/api/v1/accounts/acme", nil), xt.do("GET", "/api/v1/accounts/nope", nil); !bytes.Equal(a.body, b.body) || a.StatusCode != 404 {
		t.Errorf("xt: %d %s vs %s", a.StatusCode, a.body, b.body)
	}
}

// ISO-09: a cross-tenant sweep — the other tenant's staff see none of this
// tenant's markers in any list.
func TestCrossTenantSweep(t *testing.T) {
	seed := seedMatrix(t)
	xt := seed.callerClient(t, "xt")
	for _, path := range []string{"/api/v1/accounts", "/api/v1/tenant", "/api/v1/tenant/usage", "/api/v1/tenant/license", "/api/v1/me"} {
		r := xt.do("GET", path, nil)
		for _, marker := range []string{"northwind", "Acme", "acme", "beta", "gamma", "ann@"} {
			if strings.Contains(string(r.body), marker) {
				t.Errorf("%s shows %q to another tenant: %s", path, marker, r.body)
			}
		}
	}
}

// ISO-05: tenant and account come from the session and the path, never from
// a header, the query string or the body.
func TestScopeNeverFromRequest(t *testing.T) {
	seed := seedMatrix(t)
	aa := seed.callerClient(t, "aa")
	before := aa.e.count(`SELECT sync_interval_seconds FROM accounts WHERE slug = 'beta'`)
	r := aa.do("PATCH", "/api/v1/accounts/acme/settings?account_id=beta&account=beta&tenant=southwind",
		map[string]any{"sync_interval": "1h"}, header("X-Tenant-ID", "southwind"), header("X-Account", "beta"))
	if r.StatusCode != 200 {
		t.Fatalf("patch own settings: %d %s", r.StatusCode, r.body)
	}
	if got := aa.e.count(`SELECT sync_interval_seconds FROM accounts WHERE slug = 'acme'`); got != 3600 {
		t.Errorf("acme interval %d, want 3600", got)
	}
	if got := aa.e.count(`SELECT sync_interval_seconds FROM accounts WHERE slug = 'beta'`); got != before {
		t.Errorf("beta changed: %d → %d", before, got)
	}
	r = aa.do("PATCH", "/api/v1/accounts/acme/settings", map[string]any{"sync_interval": "2h", "account_id": "beta"})
	if r.StatusCode != 400 || r.code(t) != "unknown_field" {
		t.Errorf("account_id in the body: %d %s", r.StatusCode, r.body)
	}
	// A staff member of another tenant naming this tenant gets their own.
	xt := seed.callerClient(t, "xt")
	list := xt.do("GET", "/api/v1/accounts?tenant=northwind", nil, header("X-Tenant-ID", "northwind"))
	if strings.Contains(string(list.body), "acme") {
		t.Errorf("tenant taken from the request: %s", list.body)
	}
}
