package server

import (
	"context"
	"strings"
	"testing"
)

// SSO settings: the client secret is write-only and sealed at rest; the
// rest round-trips normalized; bad input names its field.
func TestSSOSettings(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	got := owner.do("GET", "/api/v1/tenant/sso", nil).json(t)
	if got["configured"] != false || got["redirect_uri"] != testBase+"/api/v1/auth/oidc/northwind/callback" {
		t.Fatalf("before: %v", got)
	}
	const secretValue = "entra-client-secret-Xq8~value"
	in := map[string]any{
		"issuer": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0/", "client_id": "app-123",
		"client_secret": secretValue, "allowed_domains": []string{"@Northwind.example", "northwind.example", "nw-consult.example"},
		"groups_claim": "groups", "group_roles": map[string]string{"0f1e2d3c-admins": "tenant_admin", "consultants": "consultant"},
	}
	r := owner.do("PUT", "/api/v1/tenant/sso", in)
	wantStatus(t, r, 200, "")
	if strings.Contains(string(r.body), secretValue) {
		t.Fatal("the client secret came back")
	}
	got = r.json(t)
	if got["configured"] != true || got["client_secret_set"] != true ||
		got["issuer"] != "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0" ||
		len(got["allowed_domains"].([]any)) != 2 || got["group_roles"].(map[string]any)["consultants"] != "consultant" {
		t.Fatalf("after put: %v", got)
	}
	if n := e.count(`SELECT COUNT(*) FROM tenant_sso WHERE client_secret LIKE ?`, "%"+secretValue+"%"); n != 0 {
		t.Fatal("the client secret is stored in clear")
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_events WHERE details LIKE ?`, "%"+secretValue+"%"); n != 0 {
		t.Fatal("the client secret is in the audit log")
	}
	tenantID := e.tenantOf(e.userID("ann@northwind.example"))
	plain, err := e.srv.SSO.ClientSecret(context.Background(), tenantID)
	if err != nil || plain != secretValue {
		t.Fatalf("open the sealed secret: %q %v", plain, err)
	}

	// Without client_secret the stored one stays; "" removes it.
	delete(in, "client_secret")
	wantStatus(t, owner.do("PUT", "/api/v1/tenant/sso", in), 200, "")
	if plain, _ := e.srv.SSO.ClientSecret(context.Background(), tenantID); plain != secretValue {
		t.Fatal("a PUT without client_secret dropped it")
	}
	in["client_secret"] = ""
	if owner.do("PUT", "/api/v1/tenant/sso", in).json(t)["client_secret_set"] != false {
		t.Fatal(`client_secret "" should remove it`)
	}

	bad := map[string]any{
		"issuer": "http://idp.example.com", "client_id": "", "allowed_domains": []string{"not a domain"},
		"group_roles": map[string]string{"x": "client"}, "groups_claim": "bad claim!",
	}
	r = owner.do("PUT", "/api/v1/tenant/sso", bad)
	wantStatus(t, r, 422, "validation_failed")
	want := map[string]string{"issuer": "issuer_invalid", "client_id": "client_id_invalid", "allowed_domains[0]": "domain_invalid",
		"group_roles.x": "role_invalid", "groups_claim": "groups_claim_invalid"}
	got2 := fieldCodes(t, r)
	for f, code := range want {
		if got2[f] != code {
			t.Errorf("%s: got %q, want %q (all: %v)", f, got2[f], code, got2)
		}
	}
	r = owner.do("PUT", "/api/v1/tenant/sso", map[string]any{"issuer": "https://login.microsoftonline.com/organizations/v2.0", "client_id": "a"})
	wantStatus(t, r, 422, "tenant_ids_required")
	wantStatus(t, owner.do("PUT", "/api/v1/tenant/sso", map[string]any{"issuer": "http://127.0.0.1:9999", "client_id": "a"}), 200, "")
}
