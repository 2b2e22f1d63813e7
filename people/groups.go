package people

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/slug"
	"bureau/store"
)

// Builtin groups every account starts with (a trigger creates them).
const (
	BuiltinEveryone       = "everyone"
	BuiltinAdministrators = "administrators"
)

// Group is a named set of an account's members, with an optional role that
// its members get on top of their own.
type Group struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	Role        *string       `json:"role"`
	Builtin     *string       `json:"builtin"`
	MemberCount int           `json:"member_count"`
	Members     []GroupMember `json:"members"`
	CreatedAt   time.Time     `json:"created_at"`
}

// GroupMember is one person in a group.
type GroupMember struct {
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	Email  string `json:"email"`
}

// NameKey is the case-insensitive identity of a group name.
func NameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

const groupSelect = `
	SELECT g.id, g.name, g.role, g.builtin, g.created_at,
	       CASE WHEN g.builtin = 'everyone' THEN
	           (SELECT COALESCE(json_group_array(json_object('user_id', u.id, 'name', u.name, 'email', u.email)), '[]')
	            FROM memberships m JOIN users u ON u.id = m.user_id
	            WHERE m.tenant_id = g.tenant_id AND m.account_id = g.account_id)
	       ELSE
	           (SELECT COALESCE(json_group_array(json_object('user_id', u.id, 'name', u.name, 'email', u.email)), '[]')
	            FROM group_members gm JOIN memberships m ON m.id = gm.membership_id JOIN users u ON u.id = m.user_id
	            WHERE gm.group_id = g.id)
	       END
	FROM groups g
	WHERE g.tenant_id = ? AND g.account_id = ?`

func scanGroup(row interface{ Scan(...any) error }) (Group, error) {
	var g Group
	var created, members string
	if err := row.Scan(&g.ID, &g.Name, &g.Role, &g.Builtin, &created, &members); err != nil {
		return g, err
	}
	g.CreatedAt = store.MustTime(created)
	g.Members = []GroupMember{}
	if err := json.Unmarshal([]byte(members), &g.Members); err != nil {
		return g, fmt.Errorf("group members: %w", err)
	}
	slices.SortFunc(g.Members, func(a, b GroupMember) int {
		return strings.Compare(strings.ToLower(a.Name+a.Email), strings.ToLower(b.Name+b.Email))
	})
	g.MemberCount = len(g.Members)
	return g, nil
}

// Groups lists an account's groups: Everyone, Administrators, then by name.
func (s *Service) Groups(ctx context.Context, sc Scope) ([]Group, error) {
	rows, err := s.DB.R.QueryContext(ctx, groupSelect+`
		ORDER BY CASE g.builtin WHEN 'everyone' THEN 0 WHEN 'administrators' THEN 1 ELSE 2 END, g.name_key, g.id`,
		sc.TenantID, sc.AccountID)
	if err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	defer rows.Close()
	out := []Group{}
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, fmt.Errorf("list groups: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func (s *Service) group(ctx context.Context, q store.Querier, sc Scope, id string) (Group, error) {
	g, err := scanGroup(q.QueryRowContext(ctx, groupSelect+` AND g.id = ?`, sc.TenantID, sc.AccountID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Group{}, apperr.NotFound()
	}
	if err != nil {
		return Group{}, fmt.Errorf("get group: %w", err)
	}
	return g, nil
}

func groupNameTaken() error {
	var f apperr.Fields
	f.Add("name", "group_name_taken", "Another group of this account has this name.")
	e, _ := apperr.As(f.Err())
	e.Kind = apperr.KindConflict
	return e
}

func groupBuiltin(what string) *apperr.Error {
	return apperr.Invalid("group_builtin", "Everyone and Administrators come with every account: "+what)
}

// GroupInput creates a group.
type GroupInput struct {
	Name string  `json:"name"`
	Role *string `json:"role"`
}

func (sc Scope) checkGroupRole(role *string, errs *apperr.Fields) {
	if role != nil && *role != "" && !sc.validRole(*role) {
		*errs = append(*errs, sc.roleError("role"))
	}
}

func nullRole(role *string) any {
	if role == nil || *role == "" {
		return nil
	}
	return *role
}

// CreateGroup adds a custom group to the account.
func (s *Service) CreateGroup(ctx context.Context, actor audit.Actor, sc Scope, in GroupInput) (Group, error) {
	var errs apperr.Fields
	name, fe := slug.ValidName("name", in.Name)
	if fe != nil {
		errs = append(errs, *fe)
	}
	sc.checkGroupRole(in.Role, &errs)
	if err := errs.Err(); err != nil {
		return Group{}, err
	}
	var out Group
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		id, now := store.NewID(), store.Time(s.Now())
		_, err := tx.ExecContext(ctx, `INSERT INTO groups (id, tenant_id, account_id, name, name_key, role, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, sc.TenantID, sc.AccountID, name, NameKey(name), nullRole(in.Role), now, now)
		if store.IsUnique(err) {
			return groupNameTaken()
		}
		if err != nil {
			return fmt.Errorf("create group: %w", err)
		}
		if err := audit.Append(ctx, tx, actor.Event(sc.TenantID, sc.AccountID, "group.create", "group", id,
			map[string]any{"name": name, "role": nullRole(in.Role)}, s.Now())); err != nil {
			return err
		}
		out, err = s.group(ctx, tx, sc, id)
		return err
	})
	return out, err
}

// GroupPatch changes a group. RoleSet with Role nil clears the role.
type GroupPatch struct {
	Name    *string
	RoleSet bool
	Role    *string
	Members *[]string // user ids; replaces the explicit members
}

// UpdateGroup renames a group, changes its role or sets its members. The
// builtin groups keep their name and role; Everyone's members are implicit.
func (s *Service) UpdateGroup(ctx context.Context, actor audit.Actor, sc Scope, id string, p GroupPatch) (Group, error) {
	var errs apperr.Fields
	var name string
	if p.Name != nil {
		var fe *apperr.FieldError
		if name, fe = slug.ValidName("name", *p.Name); fe != nil {
			errs = append(errs, *fe)
		}
	}
	if p.RoleSet {
		sc.checkGroupRole(p.Role, &errs)
	}
	if err := errs.Err(); err != nil {
		return Group{}, err
	}
	var out Group
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		g, err := s.group(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		renamed := p.Name != nil && name != g.Name
		roleChanged := p.RoleSet && fmt.Sprint(nullRole(p.Role)) != fmt.Sprint(nullRole(g.Role))
		switch {
		case g.Builtin != nil && (renamed || roleChanged):
			return groupBuiltin("their name and role are fixed.")
		case g.Builtin != nil && *g.Builtin == BuiltinEveryone && p.Members != nil:
			return groupBuiltin("Everyone always holds every member.")
		}
		now := store.Time(s.Now())
		details := map[string]any{}
		if renamed || roleChanged {
			role := g.Role
			if p.RoleSet {
				role = p.Role
			}
			if !renamed {
				name = g.Name
			}
			_, err := tx.ExecContext(ctx, `UPDATE groups SET name = ?, name_key = ?, role = ?, updated_at = ? WHERE id = ?`,
				name, NameKey(name), nullRole(role), now, id)
			if store.IsUnique(err) {
				return groupNameTaken()
			}
			if err != nil {
				return fmt.Errorf("update group: %w", err)
			}
			details["name"], details["role"] = name, nullRole(role)
		}
		if p.Members != nil {
			if err := s.setGroupMembers(ctx, tx, sc, actor.ID, id, *p.Members, now); err != nil {
				return err
			}
			details["members"] = len(*p.Members)
		}
		if len(details) > 0 {
			if err := audit.Append(ctx, tx, actor.Event(sc.TenantID, sc.AccountID, "group.update", "group", id, details, s.Now())); err != nil {
				return err
			}
		}
		out, err = s.group(ctx, tx, sc, id)
		return err
	})
	return out, err
}

// setGroupMembers replaces a group's members by user id. A user who is not
// a member of the account is a 422 naming them. The caller may not change
// their own groups (a group can carry a role).
func (s *Service) setGroupMembers(ctx context.Context, tx *sql.Tx, sc Scope, actorID, groupID string, userIDs []string, now string) error {
	var wasIn int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM group_members gm JOIN memberships m ON m.id = gm.membership_id
		WHERE gm.group_id = ? AND m.user_id = ?`, groupID, actorID).Scan(&wasIn); err != nil {
		return fmt.Errorf("group members: %w", err)
	}
	if (wasIn > 0) != slices.Contains(userIDs, actorID) {
		return selfRoleChange()
	}
	want := map[string]string{} // membership id → user id
	var errs apperr.Fields
	for i, uid := range slices.Compact(slices.Sorted(slices.Values(userIDs))) {
		var mid string
		err := tx.QueryRowContext(ctx, `SELECT id FROM memberships WHERE tenant_id = ? AND account_id = ? AND user_id = ?`,
			sc.TenantID, sc.AccountID, uid).Scan(&mid)
		if errors.Is(err, sql.ErrNoRows) {
			errs.Add(fmt.Sprintf("members[%d]", i), "member_not_found", "This person is not a member of the account.")
			continue
		}
		if err != nil {
			return fmt.Errorf("group members: %w", err)
		}
		want[mid] = uid
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE tenant_id = ? AND account_id = ? AND group_id = ?`,
		sc.TenantID, sc.AccountID, groupID); err != nil {
		return fmt.Errorf("group members: %w", err)
	}
	for mid := range want {
		if _, err := tx.ExecContext(ctx, `INSERT INTO group_members (tenant_id, account_id, group_id, membership_id, created_at)
			VALUES (?, ?, ?, ?, ?)`, sc.TenantID, sc.AccountID, groupID, mid, now); err != nil {
			return fmt.Errorf("group members: %w", err)
		}
	}
	return nil
}

// DeleteGroup removes a custom group; its members keep their own role.
func (s *Service) DeleteGroup(ctx context.Context, actor audit.Actor, sc Scope, id string) error {
	return s.DB.Write(ctx, func(tx *sql.Tx) error {
		g, err := s.group(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if g.Builtin != nil {
			e := groupBuiltin("they cannot be deleted.")
			e.Kind = apperr.KindConflict
			return e
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM groups WHERE id = ? AND tenant_id = ? AND account_id = ?`,
			id, sc.TenantID, sc.AccountID); err != nil {
			return fmt.Errorf("delete group: %w", err)
		}
		return audit.Append(ctx, tx, actor.Event(sc.TenantID, sc.AccountID, "group.delete", "group", id,
			map[string]any{"name": g.Name}, s.Now()))
	})
}

// resolveGroupIDs checks group ids against the account and drops Everyone
// (everybody is in it anyway). Unknown ids are a 422 on field.
func (s *Service) resolveGroupIDs(ctx context.Context, q store.Querier, sc Scope, ids []string, field string) ([]string, error) {
	known, err := s.groupIndex(ctx, q, sc)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, id := range ids {
		g, ok := known.byID[id]
		if !ok {
			var f apperr.Fields
			f.Add(field, "group_not_found", "One of the groups does not exist in this account.")
			return nil, f.Err()
		}
		if g.builtin != BuiltinEveryone && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

type groupInfo struct{ id, name, builtin string }

type groupIndex struct {
	byID   map[string]groupInfo
	byName map[string]groupInfo // by NameKey
}

func (s *Service) groupIndex(ctx context.Context, q store.Querier, sc Scope) (groupIndex, error) {
	idx := groupIndex{byID: map[string]groupInfo{}, byName: map[string]groupInfo{}}
	if sc.Staff() {
		return idx, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT id, name, name_key, COALESCE(builtin, '') FROM groups WHERE tenant_id = ? AND account_id = ?`,
		sc.TenantID, sc.AccountID)
	if err != nil {
		return idx, fmt.Errorf("groups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g groupInfo
		var key string
		if err := rows.Scan(&g.id, &g.name, &key, &g.builtin); err != nil {
			return idx, fmt.Errorf("groups: %w", err)
		}
		idx.byID[g.id], idx.byName[key] = g, g
	}
	return idx, rows.Err()
}
