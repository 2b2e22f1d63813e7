package server

import (
	"strings"
	"sync"
	"testing"

	"bureau/tenant"
)

func TestSetupNeededUntilDone(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	if got := c.do("GET", "/api/v1/setup", nil).json(t)["needed"]; got != true {
		t.Fatalf("fresh install: needed = %v, want true", got)
	}
	r := c.do("POST", "/api/v1/setup", validSetup())
	if r.StatusCode != 201 {
		t.Fatalf("setup: %d %s", r.StatusCode, r.body)
	}
	body := r.json(t)
	if body["tenant"].(map[string]any)["plan"] != "trial" {
		t.Errorf("a tenant without license starts on trial: %v", body["tenant"])
	}
	if body["account"].(map[string]any)["slug"] != "acme" {
		t.Errorf("first account: %v", body["account"])
	}
	if got := c.do("GET", "/api/v1/setup", nil).json(t)["needed"]; got != false {
		t.Fatalf("after setup: needed = %v", got)
	}
	// The owner is signed in as Tenant Admin.
	me := c.do("GET", "/api/v1/me", nil)
	if me.StatusCode != 200 || me.json(t)["membership"].(map[string]any)["role"] != "tenant_admin" {
		t.Fatalf("me after setup: %d %s", me.StatusCode, me.body)
	}
	// Tenant, account, owner and membership were written with their audit events.
	for table, want := range map[string]int{"tenants": 1, "accounts": 1, "users": 1, "memberships": 1} {
		if n := e.count("SELECT COUNT(*) FROM " + table); n != want {
			t.Errorf("%s: %d rows, want %d", table, n, want)
		}
	}
	if n := e.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('tenant.create','account.create','staff.add')"); n != 3 {
		t.Errorf("audit events for setup: %d, want 3", n)
	}
}

func TestSecondSetupRefused(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	other := validSetup()
	other.TenantSlug, other.OwnerEmail = "intruder", "mallory@evil.example"
	r := e.client().do("POST", "/api/v1/setup", other)
	if r.StatusCode != 409 || r.code(t) != "setup_done" {
		t.Fatalf("second setup: %d %s", r.StatusCode, r.body)
	}
	if n := e.count("SELECT COUNT(*) FROM users WHERE email = 'mallory@evil.example'"); n != 0 {
		t.Fatal("second setup wrote a user")
	}
}

func TestConcurrentSetupsCreateOneTenant(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	for i := range statuses {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			in := validSetup()
			in.OwnerEmail = strings.Replace(in.OwnerEmail, "ann", "ann"+string(rune('a'+i)), 1)
			statuses[i] = e.client().do("POST", "/api/v1/setup", in).StatusCode
		}(i)
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		switch s {
		case 201:
			created++
		case 409:
		default:
			t.Errorf("unexpected status %d", s)
		}
	}
	if created != 1 || e.count("SELECT COUNT(*) FROM tenants") != 1 {
		t.Fatalf("%d setups succeeded, %d tenants", created, e.count("SELECT COUNT(*) FROM tenants"))
	}
}

func TestSetupValidation(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*tenant.SetupInput)
		code   string
		field  string
		status int
	}{
		{"slug with capitals", func(in *tenant.SetupInput) { in.TenantSlug = "North" }, "slug_invalid", "tenant_slug", 422},
		{"slug leading hyphen", func(in *tenant.SetupInput) { in.TenantSlug = "-north" }, "slug_invalid", "tenant_slug", 422},
		{"slug double hyphen", func(in *tenant.SetupInput) { in.TenantSlug = "north--wind" }, "slug_invalid", "tenant_slug", 422},
		{"slug too short", func(in *tenant.SetupInput) { in.TenantSlug = "n" }, "slug_invalid", "tenant_slug", 422},
		{"slug too long", func(in *tenant.SetupInput) { in.TenantSlug = strings.Repeat("a", 51) }, "slug_invalid", "tenant_slug", 422},
		{"slug reserved", func(in *tenant.SetupInput) { in.TenantSlug = "api" }, "slug_reserved", "tenant_slug", 422},
		{"account slug reserved", func(in *tenant.SetupInput) { in.AccountSlug = "settings" }, "slug_reserved", "account_slug", 422},
		{"account slug invalid", func(in *tenant.SetupInput) { in.AccountSlug = "acme_corp" }, "slug_invalid", "account_slug", 422},
		{"blank tenant name", func(in *tenant.SetupInput) { in.TenantName = "   " }, "name_invalid", "tenant_name", 422},
		{"tenant name too long", func(in *tenant.SetupInput) { in.TenantName = strings.Repeat("x", 101) }, "name_invalid", "tenant_name", 422},
		{"account name with newline", func(in *tenant.SetupInput) { in.AccountName = "Acme\nBcc: x" }, "name_invalid", "account_name", 422},
		{"owner email", func(in *tenant.SetupInput) { in.OwnerEmail = "Ann <ann@x.example>" }, "email_invalid", "owner_email", 422},
		{"short password", func(in *tenant.SetupInput) { in.OwnerPassword = "fourteen chars" }, "password_too_short", "owner_password", 422},
		{"common password", func(in *tenant.SetupInput) { in.OwnerPassword = "northwindpassword123" }, "password_too_common", "owner_password", 422},
		{"paid plan without license", func(in *tenant.SetupInput) { in.Plan = "growth" }, "license_required", "license", 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			in := validSetup()
			tt.edit(&in)
			r := e.client().do("POST", "/api/v1/setup", in)
			if r.StatusCode != tt.status || r.code(t) != tt.code {
				t.Fatalf("got %d %s, want %d %s", r.StatusCode, r.body, tt.status, tt.code)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
			errs, _ := r.json(t)["errors"].([]any)
			if len(errs) != 1 || errs[0].(map[string]any)["field"] != tt.field {
				t.Errorf("errors %v, want one on %s", errs, tt.field)
			}
			if n := e.count("SELECT COUNT(*) FROM tenants"); n != 0 {
				t.Fatal("an invalid setup wrote a tenant")
			}
		})
	}
}

func TestSetupReportsEveryBadField(t *testing.T) {
	e := newEnv(t)
	in := validSetup()
	in.TenantSlug, in.OwnerEmail, in.OwnerPassword = "Bad Slug", "nope", "short"
	r := e.client().do("POST", "/api/v1/setup", in)
	if r.StatusCode != 422 || r.code(t) != "validation_failed" {
		t.Fatalf("%d %s", r.StatusCode, r.body)
	}
	fields := map[string]bool{}
	for _, fe := range r.json(t)["errors"].([]any) {
		fields[fe.(map[string]any)["field"].(string)] = true
	}
	for _, f := range []string{"tenant_slug", "owner_email", "owner_password"} {
		if !fields[f] {
			t.Errorf("no error for %s in %s", f, r.body)
		}
	}
}

func TestSetupWithoutAccountUsesTheFirm(t *testing.T) {
	e := newEnv(t)
	in := validSetup()
	in.AccountName, in.AccountSlug = "", ""
	r := e.client().do("POST", "/api/v1/setup", in)
	if r.StatusCode != 201 {
		t.Fatalf("%d %s", r.StatusCode, r.body)
	}
	if got := r.json(t)["account"].(map[string]any)["slug"]; got != "northwind" {
		t.Fatalf("account slug %v, want the firm's", got)
	}
}

// SPEC §1: a tenant starts on the trial plan, or on the plan of a license
// pasted into setup; a license that does not hold is refused with its reason.
func TestSetupWithLicense(t *testing.T) {
	tests := []struct {
		name, plan, license, code, field string
	}{
		{"tampered", "", strings.Replace(signedLicense("northwind", 40, "2027-12-31"), "max_accounts: 40", "max_accounts: 99", 1), "license_invalid", "license"},
		{"another firm's", "", signedLicense("southwind", 40, "2027-12-31"), "license_wrong_tenant", "license"},
		{"expired", "", signedLicense("northwind", 40, "2026-01-31"), "license_expired", "license"},
		{"plan differs", "growth", signedLicense("northwind", 40, "2027-12-31"), "license_plan_mismatch", "plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			in := validSetup()
			in.Plan, in.License = tt.plan, tt.license
			r := e.client().do("POST", "/api/v1/setup", in)
			if r.StatusCode != 422 || r.code(t) != tt.code || !strings.Contains(string(r.body), `"field":"`+tt.field+`"`) {
				t.Fatalf("got %d %s", r.StatusCode, r.body)
			}
			if n := e.count("SELECT COUNT(*) FROM tenants"); n != 0 {
				t.Fatal("a refused license wrote a tenant")
			}
		})
	}
	e := newEnv(t)
	in := validSetup()
	in.Plan, in.License = "consulting", signedLicense("northwind", 40, "2027-12-31")
	owner := e.client()
	r := owner.do("POST", "/api/v1/setup", in)
	if r.StatusCode != 201 || r.json(t)["tenant"].(map[string]any)["plan"] != "consulting" {
		t.Fatalf("valid license: %d %s", r.StatusCode, r.body)
	}
	if u := owner.do("GET", "/api/v1/tenant/usage", nil).json(t); u["accounts_limit"] != float64(40) || u["license_state"] != "valid" {
		t.Fatalf("usage after a licensed setup: %v", u)
	}
}
