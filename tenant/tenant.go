package tenant

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/license"
	"bureau/store"
)

// Service reads and changes tenant-level settings.
type Service struct {
	DB         *store.DB
	Now        func() time.Time
	LicenseKey ed25519.PublicKey
}

// LicenseInfo is what the license page shows.
type LicenseInfo struct {
	license.Status
	Tenant      string     `json:"tenant,omitempty"`
	MaxAccounts int        `json:"max_accounts,omitempty"`
	Expires     string     `json:"expires,omitempty"`
	Issued      string     `json:"issued,omitempty"`
	UploadedAt  *time.Time `json:"uploaded_at,omitempty"`
}

func info(st license.Status) LicenseInfo {
	li := LicenseInfo{Status: st}
	if l := st.License; l != nil {
		li.Tenant, li.MaxAccounts = l.Tenant, l.MaxAccounts
		li.Expires, li.Issued = l.Expires.Format(time.DateOnly), l.Issued.Format(time.DateOnly)
	}
	return li
}

// License reports the tenant's license and effective plan.
func (s *Service) License(ctx context.Context, tenantID string) (LicenseInfo, error) {
	st, err := PlanStatus(ctx, s.DB.R, tenantID, s.Now(), s.LicenseKey)
	if err != nil {
		return LicenseInfo{}, err
	}
	return info(st), nil
}

// SetLicense verifies text and stores it; the tenant's plan becomes the
// license's. A license that does not verify, or was issued for another
// tenant, is refused and nothing changes.
func (s *Service) SetLicense(ctx context.Context, actor audit.Actor, tenantID, text string) (LicenseInfo, error) {
	now := s.Now()
	var slug string
	if err := s.DB.R.QueryRowContext(ctx, `SELECT slug FROM tenants WHERE id = ?`, tenantID).Scan(&slug); err != nil {
		return LicenseInfo{}, fmt.Errorf("tenant: %w", err)
	}
	var fe apperr.Fields
	l := checkLicense(&fe, text, slug, now, s.LicenseKey)
	if err := fe.Err(); err != nil {
		return LicenseInfo{}, err
	}
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE tenants SET license = ?, plan = ?, updated_at = ? WHERE id = ?`,
			strings.TrimSpace(text)+"\n", l.Plan, store.Time(now), tenantID); err != nil {
			return fmt.Errorf("store license: %w", err)
		}
		return audit.Append(ctx, tx, actor.Event(tenantID, "", "tenant.license", "tenant", tenantID,
			map[string]any{"plan": l.Plan, "max_accounts": l.MaxAccounts, "expires": l.Expires.Format(time.DateOnly)}, now))
	})
	if err != nil {
		return LicenseInfo{}, err
	}
	return s.License(ctx, tenantID)
}

// checkLicense verifies a license pasted for tenantSlug: signed by pub,
// issued for that tenant, not expired. Problems go to errs on the field
// "license".
func checkLicense(errs *apperr.Fields, text, tenantSlug string, now time.Time, pub ed25519.PublicKey) license.License {
	l, err := license.Verify(text, pub)
	switch {
	case err != nil:
		errs.Add("license", "license_invalid", "This license could not be verified. Paste the whole file, from “Bureau license” to the signature line.")
	case l.Tenant != tenantSlug:
		errs.Add("license", "license_wrong_tenant", "This license was issued for “"+l.Tenant+"”, not for this tenant ("+tenantSlug+").")
	case now.After(l.Expires.Add(24 * time.Hour)):
		errs.Add("license", "license_expired", "This license expired on "+l.Expires.Format(time.DateOnly)+". Ask for a renewed license.")
	}
	return l
}

// Usage is the tenant's consumption against its plan.
type Usage struct {
	Plan          string `json:"plan"`
	AccountsUsed  int    `json:"accounts_used"`
	AccountsLimit int    `json:"accounts_limit"`
	Deactivated   int    `json:"accounts_deactivated"`
	People        int    `json:"people"`
	APIKeys       int    `json:"api_keys"`
	Jobs          int    `json:"jobs"`
	DBBytes       int64  `json:"db_bytes,omitempty"` // absent on installations hosting several firms
	LicenseState  string `json:"license_state"`
	LicenseExpiry string `json:"license_expires,omitempty"`
	Message       string `json:"message,omitempty"`
}

// Usage counts what the tenant uses. API keys and jobs arrive with the
// connector and ingestion features; until then there are none to count.
func (s *Service) Usage(ctx context.Context, tenantID string) (Usage, error) {
	st, err := PlanStatus(ctx, s.DB.R, tenantID, s.Now(), s.LicenseKey)
	if err != nil {
		return Usage{}, err
	}
	u := Usage{Plan: st.Plan, AccountsLimit: st.Limit, LicenseState: st.State, Message: st.Message}
	if st.License != nil {
		u.LicenseExpiry = st.License.Expires.Format(time.DateOnly)
	}
	var tenants int
	err = s.DB.R.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM accounts WHERE tenant_id = ? AND status = 'active'),
		(SELECT COUNT(*) FROM accounts WHERE tenant_id = ? AND status = 'deactivated'),
		(SELECT COUNT(*) FROM memberships WHERE tenant_id = ? AND status = 'active'),
		(SELECT COUNT(*) FROM tenants),
		(SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size())`,
		tenantID, tenantID, tenantID).Scan(&u.AccountsUsed, &u.Deactivated, &u.People, &tenants, &u.DBBytes)
	if err != nil {
		return u, fmt.Errorf("usage: %w", err)
	}
	if tenants > 1 {
		// The file holds every firm of the installation: its size would tell
		// one firm how much the others store.
		u.DBBytes = 0
	}
	return u, nil
}

// Tenant is the tenant's record as staff see it.
type Tenant struct {
	ID                    string    `json:"id"`
	Slug                  string    `json:"slug"`
	Name                  string    `json:"name"`
	Plan                  string    `json:"plan"`
	Branding              Branding  `json:"branding"`
	StaffPasswordsEnabled bool      `json:"staff_passwords_enabled"`
	CreatedAt             time.Time `json:"created_at"`
}

// Get reads the tenant.
func (s *Service) Get(ctx context.Context, tenantID string) (Tenant, error) {
	var t Tenant
	var created, branding string
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, slug, name, plan, branding, staff_passwords_enabled, created_at FROM tenants WHERE id = ?`,
		tenantID).Scan(&t.ID, &t.Slug, &t.Name, &t.Plan, &branding, &t.StaffPasswordsEnabled, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return t, apperr.NotFound()
	}
	if err != nil {
		return t, fmt.Errorf("tenant: %w", err)
	}
	t.CreatedAt = store.MustTime(created)
	if err := json.Unmarshal([]byte(branding), &t.Branding); err != nil {
		return t, fmt.Errorf("tenant branding: %w", err)
	}
	return t, nil
}
