package uipath

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"bureau/connector"
)

// Op names, shown before every error.
const (
	opToken  = "get token"
	opSignIn = "sign in"
)

// passwordTokenLifetime is Account/Authenticate's documented default; the
// answer does not say, and a shorter one is caught by the 401 refresh.
const passwordTokenLifetime = 30 * time.Minute

// settings are what the two providers differ in.
type settings struct {
	base     string // Orchestrator base, ending in /
	tokenURL string // identity server token endpoint (client credentials)
	tenant   string
	// tenantHeader is sent as X-UIPATH-TenantName (standalone on-prem,
	// where the tenant is not in the path).
	tenantHeader string
	password     bool // Account/Authenticate instead of client credentials
	folders      []string
}

func cloudSettings(cfg connector.Config) settings {
	root := cfg.Setting("url", "https://cloud.uipath.com")
	return settings{
		base:     connector.JoinURL(root, url.PathEscape(cfg.Settings["organization"])+"/"+url.PathEscape(cfg.Settings["tenant"])+"/orchestrator_/"),
		tokenURL: connector.JoinURL(root, "identity_/connect/token"),
		tenant:   cfg.Settings["tenant"],
		folders:  folderList(cfg.Settings["folders"]),
	}
}

func onPremSettings(cfg connector.Config) settings {
	root := cfg.Settings["url"]
	s := settings{
		tenant:   cfg.Setting("tenant", "Default"),
		password: cfg.Settings["auth"] == "password",
		folders:  folderList(cfg.Settings["folders"]),
	}
	if cfg.Settings["deployment"] == "automation-suite" {
		s.base = connector.JoinURL(root, url.PathEscape(cfg.Settings["organization"])+"/"+url.PathEscape(s.tenant)+"/orchestrator_/")
		s.tokenURL = connector.JoinURL(root, "identity_/connect/token")
		return s
	}
	s.base = strings.TrimRight(root, "/") + "/"
	s.tokenURL = connector.JoinURL(root, "identity/connect/token")
	s.tenantHeader = s.tenant
	return s
}

func folderList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.Trim(strings.TrimSpace(p), "/"); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// client is one account's connection to Orchestrator.
type client struct {
	cfg      connector.Config
	set      settings
	call     *connector.Caller
	token    *connector.Token
	pageSize int

	// noModTime is set once the server refused a filter on
	// LastModificationTime (API versions before 17 lack it on jobs).
	noModTime atomic.Bool
	places    places
}

func newClient(cfg connector.Config, set settings) (*client, error) {
	c := &client{cfg: cfg, set: set, pageSize: maxTop, places: places{jobs: map[int64]int64{}, releases: map[int64]releasePlace{}}}
	if cfg.PageSize > 0 {
		c.pageSize = min(cfg.PageSize, maxTop)
	}
	c.call = &connector.Caller{Config: cfg, Authorize: c.authorize, ParseError: parseError}
	c.token = &connector.Token{Fetch: c.fetchToken, Now: cfg.Now}
	if set.password {
		c.token.Fetch = c.signIn
	}
	return c, nil
}

func (c *client) authorize(ctx context.Context, req *http.Request, refresh bool) error {
	tok, err := c.token.Get(ctx, refresh)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if c.set.tenantHeader != "" {
		req.Header.Set("X-UIPATH-TenantName", c.set.tenantHeader)
	}
	return nil
}

// fetchToken is the client-credentials grant at the identity server.
func (c *client) fetchToken(ctx context.Context) (string, time.Duration, error) {
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.cfg.Settings["client_id"]},
		"client_secret": {c.cfg.Secrets["client_secret"]},
		"scope":         {c.cfg.Setting("scopes", DefaultScopes)},
	}
	var out struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	_, err := c.call.Do(ctx, connector.Request{
		Op: opToken, Method: http.MethodPost, URL: c.set.tokenURL,
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		Body:   []byte(form.Encode()), Retry: true, NoAuth: true,
	}, &out)
	if err != nil {
		return "", 0, err
	}
	if out.AccessToken == "" {
		return "", 0, connector.Errorf(connector.KindAuth, opToken, "the identity server answered without an access token")
	}
	lifetime := time.Duration(out.ExpiresIn) * time.Second
	if lifetime <= 0 {
		lifetime = time.Hour
	}
	return out.AccessToken, lifetime, nil
}

// signIn is Account/Authenticate: user name and password for a bearer
// token in an AjaxResponse envelope.
func (c *client) signIn(ctx context.Context) (string, time.Duration, error) {
	body := map[string]string{
		"tenancyName":            c.set.tenant,
		"usernameOrEmailAddress": c.cfg.Settings["username"],
		"password":               c.cfg.Secrets["password"],
	}
	var out struct {
		Result  string `json:"result"`
		Success bool   `json:"success"`
	}
	_, err := c.call.Do(ctx, connector.Request{
		Op: opSignIn, Method: http.MethodPost, URL: c.set.base + "api/Account/Authenticate", Body: body, Retry: true, NoAuth: true,
	}, &out)
	if err != nil {
		return "", 0, err
	}
	if !out.Success || out.Result == "" {
		return "", 0, connector.Errorf(connector.KindAuth, opSignIn, "Orchestrator refused the sign-in without saying why")
	}
	return out.Result, passwordTokenLifetime, nil
}

// places remembers which folder holds a job or a release, so reading one
// does not probe every folder. Bounded: it forgets everything when full.
type places struct {
	mu       sync.Mutex
	jobs     map[int64]int64 // job Id → folder Id
	releases map[int64]releasePlace
}

type releasePlace struct {
	key    string
	folder int64
}

const maxPlaces = 100_000

func (p *places) job(id int64) (int64, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, ok := p.jobs[id]
	return f, ok
}

func (p *places) setJob(id, folder int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.jobs) >= maxPlaces {
		clear(p.jobs)
	}
	p.jobs[id] = folder
}

func (p *places) release(id int64) (releasePlace, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.releases[id]
	return r, ok
}

func (p *places) setRelease(id int64, r releasePlace) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.releases) >= maxPlaces {
		clear(p.releases)
	}
	p.releases[id] = r
}
