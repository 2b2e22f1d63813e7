package sso

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/coreos/go-oidc/v3/oidc/oidctest"
	"golang.org/x/oauth2"

	"bureau/apperr"
	"bureau/store/storetest"
)

// The ID token checks, against go-oidc's own test provider: signature
// (known key, no "none"), audience, expiry and — ours — the nonce, plus the
// groups claim and Entra's group overage.
func TestVerifyIDToken(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	op := &oidctest.Server{PublicKeys: []oidctest.PublicKey{{PublicKey: key.Public(), KeyID: "k1", Algorithm: oidc.RS256}}}
	srv := httptest.NewServer(op)
	defer srv.Close()
	op.SetIssuer(srv.URL)
	ctx := context.Background()
	p, err := oidc.NewProvider(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	f := &Flow{Settings: &Service{Now: func() time.Time { return now }}}
	st := Settings{ClientID: "bureau", GroupsClaim: "groups", GroupRoles: map[string]string{"g-admins": "tenant_admin", "g-cons": "consultant"}}

	claims := func(extra string) string {
		return fmt.Sprintf(`{"iss":%q,"sub":"s1","aud":"bureau","exp":%d,"iat":%d,"nonce":"n1","email":"Kim@Northwind.example"%s}`,
			srv.URL, now.Add(time.Hour).Unix(), now.Unix(), extra)
	}
	token := func(raw string) *oauth2.Token {
		return (&oauth2.Token{AccessToken: "at"}).WithExtra(map[string]any{"id_token": raw})
	}
	good := oidctest.SignIDToken(key, "k1", oidc.RS256, claims(`,"groups":["g-cons","g-admins","other"]`))

	id, _, err := f.verify(ctx, st, p, token(good), "n1")
	if err != nil || id.Role != "tenant_admin" || id.Email != "kim@northwind.example" || id.Subject != "s1" {
		t.Fatalf("good token: %+v %v", id, err)
	}
	entra := oidctest.SignIDToken(key, "k1", oidc.RS256, claims(`,"tid":"t-1","oid":"o-1","groups":"g-cons"`))
	if id, _, err := f.verify(ctx, st, p, token(entra), "n1"); err != nil || id.Subject != "o-1" || id.Role != "consultant" {
		t.Fatalf("entra token: %+v %v", id, err)
	}

	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	payload := base64.RawURLEncoding.EncodeToString([]byte(claims("")))
	refused := map[string]struct {
		raw, nonce, code string
	}{
		"wrong nonce":         {good, "n2", "sso_token_invalid"},
		"no nonce expected":   {good, "", "sso_token_invalid"},
		"wrong audience":      {oidctest.SignIDToken(key, "k1", oidc.RS256, `{"iss":"`+srv.URL+`","sub":"s1","aud":"someone-else","exp":`+fmt.Sprint(now.Add(time.Hour).Unix())+`,"nonce":"n1"}`), "n1", "sso_token_invalid"},
		"expired":             {oidctest.SignIDToken(key, "k1", oidc.RS256, `{"iss":"`+srv.URL+`","sub":"s1","aud":"bureau","exp":`+fmt.Sprint(now.Add(-time.Minute).Unix())+`,"nonce":"n1"}`), "n1", "sso_token_invalid"},
		"wrong issuer":        {oidctest.SignIDToken(key, "k1", oidc.RS256, `{"iss":"https://evil.example","sub":"s1","aud":"bureau","exp":`+fmt.Sprint(now.Add(time.Hour).Unix())+`,"nonce":"n1"}`), "n1", "sso_token_invalid"},
		"unknown signing key": {oidctest.SignIDToken(other, "k2", oidc.RS256, claims("")), "n1", "sso_token_invalid"},
		"alg none":            {header + "." + payload + ".", "n1", "sso_token_invalid"},
		"no id token":         {"", "n1", "sso_token_invalid"},
		"group overage":       {oidctest.SignIDToken(key, "k1", oidc.RS256, claims(`,"_claim_names":{"groups":"src1"},"_claim_sources":{"src1":{"endpoint":"https://graph.microsoft.com/v1.0/users/x/getMemberObjects"}}`)), "n1", "sso_group_overage"},
	}
	for name, c := range refused {
		t.Run(name, func(t *testing.T) {
			_, _, err := f.verify(ctx, st, p, token(c.raw), c.nonce)
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code != c.code {
				t.Fatalf("got %v, want %s", err, c.code)
			}
		})
	}
}

func TestMapRole(t *testing.T) {
	roles := map[string]string{"a": "tenant_admin", "c": "consultant"}
	for _, tc := range []struct {
		groups []string
		want   string
	}{{nil, ""}, {[]string{"x"}, ""}, {[]string{"c"}, "consultant"}, {[]string{"c", "a"}, "tenant_admin"}, {[]string{"a", "c"}, "tenant_admin"}, {[]string{"A"}, ""}} {
		if got := mapRole(tc.groups, roles); got != tc.want {
			t.Errorf("%v: got %q, want %q", tc.groups, got, tc.want)
		}
	}
}

// RP-initiated logout: the provider's end_session_endpoint, with our client
// and where to come back; none when the provider advertises none.
func TestEndSessionURL(t *testing.T) {
	var withEnd bool
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		doc := map[string]any{"issuer": srvURL, "authorization_endpoint": srvURL + "/auth", "token_endpoint": srvURL + "/token",
			"jwks_uri": srvURL + "/keys"}
		if withEnd {
			doc["end_session_endpoint"] = srvURL + "/logout?x=1"
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(doc)
	}))
	defer srv.Close()
	srvURL = srv.URL
	db := storetest.Open(t,
		`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ('t1','one','One','','')`,
		`INSERT INTO tenant_sso (tenant_id, issuer, client_id, created_at, updated_at) VALUES ('t1','`+srv.URL+`','bureau','2026-01-01T00:00:00.000000000Z','2026-01-01T00:00:00.000000000Z')`)
	f := &Flow{Settings: &Service{DB: db, Now: time.Now}, BaseURL: "https://bureau.example"}
	if got := f.EndSessionURL(context.Background(), "t1"); got != "" {
		t.Fatalf("no end_session_endpoint: %q", got)
	}
	withEnd = true
	f.providers = nil // forget the cached discovery
	got := f.EndSessionURL(context.Background(), "t1")
	want := srv.URL + "/logout?client_id=bureau&post_logout_redirect_uri=https%3A%2F%2Fbureau.example%2Flogin&x=1"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if f.EndSessionURL(context.Background(), "t2") != "" {
		t.Fatal("a tenant without SSO has an end-session URL")
	}
}

// OIDC-04: no verifier check is ever switched off (SkipIssuerCheck is the
// documented Entra multi-tenant recipe, with iss and tid checked by hand).
func TestNoVerifierChecksSkipped(t *testing.T) {
	src, err := os.ReadFile("oidc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, banned := range []string{"SkipClientIDCheck", "SkipExpiryCheck", "InsecureSkipSignatureCheck", "form_post"} {
		if strings.Contains(string(src), banned) {
			t.Errorf("oidc.go uses %s", banned)
		}
	}
	if n := strings.Count(string(src), "SkipIssuerCheck"); n != 1 || !strings.Contains(string(src), "SkipIssuerCheck: multi") {
		t.Errorf("SkipIssuerCheck outside the multi-tenant recipe (%d uses)", n)
	}
}
