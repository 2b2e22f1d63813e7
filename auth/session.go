package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"bureau/apperr"
	"bureau/policy"
	"bureau/store"
)

// Principal is who is making a request, resolved from the session on every
// request: role and account come from the membership as it is now (ISO-11).
type Principal struct {
	SessionID  string
	AuthMethod string
	CreatedAt  time.Time

	UserID      string
	Email       string
	Name        string
	HasPassword bool // may use the password change

	TenantID              string
	TenantSlug            string
	TenantName            string
	Plan                  string
	Branding              string // JSON
	StaffPasswordsEnabled bool

	// Role is empty when the person has no usable membership in the active
	// tenant (removed, or their account is deactivated): they see a plain
	// home screen and nothing else.
	Role        string
	Roles       []string // effective: Role and the roles of the person's groups
	AccountID   string
	AccountSlug string
	AccountName string
}

// IsStaff reports a tenant-level membership.
func (p *Principal) IsStaff() bool { return p.Role == "tenant_admin" || p.Role == "consultant" }

// ErrNoSession is returned for a missing, unknown or expired session.
var ErrNoSession = apperr.New(apperr.KindUnauthenticated, "unauthenticated", "Sign in to continue.")

// Sessions stores server-side sessions. Only SHA-256(token) is stored, so
// the database never holds a usable cookie (SES-01).
type Sessions struct {
	DB       *store.DB
	Now      func() time.Time
	Idle     time.Duration // SES-04: idle timeout
	Absolute time.Duration // SES-04: absolute lifetime
}

// touchEvery throttles last_seen_at writes so reads stay reads.
const touchEvery = time.Minute

// NewToken returns 32 random bytes, base64url: the cookie value.
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("session token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// HashToken is the stored form of a token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Create starts a session in tx and returns the cookie token and the
// session's id.
func (s *Sessions) Create(ctx context.Context, tx *sql.Tx, userID, tenantID, method, ip, ua string) (token, id string, err error) {
	token, err = NewToken()
	if err != nil {
		return "", "", err
	}
	id = store.NewID()
	now := s.Now()
	if len(ua) > 512 {
		ua = ua[:512]
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO sessions
		(id, token_hash, user_id, tenant_id, auth_method, ip, user_agent, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, HashToken(token), userID, tenantID, method, ip, ua,
		store.Time(now), store.Time(now), store.Time(now.Add(s.Absolute)))
	if err != nil {
		return "", "", fmt.Errorf("create session: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE memberships SET last_active_at = ? WHERE tenant_id = ? AND user_id = ? AND status = 'active'`,
		store.Time(now), tenantID, userID); err != nil {
		return "", "", fmt.Errorf("create session: %w", err)
	}
	return token, id, nil
}

// Resolve returns the principal behind token, or ErrNoSession. An expired
// session is deleted on the way.
func (s *Sessions) Resolve(ctx context.Context, token string) (*Principal, error) {
	if token == "" || len(token) > 100 {
		return nil, ErrNoSession
	}
	hash := HashToken(token)
	var p Principal
	var created, lastSeen, expires string
	var staffPw int
	var role, accountID, accountSlug, accountName, accountStatus, groupRoles sql.NullString
	err := s.DB.R.QueryRowContext(ctx, `
		SELECT s.id, s.auth_method, s.created_at, s.last_seen_at, s.expires_at,
		       u.id, u.email, u.name, COALESCE(u.password_hash, '') != '', t.id, t.slug, t.name, t.plan, t.branding, t.staff_passwords_enabled,
		       m.role, m.account_id, a.slug, a.name, a.status,
		       (SELECT group_concat(DISTINCT g.role) FROM group_members gm JOIN groups g ON g.id = gm.group_id
		        WHERE gm.membership_id = m.id AND g.role IS NOT NULL)
		FROM sessions s
		JOIN users u ON u.id = s.user_id
		JOIN tenants t ON t.id = s.tenant_id
		LEFT JOIN memberships m ON m.tenant_id = s.tenant_id AND m.user_id = s.user_id AND m.status = 'active'
		LEFT JOIN accounts a ON a.tenant_id = m.tenant_id AND a.id = m.account_id
		WHERE s.token_hash = ?`, hash).Scan(
		&p.SessionID, &p.AuthMethod, &created, &lastSeen, &expires,
		&p.UserID, &p.Email, &p.Name, &p.HasPassword, &p.TenantID, &p.TenantSlug, &p.TenantName, &p.Plan, &p.Branding, &staffPw,
		&role, &accountID, &accountSlug, &accountName, &accountStatus, &groupRoles)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("resolve session: %w", err)
	}
	now := s.Now()
	seen := store.MustTime(lastSeen)
	if now.After(store.MustTime(expires)) || now.Sub(seen) > s.Idle {
		if err := s.deleteByID(ctx, p.SessionID); err != nil {
			return nil, err
		}
		return nil, ErrNoSession
	}
	p.CreatedAt = store.MustTime(created)
	p.StaffPasswordsEnabled = staffPw == 1
	if role.Valid && (!accountID.Valid || accountStatus.String == "active") {
		p.Role, p.AccountID, p.AccountSlug, p.AccountName = role.String, accountID.String, accountSlug.String, accountName.String
		p.Roles = effectiveRoles(p.Role, groupRoles.String)
	}
	if now.Sub(seen) >= touchEvery {
		if err := s.touch(ctx, &p, now); err != nil {
			return nil, err
		}
	}
	return &p, nil
}

// effectiveRoles is the member's own role and their groups' (a
// comma-separated list), in the policy's order, without repeats.
func effectiveRoles(own, groups string) []string {
	have := map[string]bool{own: true}
	for _, r := range strings.Split(groups, ",") {
		have[r] = r != ""
	}
	var out []string
	for _, r := range policy.Roles {
		if have[r] {
			out = append(out, r)
		}
	}
	return out
}

// touch records activity: on the session (idle timeout) and on the
// membership (the members list's Last active).
func (s *Sessions) touch(ctx context.Context, p *Principal, now time.Time) error {
	return s.DB.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, store.Time(now), p.SessionID); err != nil {
			return fmt.Errorf("touch session: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE memberships SET last_active_at = ? WHERE tenant_id = ? AND user_id = ? AND status = 'active'`,
			store.Time(now), p.TenantID, p.UserID); err != nil {
			return fmt.Errorf("touch membership: %w", err)
		}
		return nil
	})
}

// Delete ends the session whose cookie token is token.
func (s *Sessions) Delete(ctx context.Context, token string) error {
	_, err := s.DB.W.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, HashToken(token))
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

func (s *Sessions) deleteByID(ctx context.Context, id string) error {
	if _, err := s.DB.W.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// PurgeExpired deletes sessions past their absolute or idle expiry.
func (s *Sessions) PurgeExpired(ctx context.Context) (int64, error) {
	now := s.Now()
	res, err := s.DB.W.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?`,
		store.Time(now), store.Time(now.Add(-s.Idle)))
	if err != nil {
		return 0, fmt.Errorf("purge sessions: %w", err)
	}
	return res.RowsAffected()
}

// PurgeExpiredEvery runs PurgeExpired until ctx ends.
func (s *Sessions) PurgeExpiredEvery(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.PurgeExpired(ctx); err != nil && ctx.Err() == nil {
				log.Error("purge sessions", "err", err)
			}
		}
	}
}
