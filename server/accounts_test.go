package server

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"bureau/license"
	"bureau/tenant"
)

func newAccount(name, slug string) map[string]any {
	return map[string]any{"name": name, "slug": slug}
}

func TestCreateAccount(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	r := owner.do("POST", "/api/v1/accounts", map[string]any{"name": "  Beta Industries ", "slug": "beta",
		"contact_email": "Ops@Beta.example", "external_ref": "CRM-42", "notes": "Renewal in March"})
	if r.StatusCode != 201 {
		t.Fatalf("%d %s", r.StatusCode, r.body)
	}
	a := r.json(t)
	if a["name"] != "Beta Industries" || a["slug"] != "beta" || a["status"] != "active" ||
		a["contact_email"] != "ops@beta.example" || a["external_ref"] != "CRM-42" {
		t.Fatalf("created %v", a)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_events WHERE action = 'account.create' AND target_id = ?`, a["id"]); n != 1 {
		t.Errorf("audit events: %d", n)
	}
	list := owner.do("GET", "/api/v1/accounts", nil).json(t)["items"].([]any)
	if len(list) != 2 || list[0].(map[string]any)["slug"] != "acme" || list[1].(map[string]any)["slug"] != "beta" {
		t.Fatalf("list %v", list)
	}
}

func TestCreateAccountErrors(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	tests := []struct {
		body   map[string]any
		status int
		code   string
	}{
		{newAccount("Acme Again", "acme"), 409, "slug_taken"},
		{newAccount("Bad", "Bad Slug"), 422, "slug_invalid"},
		{newAccount("Bad", "-bad"), 422, "slug_invalid"},
		{newAccount("Reserved", "login"), 422, "slug_reserved"},
		{newAccount("Reserved", "slug-availability"), 422, "slug_reserved"},
		{newAccount("", "empty-name"), 422, "name_invalid"},
		{newAccount(strings.Repeat("n", 101), "long-name"), 422, "name_invalid"},
		{map[string]any{"name": "X", "slug": "x-mail", "contact_email": "not an email"}, 422, "email_invalid"},
		{map[string]any{"name": "X", "slug": "x-tenant", "tenant_id": "other"}, 400, "unknown_field"},
	}
	for _, tt := range tests {
		r := owner.do("POST", "/api/v1/accounts", tt.body)
		if r.StatusCode != tt.status || r.code(t) != tt.code {
			t.Errorf("%v: got %d %s, want %d %s", tt.body, r.StatusCode, r.body, tt.status, tt.code)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM accounts`); n != 1 {
		t.Fatalf("%d accounts after refused creates", n)
	}
}

func TestSlugAvailability(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	for slug, want := range map[string]string{"beta": "", "acme": "slug_taken", "API": "slug_invalid", "portal": "slug_reserved"} {
		r := owner.do("GET", "/api/v1/accounts/slug-availability?slug="+slug, nil).json(t)
		if want == "" && r["available"] != true {
			t.Errorf("%s: %v", slug, r)
		}
		if want != "" && (r["available"] != false || r["reason"] != want) {
			t.Errorf("%s: %v, want %s", slug, r, want)
		}
	}
}

// The trial plan allows 10 active accounts; deactivated ones do not count.
func TestPlanLimit(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	for i := 2; i <= 10; i++ {
		if r := owner.do("POST", "/api/v1/accounts", newAccount(fmt.Sprintf("Client %d", i), fmt.Sprintf("client-%d", i))); r.StatusCode != 201 {
			t.Fatalf("account %d: %d %s", i, r.StatusCode, r.body)
		}
	}
	r := owner.do("POST", "/api/v1/accounts", newAccount("Client 11", "client-11"))
	if r.StatusCode != 409 || r.code(t) != "plan_limit_reached" || !strings.Contains(string(r.body), "10") {
		t.Fatalf("11th: %d %s", r.StatusCode, r.body)
	}
	if p := r.json(t); p["plan"] != "trial" || p["accounts_used"] != float64(10) || p["accounts_limit"] != float64(10) || p["status"] != float64(409) {
		t.Fatalf("problem members: %v", p)
	}
	if r := owner.do("POST", "/api/v1/accounts/client-2/deactivate", nil); r.StatusCode != 200 {
		t.Fatalf("deactivate: %d %s", r.StatusCode, r.body)
	}
	if r := owner.do("POST", "/api/v1/accounts", newAccount("Client 11", "client-11")); r.StatusCode != 201 {
		t.Fatalf("after deactivating one: %d %s", r.StatusCode, r.body)
	}
	// Reactivating would exceed the plan.
	r = owner.do("POST", "/api/v1/accounts/client-2/reactivate", nil)
	if r.StatusCode != 409 || r.code(t) != "plan_limit_reached" {
		t.Fatalf("reactivate over the cap: %d %s", r.StatusCode, r.body)
	}
	u := owner.do("GET", "/api/v1/tenant/usage", nil).json(t)
	if b, _ := u["db_bytes"].(float64); b < 4096 {
		t.Errorf("db_bytes %v", u["db_bytes"])
	}
	if u["accounts_used"] != float64(10) || u["accounts_limit"] != float64(10) || u["plan"] != "trial" || u["accounts_deactivated"] != float64(1) {
		t.Fatalf("usage %v", u)
	}
}

// Parallel creates never exceed the cap (ASVS 2.3.4, OPS-07).
func TestPlanLimitUnderConcurrency(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	var wg sync.WaitGroup
	statuses := make([]int, 25)
	for i := range statuses {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := &client{e: e, cookie: owner.cookie, csrf: owner.csrf}
			statuses[i] = c.do("POST", "/api/v1/accounts", newAccount(fmt.Sprintf("Parallel %d", i), fmt.Sprintf("parallel-%d", i))).StatusCode
		}(i)
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		if s == 201 {
			created++
		} else if s != 409 {
			t.Errorf("status %d", s)
		}
	}
	if created != 9 || e.count(`SELECT COUNT(*) FROM accounts WHERE status = 'active'`) != 10 {
		t.Fatalf("%d created, %d active: the cap of 10 was not held", created, e.count(`SELECT COUNT(*) FROM accounts WHERE status = 'active'`))
	}
}

func TestRenameAndDetails(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	e.addPerson("con@northwind.example", "consultant long password", "consultant", "")
	con := e.login("con@northwind.example", "consultant long password")

	if r := owner.do("PATCH", "/api/v1/accounts/acme", map[string]any{"name": "Acme Group"}); r.StatusCode != 200 || r.json(t)["name"] != "Acme Group" {
		t.Fatalf("rename by TA: %d %s", r.StatusCode, r.body)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_events WHERE action = 'account.rename'`); n != 1 {
		t.Errorf("rename audited %d times", n)
	}
	if r := con.do("PATCH", "/api/v1/accounts/acme", map[string]any{"name": "Hijacked"}); r.StatusCode != 403 || r.code(t) != "permission_denied" {
		t.Fatalf("rename by consultant: %d %s", r.StatusCode, r.body)
	}
	// A route-level refusal is logged with who, what and which permission (AUD-03).
	if r := con.do("POST", "/api/v1/accounts", newAccount("Nope", "nope")); r.StatusCode != 403 {
		t.Fatalf("create by consultant: %d", r.StatusCode)
	}
	if logs := e.logs.String(); !strings.Contains(logs, `"msg":"permission denied"`) || !strings.Contains(logs, `"permission":"accounts:create"`) {
		t.Errorf("denial not logged: %s", logs)
	}
	// Sending the current name back with other details is not a rename.
	r := con.do("PATCH", "/api/v1/accounts/acme", map[string]any{"name": "Acme Group", "notes": "Call on Fridays", "external_ref": "HS-9"})
	if r.StatusCode != 200 || r.json(t)["notes"] != "Call on Fridays" {
		t.Fatalf("details by consultant: %d %s", r.StatusCode, r.body)
	}
	r = owner.do("PATCH", "/api/v1/accounts/acme", map[string]any{"slug": "acme-2"})
	if r.StatusCode != 422 || r.code(t) != "slug_immutable" {
		t.Fatalf("slug change: %d %s", r.StatusCode, r.body)
	}
	one := owner.do("GET", "/api/v1/accounts/acme", nil).json(t)
	if one["people"] != float64(0) || one["clients"] != float64(0) || one["last_activity"] == nil {
		t.Errorf("counts on the account: %v", one)
	}
	// ISO-14: fields that are not offered are refused and change nothing.
	for _, field := range []string{"status", "tenant_id", "id", "role"} {
		r := owner.do("PATCH", "/api/v1/accounts/acme", map[string]any{field: "x"})
		if r.StatusCode != 400 || r.code(t) != "unknown_field" {
			t.Errorf("%s: %d %s", field, r.StatusCode, r.body)
		}
	}
	if got := owner.do("GET", "/api/v1/accounts/acme", nil).json(t); got["name"] != "Acme Group" || got["status"] != "active" {
		t.Fatalf("after refused patches: %v", got)
	}
}

// ISO-13: account-level people never receive agency-only fields.
func TestAgencyFieldsHiddenFromAccountPeople(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	owner.do("PATCH", "/api/v1/accounts/acme", map[string]any{"notes": "SECRET-NOTE", "external_ref": "CRM-SECRET", "contact_email": "boss@acme.example"})
	for _, role := range []string{"account_admin", "account_user", "client"} {
		email := role + "@acme.example"
		e.addPerson(email, "a long enough password", role, "acme")
		c := e.login(email, "a long enough password")
		for _, path := range []string{"/api/v1/accounts/acme", "/api/v1/accounts"} {
			r := c.do("GET", path, nil)
			if r.StatusCode != 200 {
				t.Fatalf("%s %s: %d", role, path, r.StatusCode)
			}
			for _, leak := range []string{"SECRET-NOTE", "CRM-SECRET", "boss@acme.example", `"notes"`, `"external_ref"`, `"contact_email"`} {
				if strings.Contains(string(r.body), leak) {
					t.Errorf("%s %s: leaks %s", role, path, leak)
				}
			}
		}
	}
	if r := owner.do("GET", "/api/v1/accounts/acme", nil); !strings.Contains(string(r.body), "SECRET-NOTE") {
		t.Error("staff do see notes")
	}
}

func TestDeactivateReactivateDelete(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	e.addPerson("aa@acme.example", "acme admin long password", "account_admin", "acme")
	aa := e.login("aa@acme.example", "acme admin long password")

	// Delete needs a deactivated account first.
	r := owner.do("DELETE", "/api/v1/accounts/acme", map[string]any{"confirm_name": "Acme Corporation"})
	if r.StatusCode != 409 || r.code(t) != "account_active" {
		t.Fatalf("delete active: %d %s", r.StatusCode, r.body)
	}
	r = owner.do("POST", "/api/v1/accounts/acme/deactivate", nil)
	if r.StatusCode != 200 || r.json(t)["status"] != "deactivated" || r.json(t)["deactivated_at"] == nil {
		t.Fatalf("deactivate: %d %s", r.StatusCode, r.body)
	}
	// The member's session ended (SES-06) and they cannot sign in again.
	if r := aa.do("GET", "/api/v1/me", nil); r.StatusCode != 401 {
		t.Fatalf("member after deactivation: %d", r.StatusCode)
	}
	if r := e.client().do("POST", "/api/v1/auth/login", map[string]string{"email": "aa@acme.example", "password": "acme admin long password"}); r.StatusCode != 401 {
		t.Fatalf("member sign-in after deactivation: %d", r.StatusCode)
	}
	// Staff still see it, to reactivate it.
	if r := owner.do("GET", "/api/v1/accounts/acme", nil); r.StatusCode != 200 {
		t.Fatalf("staff view of a deactivated account: %d", r.StatusCode)
	}
	if r := owner.do("POST", "/api/v1/accounts/acme/reactivate", nil); r.StatusCode != 200 || r.json(t)["status"] != "active" {
		t.Fatalf("reactivate: %d %s", r.StatusCode, r.body)
	}
	aa = e.login("aa@acme.example", "acme admin long password")
	owner.do("POST", "/api/v1/accounts/acme/deactivate", nil)

	for _, wrong := range []string{"acme corporation", "Acme Corporation ", "Acme", ""} {
		r := owner.do("DELETE", "/api/v1/accounts/acme", map[string]any{"confirm_name": wrong})
		if r.StatusCode != 422 || r.code(t) != "confirm_name_mismatch" {
			t.Fatalf("confirm %q: %d %s", wrong, r.StatusCode, r.body)
		}
	}
	if r := owner.do("DELETE", "/api/v1/accounts/acme", map[string]any{"confirm_name": "Acme Corporation"}); r.StatusCode != 204 {
		t.Fatalf("delete: %d %s", r.StatusCode, r.body)
	}
	if r := owner.do("GET", "/api/v1/accounts/acme", nil); r.StatusCode != 404 {
		t.Fatalf("after delete: %d", r.StatusCode)
	}
	if n := e.count(`SELECT COUNT(*) FROM memberships WHERE account_id IS NOT NULL`); n != 0 {
		t.Errorf("%d memberships outlived their account", n)
	}
	actions := []string{}
	rows, _ := e.db.R.Query(`SELECT action FROM audit_events WHERE target_type = 'account' ORDER BY seq`)
	for rows.Next() {
		var a string
		_ = rows.Scan(&a)
		actions = append(actions, a)
	}
	rows.Close()
	if got := strings.Join(actions, ","); got != "account.create,account.deactivate,account.reactivate,account.deactivate,account.delete" {
		t.Fatalf("audit trail %s", got)
	}
	// The slug is free again.
	if r := owner.do("POST", "/api/v1/accounts", newAccount("Acme Reborn", "acme")); r.StatusCode != 201 {
		t.Fatalf("reuse slug: %d %s", r.StatusCode, r.body)
	}
}

func TestAccountSettings(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	got := owner.do("GET", "/api/v1/accounts/acme/settings", nil).json(t)
	if got["beta_features"] != true || got["approval_timeout_seconds"] != float64(86400) ||
		got["require_run_approval"] != false || got["sync_interval"] != "5m" {
		t.Fatalf("defaults %v", got)
	}
	for _, bad := range []map[string]any{
		{"approval_timeout_seconds": 59}, {"approval_timeout_seconds": 604801}, {"sync_interval": "90s"},
		{"sync_interval": "soon"}, {"sync_interval": "25h"},
	} {
		r := owner.do("PATCH", "/api/v1/accounts/acme/settings", bad)
		if r.StatusCode != 422 {
			t.Errorf("%v: %d %s", bad, r.StatusCode, r.body)
		}
	}
	r := owner.do("PATCH", "/api/v1/accounts/acme/settings", map[string]any{"approval_timeout_seconds": 60,
		"require_run_approval": true, "sync_interval": "1h", "beta_features": false})
	got = r.json(t)
	if r.StatusCode != 200 || got["approval_timeout_seconds"] != float64(60) || got["sync_interval"] != "1h" ||
		got["require_run_approval"] != true || got["beta_features"] != false {
		t.Fatalf("update: %d %s", r.StatusCode, r.body)
	}
	if r := owner.do("PATCH", "/api/v1/accounts/acme/settings", map[string]any{"approval_timeout_seconds": 604800}); r.StatusCode != 200 {
		t.Fatalf("7 days: %d %s", r.StatusCode, r.body)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_events WHERE action = 'account.settings'`); n != 2 {
		t.Errorf("settings changes audited %d times", n)
	}
}

func signedLicense(tenantSlug string, maxAccounts int, expires string) string {
	exp, _ := time.Parse(time.DateOnly, expires)
	return license.Sign(license.License{Tenant: tenantSlug, Plan: "consulting", MaxAccounts: maxAccounts,
		Issued: exp.AddDate(-1, 0, 0), Expires: exp}, testLicenseKey)
}

func TestLicenseUpload(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	got := owner.do("GET", "/api/v1/tenant/license", nil).json(t)
	if got["state"] != "none" || got["plan"] != "trial" || got["accounts_limit"] != float64(10) {
		t.Fatalf("before: %v", got)
	}
	tests := []struct {
		text, code string
	}{
		{strings.Replace(signedLicense("northwind", 40, "2027-12-31"), "40", "400", 1), "license_invalid"},
		{signedLicense("southwind", 40, "2027-12-31"), "license_wrong_tenant"},
		{signedLicense("northwind", 40, "2026-01-31"), "license_expired"},
		{"not a license", "license_invalid"},
	}
	for _, tt := range tests {
		r := owner.do("PUT", "/api/v1/tenant/license", map[string]string{"license": tt.text})
		if r.StatusCode != 422 || r.code(t) != tt.code {
			t.Errorf("%s: %d %s", tt.code, r.StatusCode, r.body)
		}
	}
	r := owner.do("PUT", "/api/v1/tenant/license", map[string]string{"license": signedLicense("northwind", 40, "2027-12-31")})
	if r.StatusCode != 200 {
		t.Fatalf("upload: %d %s", r.StatusCode, r.body)
	}
	got = r.json(t)
	if got["state"] != "valid" || got["plan"] != "consulting" || got["accounts_limit"] != float64(40) || got["expires"] != "2027-12-31" {
		t.Fatalf("after: %v", got)
	}
	if u := owner.do("GET", "/api/v1/tenant/usage", nil).json(t); u["accounts_limit"] != float64(40) {
		t.Fatalf("usage after license: %v", u)
	}
	// Time passes: the license expires and the tenant falls back to starter.
	e.clock.Advance(450 * 24 * time.Hour)
	again := owner.login()
	got = again.do("GET", "/api/v1/tenant/license", nil).json(t)
	if got["state"] != "expired" || got["plan"] != "starter" || got["accounts_limit"] != float64(1) || got["message"] == "" {
		t.Fatalf("expired: %v", got)
	}
	if plan := again.do("GET", "/api/v1/me", nil).json(t)["tenant"].(map[string]any)["plan"]; plan != "starter" {
		t.Fatalf("/me shows plan %v, not the plan in force", plan)
	}
}

// login signs the same person in again (their session may have expired).
func (c *client) login() *client {
	return c.e.login("ann@northwind.example", ownerPassword)
}

// Slugs are unique per tenant only, and one tenant's staff never reach
// another tenant's account of the same slug.
func TestSecondTenantSameSlug(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	_, err := tenant.Create(context.Background(), e.db, e.srv.Auth.Hasher, e.clock.Now(), nil, tenant.CreateInput{
		Name: "Southwind", Slug: "southwind", Plan: "growth", OwnerName: "Sam", OwnerEmail: "sam@southwind.example",
		OwnerPassword: "southwind owner long password"})
	if err != nil {
		t.Fatal(err)
	}
	sam := e.login("sam@southwind.example", "southwind owner long password")
	r := sam.do("POST", "/api/v1/accounts", map[string]any{"name": "Acme (South)", "slug": "acme", "notes": "SOUTH-ONLY"})
	if r.StatusCode != 201 {
		t.Fatalf("same slug in another tenant: %d %s", r.StatusCode, r.body)
	}
	southID := r.json(t)["id"]
	north := owner.do("GET", "/api/v1/accounts/acme", nil).json(t)
	if north["id"] == southID || north["name"] != "Acme Corporation" {
		t.Fatalf("north sees %v", north)
	}
	south := sam.do("GET", "/api/v1/accounts", nil)
	if strings.Contains(string(south.body), "Acme Corporation") || !strings.Contains(string(south.body), "SOUTH-ONLY") {
		t.Fatalf("south list %s", south.body)
	}
	if strings.Contains(string(owner.do("GET", "/api/v1/accounts", nil).body), "SOUTH-ONLY") {
		t.Fatal("north list shows the south account")
	}
	u := sam.do("GET", "/api/v1/tenant/usage", nil).json(t)
	if u["plan"] != "growth" || u["accounts_limit"] != float64(5) || u["accounts_used"] != float64(1) {
		t.Fatalf("south usage %v", u)
	}
	if _, ok := u["db_bytes"]; ok {
		t.Errorf("with two firms, one sees the shared file's size: %v", u)
	}
}

func TestListPaging(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	for i := 2; i <= 7; i++ {
		owner.do("POST", "/api/v1/accounts", newAccount(fmt.Sprintf("Client %d", i), fmt.Sprintf("client-%d", i)))
	}
	var seen []string
	cursor := ""
	for pages := 0; pages < 10; pages++ {
		path := "/api/v1/accounts?limit=3"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		body := owner.do("GET", path, nil).json(t)
		for _, it := range body["items"].([]any) {
			seen = append(seen, it.(map[string]any)["slug"].(string))
		}
		next, _ := body["next_cursor"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	if got := strings.Join(seen, ","); got != "acme,client-2,client-3,client-4,client-5,client-6,client-7" {
		t.Fatalf("pages gave %s", got)
	}
	for _, bad := range []string{"?limit=0", "?limit=501", "?limit=x", "?cursor=garbage!"} {
		if r := owner.do("GET", "/api/v1/accounts"+bad, nil); r.StatusCode != 400 {
			t.Errorf("%s: %d", bad, r.StatusCode)
		}
	}
}
