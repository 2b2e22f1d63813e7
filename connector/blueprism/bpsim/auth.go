package bpsim

import (
	"net/http"
	"slices"
	"strings"
)

// grant is what an access token stands for.
type grant struct {
	client string
	scopes []string
}

type grantKey struct{}

func grantOf(r *http.Request) grant {
	g, _ := r.Context().Value(grantKey{}).(grant)
	return g
}

// account is a Hub service account registered with the Authentication
// Server, and the Blue Prism permissions of its user.
type account struct {
	secret      string
	permissions []string
}

var allScopes = []string{"bp-api", "bpserver"}

var accounts = map[string]account{
	ClientID: {secret: ClientSecret, permissions: []string{
		"View Process Definition", "Execute Process", "Export Process",
		"View Resource", "Control Resource", "Configure Resource", "View Resource Screen Captures",
		"View Schedule", "Edit Schedule", "Create Schedule", "Retire Schedule", "Historic Session Log",
	}},
	ReadOnlyClientID: {secret: ReadOnlySecret, permissions: []string{
		"View Process Definition", "View Resource", "View Schedule",
	}},
}

// token is the Authentication Server's /connect/token. It answers OAuth
// errors the way IdentityServer does: 400 with {"error": …}.
func (s *Sim) token(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") || r.ParseForm() != nil {
		oauthError(w, "invalid_request")
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		oauthError(w, "unsupported_grant_type")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	acct, known := accounts[id]
	if !known || secret == "" || secret != acct.secret {
		oauthError(w, "invalid_client")
		return
	}
	scopes := strings.Fields(r.PostForm.Get("scope"))
	if len(scopes) == 0 {
		scopes = allScopes // no scope: every scope the client is allowed
	}
	for _, sc := range scopes {
		if !slices.Contains(allScopes, sc) {
			oauthError(w, "invalid_scope")
			return
		}
	}
	tok, lifetime := s.tokens.Issue()
	s.mu.Lock()
	s.grants[tok] = grant{client: id, scopes: scopes}
	s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "expires_in": lifetime, "token_type": "Bearer", "scope": strings.Join(scopes, " "),
	})
}

func oauthError(w http.ResponseWriter, code string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": code})
}

// authenticate checks the bearer token. A token without the bp-api scope
// is one for another audience: refused like an invalid one.
func (s *Sim) authenticate(w http.ResponseWriter, r *http.Request) (grant, bool) {
	tok := bearer(r)
	s.mu.Lock()
	g, issued := s.grants[tok]
	s.mu.Unlock()
	switch {
	case tok == "" || !issued || !s.tokens.Valid(tok):
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	case !slices.Contains(g.scopes, "bp-api"):
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="The audience is invalid"`)
	default:
		return g, true
	}
	errorText(w, http.StatusUnauthorized, "The authentication token was either missing or invalid.")
	return grant{}, false
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		return h[7:]
	}
	return ""
}

// can reports whether the caller's Blue Prism user has any of perms.
func can(r *http.Request, perms ...string) bool {
	have := accounts[grantOf(r).client].permissions
	for _, p := range perms {
		if slices.Contains(have, p) {
			return true
		}
	}
	return false
}

// Permission groups, as the spec's "at least one of" lists name them.
var (
	processPerms  = []string{"Create Process", "Edit Process", "Execute Process", "View Process Definition", "Export Process"}
	resourcePerms = []string{"View Resource", "Control Resource", "Configure Resource", "View Resource Screen Captures"}
)

// forbidden is the spec's 403 for reads: a bare string.
func forbidden(w http.ResponseWriter) {
	errorText(w, http.StatusForbidden, "The user does not have permission to perform this action.")
}

func (s *Sim) permissions(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, accounts[grantOf(r).client].permissions)
}
