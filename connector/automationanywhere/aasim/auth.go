package aasim

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
)

type user struct {
	id, username, password, apiKey, first, last string
	runAs                                       bool // an unattended Bot Runner user, not API-enabled
}

func (u user) json() map[string]any {
	return map[string]any{
		"id": u.id, "username": u.username, "firstName": u.first, "lastName": u.last,
		"email": u.username + "@example.com", "disabled": false, "tenantId": "1",
	}
}

type authRequest struct {
	Username      string `json:"username"`
	Password      string `json:"password"`
	APIKey        string `json:"apiKey"`
	MultipleLogin bool   `json:"multipleLogin"`
	MFACode       string `json:"mfaCode"`
}

// authenticate is POST /v2/authentication: username with password or API
// key → {token, user}.
func (s *Sim) authenticate(w http.ResponseWriter, r *http.Request) {
	var req authRequest
	if e := decodeBody(r, &req); e != nil {
		writeError(w, e)
		return
	}
	if req.Username == "" || (req.Password == "" && req.APIKey == "") {
		writeError(w, errorf(http.StatusBadRequest, "um.auth.request.invalid", "Username and a password or API key are required"))
		return
	}
	u, ok := s.checkCredentials(req)
	if !ok {
		// Assumption: one message for a wrong user, password or key, so
		// the answer does not reveal which user names exist.
		writeError(w, errorf(http.StatusUnauthorized, "um.auth.failed", "Authentication failed: invalid username, password or API key"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": s.issue(u.id), "user": u.json()})
}

func (s *Sim) checkCredentials(req authRequest) (user, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if !strings.EqualFold(u.username, req.Username) {
			continue
		}
		if req.APIKey != "" {
			return u, u.apiKey != "" && req.APIKey == u.apiKey
		}
		return u, req.Password == u.password
	}
	return user{}, false
}

// issue returns a JWT-shaped token whose signature part is the simkit
// token, so expiry and revocation follow the shared token store.
func (s *Sim) issue(userID string) string {
	sig, _ := s.tokens.Issue()
	now := s.now()
	claims, _ := json.Marshal(map[string]any{
		"sub": userID, "clientType": "WEB", "iss": "AutomationAnywhere",
		"iat": now.Unix(), "exp": now.Add(s.tokens.Lifetime).Unix(),
	})
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS512"}`)) + "." + enc(claims) + "." + sig
}

// owner returns the user a valid token was issued to.
func (s *Sim) owner(token string) (string, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || !s.tokens.Valid(parts[2]) {
		return "", false
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", false
	}
	var claims struct {
		Sub string `json:"sub"`
	}
	if json.Unmarshal(raw, &claims) != nil || claims.Sub == "" {
		return "", false
	}
	return claims.Sub, true
}

// requireToken admits requests carrying a live token in X-Authorization;
// "Authorization: Bearer" is not what the Control Room reads.
func (s *Sim) requireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := s.owner(r.Header.Get("X-Authorization")); !ok {
			writeError(w, errUnauthenticated)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// validateToken is GET /v1/authentication/token?token=… → {"valid": bool}.
// Assumption: the token may also come in X-Authorization, and an invalid
// one is a 200 answer saying so rather than a 401.
func (s *Sim) validateToken(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("token")
	if tok == "" {
		tok = r.Header.Get("X-Authorization")
	}
	_, ok := s.owner(tok)
	writeJSON(w, http.StatusOK, map[string]bool{"valid": ok})
}

// refreshToken is POST /v1|v2/authentication/token {"token"} → a new
// token for the same user, while the old one is still live.
func (s *Sim) refreshToken(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Token string `json:"token"`
	}
	if e := decodeBody(r, &req); e != nil {
		writeError(w, e)
		return
	}
	userID, ok := s.owner(req.Token)
	if !ok {
		writeError(w, errUnauthenticated)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"token": s.issue(userID)})
}
