package uipathsim

import (
	"encoding/json"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"bureau/connector/simkit"
)

// authenticateLifetime is the ROPC token's documented default lifetime.
const authenticateLifetime = 30 * time.Minute

// token is the identity server's /connect/token: client credentials only,
// form-encoded, scopes checked against what the app was granted.
func (s *Sim) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeOAuthError(w, "invalid_request")
		return
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
		writeOAuthError(w, "invalid_request")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, "invalid_request")
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		writeOAuthError(w, "unsupported_grant_type")
		return
	}
	if r.PostForm.Get("client_id") != ClientID || r.PostForm.Get("client_secret") != ClientSecret {
		writeOAuthError(w, "invalid_client")
		return
	}
	scopes := strings.Fields(r.PostForm.Get("scope"))
	if len(scopes) == 0 {
		scopes = grantedScopes // IdentityServer grants every allowed scope
	}
	for _, sc := range scopes {
		if !slices.Contains(grantedScopes, sc) {
			writeOAuthError(w, "invalid_scope")
			return
		}
	}
	tok, secs := s.tokens.Issue()
	g := grant{scopes: map[string]bool{}}
	for _, sc := range scopes {
		g.scopes[sc] = true
	}
	s.mu.Lock()
	s.grants[tok] = g
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "expires_in": secs, "token_type": "Bearer", "scope": strings.Join(scopes, " "),
	})
}

type loginModel struct {
	TenancyName            string `json:"tenancyName"`
	UsernameOrEmailAddress string `json:"usernameOrEmailAddress"`
	Password               string `json:"password"`
}

// authenticate is the on-prem ROPC sign-in: an AjaxResponse whose result
// is a bearer token living 30 minutes. Null members of the envelope are
// omitted (the real server writes them as null; the published schema does
// not allow null, and readers treat both alike).
func (s *Sim) authenticate(w http.ResponseWriter, r *http.Request) {
	var in loginModel
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&in) != nil {
		writeABPError(w, http.StatusBadRequest, codeInvalidRequest, "Invalid request!")
		return
	}
	if in.TenancyName != "" && !strings.EqualFold(in.TenancyName, s.tenant) {
		// Assumption: the wording for an unknown tenant is not documented.
		writeABPError(w, http.StatusBadRequest, codeInvalidRequest, "There is no tenant with name "+in.TenancyName+".")
		return
	}
	if in.UsernameOrEmailAddress != Username || in.Password != Password {
		writeABPError(w, http.StatusBadRequest, codeInvalidRequest, "Invalid credentials, failed to login.")
		return
	}
	tok, _ := s.tokens.Issue()
	lifetime := authenticateLifetime
	if s.opts.TokenLifetime > 0 {
		lifetime = s.opts.TokenLifetime
	}
	s.mu.Lock()
	s.grants[tok] = grant{expires: s.opts.Clock.Now().Add(lifetime)}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"result": tok, "success": true, "unAuthorizedRequest": false, "__abp": true})
}

func writeABPError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{
		"message": msg, "errorCode": code, "success": false, "unAuthorizedRequest": false, "__abp": true,
		"error": map[string]any{"code": code, "message": msg},
	})
}

// authorized finds the request's grant, or answers 401.
func (s *Sim) authorized(w http.ResponseWriter, r *http.Request) (grant, bool) {
	tok := simkit.Bearer(r)
	s.mu.Lock()
	g, ok := s.grants[tok]
	s.mu.Unlock()
	if !ok || !s.tokens.Valid(tok) || (!g.expires.IsZero() && !s.opts.Clock.Now().Before(g.expires)) {
		writeNotAuthenticated(w)
		return grant{}, false
	}
	return g, true
}

// allows reports whether g holds the broad scope or its narrow variant,
// e.g. OR.Jobs or OR.Jobs.Read.
func (g grant) allows(scope, variant string) bool {
	return g.scopes == nil || g.scopes[scope] || g.scopes[scope+"."+variant]
}

// requireScope answers 403 when g lacks the scope. Assumption: the real
// status and wording are unverified (rpa-apis §7 suggests 403).
func requireScope(w http.ResponseWriter, g grant, scope, variant string) bool {
	if g.allows(scope, variant) {
		return true
	}
	writeError(w, http.StatusForbidden, 0, "You are not authorized! The access token does not grant "+scope+" or "+scope+"."+variant+".")
	return false
}
