package server

import (
	"testing"
)

// SPEC §1: a trial set up with sample data gets three demo clients on the
// demo estate, each already syncing, so dashboards fill within a minute.
func TestSetupWithSampleData(t *testing.T) {
	e := newEnv(t)
	in := validSetup()
	in.SampleData = true
	owner := e.client()
	wantStatus(t, owner.do("POST", "/api/v1/setup", in), 201, "")
	if n := e.count(`SELECT COUNT(*) FROM accounts`); n != 4 {
		t.Fatalf("%d accounts, want the first client and three demo clients", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM connections WHERE provider = 'demo'`); n != 3 {
		t.Fatalf("%d demo connections, want 3", n)
	}
	for _, slug := range []string{"contoso-demo", "fabrikam-demo", "tailspin-demo"} {
		e.waitSync(t, slug)
		runs := owner.do("GET", "/api/v1/accounts/"+slug+"/sync-runs", nil).json(t)["items"].([]any)
		if len(runs) != 1 || runs[0].(map[string]any)["trigger"] != "setup" || runs[0].(map[string]any)["status"] != "succeeded" {
			t.Fatalf("%s sync runs: %v", slug, runs)
		}
		dash := owner.do("GET", "/api/v1/accounts/"+slug+"/dashboard?days=7", nil).json(t)
		if dash["connected"] != true {
			t.Fatalf("%s dashboard does not say it is connected", slug)
		}
		if dash["totals"].(map[string]any)["runs"].(float64) == 0 {
			t.Fatalf("%s dashboard is empty after its first sync: %v", slug, dash["totals"])
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM connections c JOIN accounts a ON a.id = c.account_id WHERE a.slug = 'acme'`); n != 0 {
		t.Fatal("the firm's own first client was connected to the demo estate")
	}
	if owner.do("GET", "/api/v1/accounts/acme/dashboard", nil).json(t)["connected"] != false {
		t.Fatal("the unconnected first client's dashboard says it is connected")
	}
}

func TestSampleDataIsForTrialsOnly(t *testing.T) {
	e := newEnv(t)
	in := validSetup()
	in.SampleData = true
	in.License = signedLicense(in.TenantSlug, 40, "2027-12-31")
	r := e.client().do("POST", "/api/v1/setup", in)
	wantStatus(t, r, 422, "sample_data_trial_only")
	if n := e.count(`SELECT COUNT(*) FROM tenants`); n != 0 {
		t.Fatal("a refused setup created a tenant")
	}
}
