package server

import (
	"encoding/base64"
	"testing"
)

func TestTenantBrandingAndName(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	png := "data:image/png;base64," + base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\nfake"))
	r := owner.do("PATCH", "/api/v1/tenant", map[string]any{"name": " Northwind Automation Ltd ",
		"branding": map[string]any{"display_name": "Northwind", "color": "#1F4E79", "logo": png, "support_email": "Help@Northwind.example"}})
	wantStatus(t, r, 200, "")
	got := r.json(t)
	b := got["branding"].(map[string]any)
	if got["name"] != "Northwind Automation Ltd" || b["color"] != "#1f4e79" || b["support_email"] != "help@northwind.example" || b["logo"] != png {
		t.Fatalf("after patch: %s", r.body)
	}
	// The invitation page and mail carry the display name and colour.
	wantStatus(t, owner.invite("acme", inv("kai@client.example", "client")), 201, "")
	view := e.client().do("GET", "/api/v1/invitations/"+e.outboxToken("kai@client.example"), nil).json(t)
	if view["tenant"].(map[string]any)["branding"].(map[string]any)["display_name"] != "Northwind" {
		t.Fatalf("invitation branding: %v", view)
	}
	if e.count(`SELECT COUNT(*) FROM outbox WHERE subject = 'Invitation to Acme Corporation on Northwind'`) != 1 {
		t.Fatal("the mail does not carry the display name")
	}

	big := "data:image/png;base64," + base64.StdEncoding.EncodeToString(make([]byte, 201<<10))
	r = owner.do("PATCH", "/api/v1/tenant", map[string]any{"name": "", "branding": map[string]any{
		"color": "blue", "logo": "https://cdn.example/logo.png", "support_email": "nope"}})
	wantStatus(t, r, 422, "validation_failed")
	want := map[string]string{"name": "name_invalid", "branding.color": "color_invalid", "branding.logo": "logo_invalid",
		"branding.support_email": "email_invalid"}
	if got := fieldCodes(t, r); len(got) != len(want) || got["branding.logo"] != "logo_invalid" || got["name"] != "name_invalid" {
		t.Fatalf("errors: %v", got)
	}
	wantStatus(t, owner.do("PATCH", "/api/v1/tenant", map[string]any{"branding": map[string]any{"logo": big}}), 422, "logo_too_large")
	wantStatus(t, owner.do("PATCH", "/api/v1/tenant", map[string]any{"slug": "other"}), 400, "unknown_field")
	if owner.do("GET", "/api/v1/tenant", nil).json(t)["name"] != "Northwind Automation Ltd" {
		t.Fatal("a refused patch changed the tenant")
	}
}

// AUTH-12: staff passwords go off only after an SSO sign-in has succeeded;
// then staff password sign-in is refused and staff password sessions end.
func TestStaffPasswordSwitch(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	e.addPerson("cl@client.example", "client person long password", "client", "acme")
	client := e.login("cl@client.example", "client person long password")
	off := map[string]any{"staff_passwords_enabled": false}
	wantStatus(t, owner.do("PATCH", "/api/v1/tenant", off), 409, "sso_not_verified")

	wantStatus(t, owner.do("PUT", "/api/v1/tenant/sso", map[string]any{"issuer": "http://127.0.0.1:9999", "client_id": "bureau"}), 200, "")
	wantStatus(t, owner.do("PATCH", "/api/v1/tenant", off), 409, "sso_not_verified")
	e.exec(`UPDATE tenant_sso SET last_success_at = created_at`) // what a successful SSO sign-in records
	r := owner.do("PATCH", "/api/v1/tenant", off)
	wantStatus(t, r, 200, "")
	if r.json(t)["staff_passwords_enabled"] != false {
		t.Fatalf("switch: %s", r.body)
	}
	wantStatus(t, owner.do("GET", "/api/v1/me", nil), 401, "unauthenticated")
	r = e.client().do("POST", "/api/v1/auth/login", map[string]string{"email": "ann@northwind.example", "password": ownerPassword})
	wantStatus(t, r, 403, "password_login_disabled")
	// Every other staff password path is closed too.
	wantStatus(t, e.client().do("POST", "/api/v1/auth/password-reset", map[string]string{"email": "ann@northwind.example"}), 202, "")
	if n := e.count(`SELECT COUNT(*) FROM password_resets`); n != 0 {
		t.Fatalf("a staff reset link was issued with staff passwords off (%d)", n)
	}
	e.exec(`UPDATE tenants SET staff_passwords_enabled = 1`)
	ann := e.login("ann@northwind.example", ownerPassword)
	e.exec(`UPDATE tenants SET staff_passwords_enabled = 0`)
	wantStatus(t, ann.do("POST", "/api/v1/me/password", map[string]string{"current_password": ownerPassword, "new_password": inviteePassword}),
		409, "password_login_disabled")
	// Client people keep their passwords.
	wantStatus(t, client.do("GET", "/api/v1/me", nil), 200, "")
	e.login("cl@client.example", "client person long password")
}
