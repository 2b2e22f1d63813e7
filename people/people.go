package people

import (
	"net/mail"
	"slices"
	"strings"
	"time"

	"bureau/apperr"
	"bureau/auth"
	"bureau/policy"
	"bureau/store"
)

// InvitationTTL is how long an invitation link lives (SPEC §3).
const InvitationTTL = 7 * 24 * time.Hour

// MaxInvites is the most addresses one invitation request may carry.
const MaxInvites = 20

// Service manages invitations, members and groups. Every query names the
// scope it works in: a tenant, and an account or the tenant's staff.
type Service struct {
	DB      *store.DB
	Hasher  *auth.Hasher
	Limiter *auth.Limiter // guesses at an existing user's password on accept
	Now     func() time.Time
}

// Scope is where people are managed: one account of a tenant, or the
// tenant's staff when AccountID is empty.
type Scope struct {
	TenantID  string
	AccountID string
}

// Staff reports a tenant-level scope.
func (sc Scope) Staff() bool { return sc.AccountID == "" }

// accountArg is the account for `account_id IS ?`: NULL for staff.
func (sc Scope) accountArg() any {
	if sc.Staff() {
		return nil
	}
	return sc.AccountID
}

// roles the scope accepts.
func (sc Scope) roles() []string {
	if sc.Staff() {
		return policy.StaffRoles
	}
	return []string{"account_admin", "account_user", "client"}
}

func (sc Scope) validRole(role string) bool { return slices.Contains(sc.roles(), role) }

func (sc Scope) roleError(field string) apperr.FieldError {
	if sc.Staff() {
		return apperr.FieldError{Field: field, Code: "role_invalid", Message: "Staff are tenant_admin or consultant."}
	}
	return apperr.FieldError{Field: field, Code: "role_invalid", Message: "Choose account_admin, account_user or client."}
}

// Member statuses.
const (
	StatusActive  = "active"
	StatusPending = "pending"
	StatusExpired = "expired"
)

// Member is a member of an account (or of the staff), or a person invited
// who has not accepted yet.
type Member struct {
	MembershipID string     `json:"-"`
	UserID       string     `json:"user_id"`
	InvitationID *string    `json:"invitation_id"`
	Email        string     `json:"email"`
	Name         string     `json:"name"`
	Role         string     `json:"role"`
	Groups       []GroupRef `json:"groups"`
	Status       string     `json:"status"`
	LastActive   *time.Time `json:"last_active"`
	InvitedAt    *time.Time `json:"invited_at"`
	ExpiresAt    *time.Time `json:"expires_at"`
}

// GroupRef names a group a member is in.
type GroupRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// NormalizeEmail is the stored form: trimmed, lower-cased.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// validEmail accepts a bare address (no display name, no comments) of at
// most 254 bytes with a dotted or single-label domain.
func validEmail(e string) bool {
	if e == "" || len(e) > 254 || strings.ContainsAny(e, " \t\r\n<>\"(),;:\\[]") {
		return false
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e {
		return false
	}
	at := strings.LastIndexByte(e, '@')
	return at > 0 && at < len(e)-1 && !strings.HasPrefix(e[at+1:], ".") && !strings.HasSuffix(e, ".")
}

func timePtr(s *string) *time.Time {
	if s == nil || *s == "" {
		return nil
	}
	t := store.MustTime(*s).Truncate(time.Second)
	return &t
}

func selfRoleChange() error {
	return apperr.Forbidden("self_role_change", "You cannot change your own role or groups. Ask another administrator.")
}

func selfDelete() error {
	return apperr.Forbidden("self_delete", "You cannot remove yourself. Ask another administrator.")
}
