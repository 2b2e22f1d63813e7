// Package account holds client accounts: one per client, inside one tenant.
// Every query here is scoped by tenant id, and by account id where one is
// known; the caller passes them from the principal, never from the request.
package account

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/slug"
	"bureau/store"
	"bureau/tenant"
)

// Account is a client account with its agency-only details and settings.
type Account struct {
	ID            string
	TenantID      string
	Slug          string
	Name          string
	Status        string
	ContactEmail  string
	ExternalRef   string
	Notes         string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	DeactivatedAt *time.Time
	Settings      Settings
}

// Settings are the per-account switches of SPEC §4.
type Settings struct {
	BetaFeatures           bool
	ApprovalTimeoutSeconds int
	RequireRunApproval     bool
	SyncIntervalSeconds    int
}

// Service changes accounts. Every change commits with its audit event.
type Service struct {
	DB         *store.DB
	Now        func() time.Time
	LicenseKey ed25519.PublicKey
}

const columns = `id, tenant_id, slug, name, status, contact_email, external_ref, notes, created_at, updated_at,
	deactivated_at, beta_features, approval_timeout_seconds, require_run_approval, sync_interval_seconds`

func scan(row interface{ Scan(...any) error }) (Account, error) {
	var a Account
	var created, updated string
	var deactivated sql.NullString
	err := row.Scan(&a.ID, &a.TenantID, &a.Slug, &a.Name, &a.Status, &a.ContactEmail, &a.ExternalRef, &a.Notes,
		&created, &updated, &deactivated, &a.Settings.BetaFeatures, &a.Settings.ApprovalTimeoutSeconds,
		&a.Settings.RequireRunApproval, &a.Settings.SyncIntervalSeconds)
	if err != nil {
		return a, err
	}
	a.CreatedAt, a.UpdatedAt = store.MustTime(created), store.MustTime(updated)
	if deactivated.Valid {
		t := store.MustTime(deactivated.String)
		a.DeactivatedAt = &t
	}
	return a, nil
}

// BySlug finds the account with slug in tenantID; apperr.NotFound otherwise.
func BySlug(ctx context.Context, q store.Querier, tenantID, slug string) (Account, error) {
	a, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+` FROM accounts WHERE tenant_id = ? AND slug = ?`,
		tenantID, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return a, apperr.NotFound()
	}
	if err != nil {
		return a, fmt.Errorf("account %s: %w", slug, err)
	}
	return a, nil
}

// CreateInput is the create form (API.md, POST /api/v1/accounts).
type CreateInput struct {
	Name         string `json:"name"`
	Slug         string `json:"slug"`
	ContactEmail string `json:"contact_email"`
	ExternalRef  string `json:"external_ref"`
	Notes        string `json:"notes"`
}

// ErrPlanLimit says the plan's cap is reached, with the numbers.
func ErrPlanLimit(used, limit int, plan string) error {
	e := apperr.Conflict("plan_limit_reached", fmt.Sprintf(
		"The %s plan allows %d active client account(s) and %d are in use. Deactivate an account or upload a license with more accounts.",
		plan, limit, used))
	e.Extra = map[string]any{"plan": plan, "accounts_used": used, "accounts_limit": limit}
	return e
}

// Create adds an empty, active account. The plan's cap is checked inside
// the same write transaction as the insert; writes are serialized (BEGIN
// IMMEDIATE), so concurrent creates can never exceed it.
func (s *Service) Create(ctx context.Context, actor audit.Actor, tenantID string, in CreateInput) (Account, error) {
	var errs apperr.Fields
	name, fe := slug.ValidName("name", in.Name)
	if fe != nil {
		errs = append(errs, *fe)
	}
	if fe := slug.Validate("slug", in.Slug); fe != nil {
		errs = append(errs, *fe)
	}
	details, derrs := validDetails(in.ContactEmail, in.ExternalRef, in.Notes)
	errs = append(errs, derrs...)
	if err := errs.Err(); err != nil {
		return Account{}, err
	}
	now := s.Now()
	id := store.NewID()
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		if err := s.checkCap(ctx, tx, tenantID, now); err != nil {
			return err
		}
		ts := store.Time(now)
		_, err := tx.ExecContext(ctx, `INSERT INTO accounts (id, tenant_id, slug, name, contact_email, external_ref, notes,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, tenantID, in.Slug, name, details[0], details[1], details[2], ts, ts)
		if store.IsUnique(err) {
			return slugTaken()
		}
		if err != nil {
			return fmt.Errorf("create account: %w", err)
		}
		return audit.Append(ctx, tx, actor.Event(tenantID, id, "account.create", "account", id,
			map[string]any{"name": name, "slug": in.Slug}, now))
	})
	if err != nil {
		return Account{}, err
	}
	return BySlug(ctx, s.DB.R, tenantID, in.Slug)
}

func slugTaken() error {
	var fe apperr.Fields
	fe.Add("slug", "slug_taken", "Another client account already uses this slug.")
	e, _ := apperr.As(fe.Err())
	e.Kind = apperr.KindConflict
	return e
}

// checkCap refuses when the active accounts already fill the plan.
func (s *Service) checkCap(ctx context.Context, tx *sql.Tx, tenantID string, now time.Time) error {
	st, err := tenant.PlanStatus(ctx, tx, tenantID, now, s.LicenseKey)
	if err != nil {
		return err
	}
	var used int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE tenant_id = ? AND status = 'active'`,
		tenantID).Scan(&used); err != nil {
		return fmt.Errorf("count accounts: %w", err)
	}
	if used >= st.Limit {
		return ErrPlanLimit(used, st.Limit, st.Plan)
	}
	return nil
}

// validDetails checks the agency-only fields and returns them trimmed.
func validDetails(email, ref, notes string) ([3]string, apperr.Fields) {
	var errs apperr.Fields
	email, ref = strings.TrimSpace(email), strings.TrimSpace(ref)
	if email != "" {
		var fe *apperr.FieldError
		if email, fe = tenant.ValidEmail("contact_email", email); fe != nil {
			errs = append(errs, *fe)
		}
	}
	if len(ref) > 100 || strings.ContainsAny(ref, "\r\n\t") {
		errs.Add("external_ref", "external_ref_invalid", "Use at most 100 characters on one line.")
	}
	if len(notes) > 10000 {
		errs.Add("notes", "notes_too_long", "Notes hold at most 10,000 characters.")
	}
	return [3]string{email, ref, notes}, errs
}

// Availability tells whether slug can be used for a new account.
func (s *Service) Availability(ctx context.Context, tenantID, candidate string) (bool, string, error) {
	if fe := slug.Validate("slug", candidate); fe != nil {
		return false, fe.Code, nil
	}
	var n int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE tenant_id = ? AND slug = ?`,
		tenantID, candidate).Scan(&n); err != nil {
		return false, "", fmt.Errorf("slug availability: %w", err)
	}
	if n > 0 {
		return false, "slug_taken", nil
	}
	return true, "", nil
}

// Patch is a partial update; nil fields stay as they are.
type Patch struct {
	Name         *string `json:"name"`
	ContactEmail *string `json:"contact_email"`
	ExternalRef  *string `json:"external_ref"`
	Notes        *string `json:"notes"`
	Slug         *string `json:"slug"` // refused: slugs are fixed
}

// Update applies p. Renaming needs mayRename (Tenant Admins only).
func (s *Service) Update(ctx context.Context, actor audit.Actor, a Account, p Patch, mayRename bool) (Account, error) {
	if p.Slug != nil {
		var fe apperr.Fields
		fe.Add("slug", "slug_immutable", "A slug is fixed once the account exists; links and integrations rely on it.")
		return a, fe.Err()
	}
	if p.Name != nil && strings.TrimSpace(*p.Name) != a.Name && !mayRename {
		return a, apperr.Forbidden("permission_denied", "Only a Tenant Admin can rename an account.")
	}
	next := a
	var errs apperr.Fields
	if p.Name != nil {
		name, fe := slug.ValidName("name", *p.Name)
		if fe != nil {
			errs = append(errs, *fe)
		}
		next.Name = name
	}
	if p.ContactEmail != nil {
		next.ContactEmail = *p.ContactEmail
	}
	if p.ExternalRef != nil {
		next.ExternalRef = *p.ExternalRef
	}
	if p.Notes != nil {
		next.Notes = *p.Notes
	}
	details, derrs := validDetails(next.ContactEmail, next.ExternalRef, next.Notes)
	errs = append(errs, derrs...)
	if err := errs.Err(); err != nil {
		return a, err
	}
	next.ContactEmail, next.ExternalRef, next.Notes = details[0], details[1], details[2]
	changes := map[string]any{}
	diff := func(field, before, after string) {
		if before != after {
			changes[field] = map[string]string{"before": before, "after": after}
		}
	}
	diff("name", a.Name, next.Name)
	diff("contact_email", a.ContactEmail, next.ContactEmail)
	diff("external_ref", a.ExternalRef, next.ExternalRef)
	if a.Notes != next.Notes {
		changes["notes"] = "changed"
	}
	if len(changes) == 0 {
		return a, nil
	}
	now := s.Now()
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE accounts SET name = ?, contact_email = ?, external_ref = ?, notes = ?,
			updated_at = ? WHERE tenant_id = ? AND id = ?`,
			next.Name, next.ContactEmail, next.ExternalRef, next.Notes, store.Time(now), a.TenantID, a.ID)
		if err != nil {
			return fmt.Errorf("update account: %w", err)
		}
		action := "account.update"
		if _, renamed := changes["name"]; renamed {
			action = "account.rename"
		}
		return audit.Append(ctx, tx, actor.Event(a.TenantID, a.ID, action, "account", a.ID, changes, now))
	})
	if err != nil {
		return a, err
	}
	return BySlug(ctx, s.DB.R, a.TenantID, a.Slug)
}

// Deactivate turns the account off: its people lose access at once (their
// sessions in this tenant end), and everything stored is kept.
func (s *Service) Deactivate(ctx context.Context, actor audit.Actor, a Account) (Account, error) {
	if a.Status == "deactivated" {
		return a, nil
	}
	now := s.Now()
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET status = 'deactivated', deactivated_at = ?, updated_at = ?
			WHERE tenant_id = ? AND id = ?`, store.Time(now), store.Time(now), a.TenantID, a.ID); err != nil {
			return fmt.Errorf("deactivate account: %w", err)
		}
		ended, err := endMemberSessions(ctx, tx, a)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor.Event(a.TenantID, a.ID, "account.deactivate", "account", a.ID,
			map[string]any{"sessions_ended": ended}, now))
	})
	if err != nil {
		return a, err
	}
	return BySlug(ctx, s.DB.R, a.TenantID, a.Slug)
}

// endMemberSessions deletes the sessions, in a's tenant, of a's people.
func endMemberSessions(ctx context.Context, tx *sql.Tx, a Account) (int64, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE tenant_id = ? AND user_id IN
		(SELECT user_id FROM memberships WHERE tenant_id = ? AND account_id = ?)`, a.TenantID, a.TenantID, a.ID)
	if err != nil {
		return 0, fmt.Errorf("end sessions: %w", err)
	}
	return res.RowsAffected()
}

// Reactivate turns a deactivated account back on, if the plan has room.
func (s *Service) Reactivate(ctx context.Context, actor audit.Actor, a Account) (Account, error) {
	if a.Status == "active" {
		return a, nil
	}
	now := s.Now()
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		if err := s.checkCap(ctx, tx, a.TenantID, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET status = 'active', deactivated_at = NULL, updated_at = ?
			WHERE tenant_id = ? AND id = ?`, store.Time(now), a.TenantID, a.ID); err != nil {
			return fmt.Errorf("reactivate account: %w", err)
		}
		return audit.Append(ctx, tx, actor.Event(a.TenantID, a.ID, "account.reactivate", "account", a.ID, nil, now))
	})
	if err != nil {
		return a, err
	}
	return BySlug(ctx, s.DB.R, a.TenantID, a.Slug)
}

// Delete removes a deactivated account and everything in it, once the
// caller typed its exact name. The tenant audit log keeps the record.
func (s *Service) Delete(ctx context.Context, actor audit.Actor, a Account, confirmName string) error {
	if a.Status != "deactivated" {
		return apperr.Conflict("account_active", "Deactivate the account before deleting it.")
	}
	if confirmName != a.Name {
		var fe apperr.Fields
		fe.Add("confirm_name", "confirm_name_mismatch", "Type the account's name exactly as shown to confirm.")
		return fe.Err()
	}
	now := s.Now()
	return s.DB.Write(ctx, func(tx *sql.Tx) error {
		if _, err := endMemberSessions(ctx, tx, a); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM accounts WHERE tenant_id = ? AND id = ?`, a.TenantID, a.ID); err != nil {
			return fmt.Errorf("delete account: %w", err)
		}
		return audit.Append(ctx, tx, actor.Event(a.TenantID, a.ID, "account.delete", "account", a.ID,
			map[string]any{"name": a.Name, "slug": a.Slug}, now))
	})
}

// SettingsPatch is a partial settings update.
type SettingsPatch struct {
	BetaFeatures           *bool   `json:"beta_features"`
	ApprovalTimeoutSeconds *int    `json:"approval_timeout_seconds"`
	RequireRunApproval     *bool   `json:"require_run_approval"`
	SyncInterval           *string `json:"sync_interval"`
}

// UpdateSettings applies p to a's settings.
func (s *Service) UpdateSettings(ctx context.Context, actor audit.Actor, a Account, p SettingsPatch) (Account, error) {
	next := a.Settings
	var errs apperr.Fields
	if p.BetaFeatures != nil {
		next.BetaFeatures = *p.BetaFeatures
	}
	if p.RequireRunApproval != nil {
		next.RequireRunApproval = *p.RequireRunApproval
	}
	if p.ApprovalTimeoutSeconds != nil {
		next.ApprovalTimeoutSeconds = *p.ApprovalTimeoutSeconds
		if next.ApprovalTimeoutSeconds < 60 || next.ApprovalTimeoutSeconds > 604800 {
			errs.Add("approval_timeout_seconds", "approval_timeout_invalid", "Choose between 60 seconds and 7 days (604800 seconds).")
		}
	}
	if p.SyncInterval != nil {
		d, err := time.ParseDuration(*p.SyncInterval)
		if err != nil || d < time.Minute || d > 24*time.Hour || d%time.Minute != 0 {
			errs.Add("sync_interval", "sync_interval_invalid", "Use whole minutes between 1m and 24h, like 5m, 15m or 1h.")
		} else {
			next.SyncIntervalSeconds = int(d.Seconds())
		}
	}
	if err := errs.Err(); err != nil {
		return a, err
	}
	if next == a.Settings {
		return a, nil
	}
	now := s.Now()
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE accounts SET beta_features = ?, approval_timeout_seconds = ?,
			require_run_approval = ?, sync_interval_seconds = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
			next.BetaFeatures, next.ApprovalTimeoutSeconds, next.RequireRunApproval, next.SyncIntervalSeconds,
			store.Time(now), a.TenantID, a.ID)
		if err != nil {
			return fmt.Errorf("update settings: %w", err)
		}
		return audit.Append(ctx, tx, actor.Event(a.TenantID, a.ID, "account.settings", "account", a.ID,
			map[string]any{"before": a.Settings, "after": next}, now))
	})
	if err != nil {
		return a, err
	}
	return BySlug(ctx, s.DB.R, a.TenantID, a.Slug)
}

// SyncInterval renders the interval as the API shows it ("5m0s" → "5m").
func (st Settings) SyncInterval() string {
	d := time.Duration(st.SyncIntervalSeconds) * time.Second
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dm", int(d.Minutes()))
}
