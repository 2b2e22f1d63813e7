package blueprism

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"bureau/connector"
)

// tokenAnswer is the Authentication Server's client-credentials answer.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

// fallbackLifetime is used when the server states none; a 401 still
// makes us fetch a new token early.
const fallbackLifetime = time.Hour

// fetchToken asks the Authentication Server for a token with the
// OAuth 2 client-credentials grant.
func (c *Client) fetchToken(ctx context.Context) (string, time.Duration, error) {
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.clientID},
		"client_secret": {c.cfg.Secrets["client_secret"]},
	}
	// An empty scope asks for every scope the service account is granted.
	if scope := c.cfg.Setting("scope", defaultScope); scope != "" {
		form.Set("scope", scope)
	}
	var tok tokenAnswer
	_, err := c.call.Do(ctx, connector.Request{
		Op:     "sign in",
		Method: http.MethodPost,
		URL:    c.tokenURL,
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		Body:   []byte(form.Encode()),
		Retry:  true,
		NoAuth: true,
	}, &tok)
	if err != nil {
		return "", 0, err
	}
	if tok.AccessToken == "" {
		return "", 0, connector.Errorf(connector.KindAuth, "sign in", "the Authentication Server answered without an access token")
	}
	lifetime := time.Duration(tok.ExpiresIn) * time.Second
	if lifetime <= 0 {
		lifetime = fallbackLifetime
	}
	return tok.AccessToken, lifetime, nil
}

func (c *Client) authorize(ctx context.Context, req *http.Request, refresh bool) error {
	tok, err := c.token.Get(ctx, refresh)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}
