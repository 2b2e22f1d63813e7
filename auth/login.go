package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/store"
)

// Service signs people in and out.
type Service struct {
	DB      *store.DB
	Hasher  *Hasher
	Limiter *Limiter // sign-in attempts, per email and IP
	// ResetLimiter bounds password reset mails: 3 per address, then one
	// every few minutes at most, so nobody floods a mailbox.
	ResetLimiter *Limiter
	Sessions     *Sessions
	Now          func() time.Time
}

// Request describes where a request came from, for limits and audit.
type Request struct {
	IP        string
	UserAgent string
	RequestID string
}

// LoginInput is what the sign-in form sends.
type LoginInput struct {
	Email    string
	Password string
	Tenant   string // optional tenant slug, for people in several tenants
}

// LoginResult is a new session.
type LoginResult struct {
	Token     string
	SessionID string
	UserID    string
	TenantID  string
}

// ErrInvalidCredentials is the one answer for an unknown email, a wrong
// password, a removed or deactivated member and a pending invitee (AUTH-07).
func ErrInvalidCredentials() error {
	return apperr.New(apperr.KindUnauthenticated, "invalid_credentials", "Email or password is incorrect.")
}

func rateLimited(wait time.Duration) error {
	e := apperr.New(apperr.KindRateLimited, "rate_limited", "Too many sign-in attempts. Wait a moment and try again.")
	e.RetryAfter = int(math.Ceil(wait.Seconds()))
	return e
}

type loginUser struct {
	id, email, hash string
	tenantID        string // of the membership that can sign in, "" when none
	role            string
	staffPasswords  bool
	anyTenantID     string // of any membership, for auditing a failure
}

// Login checks the password and starts a session.
func (s *Service) Login(ctx context.Context, in LoginInput, req Request) (LoginResult, error) {
	email := strings.ToLower(strings.TrimSpace(in.Email))
	// The password belongs to the person, not the tenant: one counter per
	// email, so naming another tenant buys no fresh attempts.
	if ok, wait := s.Limiter.Allow(email, req.IP, s.Now()); !ok {
		return LoginResult{}, rateLimited(wait)
	}
	if len(in.Password) > MaxPasswordBytes || email == "" {
		return LoginResult{}, ErrInvalidCredentials()
	}
	u, err := s.findUser(ctx, email, in.Tenant)
	if err != nil {
		return LoginResult{}, err
	}
	ok, stale, err := s.Hasher.Verify(in.Password, u.hash)
	if err != nil {
		return LoginResult{}, fmt.Errorf("login: %w", err)
	}
	if !ok || u.tenantID == "" {
		if u.anyTenantID != "" {
			reason := "wrong_password"
			if ok {
				reason = "no_active_membership"
			}
			if err := s.auditFailure(ctx, u, reason, req); err != nil {
				return LoginResult{}, err
			}
		}
		return LoginResult{}, ErrInvalidCredentials()
	}
	if (u.role == "tenant_admin" || u.role == "consultant") && !u.staffPasswords {
		if err := s.auditFailure(ctx, u, "password_login_disabled", req); err != nil {
			return LoginResult{}, err
		}
		return LoginResult{}, apperr.Forbidden("password_login_disabled",
			"Staff of this firm sign in with single sign-on: choose “Use single sign-on (SSO)”.")
	}
	var newHash string
	if stale {
		if newHash, err = s.Hasher.Hash(in.Password); err != nil {
			return LoginResult{}, err
		}
	}
	var res LoginResult
	err = s.DB.Write(ctx, func(tx *sql.Tx) error {
		if newHash != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`,
				newHash, store.Time(s.Now()), u.id); err != nil {
				return fmt.Errorf("rehash: %w", err)
			}
		}
		res, err = s.startSession(ctx, tx, u.id, u.email, u.tenantID, "password", req)
		return err
	})
	if err != nil {
		return LoginResult{}, err
	}
	s.Limiter.Reset(email)
	return res, nil
}

// StartSession signs a person in without a password check: after setup,
// and later after SSO or an accepted invitation.
func (s *Service) StartSession(ctx context.Context, userID, tenantID, method string, req Request) (LoginResult, error) {
	var res LoginResult
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		var email string
		if err := tx.QueryRowContext(ctx, `SELECT email FROM users WHERE id = ?`, userID).Scan(&email); err != nil {
			return fmt.Errorf("start session: %w", err)
		}
		var err error
		res, err = s.startSession(ctx, tx, userID, email, tenantID, method, req)
		return err
	})
	return res, err
}

func (s *Service) startSession(ctx context.Context, tx *sql.Tx, userID, email, tenantID, method string, req Request) (LoginResult, error) {
	sessionMethod := method
	if method != "oidc" {
		sessionMethod = "password"
	}
	token, id, err := s.Sessions.Create(ctx, tx, userID, tenantID, sessionMethod, req.IP, req.UserAgent)
	if err != nil {
		return LoginResult{}, err
	}
	err = audit.Append(ctx, tx, audit.Event{
		TenantID: tenantID, ActorKind: audit.ActorUser, ActorID: userID, ActorEmail: email,
		Action: "auth.login", TargetType: "user", TargetID: userID, IP: req.IP, UserAgent: req.UserAgent,
		RequestID: req.RequestID, Details: map[string]any{"method": method}, Time: s.Now(),
	})
	return LoginResult{Token: token, SessionID: id, UserID: userID, TenantID: tenantID}, err
}

// findUser loads the user and the membership they may sign in with: in the
// named tenant, or their oldest usable one. A missing user is not an error.
func (s *Service) findUser(ctx context.Context, email, tenant string) (loginUser, error) {
	var u loginUser
	var hash sql.NullString
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, email, password_hash FROM users WHERE email = ?`, email).
		Scan(&u.id, &u.email, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return u, nil
	}
	if err != nil {
		return u, fmt.Errorf("login lookup: %w", err)
	}
	u.hash = hash.String
	var staffPw int
	err = s.DB.R.QueryRowContext(ctx, `
		SELECT m.tenant_id, m.role, t.staff_passwords_enabled
		FROM memberships m
		JOIN tenants t ON t.id = m.tenant_id
		LEFT JOIN accounts a ON a.tenant_id = m.tenant_id AND a.id = m.account_id
		WHERE m.user_id = ? AND m.status = 'active' AND (? = '' OR t.slug = ?) AND (m.account_id IS NULL OR a.status = 'active')
		ORDER BY m.created_at LIMIT 1`, u.id, tenant, tenant).Scan(&u.tenantID, &u.role, &staffPw)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("login membership: %w", err)
	}
	u.staffPasswords = staffPw == 1
	u.anyTenantID = u.tenantID
	if u.anyTenantID == "" {
		err = s.DB.R.QueryRowContext(ctx, `SELECT tenant_id FROM memberships WHERE user_id = ? ORDER BY created_at LIMIT 1`,
			u.id).Scan(&u.anyTenantID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return u, fmt.Errorf("login membership: %w", err)
		}
	}
	return u, nil
}

func (s *Service) auditFailure(ctx context.Context, u loginUser, reason string, req Request) error {
	return s.DB.Write(ctx, func(tx *sql.Tx) error {
		return audit.Append(ctx, tx, audit.Event{
			TenantID: u.anyTenantID, ActorKind: audit.ActorUser, ActorID: u.id, ActorEmail: u.email,
			Action: "auth.login", TargetType: "user", TargetID: u.id, Outcome: "failure",
			IP: req.IP, UserAgent: req.UserAgent, RequestID: req.RequestID,
			Details: map[string]any{"method": "password", "reason": reason}, Time: s.Now(),
		})
	})
}

// Logout ends the session and records it.
func (s *Service) Logout(ctx context.Context, token string, p *Principal, req Request) error {
	return s.DB.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, HashToken(token)); err != nil {
			return fmt.Errorf("logout: %w", err)
		}
		return audit.Append(ctx, tx, audit.Event{
			TenantID: p.TenantID, ActorKind: audit.ActorUser, ActorID: p.UserID, ActorEmail: p.Email,
			Action: "auth.logout", TargetType: "user", TargetID: p.UserID, IP: req.IP,
			UserAgent: req.UserAgent, RequestID: req.RequestID, Time: s.Now(),
		})
	})
}
