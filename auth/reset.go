package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/store"
)

// ResetTTL is how long a password reset link lives.
const ResetTTL = time.Hour

// ResetRequest is a reset link to mail: the token exists only here.
type ResetRequest struct {
	TenantID   string
	TenantName string
	Branding   string // JSON
	Email      string
	Name       string
	Token      string
}

// RequestReset issues a reset link for email, if there is someone to send
// it to: a person with a password and an active membership (in the named
// tenant, if one is named). Otherwise it returns nil and no error, so the
// caller answers the same either way (AUTH-07). Repeated requests are
// limited per email and per IP.
func (s *Service) RequestReset(ctx context.Context, email, tenant string, req Request) (*ResetRequest, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" || len(email) > 254 {
		return nil, nil
	}
	if ok, wait := s.ResetLimiter.Allow(email, req.IP, s.Now()); !ok {
		return nil, rateLimited(wait)
	}
	var r ResetRequest
	var userID string
	err := s.DB.R.QueryRowContext(ctx, `
		SELECT u.id, u.email, u.name, t.id, t.name, t.branding
		FROM users u
		JOIN memberships m ON m.user_id = u.id AND m.status = 'active'
		JOIN tenants t ON t.id = m.tenant_id
		WHERE u.email = ? AND u.password_hash IS NOT NULL AND (? = '' OR t.slug = ?)
		  AND NOT (m.account_id IS NULL AND t.staff_passwords_enabled = 0)
		ORDER BY m.created_at LIMIT 1`, email, tenant, tenant).Scan(&userID, &r.Email, &r.Name, &r.TenantID, &r.TenantName, &r.Branding)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("password reset: %w", err)
	}
	if r.Token, err = NewToken(); err != nil {
		return nil, err
	}
	now := s.Now()
	err = s.DB.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO password_resets (id, tenant_id, user_id, token_hash, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, store.NewID(), r.TenantID, userID, HashToken(r.Token), store.Time(now),
			store.Time(now.Add(ResetTTL))); err != nil {
			return fmt.Errorf("password reset: %w", err)
		}
		return audit.Append(ctx, tx, audit.Event{TenantID: r.TenantID, ActorKind: audit.ActorUser, ActorID: userID,
			ActorEmail: r.Email, Action: "auth.password_reset_request", TargetType: "user", TargetID: userID,
			IP: req.IP, UserAgent: req.UserAgent, RequestID: req.RequestID, Time: now})
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

func resetLinkInvalid() error {
	return apperr.Gone("reset_link_invalid", "This reset link is no longer valid: links work once, for one hour. Ask for a new one.")
}

// CompleteReset sets a new password through a reset link. The link is used
// up atomically, every other reset link of the person dies, and every
// session of theirs ends.
func (s *Service) CompleteReset(ctx context.Context, token, password string, req Request) error {
	if token == "" || len(token) > 100 {
		return resetLinkInvalid()
	}
	var id, userID, tenantID, email, name, tenantName, expires string
	var used sql.NullString
	err := s.DB.R.QueryRowContext(ctx, `
		SELECT r.id, r.user_id, r.tenant_id, r.expires_at, r.used_at, u.email, u.name, t.name
		FROM password_resets r JOIN users u ON u.id = r.user_id JOIN tenants t ON t.id = r.tenant_id
		WHERE r.token_hash = ?`, HashToken(token)).Scan(&id, &userID, &tenantID, &expires, &used, &email, &name, &tenantName)
	if errors.Is(err, sql.ErrNoRows) {
		return resetLinkInvalid()
	}
	if err != nil {
		return fmt.Errorf("password reset: %w", err)
	}
	now := s.Now()
	if used.Valid || !now.Before(store.MustTime(expires)) {
		return resetLinkInvalid()
	}
	local, _, _ := strings.Cut(email, "@")
	if fe := CheckPassword("password", password, email, local, name, tenantName); fe != nil {
		return apperr.Fields{*fe}.Err()
	}
	hash, err := s.Hasher.Hash(password)
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		res, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?`,
			store.Time(now), id, store.Time(now))
		if err != nil {
			return fmt.Errorf("password reset: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return resetLinkInvalid()
		}
		if err := setPassword(ctx, tx, userID, hash, "", now); err != nil {
			return err
		}
		s.Limiter.Reset(email)
		return audit.Append(ctx, tx, audit.Event{TenantID: tenantID, ActorKind: audit.ActorUser, ActorID: userID,
			ActorEmail: email, Action: "auth.password_reset", TargetType: "user", TargetID: userID,
			IP: req.IP, UserAgent: req.UserAgent, RequestID: req.RequestID, Time: now})
	})
}

// setPassword stores a new hash, kills the person's unused reset links and
// ends their sessions, all but keepSession.
func setPassword(ctx context.Context, tx *sql.Tx, userID, hash, keepSession string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`,
		hash, store.Time(now), userID); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`,
		store.Time(now), userID); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id != ?`, userID, keepSession); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return nil
}

// ChangePassword replaces the caller's password after checking the current
// one; every other session of theirs ends (AUTH-10).
func (s *Service) ChangePassword(ctx context.Context, p *Principal, current, next string, req Request) error {
	var stored sql.NullString
	if err := s.DB.R.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, p.UserID).Scan(&stored); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	if !stored.Valid || stored.String == "" {
		return apperr.Conflict("no_password", "You sign in with single sign-on; your password is managed there.")
	}
	if p.IsStaff() && !p.StaffPasswordsEnabled {
		return apperr.Conflict("password_login_disabled", "Staff of this firm sign in with single sign-on; there is no password to change here.")
	}
	if ok, wait := s.Limiter.Allow(p.Email, req.IP, s.Now()); !ok {
		return rateLimited(wait)
	}
	ok, _, err := s.Hasher.Verify(current, stored.String)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	if !ok {
		return apperr.Fields{{Field: "current_password", Code: "password_incorrect", Message: "This is not your current password."}}.Err()
	}
	s.Limiter.Reset(p.Email)
	local, _, _ := strings.Cut(p.Email, "@")
	if fe := CheckPassword("new_password", next, p.Email, local, p.Name, p.TenantName, p.TenantSlug, p.AccountName); fe != nil {
		return apperr.Fields{*fe}.Err()
	}
	hash, err := s.Hasher.Hash(next)
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		if err := setPassword(ctx, tx, p.UserID, hash, p.SessionID, now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Event{TenantID: p.TenantID, ActorKind: audit.ActorUser, ActorID: p.UserID,
			ActorEmail: p.Email, Action: "auth.password_change", TargetType: "user", TargetID: p.UserID,
			IP: req.IP, UserAgent: req.UserAgent, RequestID: req.RequestID, Time: now})
	})
}

// SessionInfo is one of a person's sessions, as the profile page lists it.
type SessionInfo struct {
	ID         string    `json:"id"`
	Current    bool      `json:"current"`
	IP         string    `json:"ip"`
	UserAgent  string    `json:"user_agent"`
	AuthMethod string    `json:"auth_method"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	Tenant     struct {
		Slug string `json:"slug"`
		Name string `json:"name"`
	} `json:"tenant"`
}

// List returns the person's live sessions, newest first.
func (s *Sessions) List(ctx context.Context, p *Principal) ([]SessionInfo, error) {
	now := s.Now()
	rows, err := s.DB.R.QueryContext(ctx, `
		SELECT s.id, s.ip, s.user_agent, s.auth_method, s.created_at, s.last_seen_at, t.slug, t.name
		FROM sessions s JOIN tenants t ON t.id = s.tenant_id
		WHERE s.user_id = ? AND s.expires_at > ? AND s.last_seen_at > ?
		ORDER BY s.last_seen_at DESC, s.id DESC LIMIT 200`,
		p.UserID, store.Time(now), store.Time(now.Add(-s.Idle)))
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	out := []SessionInfo{}
	for rows.Next() {
		var si SessionInfo
		var created, seen string
		if err := rows.Scan(&si.ID, &si.IP, &si.UserAgent, &si.AuthMethod, &created, &seen, &si.Tenant.Slug, &si.Tenant.Name); err != nil {
			return nil, fmt.Errorf("list sessions: %w", err)
		}
		si.CreatedAt, si.LastSeenAt = store.MustTime(created), store.MustTime(seen)
		si.Current = si.ID == p.SessionID
		out = append(out, si)
	}
	return out, rows.Err()
}

// End ends one of the person's sessions; another person's is 404.
func (s *Sessions) End(ctx context.Context, p *Principal, id string) error {
	res, err := s.DB.W.ExecContext(ctx, `DELETE FROM sessions WHERE id = ? AND user_id = ?`, id, p.UserID)
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.NotFound()
	}
	return nil
}

// SwitchTenant moves the session to another tenant where the person has an
// active membership; anything else is 404.
func (s *Sessions) SwitchTenant(ctx context.Context, p *Principal, tenantSlug string) error {
	return s.DB.Write(ctx, func(tx *sql.Tx) error {
		var tenantID string
		err := tx.QueryRowContext(ctx, `SELECT t.id FROM tenants t JOIN memberships m ON m.tenant_id = t.id
			WHERE t.slug = ? AND m.user_id = ? AND m.status = 'active'`, tenantSlug, p.UserID).Scan(&tenantID)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFound()
		}
		if err != nil {
			return fmt.Errorf("switch tenant: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET tenant_id = ? WHERE id = ?`, tenantID, p.SessionID); err != nil {
			return fmt.Errorf("switch tenant: %w", err)
		}
		return nil
	})
}

// Tenants lists the tenants where the person has an active membership.
func (s *Sessions) Tenants(ctx context.Context, userID string) ([]map[string]string, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT t.slug, t.name FROM tenants t JOIN memberships m ON m.tenant_id = t.id
		WHERE m.user_id = ? AND m.status = 'active' ORDER BY lower(t.name), t.slug`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tenants: %w", err)
	}
	defer rows.Close()
	out := []map[string]string{}
	for rows.Next() {
		var slug, name string
		if err := rows.Scan(&slug, &name); err != nil {
			return nil, fmt.Errorf("list tenants: %w", err)
		}
		out = append(out, map[string]string{"slug": slug, "name": name})
	}
	return out, rows.Err()
}

// SetPassword is the operator's reset (bureau user set-password): the
// policy applies, every session of the person ends, and each tenant they
// belong to records it.
func (s *Service) SetPassword(ctx context.Context, email, password string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	var userID, name string
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, name FROM users WHERE email = ?`, email).Scan(&userID, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.KindNotFound, "user_not_found", "No one has the email "+email+".")
	}
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	local, _, _ := strings.Cut(email, "@")
	if fe := CheckPassword("password", password, email, local, name); fe != nil {
		return apperr.Fields{*fe}.Err()
	}
	hash, err := s.Hasher.Hash(password)
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		if err := setPassword(ctx, tx, userID, hash, "", now); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT tenant_id FROM memberships WHERE user_id = ?`, userID)
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		var tenants []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("set password: %w", err)
			}
			tenants = append(tenants, id)
		}
		rows.Close()
		for _, t := range tenants {
			if err := audit.Append(ctx, tx, audit.Event{TenantID: t, ActorKind: audit.ActorSystem, Action: "auth.password_set_by_operator",
				TargetType: "user", TargetID: userID, Details: map[string]any{"email": email}, Time: now}); err != nil {
				return err
			}
		}
		return nil
	})
}
