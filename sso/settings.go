// Package sso holds each tenant's single sign-on settings for staff
// (OpenID Connect; Microsoft Entra ID first): the provider, the client and
// how the provider's groups or app roles map to staff roles.
package sso

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/policy"
	"bureau/secret"
	"bureau/store"
)

// Service reads and writes SSO settings.
type Service struct {
	DB  *store.DB
	Box *secret.Box
	Now func() time.Time
}

// Settings are a tenant's SSO configuration as the API shows it: the
// client secret is write-only, so only whether one is set appears.
type Settings struct {
	Configured      bool              `json:"configured"`
	Issuer          string            `json:"issuer"`
	ClientID        string            `json:"client_id"`
	ClientSecretSet bool              `json:"client_secret_set"`
	AllowedDomains  []string          `json:"allowed_domains"`
	GroupsClaim     string            `json:"groups_claim"`
	GroupRoles      map[string]string `json:"group_roles"`
	EntraTenantIDs  []string          `json:"entra_tenant_ids"`
	LastSuccessAt   *time.Time        `json:"last_success_at"`
	UpdatedAt       *time.Time        `json:"updated_at"`
}

// Input replaces the settings. ClientSecret nil keeps the stored one; ""
// removes it (a public client, PKCE only).
type Input struct {
	Issuer         string            `json:"issuer"`
	ClientID       string            `json:"client_id"`
	ClientSecret   *string           `json:"client_secret"`
	AllowedDomains []string          `json:"allowed_domains"`
	GroupsClaim    string            `json:"groups_claim"`
	GroupRoles     map[string]string `json:"group_roles"`
	EntraTenantIDs []string          `json:"entra_tenant_ids"`
}

func secretAAD(tenantID string) string { return "tenant/" + tenantID + "/sso/client_secret" }

// Get returns the tenant's settings; Configured is false when there are none.
func (s *Service) Get(ctx context.Context, q store.Querier, tenantID string) (Settings, error) {
	st := Settings{GroupsClaim: "groups", AllowedDomains: []string{}, GroupRoles: map[string]string{}, EntraTenantIDs: []string{}}
	var sealed, domains, roles, tids, updated string
	var last *string
	err := q.QueryRowContext(ctx, `SELECT issuer, client_id, client_secret, allowed_domains, groups_claim, role_map,
		entra_tenants, last_success_at, updated_at FROM tenant_sso WHERE tenant_id = ?`, tenantID).Scan(
		&st.Issuer, &st.ClientID, &sealed, &domains, &st.GroupsClaim, &roles, &tids, &last, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("sso settings: %w", err)
	}
	st.Configured, st.ClientSecretSet = true, sealed != ""
	for _, j := range []struct {
		raw string
		v   any
	}{{domains, &st.AllowedDomains}, {roles, &st.GroupRoles}, {tids, &st.EntraTenantIDs}} {
		if err := json.Unmarshal([]byte(j.raw), j.v); err != nil {
			return st, fmt.Errorf("sso settings: %w", err)
		}
	}
	u := store.MustTime(updated)
	st.UpdatedAt = &u
	if last != nil {
		t := store.MustTime(*last)
		st.LastSuccessAt = &t
	}
	return st, nil
}

// ClientSecret opens the stored client secret ("" when none).
func (s *Service) ClientSecret(ctx context.Context, tenantID string) (string, error) {
	var sealed string
	err := s.DB.R.QueryRowContext(ctx, `SELECT client_secret FROM tenant_sso WHERE tenant_id = ?`, tenantID).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) || sealed == "" {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("sso client secret: %w", err)
	}
	plain, err := s.Box.Open(sealed, secretAAD(tenantID))
	if err != nil {
		return "", fmt.Errorf("sso client secret of tenant %s: %w", tenantID, err)
	}
	return string(plain), nil
}

var (
	domainPattern = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	guidPattern   = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	claimPattern  = regexp.MustCompile(`^[A-Za-z0-9_:/.\-]{1,100}$`)
)

// validIssuer accepts https URLs, and http only on loopback (a provider
// running beside Bureau in tests and labs).
func validIssuer(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || len(raw) > 500 {
		return false
	}
	switch u.Scheme {
	case "https":
		return true
	case "http":
		host := u.Hostname()
		ip := net.ParseIP(host)
		return host == "localhost" || (ip != nil && ip.IsLoopback())
	}
	return false
}

// check validates and normalizes the input.
func (in *Input) check() error {
	var errs apperr.Fields
	in.Issuer = strings.TrimRight(strings.TrimSpace(in.Issuer), "/")
	in.ClientID = strings.TrimSpace(in.ClientID)
	in.GroupsClaim = strings.TrimSpace(in.GroupsClaim)
	if in.GroupsClaim == "" {
		in.GroupsClaim = "groups"
	}
	if !validIssuer(in.Issuer) {
		errs.Add("issuer", "issuer_invalid", "Enter the provider's issuer URL, e.g. https://login.microsoftonline.com/<tenant id>/v2.0 (https, no query).")
	}
	if in.ClientID == "" || len(in.ClientID) > 200 {
		errs.Add("client_id", "client_id_invalid", "Enter the application (client) id the provider gave you.")
	}
	if in.ClientSecret != nil && len(*in.ClientSecret) > 1000 {
		errs.Add("client_secret", "client_secret_invalid", "The client secret is too long.")
	}
	if !claimPattern.MatchString(in.GroupsClaim) {
		errs.Add("groups_claim", "groups_claim_invalid", "Name the claim that carries groups or app roles, e.g. groups or roles.")
	}
	domains := []string{}
	for i, d := range in.AllowedDomains {
		d = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(d), "@")))
		if !domainPattern.MatchString(d) {
			errs.Add(fmt.Sprintf("allowed_domains[%d]", i), "domain_invalid", "Enter a domain like consultancy.example.")
			continue
		}
		if !slices.Contains(domains, d) {
			domains = append(domains, d)
		}
	}
	in.AllowedDomains = domains
	roles := map[string]string{}
	for k, role := range in.GroupRoles {
		k = strings.TrimSpace(k)
		switch {
		case k == "" || len(k) > 200:
			errs.Add("group_roles", "group_invalid", "A group or app role value is empty or too long.")
		case !slices.Contains(policy.StaffRoles, role):
			errs.Add("group_roles."+k, "role_invalid", "Groups map to tenant_admin or consultant.")
		default:
			roles[k] = role
		}
	}
	in.GroupRoles = roles
	tids := []string{}
	for i, t := range in.EntraTenantIDs {
		t = strings.ToLower(strings.TrimSpace(t))
		if !guidPattern.MatchString(t) {
			errs.Add(fmt.Sprintf("entra_tenant_ids[%d]", i), "tenant_id_invalid", "An Entra tenant id is a GUID.")
			continue
		}
		if !slices.Contains(tids, t) {
			tids = append(tids, t)
		}
	}
	in.EntraTenantIDs = tids
	if multiTenantIssuer(in.Issuer) && len(tids) == 0 {
		errs.Add("entra_tenant_ids", "tenant_ids_required",
			"A multi-tenant Entra issuer (organizations or common) needs the list of Entra tenant ids allowed to sign in.")
	}
	return errs.Err()
}

// multiTenantIssuer reports Entra's shared endpoints, whose tokens carry
// each customer's own issuer: Bureau then checks tid against the allowlist.
func multiTenantIssuer(issuer string) bool {
	for _, p := range []string{"/organizations/v2.0", "/common/v2.0", "/{tenantid}/v2.0"} {
		if strings.HasPrefix(issuer, "https://login.microsoftonline.com") && strings.HasSuffix(issuer, p) {
			return true
		}
	}
	return false
}

// Put replaces the tenant's settings.
func (s *Service) Put(ctx context.Context, actor audit.Actor, tenantID string, in Input) (Settings, error) {
	if err := in.check(); err != nil {
		return Settings{}, err
	}
	var out Settings
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		var sealed string
		err := tx.QueryRowContext(ctx, `SELECT client_secret FROM tenant_sso WHERE tenant_id = ?`, tenantID).Scan(&sealed)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sso settings: %w", err)
		}
		secretChanged := in.ClientSecret != nil
		if secretChanged {
			sealed = ""
			if *in.ClientSecret != "" {
				if sealed, err = s.Box.Seal([]byte(*in.ClientSecret), secretAAD(tenantID)); err != nil {
					return err
				}
			}
		}
		domains, _ := json.Marshal(in.AllowedDomains)
		roles, _ := json.Marshal(in.GroupRoles)
		tids, _ := json.Marshal(in.EntraTenantIDs)
		now := store.Time(s.Now())
		if _, err := tx.ExecContext(ctx, `INSERT INTO tenant_sso (tenant_id, issuer, client_id, client_secret, allowed_domains,
				groups_claim, role_map, entra_tenants, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (tenant_id) DO UPDATE SET issuer = excluded.issuer, client_id = excluded.client_id,
				client_secret = excluded.client_secret, allowed_domains = excluded.allowed_domains,
				groups_claim = excluded.groups_claim, role_map = excluded.role_map, entra_tenants = excluded.entra_tenants,
				updated_at = excluded.updated_at`,
			tenantID, in.Issuer, in.ClientID, sealed, string(domains), in.GroupsClaim, string(roles), string(tids), now, now); err != nil {
			return fmt.Errorf("sso settings: %w", err)
		}
		// The secret itself never reaches the audit log; that it changed does.
		if err := audit.Append(ctx, tx, actor.Event(tenantID, "", "tenant.sso_update", "tenant", tenantID, map[string]any{
			"issuer": in.Issuer, "client_id": in.ClientID, "client_secret_changed": secretChanged,
			"allowed_domains": in.AllowedDomains, "groups_claim": in.GroupsClaim, "group_roles": in.GroupRoles,
		}, s.Now())); err != nil {
			return err
		}
		out, err = s.Get(ctx, tx, tenantID)
		return err
	})
	return out, err
}

// Rewrap re-seals every tenant's client-secret data key under to
// (master-key rotation), inside the caller's transaction. Values that do
// not open are left alone and counted.
func Rewrap(ctx context.Context, tx *sql.Tx, from, to *secret.Box) (rewrapped, unreadable int, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT tenant_id, client_secret FROM tenant_sso WHERE client_secret != ''`)
	if err != nil {
		return 0, 0, fmt.Errorf("rewrap sso secrets: %w", err)
	}
	sealed := map[string]string{}
	for rows.Next() {
		var tenant, value string
		if err := rows.Scan(&tenant, &value); err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("rewrap sso secrets: %w", err)
		}
		sealed[tenant] = value
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("rewrap sso secrets: %w", err)
	}
	for tenant, value := range sealed {
		re, err := from.Rewrap(value, secretAAD(tenant), to)
		if err != nil {
			unreadable++
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tenant_sso SET client_secret = ? WHERE tenant_id = ?`, re, tenant); err != nil {
			return 0, 0, fmt.Errorf("rewrap sso secret: %w", err)
		}
		rewrapped++
	}
	return rewrapped, unreadable, nil
}
