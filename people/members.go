package people

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"bureau/apperr"
	"bureau/audit"
	"bureau/store"
)

// sortKey orders people by name, or by email while they have none.
const sortKey = `lower(CASE WHEN u.name = '' THEN u.email ELSE u.name END)`

// memberSelect reads members with their groups and their live invitation.
// The sort key puts invitees without a name by their email.
const memberSelect = `
	SELECT m.id, m.user_id, u.email, u.name, m.role, m.status, m.created_at, m.last_active_at,
	       i.id, i.created_at, i.expires_at,
	       COALESCE((SELECT json_group_array(json_object('id', g.id, 'name', g.name))
	                 FROM group_members gm JOIN groups g ON g.id = gm.group_id
	                 WHERE gm.membership_id = m.id), '[]'),
	       ` + sortKey + ` AS sort_key
	FROM memberships m
	JOIN users u ON u.id = m.user_id
	LEFT JOIN invitations i ON i.id = (
	    SELECT id FROM invitations
	    WHERE tenant_id = m.tenant_id AND user_id = m.user_id AND used_at IS NULL AND revoked_at IS NULL
	    ORDER BY created_at DESC, id DESC LIMIT 1)
	WHERE m.tenant_id = ? AND m.account_id IS ?`

func (s *Service) scanMember(rows interface{ Scan(...any) error }) (Member, string, error) {
	var m Member
	var status, created, groups, sortKey string
	var lastActive, invID, invCreated, invExpires *string
	if err := rows.Scan(&m.MembershipID, &m.UserID, &m.Email, &m.Name, &m.Role, &status, &created, &lastActive,
		&invID, &invCreated, &invExpires, &groups, &sortKey); err != nil {
		return m, "", err
	}
	m.Groups = []GroupRef{}
	if err := json.Unmarshal([]byte(groups), &m.Groups); err != nil {
		return m, "", fmt.Errorf("member groups: %w", err)
	}
	slices.SortFunc(m.Groups, func(a, b GroupRef) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	m.LastActive = timePtr(lastActive)
	m.Status = StatusActive
	if status == StatusPending {
		m.InvitationID = invID
		m.InvitedAt, m.ExpiresAt = timePtr(invCreated), timePtr(invExpires)
		m.Status = StatusPending
		if m.ExpiresAt == nil || !s.Now().Before(*m.ExpiresAt) {
			m.Status = StatusExpired
		}
	}
	return m, sortKey, nil
}

// Page asks for one page of a list.
type Page struct {
	Limit  int
	Cursor string
}

func badCursor() error {
	return apperr.New(apperr.KindBadRequest, "cursor_invalid", "The cursor is not one this server made; start from the first page.")
}

// List returns the scope's members and pending invitees, by name (or email
// while there is no name), a page at a time.
func (s *Service) List(ctx context.Context, sc Scope, page Page) ([]Member, string, error) {
	afterKey, afterID := "", ""
	if page.Cursor != "" {
		key, err := store.DecodeCursor(page.Cursor, 2)
		if err != nil {
			return nil, "", badCursor()
		}
		afterKey, afterID = key[0], key[1]
	}
	// The page is chosen on the sort key alone; only its rows then pay for
	// their groups and invitation.
	rows, err := s.DB.R.QueryContext(ctx, `WITH page AS (
			SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.tenant_id = ? AND m.account_id IS ?
			  AND (? = '' OR (`+sortKey+`, m.id) > (?, ?))
			ORDER BY `+sortKey+`, m.id LIMIT ?)
		`+memberSelect+` AND m.id IN (SELECT id FROM page)
		ORDER BY sort_key, m.id`,
		sc.TenantID, sc.accountArg(), page.Cursor, afterKey, afterID, page.Limit+1, sc.TenantID, sc.accountArg())
	if err != nil {
		return nil, "", fmt.Errorf("list members: %w", err)
	}
	defer rows.Close()
	out := []Member{}
	var keys []string
	for rows.Next() {
		m, key, err := s.scanMember(rows)
		if err != nil {
			return nil, "", fmt.Errorf("list members: %w", err)
		}
		out, keys = append(out, m), append(keys, key)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list members: %w", err)
	}
	next := ""
	if len(out) > page.Limit {
		out = out[:page.Limit]
		next = store.EncodeCursor(keys[page.Limit-1], out[page.Limit-1].MembershipID)
	}
	return out, next, nil
}

// Get returns one member of the scope by user id, or 404.
func (s *Service) Get(ctx context.Context, q store.Querier, sc Scope, userID string) (Member, error) {
	m, _, err := s.scanMember(q.QueryRowContext(ctx, memberSelect+` AND m.user_id = ?`, sc.TenantID, sc.accountArg(), userID))
	if errors.Is(err, sql.ErrNoRows) {
		return Member{}, apperr.NotFound()
	}
	if err != nil {
		return Member{}, fmt.Errorf("get member: %w", err)
	}
	return m, nil
}

// MemberPatch changes a member; nil fields stay as they are.
type MemberPatch struct {
	Role   *string
	Groups *[]string // group ids; replaces the member's groups
}

// Update changes a member's role and groups, pending or not. Nobody changes
// their own: groups carry roles too.
func (s *Service) Update(ctx context.Context, actor audit.Actor, sc Scope, userID string, p MemberPatch) (Member, error) {
	if p.Role == nil && p.Groups == nil {
		return s.Get(ctx, s.DB.R, sc, userID)
	}
	if userID == actor.ID {
		return Member{}, selfRoleChange()
	}
	var errs apperr.Fields
	if p.Role != nil && !sc.validRole(*p.Role) {
		errs = append(errs, sc.roleError("role"))
	}
	if p.Groups != nil && sc.Staff() && len(*p.Groups) > 0 {
		errs.Add("groups", "groups_invalid", "Staff are not in account groups.")
	}
	if err := errs.Err(); err != nil {
		return Member{}, err
	}
	var out Member
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		before, err := s.Get(ctx, tx, sc, userID)
		if err != nil {
			return err
		}
		now := store.Time(s.Now())
		details := map[string]any{"email": before.Email}
		if p.Role != nil && *p.Role != before.Role {
			if _, err := tx.ExecContext(ctx, `UPDATE memberships SET role = ?, updated_at = ? WHERE id = ?`,
				*p.Role, now, before.MembershipID); err != nil {
				return fmt.Errorf("update member: %w", err)
			}
			details["role"] = map[string]string{"from": before.Role, "to": *p.Role}
		}
		if p.Groups != nil && !sc.Staff() {
			ids, err := s.resolveGroupIDs(ctx, tx, sc, *p.Groups, "groups")
			if err != nil {
				return err
			}
			if err := setMemberGroups(ctx, tx, sc, before.MembershipID, ids, now); err != nil {
				return err
			}
			details["groups"] = ids
		}
		action := "member.update"
		if sc.Staff() {
			action = "staff.update"
		}
		if err := audit.Append(ctx, tx, actor.Event(sc.TenantID, sc.AccountID, action, "user", userID, details, s.Now())); err != nil {
			return err
		}
		out, err = s.Get(ctx, tx, sc, userID)
		return err
	})
	return out, err
}

// setMemberGroups replaces the explicit groups of one membership.
func setMemberGroups(ctx context.Context, tx *sql.Tx, sc Scope, membershipID string, groupIDs []string, now string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE tenant_id = ? AND account_id = ? AND membership_id = ?`,
		sc.TenantID, sc.AccountID, membershipID); err != nil {
		return fmt.Errorf("set groups: %w", err)
	}
	for _, g := range groupIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO group_members (tenant_id, account_id, group_id, membership_id, created_at)
			VALUES (?, ?, ?, ?, ?)`, sc.TenantID, sc.AccountID, g, membershipID, now); err != nil {
			return fmt.Errorf("set groups: %w", err)
		}
	}
	return nil
}

// Remove takes people out of the scope, members and invitees alike, all or
// none: their membership goes, their invitation links die and their
// sessions in this tenant end at once.
func (s *Service) Remove(ctx context.Context, actor audit.Actor, sc Scope, userIDs []string) (int, error) {
	if len(userIDs) == 0 {
		return 0, apperr.Invalid("user_ids_required", "Choose at least one person to remove.")
	}
	if len(userIDs) > 1000 {
		return 0, apperr.Invalid("too_many_users", "Remove at most 1000 people at a time.")
	}
	if slices.Contains(userIDs, actor.ID) {
		return 0, selfDelete()
	}
	ids := slices.Compact(slices.Sorted(slices.Values(userIDs)))
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		for _, id := range ids {
			m, err := s.Get(ctx, tx, sc, id)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE id = ?`, m.MembershipID); err != nil {
				return fmt.Errorf("remove member: %w", err)
			}
			if err := revokeLive(ctx, tx, sc.TenantID, id, "removed", now); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE tenant_id = ? AND user_id = ?`, sc.TenantID, id); err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
			action := "member.remove"
			if sc.Staff() {
				action = "staff.remove"
			}
			if err := audit.Append(ctx, tx, actor.Event(sc.TenantID, sc.AccountID, action, "user", id,
				map[string]any{"email": m.Email, "role": m.Role, "status": m.Status}, now)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(ids), nil
}
