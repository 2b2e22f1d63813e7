package sso

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"bureau/apperr"
	"bureau/audit"
	"bureau/auth"
	"bureau/store"
)

// StateTTL is how long a sign-in may take at the provider.
const StateTTL = 10 * time.Minute

// Flow runs the authorization code flow with PKCE (S256), state and nonce
// for staff sign-in (OIDC checklist). State, nonce and verifier are random,
// single use and kept on the server; the state is bound to the browser by
// a cookie value the caller keeps.
type Flow struct {
	Settings *Service
	BaseURL  string

	mu        sync.Mutex
	providers map[string]cachedProvider // by issuer
}

type cachedProvider struct {
	p  *oidc.Provider
	at time.Time
}

// ssoError is a refused sign-in; the web app shows the code's message.
func ssoError(code, message string) *apperr.Error {
	return apperr.New(apperr.KindForbidden, code, message)
}

// Refusal codes of a callback.
var (
	errNotConfigured = func() error {
		return apperr.New(apperr.KindNotFound, "sso_not_configured", "Single sign-on is not set up for this firm.")
	}
	errState = func() error {
		return ssoError("sso_state_invalid", "This sign-in link is not valid any more (used, expired, or started in another browser). Start again.")
	}
)

type tenantRef struct{ id, slug string }

func (f *Flow) tenant(ctx context.Context, slug string) (tenantRef, Settings, error) {
	var t tenantRef
	err := f.Settings.DB.R.QueryRowContext(ctx, `SELECT id, slug FROM tenants WHERE slug = ?`, slug).Scan(&t.id, &t.slug)
	if errors.Is(err, sql.ErrNoRows) {
		return t, Settings{}, errNotConfigured()
	}
	if err != nil {
		return t, Settings{}, fmt.Errorf("sso tenant: %w", err)
	}
	st, err := f.Settings.Get(ctx, f.Settings.DB.R, t.id)
	if err != nil {
		return t, st, err
	}
	if !st.Configured {
		return t, st, errNotConfigured()
	}
	return t, st, nil
}

// provider discovers the issuer (cached for an hour). For Entra's shared
// multi-tenant endpoints the discovery document names a placeholder issuer,
// so it is fetched as the documented recipe says and the real issuer is
// checked by hand on every token (see checkEntraIssuer).
func (f *Flow) provider(ctx context.Context, issuer string) (*oidc.Provider, error) {
	f.mu.Lock()
	if f.providers == nil {
		f.providers = map[string]cachedProvider{}
	}
	c, ok := f.providers[issuer]
	f.mu.Unlock()
	if ok && time.Since(c.at) < time.Hour {
		return c.p, nil
	}
	dctx := ctx
	if multiTenantIssuer(issuer) {
		dctx = oidc.InsecureIssuerURLContext(ctx, "https://login.microsoftonline.com/{tenantid}/v2.0")
	}
	p, err := oidc.NewProvider(dctx, issuer)
	if err != nil {
		return nil, ssoError("sso_provider_unreachable", "The identity provider could not be reached or its configuration is wrong. Check the issuer URL.")
	}
	f.mu.Lock()
	f.providers[issuer] = cachedProvider{p: p, at: time.Now()}
	f.mu.Unlock()
	return p, nil
}

func (f *Flow) oauth(ctx context.Context, t tenantRef, st Settings, p *oidc.Provider) (*oauth2.Config, error) {
	secretValue, err := f.Settings.ClientSecret(ctx, t.id)
	if err != nil {
		return nil, err
	}
	scopes := []string{oidc.ScopeOpenID, "profile", "email"}
	// Entra puts groups in the token by app registration and refuses an
	// unknown "groups" scope; most other providers want the scope.
	if !strings.HasPrefix(st.Issuer, "https://login.microsoftonline.com/") {
		scopes = append(scopes, "groups")
	}
	return &oauth2.Config{ClientID: st.ClientID, ClientSecret: secretValue, Endpoint: p.Endpoint(),
		RedirectURL: f.BaseURL + "/api/v1/auth/oidc/" + t.slug + "/callback", Scopes: scopes}, nil
}

// Begin starts a sign-in: it returns the provider URL to send the browser
// to and the binding value to keep in a cookie until the callback. A test
// sign-in signs nobody in: it records what the provider sent.
func (f *Flow) Begin(ctx context.Context, tenantSlug string, test bool) (redirect, binding string, err error) {
	t, st, err := f.tenant(ctx, tenantSlug)
	if err != nil {
		return "", "", err
	}
	p, err := f.provider(ctx, st.Issuer)
	if err != nil {
		return "", "", err
	}
	cfg, err := f.oauth(ctx, t, st, p)
	if err != nil {
		return "", "", err
	}
	var state, nonce string
	for _, v := range []*string{&state, &nonce, &binding} {
		if *v, err = auth.NewToken(); err != nil {
			return "", "", err
		}
	}
	verifier := oauth2.GenerateVerifier()
	now := f.Settings.Now()
	purpose := "login"
	if test {
		purpose = "test"
	}
	if _, err := f.Settings.DB.W.ExecContext(ctx, `INSERT INTO oidc_states (id, tenant_id, binding_hash, nonce, verifier, purpose, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, auth.HashToken(state), t.id, auth.HashToken(binding), nonce, verifier, purpose,
		store.Time(now), store.Time(now.Add(StateTTL))); err != nil {
		return "", "", fmt.Errorf("sso begin: %w", err)
	}
	return cfg.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), binding, nil
}

// Identity is who the provider says signed in.
type Identity struct {
	Issuer, Subject, Email, Name string
	Groups                       []string
	Role                         string // mapped; "" when no group maps
}

// Result is a finished sign-in; for a test sign-in, TestID names the
// recorded result and nobody is signed in.
type Result struct {
	UserID, TenantID string
	Identity         Identity
	TestID           string
}

// TestResult is what a test sign-in received and what it would mean.
type TestResult struct {
	OK      bool           `json:"ok"`
	Code    string         `json:"code,omitempty"` // why it would be refused
	Message string         `json:"message,omitempty"`
	Issuer  string         `json:"issuer,omitempty"`
	Subject string         `json:"subject,omitempty"`
	Email   string         `json:"email,omitempty"`
	Name    string         `json:"name,omitempty"`
	Groups  []string       `json:"groups"`
	Role    string         `json:"role,omitempty"`
	Claims  map[string]any `json:"claims,omitempty"`
	At      time.Time      `json:"at"`
}

// Finish completes a sign-in at the callback: the state must be live,
// unused and bound to this browser; the code is exchanged with the PKCE
// verifier; the ID token's signature, audience and expiry are verified by
// go-oidc and its nonce by us; the groups map to a staff role.
func (f *Flow) Finish(ctx context.Context, tenantSlug, state, code, binding string, req auth.Request) (Result, error) {
	t, st, err := f.tenant(ctx, tenantSlug)
	if err != nil {
		return Result{}, err
	}
	nonce, verifier, purpose, err := f.useState(ctx, t.id, state, binding)
	if err != nil {
		return Result{}, err
	}
	if purpose == "test" {
		return f.test(ctx, t, st, state, code, nonce, verifier)
	}
	p, err := f.provider(ctx, st.Issuer)
	if err != nil {
		return Result{}, err
	}
	cfg, err := f.oauth(ctx, t, st, p)
	if err != nil {
		return Result{}, err
	}
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return Result{}, ssoError("sso_exchange_failed", "The identity provider refused the sign-in code. Start again; if it persists, check the client id and secret.")
	}
	id, _, err := f.verify(ctx, st, p, tok, nonce)
	if err != nil {
		return Result{}, err
	}
	userID, err := f.admit(ctx, t, st, id, req)
	if err != nil {
		return Result{}, err
	}
	return Result{UserID: userID, TenantID: t.id, Identity: id}, nil
}

// useState consumes the state row in one conditional update.
func (f *Flow) useState(ctx context.Context, tenantID, state, binding string) (nonce, verifier, purpose string, err error) {
	if state == "" || binding == "" || len(state) > 100 || len(binding) > 100 {
		return "", "", "", errState()
	}
	var bindingHash string
	err = f.Settings.DB.R.QueryRowContext(ctx, `SELECT binding_hash, nonce, verifier, purpose FROM oidc_states WHERE id = ? AND tenant_id = ?`,
		auth.HashToken(state), tenantID).Scan(&bindingHash, &nonce, &verifier, &purpose)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", "", errState()
	}
	if err != nil {
		return "", "", "", fmt.Errorf("sso state: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(bindingHash), []byte(auth.HashToken(binding))) != 1 {
		return "", "", "", errState()
	}
	now := store.Time(f.Settings.Now())
	res, err := f.Settings.DB.W.ExecContext(ctx, `UPDATE oidc_states SET used_at = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?`,
		now, auth.HashToken(state), now)
	if err != nil {
		return "", "", "", fmt.Errorf("sso state: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return "", "", "", errState()
	}
	return nonce, verifier, purpose, nil
}

func (f *Flow) verify(ctx context.Context, st Settings, p *oidc.Provider, tok *oauth2.Token, nonce string) (Identity, map[string]any, error) {
	invalid := ssoError("sso_token_invalid", "The identity provider's answer did not pass verification. Start again; if it persists, check the SSO settings.")
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return Identity{}, nil, invalid
	}
	multi := multiTenantIssuer(st.Issuer)
	v := p.Verifier(&oidc.Config{ClientID: st.ClientID, SkipIssuerCheck: multi, Now: f.Settings.Now})
	idt, err := v.Verify(ctx, raw)
	if err != nil {
		return Identity{}, nil, invalid
	}
	// go-oidc leaves the nonce to us.
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return Identity{}, nil, invalid
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, nil, invalid
	}
	tid, _ := claims["tid"].(string)
	oid, _ := claims["oid"].(string)
	if multi {
		// The documented Entra multi-tenant recipe: the issuer must be the
		// token's own tenant's, and that tenant must be allowed.
		if idt.Issuer != "https://login.microsoftonline.com/"+tid+"/v2.0" || !slices.Contains(st.EntraTenantIDs, strings.ToLower(tid)) {
			return Identity{}, claims, ssoError("sso_tenant_not_allowed", "Your organisation's directory is not allowed to sign in to this firm.")
		}
	}
	id := Identity{Issuer: idt.Issuer, Subject: idt.Subject}
	if tid != "" && oid != "" {
		id.Subject = oid // Entra: the object id is stable across apps; the tenant is in the issuer
	}
	id.Email, _ = claims["email"].(string)
	if id.Email == "" {
		id.Email, _ = claims["preferred_username"].(string)
	}
	id.Email = strings.ToLower(strings.TrimSpace(id.Email))
	id.Name, _ = claims["name"].(string)
	if names, ok := claims["_claim_names"].(map[string]any); ok && names[st.GroupsClaim] != nil {
		return Identity{}, claims, ssoError("sso_group_overage",
			"You belong to too many groups for the provider to list them in the sign-in token. Ask your administrator to map app roles (the roles claim) or assign fewer groups to this application.")
	}
	groups, found := stringsClaim(claims[st.GroupsClaim])
	if !found {
		if ui, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok)); err == nil {
			var uc map[string]any
			if ui.Claims(&uc) == nil {
				groups, _ = stringsClaim(uc[st.GroupsClaim])
			}
		}
	}
	id.Groups, id.Role = groups, mapRole(groups, st.GroupRoles)
	return id, claims, nil
}

// mapRole is the strongest staff role any of groups maps to; "" (deny)
// when none does.
func mapRole(groups []string, roles map[string]string) string {
	role := ""
	for _, g := range groups {
		switch roles[g] {
		case "tenant_admin":
			return "tenant_admin"
		case "consultant":
			role = "consultant"
		}
	}
	return role
}

// test finishes a test sign-in: it records what the provider sent and what
// Bureau would make of it. A test that maps to a role counts as a
// successful SSO sign-in (it unlocks the staff-password switch).
func (f *Flow) test(ctx context.Context, t tenantRef, st Settings, state, code, nonce, verifier string) (Result, error) {
	r := TestResult{At: f.Settings.Now(), Groups: []string{}}
	fail := func(err error) {
		if ae, ok := apperr.As(err); ok {
			r.Code, r.Message = ae.Code, ae.Message
		} else {
			r.Code, r.Message = "sso_failed", err.Error()
		}
	}
	p, err := f.provider(ctx, st.Issuer)
	var cfg *oauth2.Config
	if err == nil {
		cfg, err = f.oauth(ctx, t, st, p)
	}
	var tok *oauth2.Token
	if err == nil {
		if tok, err = cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier)); err != nil {
			err = ssoError("sso_exchange_failed", "The identity provider refused the sign-in code: check the client id and secret.")
		}
	}
	if err == nil {
		var id Identity
		id, r.Claims, err = f.verify(ctx, st, p, tok, nonce)
		r.Issuer, r.Subject, r.Email, r.Name, r.Role = id.Issuer, id.Subject, id.Email, id.Name, id.Role
		if id.Groups != nil {
			r.Groups = id.Groups
		}
		if err == nil && id.Role == "" {
			err = ssoError("sso_no_role", "None of these groups is mapped to a role: this person would be refused.")
		}
	}
	if err != nil {
		fail(err)
	}
	r.OK = err == nil
	raw, _ := json.Marshal(r)
	err = f.Settings.DB.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE oidc_states SET result = ? WHERE id = ?`, string(raw), auth.HashToken(state)); err != nil {
			return fmt.Errorf("sso test: %w", err)
		}
		if r.OK {
			if _, err := tx.ExecContext(ctx, `UPDATE tenant_sso SET last_success_at = ? WHERE tenant_id = ?`, store.Time(r.At), t.id); err != nil {
				return fmt.Errorf("sso test: %w", err)
			}
		}
		return nil
	})
	return Result{TenantID: t.id, TestID: auth.HashToken(state)}, err
}

// FailedTest records a test sign-in that could not even reach the provider
// (a wrong issuer, an unreachable provider), so the settings page can show
// why, like any other test result.
func (f *Flow) FailedTest(ctx context.Context, tenantSlug string, cause error) (string, error) {
	t, _, err := f.tenant(ctx, tenantSlug)
	if err != nil {
		return "", err
	}
	r := TestResult{At: f.Settings.Now(), Groups: []string{}, Code: "sso_failed", Message: "The test sign-in could not start."}
	if ae, ok := apperr.As(cause); ok {
		r.Code, r.Message = ae.Code, ae.Message
	}
	raw, _ := json.Marshal(r)
	token, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	id := auth.HashToken(token)
	now := store.Time(r.At)
	if _, err := f.Settings.DB.W.ExecContext(ctx, `INSERT INTO oidc_states (id, tenant_id, binding_hash, nonce, verifier, purpose, result, created_at, expires_at, used_at)
		VALUES (?, ?, '', '', '', 'test', ?, ?, ?, ?)`, id, t.id, string(raw), now, now, now); err != nil {
		return "", fmt.Errorf("sso test: %w", err)
	}
	return id, nil
}

// TestResult reads a test sign-in of the tenant.
func (f *Flow) TestResult(ctx context.Context, tenantID, id string) (TestResult, error) {
	var raw sql.NullString
	err := f.Settings.DB.R.QueryRowContext(ctx, `SELECT result FROM oidc_states WHERE id = ? AND tenant_id = ? AND purpose = 'test'`,
		id, tenantID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !raw.Valid) {
		return TestResult{}, apperr.NotFound()
	}
	if err != nil {
		return TestResult{}, fmt.Errorf("sso test: %w", err)
	}
	var r TestResult
	if err := json.Unmarshal([]byte(raw.String), &r); err != nil {
		return TestResult{}, fmt.Errorf("sso test: %w", err)
	}
	return r, nil
}

// stringsClaim reads a claim that holds a string or a list of strings.
func stringsClaim(v any) ([]string, bool) {
	switch x := v.(type) {
	case string:
		return []string{x}, true
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out, true
	}
	return nil, false
}

// admit turns a verified identity into a staff member of the tenant.
func (f *Flow) admit(ctx context.Context, t tenantRef, st Settings, id Identity, req auth.Request) (string, error) {
	if id.Role == "" {
		return "", ssoError("sso_no_role", "You signed in, but none of your groups gives access to this firm. Ask a Tenant Admin to map one of your groups.")
	}
	at := strings.LastIndexByte(id.Email, '@')
	if at < 1 {
		return "", ssoError("sso_email_missing", "The identity provider sent no email address. Add the email claim to the ID token.")
	}
	if len(st.AllowedDomains) > 0 && !slices.Contains(st.AllowedDomains, id.Email[at+1:]) {
		return "", ssoError("sso_domain_not_allowed", "Your email domain is not allowed to sign in to this firm.")
	}
	var userID string
	err := f.Settings.DB.Write(ctx, func(tx *sql.Tx) error {
		now := f.Settings.Now()
		ts := store.Time(now)
		err := tx.QueryRowContext(ctx, `SELECT user_id FROM oidc_identities WHERE tenant_id = ? AND issuer = ? AND subject = ?`,
			t.id, id.Issuer, id.Subject).Scan(&userID)
		linked := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sso identity: %w", err)
		}
		if !linked {
			// The email is matched once, here; afterwards the subject decides.
			err = tx.QueryRowContext(ctx, `SELECT id FROM users WHERE email = ?`, id.Email).Scan(&userID)
			if errors.Is(err, sql.ErrNoRows) {
				userID = store.NewID()
				_, err = tx.ExecContext(ctx, `INSERT INTO users (id, email, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
					userID, id.Email, strings.TrimSpace(id.Name), ts, ts)
			}
			if err != nil {
				return fmt.Errorf("sso user: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO oidc_identities (tenant_id, issuer, subject, user_id, created_at, last_login_at)
				VALUES (?, ?, ?, ?, ?, ?)`, t.id, id.Issuer, id.Subject, userID, ts, ts); err != nil {
				return fmt.Errorf("sso identity: %w", err)
			}
		}
		var account sql.NullString
		err = tx.QueryRowContext(ctx, `SELECT account_id FROM memberships WHERE tenant_id = ? AND user_id = ?`, t.id, userID).Scan(&account)
		switch {
		case err == nil && account.Valid:
			return ssoError("sso_account_member", "Single sign-on is for the firm's staff. Client people sign in with their email and password.")
		case err == nil:
			if _, err := tx.ExecContext(ctx, `UPDATE memberships SET role = ?, status = 'active', updated_at = ? WHERE tenant_id = ? AND user_id = ?`,
				id.Role, ts, t.id, userID); err != nil {
				return fmt.Errorf("sso membership: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE invitations SET used_at = ? WHERE tenant_id = ? AND user_id = ? AND used_at IS NULL AND revoked_at IS NULL`,
				ts, t.id, userID); err != nil {
				return fmt.Errorf("sso membership: %w", err)
			}
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (id, tenant_id, user_id, account_id, role, status, invited_by, created_at, updated_at)
				VALUES (?, ?, ?, NULL, ?, 'active', 'sso', ?, ?)`, store.NewID(), t.id, userID, id.Role, ts, ts); err != nil {
				return fmt.Errorf("sso membership: %w", err)
			}
		default:
			return fmt.Errorf("sso membership: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE oidc_identities SET last_login_at = ? WHERE tenant_id = ? AND issuer = ? AND subject = ?`,
			ts, t.id, id.Issuer, id.Subject); err != nil {
			return fmt.Errorf("sso identity: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tenant_sso SET last_success_at = ? WHERE tenant_id = ?`, ts, t.id); err != nil {
			return fmt.Errorf("sso settings: %w", err)
		}
		return audit.Append(ctx, tx, audit.Event{TenantID: t.id, ActorKind: audit.ActorUser, ActorID: userID, ActorEmail: id.Email,
			Action: "auth.sso_admit", TargetType: "user", TargetID: userID, IP: req.IP, UserAgent: req.UserAgent,
			RequestID: req.RequestID, Details: map[string]any{"role": id.Role, "linked": !linked, "issuer": id.Issuer}, Time: now})
	})
	return userID, err
}

// EndSessionURL is where to send the browser to end the provider's session
// too (RP-initiated logout), or "" when the provider advertises none.
func (f *Flow) EndSessionURL(ctx context.Context, tenantID string) string {
	st, err := f.Settings.Get(ctx, f.Settings.DB.R, tenantID)
	if err != nil || !st.Configured {
		return ""
	}
	p, err := f.provider(ctx, st.Issuer)
	if err != nil {
		return ""
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&meta); err != nil || meta.EndSession == "" {
		return ""
	}
	u, err := url.Parse(meta.EndSession)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	q := u.Query()
	q.Set("client_id", st.ClientID)
	q.Set("post_logout_redirect_uri", f.BaseURL+"/login")
	u.RawQuery = q.Encode()
	return u.String()
}
