package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/auth"
	"bureau/slug"
	"bureau/store"
)

// Invitation is what the invitee sees before accepting.
type Invitation struct {
	id           string
	TenantID     string
	TenantSlug   string
	TenantName   string
	Branding     string // JSON
	AccountName  string // "" for staff
	UserID       string
	Email        string
	Role         string
	ExpiresAt    time.Time
	ExistingUser bool // has a password already: accepting asks for it
	StaffNoPw    bool // a staff invitation while staff passwords are off
}

func invitationGone(code, message string) error { return apperr.Gone(code, message) }

// Lookup finds the invitation behind a link token, or says why it is dead:
// 404 for a token never issued, 410 expired / used / revoked.
func (s *Service) Lookup(ctx context.Context, q store.Querier, token string) (Invitation, error) {
	if token == "" || len(token) > 100 {
		return Invitation{}, apperr.NotFound()
	}
	var inv Invitation
	var account, accountStatus, used, revoked, reason, hash, role sql.NullString
	var expires string
	var staffPw int
	err := q.QueryRowContext(ctx, `
		SELECT i.id, i.tenant_id, t.slug, t.name, t.branding, t.staff_passwords_enabled, a.name, a.status, i.user_id, u.email,
		       u.password_hash, m.role, i.expires_at, i.used_at, i.revoked_at, i.revoke_reason
		FROM invitations i
		JOIN tenants t ON t.id = i.tenant_id
		JOIN users u ON u.id = i.user_id
		LEFT JOIN accounts a ON a.tenant_id = i.tenant_id AND a.id = i.account_id
		LEFT JOIN memberships m ON m.tenant_id = i.tenant_id AND m.user_id = i.user_id AND m.account_id IS i.account_id
		WHERE i.token_hash = ?`, auth.HashToken(token)).Scan(
		&inv.id, &inv.TenantID, &inv.TenantSlug, &inv.TenantName, &inv.Branding, &staffPw, &account, &accountStatus, &inv.UserID, &inv.Email,
		&hash, &role, &expires, &used, &revoked, &reason)
	if errors.Is(err, sql.ErrNoRows) {
		return Invitation{}, apperr.NotFound()
	}
	if err != nil {
		return Invitation{}, fmt.Errorf("invitation lookup: %w", err)
	}
	inv.AccountName, inv.Role = account.String, role.String
	inv.ExpiresAt = store.MustTime(expires)
	inv.ExistingUser = hash.Valid && hash.String != ""
	inv.StaffNoPw = !account.Valid && staffPw == 0
	switch {
	case used.Valid:
		return inv, invitationGone("invitation_used", "This invitation was accepted already. Sign in instead.")
	case revoked.Valid && reason.String == "resent":
		return inv, invitationGone("invitation_revoked", "A newer invitation was sent to this address: use the link in the latest email.")
	case revoked.Valid || !role.Valid:
		return inv, invitationGone("invitation_revoked", "This invitation was withdrawn. Ask whoever invited you to send a new one.")
	case accountStatus.String == "deactivated":
		return inv, invitationGone("invitation_revoked", "This client account is deactivated. Ask whoever invited you.")
	case !s.Now().Before(inv.ExpiresAt):
		return inv, invitationGone("invitation_expired", "This invitation has expired. Ask whoever invited you to resend it.")
	}
	return inv, nil
}

// AcceptInput is what the invitee sends.
type AcceptInput struct {
	Name     string `json:"name"`
	Password string `json:"password"`
}

// Accept turns a pending invitation into a membership. A new person sets
// their name and password; someone who already has a password (from another
// tenant) proves it instead, so a link cannot replace it. The link is used
// up by one conditional update: of concurrent accepts exactly one wins.
func (s *Service) Accept(ctx context.Context, token string, in AcceptInput, req auth.Request) (Invitation, error) {
	inv, err := s.Lookup(ctx, s.DB.R, token)
	if err != nil {
		return Invitation{}, err
	}
	if inv.StaffNoPw {
		return Invitation{}, apperr.Conflict("sso_required", "This firm's staff sign in with single sign-on; accept the invitation by signing in with SSO.")
	}
	name, hash, err := s.credentials(ctx, inv, in, req)
	if err != nil {
		return Invitation{}, err
	}
	err = s.DB.Write(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		res, err := tx.ExecContext(ctx, `UPDATE invitations SET used_at = ?
			WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?`, store.Time(now), inv.id, store.Time(now))
		if err != nil {
			return fmt.Errorf("accept invitation: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			_, err := s.Lookup(ctx, tx, token) // says which: used, revoked or expired
			if err == nil {
				err = invitationGone("invitation_used", "This invitation was accepted already. Sign in instead.")
			}
			return err
		}
		res, err = tx.ExecContext(ctx, `UPDATE memberships SET status = 'active', last_active_at = ?, updated_at = ?
			WHERE tenant_id = ? AND user_id = ? AND status = 'pending'`, store.Time(now), store.Time(now), inv.TenantID, inv.UserID)
		if err != nil {
			return fmt.Errorf("accept invitation: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return invitationGone("invitation_revoked", "This invitation was withdrawn. Ask whoever invited you to send a new one.")
		}
		if hash != "" {
			res, err := tx.ExecContext(ctx, `UPDATE users SET name = ?, password_hash = ?, updated_at = ?
				WHERE id = ? AND password_hash IS NULL`, name, hash, store.Time(now), inv.UserID)
			if err != nil {
				return fmt.Errorf("accept invitation: %w", err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return apperr.Conflict("password_already_set", "A password was set for this address meanwhile. Open the link again and enter it.")
			}
		}
		return audit.Append(ctx, tx, audit.Event{TenantID: inv.TenantID, AccountID: accountOfInvitation(ctx, tx, inv.id),
			ActorKind: audit.ActorUser, ActorID: inv.UserID, ActorEmail: inv.Email, Action: "invitation.accept",
			TargetType: "user", TargetID: inv.UserID, IP: req.IP, UserAgent: req.UserAgent, RequestID: req.RequestID,
			Details: map[string]any{"role": inv.Role, "existing_user": inv.ExistingUser}, Time: now})
	})
	if err != nil {
		return Invitation{}, err
	}
	return inv, nil
}

func accountOfInvitation(ctx context.Context, tx *sql.Tx, id string) string {
	var a sql.NullString
	_ = tx.QueryRowContext(ctx, `SELECT account_id FROM invitations WHERE id = ?`, id).Scan(&a)
	return a.String
}

// credentials checks what the invitee sent: a new name and password (hashed
// here, outside the write transaction), or their existing password.
func (s *Service) credentials(ctx context.Context, inv Invitation, in AcceptInput, req auth.Request) (name, hash string, err error) {
	if inv.ExistingUser {
		if ok, wait := s.Limiter.Allow(inv.Email, req.IP, s.Now()); !ok {
			e := apperr.New(apperr.KindRateLimited, "rate_limited", "Too many attempts. Wait a moment and try again.")
			e.RetryAfter = int(wait.Seconds()) + 1
			return "", "", e
		}
		var stored string
		if err := s.DB.R.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, inv.UserID).Scan(&stored); err != nil {
			return "", "", fmt.Errorf("accept invitation: %w", err)
		}
		ok, _, err := s.Hasher.Verify(in.Password, stored)
		if err != nil {
			return "", "", fmt.Errorf("accept invitation: %w", err)
		}
		if !ok {
			return "", "", auth.ErrInvalidCredentials()
		}
		s.Limiter.Reset(inv.Email)
		return "", "", nil
	}
	var errs apperr.Fields
	name, fe := slug.ValidName("name", in.Name)
	if fe != nil {
		errs = append(errs, *fe)
	}
	local, _, _ := strings.Cut(inv.Email, "@")
	if fe := auth.CheckPassword("password", in.Password, inv.Email, local, name, inv.TenantName, inv.TenantSlug, inv.AccountName); fe != nil {
		errs = append(errs, *fe)
	}
	if err := errs.Err(); err != nil {
		return "", "", err
	}
	hash, err = s.Hasher.Hash(in.Password)
	return name, hash, err
}
