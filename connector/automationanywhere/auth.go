package automationanywhere

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"bureau/connector"
)

// tokenLifetime is how long a Control Room token lives unless the token
// itself says otherwise.
const tokenLifetime = 20 * time.Minute

type authRequest struct {
	Username string `json:"username"`
	APIKey   string `json:"apiKey,omitempty"`
	Password string `json:"password,omitempty"`
}

type authResponse struct {
	Token string `json:"token"`
}

// authenticate signs in with POST /v2/authentication. Refreshing through
// /v2/authentication/token would save nothing: it is one call either way,
// and a fresh sign-in also recovers from a revoked token.
func (p *provider) authenticate(ctx context.Context) (string, time.Duration, error) {
	body := authRequest{Username: p.cfg.Settings["username"]}
	if p.cfg.Settings["auth"] == "password" {
		body.Password = p.cfg.Secrets["password"]
	} else {
		body.APIKey = p.cfg.Secrets["api_key"]
	}
	var out authResponse
	req := connector.Request{Op: "authenticate", Method: http.MethodPost, URL: p.url("/v2/authentication"), Body: body, NoAuth: true, Retry: true}
	if _, err := p.call.Do(ctx, req, &out); err != nil {
		return "", 0, err
	}
	if out.Token == "" {
		return "", 0, connector.Errorf(connector.KindUnavailable, "authenticate", "the Control Room answered without a token")
	}
	return out.Token, jwtLifetime(out.Token), nil
}

func (p *provider) authorize(ctx context.Context, req *http.Request, refresh bool) error {
	tok, err := p.token.Get(ctx, refresh)
	if err != nil {
		return err
	}
	req.Header.Set("X-Authorization", tok) // the Control Room wants the bare token, no "Bearer"
	return nil
}

// jwtLifetime reads exp − iat from the token's claims, so a Control Room
// configured with another session length is honoured; the documented 20
// minutes otherwise. exp − iat, not exp − now: our clock may be skewed.
func jwtLifetime(token string) time.Duration {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return tokenLifetime
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return tokenLifetime
	}
	var claims struct {
		IssuedAt  int64 `json:"iat"`
		ExpiresAt int64 `json:"exp"`
	}
	if json.Unmarshal(raw, &claims) != nil || claims.IssuedAt == 0 || claims.ExpiresAt <= claims.IssuedAt {
		return tokenLifetime
	}
	return time.Duration(claims.ExpiresAt-claims.IssuedAt) * time.Second
}
