package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/auth"
	"bureau/store"
)

// InviteInput is one address to invite, with its role and groups (ids).
type InviteInput struct {
	Email  string   `json:"email"`
	Role   string   `json:"role"`
	Groups []string `json:"groups"`
}

// Invited is an invitation just issued: the member as listed, and the link
// token to mail, which exists only here (the database keeps its hash).
type Invited struct {
	Member    Member
	Token     string
	ExpiresAt time.Time
}

// problem is what is wrong with one invite of a batch.
type problem struct {
	index    int
	field    string // email, role, groups
	code     string
	message  string
	conflict bool // 409 rather than 422
}

// errBatch rolls a batch back; its problems are reported by the caller.
var errBatch = errors.New("invitation batch refused")

// Invite invites up to 20 people, all or none. Field errors name the item:
// invites[2].email.
func (s *Service) Invite(ctx context.Context, actor audit.Actor, sc Scope, in []InviteInput) ([]Invited, error) {
	switch {
	case len(in) == 0:
		return nil, apperr.Invalid("invites_required", "Add at least one email address.")
	case len(in) > MaxInvites:
		return nil, apperr.Invalid("too_many_invites",
			fmt.Sprintf("Invite at most %d people at a time, or upload a CSV file.", MaxInvites))
	}
	out, probs, err := s.invite(ctx, actor, sc, in)
	if err != nil || len(probs) == 0 {
		return out, err
	}
	fields := make(apperr.Fields, 0, len(probs))
	conflict := true
	for _, p := range probs {
		fields = append(fields, apperr.FieldError{Field: fmt.Sprintf("invites[%d].%s", p.index, p.field), Code: p.code, Message: p.message})
		conflict = conflict && p.conflict
	}
	e, _ := apperr.As(fields.Err())
	if conflict {
		// Only conflicts: 409 with the first one's code (staff_client_conflict…).
		e.Kind, e.Code, e.Message = apperr.KindConflict, probs[0].code, probs[0].message
	}
	return nil, e
}

// invite validates the batch whole, then writes it in one transaction. It
// returns the problems instead of writing anything when there are any.
func (s *Service) invite(ctx context.Context, actor audit.Actor, sc Scope, in []InviteInput) ([]Invited, []problem, error) {
	var probs []problem
	seen := map[string]int{}
	idx, err := s.groupIndex(ctx, s.DB.R, sc)
	if err != nil {
		return nil, nil, err
	}
	groups := make([][]string, len(in))
	for i, item := range in {
		email := NormalizeEmail(item.Email)
		in[i].Email = email
		switch first, dup := seen[email]; {
		case !validEmail(email):
			probs = append(probs, problem{i, "email", "email_invalid", "Enter an email address like name@example.com.", false})
		case dup:
			probs = append(probs, problem{i, "email", "duplicate_email", fmt.Sprintf("This address is already in the list (item %d).", first+1), false})
		default:
			seen[email] = i
		}
		if !sc.validRole(item.Role) {
			fe := sc.roleError("")
			probs = append(probs, problem{i, "role", fe.Code, fe.Message, false})
		}
		if sc.Staff() && len(item.Groups) > 0 {
			probs = append(probs, problem{i, "groups", "groups_invalid", "Staff are not in account groups.", false})
		}
		for _, g := range item.Groups {
			info, ok := idx.byID[g]
			if !ok && !sc.Staff() {
				probs = append(probs, problem{i, "groups", "group_not_found", "One of the groups does not exist in this account.", false})
				break
			}
			if ok && info.builtin != BuiltinEveryone && !contains(groups[i], g) {
				groups[i] = append(groups[i], g)
			}
		}
	}
	if len(probs) > 0 {
		return nil, probs, nil
	}
	var out []Invited
	err = s.DB.Write(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		for i, item := range in {
			inv, p, err := s.inviteOne(ctx, tx, actor, sc, item.Email, item.Role, groups[i])
			if err != nil {
				return err
			}
			if p != nil {
				p.index = i
				probs = append(probs, *p)
				continue
			}
			out = append(out, inv)
		}
		if len(probs) > 0 {
			return errBatch
		}
		return nil
	})
	if errors.Is(err, errBatch) {
		return nil, probs, nil
	}
	return out, nil, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// inviteOne writes one invitee: the user if new, a pending membership, its
// groups and the invitation link.
func (s *Service) inviteOne(ctx context.Context, tx *sql.Tx, actor audit.Actor, sc Scope, email, role string, groups []string) (Invited, *problem, error) {
	now := s.Now()
	ts := store.Time(now)
	var userID string
	err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE email = ?`, email).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		userID = store.NewID()
		_, err = tx.ExecContext(ctx, `INSERT INTO users (id, email, name, created_at, updated_at) VALUES (?, ?, '', ?, ?)`,
			userID, email, ts, ts)
	}
	if err != nil {
		return Invited{}, nil, fmt.Errorf("invite %s: %w", email, err)
	}
	if p, err := existingMembership(ctx, tx, sc, userID); p != nil || err != nil {
		return Invited{}, p, err
	}
	membershipID := store.NewID()
	if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (id, tenant_id, user_id, account_id, role, status, invited_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`, membershipID, sc.TenantID, userID, sc.accountArg(), role, actor.ID, ts, ts); err != nil {
		return Invited{}, nil, fmt.Errorf("invite %s: %w", email, err)
	}
	if !sc.Staff() {
		if err := setMemberGroups(ctx, tx, sc, membershipID, groups, ts); err != nil {
			return Invited{}, nil, err
		}
	}
	token, expires, err := s.issue(ctx, tx, actor, sc, userID)
	if err != nil {
		return Invited{}, nil, err
	}
	action := "member.invite"
	if sc.Staff() {
		action = "staff.invite"
	}
	if err := audit.Append(ctx, tx, actor.Event(sc.TenantID, sc.AccountID, action, "user", userID,
		map[string]any{"email": email, "role": role, "groups": groups}, now)); err != nil {
		return Invited{}, nil, err
	}
	m, err := s.Get(ctx, tx, sc, userID)
	if err != nil {
		return Invited{}, nil, err
	}
	return Invited{Member: m, Token: token, ExpiresAt: expires}, nil, nil
}

// existingMembership says why userID cannot be invited into sc, if it
// cannot: one membership per person per tenant (SPEC §2).
func existingMembership(ctx context.Context, tx *sql.Tx, sc Scope, userID string) (*problem, error) {
	var account sql.NullString
	var status string
	err := tx.QueryRowContext(ctx, `SELECT account_id, status FROM memberships WHERE tenant_id = ? AND user_id = ?`,
		sc.TenantID, userID).Scan(&account, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("invite: %w", err)
	}
	p := &problem{field: "email", conflict: true}
	switch {
	case account.Valid == sc.Staff():
		p.code, p.message = "staff_client_conflict",
			"This person already belongs to the firm in another way: someone is either staff or a member of one client account, never both."
	case account.Valid && account.String != sc.AccountID:
		p.code, p.message = "other_account_member", "This person is already a member of another client account of this firm."
	case status == StatusPending:
		p.code, p.message = "already_invited", "This person is already invited. Resend the invitation from the list instead."
	default:
		p.code, p.message = "already_member", "This person is already a member."
	}
	return p, nil
}

// issue creates a fresh invitation link for userID's pending membership.
func (s *Service) issue(ctx context.Context, tx *sql.Tx, actor audit.Actor, sc Scope, userID string) (string, time.Time, error) {
	token, err := auth.NewToken()
	if err != nil {
		return "", time.Time{}, err
	}
	now := s.Now()
	expires := now.Add(InvitationTTL)
	if _, err := tx.ExecContext(ctx, `INSERT INTO invitations (id, tenant_id, account_id, user_id, token_hash, invited_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, store.NewID(), sc.TenantID, sc.accountArg(), userID, auth.HashToken(token), actor.ID,
		store.Time(now), store.Time(expires)); err != nil {
		return "", time.Time{}, fmt.Errorf("issue invitation: %w", err)
	}
	return token, expires, nil
}

// revokeLive kills every unused link of userID in the tenant.
func revokeLive(ctx context.Context, tx *sql.Tx, tenantID, userID, reason string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET revoked_at = ?, revoke_reason = ?
		WHERE tenant_id = ? AND user_id = ? AND used_at IS NULL AND revoked_at IS NULL`,
		store.Time(now), reason, tenantID, userID); err != nil {
		return fmt.Errorf("revoke invitations: %w", err)
	}
	return nil
}

// pendingInvitation loads an invitation of the scope whose invitee has not
// accepted yet; 404 otherwise, 409 invitation_used once accepted.
func (s *Service) pendingInvitation(ctx context.Context, tx *sql.Tx, sc Scope, id string) (Member, error) {
	var userID string
	var used sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT user_id, used_at FROM invitations WHERE id = ? AND tenant_id = ? AND account_id IS ?`,
		id, sc.TenantID, sc.accountArg()).Scan(&userID, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return Member{}, apperr.NotFound()
	}
	if err != nil {
		return Member{}, fmt.Errorf("invitation: %w", err)
	}
	if used.Valid {
		return Member{}, apperr.Conflict("invitation_used", "This invitation was accepted already.")
	}
	m, err := s.Get(ctx, tx, sc, userID)
	if err != nil {
		return Member{}, err
	}
	if m.Status == StatusActive {
		return Member{}, apperr.Conflict("invitation_used", "This person has joined already.")
	}
	return m, nil
}

// Resend issues a new link for a pending or expired invitation: the old
// link dies and the 7 days start again.
func (s *Service) Resend(ctx context.Context, actor audit.Actor, sc Scope, invitationID string) (Invited, error) {
	var out Invited
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		m, err := s.pendingInvitation(ctx, tx, sc, invitationID)
		if err != nil {
			return err
		}
		now := s.Now()
		if err := revokeLive(ctx, tx, sc.TenantID, m.UserID, "resent", now); err != nil {
			return err
		}
		token, expires, err := s.issue(ctx, tx, actor, sc, m.UserID)
		if err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, actor.Event(sc.TenantID, sc.AccountID, "invitation.resend", "user", m.UserID,
			map[string]any{"email": m.Email}, now)); err != nil {
			return err
		}
		m, err = s.Get(ctx, tx, sc, m.UserID)
		out = Invited{Member: m, Token: token, ExpiresAt: expires}
		return err
	})
	return out, err
}

// Revoke withdraws an invitation: the link dies and the invitee leaves the
// list.
func (s *Service) Revoke(ctx context.Context, actor audit.Actor, sc Scope, invitationID string) error {
	return s.DB.Write(ctx, func(tx *sql.Tx) error {
		m, err := s.pendingInvitation(ctx, tx, sc, invitationID)
		if err != nil {
			return err
		}
		now := s.Now()
		if err := revokeLive(ctx, tx, sc.TenantID, m.UserID, "revoked", now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE id = ? AND status = 'pending'`, m.MembershipID); err != nil {
			return fmt.Errorf("revoke invitation: %w", err)
		}
		return audit.Append(ctx, tx, actor.Event(sc.TenantID, sc.AccountID, "invitation.revoke", "user", m.UserID,
			map[string]any{"email": m.Email}, now))
	})
}
