package server

import (
	"net/http/httptest"
	"strings"
	"testing"

	"bureau/connector/blueprism/bpsim"
	"bureau/connector/simkit"
)

func TestConnectorsListEveryProvider(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	items := owner.do("GET", "/api/v1/connectors", nil).json(t)["items"].([]any)
	names := map[string]bool{}
	for _, it := range items {
		spec := it.(map[string]any)
		names[spec["name"].(string)] = true
		for _, f := range spec["fields"].([]any) {
			field := f.(map[string]any)
			if field["help"] == "" || field["label"] == "" {
				t.Errorf("%s.%s: every field needs a label and help", spec["name"], field["key"])
			}
			if field["secret"] == true && field["default"] != nil {
				t.Errorf("%s.%s: a secret with a default", spec["name"], field["key"])
			}
		}
	}
	for _, want := range []string{"uipath-cloud", "uipath-onprem", "blue-prism", "automation-anywhere", "power-automate", "robomotion", "demo"} {
		if !names[want] {
			t.Errorf("provider %s missing from %v", want, names)
		}
	}
}

// The whole path through the API against a Blue Prism simulator: save,
// test, a Client rotates the secret to a wrong one, the test shows the
// vendor's refusal; the secret never shows up in any response, log line
// or audit row (SEC-03, SEC-07, ISO-13).
func TestConnectionThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	e.addPerson("cleo@acme.example", "a long enough password", "client", "acme")
	e.addPerson("ursula@acme.example", "a long enough password", "account_user", "acme")
	cl := e.login("cleo@acme.example", "a long enough password")
	user := e.login("ursula@acme.example", "a long enough password")

	sim := bpsim.New(simkit.Options{})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	good := sim.Secrets()["client_secret"]
	const path = "/api/v1/accounts/acme/connection"

	wantStatus(t, owner.do("POST", path+"/test", nil), 409, "connection_missing")
	if got := owner.do("GET", path, nil).json(t); got["provider"] != nil {
		t.Fatalf("before: %v", got)
	}
	r := owner.do("PUT", path, map[string]any{"provider": "blue-prism", "settings": sim.Settings(srv.URL), "secrets": sim.Secrets()})
	wantStatus(t, r, 200, "")
	if strings.Contains(string(r.body), good) {
		t.Fatal("the secret came back")
	}
	got := r.json(t)
	if got["provider"] != "blue-prism" || got["secrets"].(map[string]any)["client_secret"].(map[string]any)["configured"] != true {
		t.Fatalf("after save: %v", got)
	}

	out := owner.do("POST", path+"/test", nil).json(t)
	if out["ok"] != true || out["details"] == "" {
		t.Fatalf("test with the right secret: %v", out)
	}

	wantStatus(t, cl.do("PUT", path, map[string]any{"provider": "demo"}), 403, "")
	wantStatus(t, cl.do("POST", path+"/test", nil), 403, "")
	wantStatus(t, user.do("GET", path, nil), 403, "")
	wrong := sim.WrongSecrets()["client_secret"]
	r = cl.do("PUT", path+"/secrets", map[string]any{"secrets": map[string]string{"client_secret": wrong}})
	wantStatus(t, r, 200, "")
	if r.json(t)["last_test"] != nil {
		t.Fatal("a rotated secret keeps the old test result")
	}
	wantStatus(t, cl.do("PUT", path+"/secrets", map[string]any{"secrets": map[string]string{"client_id": "x"}}), 422, "unknown_field")

	r = owner.do("POST", path+"/test", nil)
	out = r.json(t)
	vendorErr, _ := out["error"].(map[string]any)
	if out["ok"] != false || vendorErr["code"] != "auth_failed" || vendorErr["message"] == "" {
		t.Fatalf("test with the wrong secret: %v", out)
	}
	// The client sees the recorded outcome too.
	if lt := cl.do("GET", path, nil).json(t)["last_test"].(map[string]any); lt["ok"] != false {
		t.Fatalf("client's view of the last test: %v", lt)
	}

	for _, s := range []string{good, wrong} {
		if strings.Contains(e.logs.String(), s) {
			t.Errorf("a secret is in the logs")
		}
		if n := e.count(`SELECT COUNT(*) FROM audit_events WHERE details LIKE ?`, "%"+s+"%"); n != 0 {
			t.Errorf("a secret is in the audit log")
		}
		if n := e.count(`SELECT COUNT(*) FROM connection_secrets WHERE sealed LIKE ?`, "%"+s+"%"); n != 0 {
			t.Errorf("a secret is stored in clear")
		}
		for _, c := range []*client{owner, cl} {
			if body := c.do("GET", path, nil).body; strings.Contains(string(body), s) {
				t.Errorf("a secret is in a connection response")
			}
		}
	}
	for _, action := range []string{"connection.update", "connection.secrets_rotate", "connection.test"} {
		if e.count(`SELECT COUNT(*) FROM audit_events WHERE action = ?`, action) == 0 {
			t.Errorf("no %s audit event", action)
		}
	}
}

// SEC-02 through the API: a sealed secret copied to another account makes
// that account's test say "re-enter", not fail with a 500.
func TestMovedSecretAsksForReentry(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	wantStatus(t, owner.do("POST", "/api/v1/accounts", map[string]any{"name": "Beta Ltd", "slug": "beta"}), 201, "")
	in := map[string]any{"provider": "robomotion", "settings": map[string]string{"url": "https://api.robomotion.example"},
		"secrets": map[string]string{"api_token": "acme-robomotion-token"}}
	for _, acc := range []string{"acme", "beta"} {
		wantStatus(t, owner.do("PUT", "/api/v1/accounts/"+acc+"/connection", in), 200, "")
	}
	e.exec(`UPDATE connection_secrets SET sealed = (SELECT s.sealed FROM connection_secrets s JOIN accounts a ON a.id = s.account_id
		WHERE a.slug = 'acme') WHERE account_id = (SELECT id FROM accounts WHERE slug = 'beta')`)
	got := owner.do("GET", "/api/v1/accounts/beta/connection", nil).json(t)
	if got["secrets"].(map[string]any)["api_token"].(map[string]any)["needs_reentry"] != true {
		t.Fatalf("moved secret: %v", got["secrets"])
	}
	r := owner.do("POST", "/api/v1/accounts/beta/connection/test", nil)
	wantStatus(t, r, 200, "")
	if r.json(t)["error"].(map[string]any)["code"] != "secret_needs_reentry" {
		t.Fatalf("test: %s", r.body)
	}
}
