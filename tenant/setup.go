// Package tenant holds the firm-level records: first-start setup, creating
// further tenants, and the tenant's own settings.
package tenant

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/auth"
	"bureau/slug"
	"bureau/store"
)

// SetupInput is the setup wizard's form (API.md, POST /api/v1/setup).
type SetupInput struct {
	TenantName    string `json:"tenant_name"`
	TenantSlug    string `json:"tenant_slug"`
	Plan          string `json:"plan"`
	License       string `json:"license"`
	OwnerName     string `json:"owner_name"`
	OwnerEmail    string `json:"owner_email"`
	OwnerPassword string `json:"owner_password"`
	AccountName   string `json:"account_name"`
	AccountSlug   string `json:"account_slug"`
	SampleData    bool   `json:"sample_data"`
}

// Created is what setup made.
type Created struct {
	TenantID, TenantSlug, TenantName, Plan string
	AccountID, AccountSlug, AccountName    string
	UserID, UserEmail, UserName            string
	License                                string // the signed license text, when one set the plan
}

// Needed reports whether the installation still has no tenant.
func Needed(ctx context.Context, db *store.DB) (bool, error) {
	var n int
	if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM tenants`).Scan(&n); err != nil {
		return false, fmt.Errorf("setup needed: %w", err)
	}
	return n == 0, nil
}

// ErrSetupDone answers a setup attempt once a tenant exists.
func ErrSetupDone() error {
	return apperr.Conflict("setup_done", "Bureau is already set up. Sign in instead.")
}

// Setup validates the form and creates the tenant, its first account and the
// owner (Tenant Admin, local password) in one transaction. It refuses once any
// tenant exists; the check runs inside the write transaction, so two
// concurrent setups cannot both succeed.
// A pasted license (verified against pub) sets the plan; without one the
// tenant starts on the trial plan.
func Setup(ctx context.Context, db *store.DB, hasher *auth.Hasher, now time.Time, pub ed25519.PublicKey, in SetupInput, req auth.Request) (Created, error) {
	if needed, err := Needed(ctx, db); err != nil {
		return Created{}, err
	} else if !needed {
		return Created{}, ErrSetupDone()
	}
	c, err := validateSetup(&in, now, pub)
	if err != nil {
		return Created{}, err
	}
	hash, err := hasher.Hash(in.OwnerPassword)
	if err != nil {
		return Created{}, err
	}
	c.TenantID, c.AccountID, c.UserID = store.NewID(), store.NewID(), store.NewID()
	err = db.Write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tenants`).Scan(&n); err != nil {
			return fmt.Errorf("setup: %w", err)
		}
		if n > 0 {
			return ErrSetupDone()
		}
		return createTenant(ctx, tx, c, hash, now, audit.Event{
			ActorKind: audit.ActorUser, ActorID: c.UserID, ActorEmail: c.UserEmail,
			IP: req.IP, UserAgent: req.UserAgent, RequestID: req.RequestID,
		})
	})
	if err != nil {
		return Created{}, err
	}
	return c, nil
}

func validateSetup(in *SetupInput, now time.Time, pub ed25519.PublicKey) (Created, error) {
	var errs apperr.Fields
	c := validateFirm(&errs, "tenant_", in.TenantName, in.TenantSlug, in.OwnerName, in.OwnerEmail)
	var fe *apperr.FieldError
	add := func(fe *apperr.FieldError) {
		if fe != nil {
			errs = append(errs, *fe)
		}
	}
	local, _, _ := strings.Cut(c.UserEmail, "@")
	add(auth.CheckPassword("owner_password", in.OwnerPassword, c.TenantName, c.TenantSlug, c.UserName, local,
		in.AccountName))
	if strings.TrimSpace(in.AccountName) == "" && in.AccountSlug == "" {
		// No first client named: the firm's own account stands in.
		c.AccountName, c.AccountSlug = c.TenantName, c.TenantSlug
	} else {
		c.AccountName, fe = slug.ValidName("account_name", in.AccountName)
		add(fe)
		c.AccountSlug = in.AccountSlug
		add(slug.Validate("account_slug", in.AccountSlug))
	}
	switch {
	case strings.TrimSpace(in.License) != "":
		l := checkLicense(&errs, in.License, in.TenantSlug, now, pub)
		if !errs.Has("license") && in.Plan != "" && in.Plan != l.Plan {
			errs.Add("plan", "license_plan_mismatch", "The license is for the "+l.Plan+" plan; choose that plan or leave the plan out.")
		}
		c.Plan, c.License = l.Plan, in.License
	case in.Plan == "" || in.Plan == "trial":
		c.Plan = "trial"
	default:
		errs.Add("license", "license_required", "Paste the signed license for the "+in.Plan+" plan, or start on the trial plan.")
	}
	// Sample data is for evaluators: three demo clients fit the trial's ten
	// accounts; on a paid plan they would take seats the firm paid for.
	if in.SampleData && c.Plan != "" && c.Plan != "trial" {
		errs.Add("sample_data", "sample_data_trial_only", "Sample data comes with the trial plan only; set up without it.")
	}
	return c, errs.Err()
}

// validateFirm checks the firm's name and slug (fields prefix+"name",
// prefix+"slug") and its owner's name and email, recording problems in errs.
func validateFirm(errs *apperr.Fields, prefix, name, firmSlug, ownerName, ownerEmail string) Created {
	var c Created
	for _, check := range []func() *apperr.FieldError{
		func() (fe *apperr.FieldError) { c.TenantName, fe = slug.ValidName(prefix+"name", name); return fe },
		func() *apperr.FieldError { c.TenantSlug = firmSlug; return slug.Validate(prefix+"slug", firmSlug) },
		func() (fe *apperr.FieldError) { c.UserName, fe = slug.ValidName("owner_name", ownerName); return fe },
		func() (fe *apperr.FieldError) { c.UserEmail, fe = ValidEmail("owner_email", ownerEmail); return fe },
	} {
		if fe := check(); fe != nil {
			*errs = append(*errs, *fe)
		}
	}
	return c
}

// ValidEmail accepts a bare address (no display name, no CR/LF) and returns
// it lower-cased.
func ValidEmail(field, s string) (string, *apperr.FieldError) {
	s = strings.TrimSpace(s)
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" || len(s) > 254 || !strings.Contains(s, "@") {
		return s, &apperr.FieldError{Field: field, Code: "email_invalid", Message: "Enter an email address like name@example.com."}
	}
	return strings.ToLower(s), nil
}

// createTenant inserts the tenant, its first account, the owner and the
// owner's Tenant Admin membership, with their audit events.
func createTenant(ctx context.Context, tx *sql.Tx, c Created, passwordHash string, now time.Time, actor audit.Event) error {
	ts := store.Time(now)
	var licenseText any
	if c.License != "" {
		licenseText = strings.TrimSpace(c.License) + "\n"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO tenants (id, slug, name, plan, license, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.TenantID, c.TenantSlug, c.TenantName, c.Plan, licenseText, ts, ts)
	if store.IsUnique(err) {
		var fe apperr.Fields
		fe.Add("tenant_slug", "slug_taken", "Another firm on this installation uses this slug.")
		return fe.Err()
	}
	if err != nil {
		return fmt.Errorf("insert tenant: %w", err)
	}
	if c.AccountID != "" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO accounts (id, tenant_id, slug, name, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, c.AccountID, c.TenantID, c.AccountSlug, c.AccountName, ts, ts); err != nil {
			return fmt.Errorf("insert account: %w", err)
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO users (id, email, name, password_hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, c.UserID, c.UserEmail, c.UserName, passwordHash, ts, ts)
	var existing bool
	if store.IsUnique(err) {
		// Only `bureau tenant create` can meet an existing person: they join
		// as owner without their password being replaced.
		if err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE email = ?`, c.UserEmail).Scan(&c.UserID); err != nil {
			return fmt.Errorf("find owner: %w", err)
		}
		existing = true
	} else if err != nil {
		return fmt.Errorf("insert owner: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (id, tenant_id, user_id, account_id, role, created_at, updated_at)
		VALUES (?, ?, ?, NULL, 'tenant_admin', ?, ?)`, store.NewID(), c.TenantID, c.UserID, ts, ts); err != nil {
		return fmt.Errorf("insert owner membership: %w", err)
	}
	events := []audit.Event{{Action: "tenant.create", TargetType: "tenant", TargetID: c.TenantID,
		Details: map[string]any{"name": c.TenantName, "slug": c.TenantSlug, "plan": c.Plan}}}
	if c.AccountID != "" {
		events = append(events, audit.Event{Action: "account.create", AccountID: c.AccountID, TargetType: "account",
			TargetID: c.AccountID, Details: map[string]any{"name": c.AccountName, "slug": c.AccountSlug}})
	}
	events = append(events, audit.Event{Action: "staff.add", TargetType: "user", TargetID: c.UserID,
		Details: map[string]any{"email": c.UserEmail, "role": "tenant_admin", "existing_user": existing}})
	for _, ev := range events {
		ev.TenantID, ev.Time = c.TenantID, now
		ev.ActorKind, ev.ActorID, ev.ActorEmail = actor.ActorKind, actor.ActorID, actor.ActorEmail
		ev.IP, ev.UserAgent, ev.RequestID = actor.IP, actor.UserAgent, actor.RequestID
		if err := audit.Append(ctx, tx, ev); err != nil {
			return err
		}
	}
	return nil
}
