// Package people holds persons and their memberships: who belongs to which
// tenant, as staff or in one account, and with which role.
package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"bureau/apperr"
	"bureau/policy"
	"bureau/store"
)

// ErrStaffClientConflict: a person is staff or account-level in a tenant,
// never both (SPEC §2).
func ErrStaffClientConflict() error {
	return apperr.Conflict("staff_client_conflict",
		"This person already belongs to the firm in another way: someone is either staff or a member of one client account, never both.")
}

// AddMembership gives userID a membership in tenantID: staff when accountID
// is empty, else in that account. The schema's UNIQUE (tenant_id, user_id)
// key decides races: of two concurrent writers, one wins and the other gets
// 409 staff_client_conflict (or already_member for the same kind).
func AddMembership(ctx context.Context, tx *sql.Tx, tenantID, userID, accountID, role string, now time.Time) (string, error) {
	staff := slices.Contains(policy.StaffRoles, role)
	if !slices.Contains(policy.Roles, role) || staff != (accountID == "") {
		return "", apperr.Invalid("role_invalid", "Staff roles are tenant_admin and consultant; account roles are account_admin, account_user and client.")
	}
	var account any
	if accountID != "" {
		account = accountID
	}
	id := store.NewID()
	_, err := tx.ExecContext(ctx, `INSERT INTO memberships (id, tenant_id, user_id, account_id, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, id, tenantID, userID, account, role, store.Time(now), store.Time(now))
	if !store.IsUnique(err) {
		if err != nil {
			return "", fmt.Errorf("add membership: %w", err)
		}
		return id, nil
	}
	var existing sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT account_id FROM memberships WHERE tenant_id = ? AND user_id = ?`,
		tenantID, userID).Scan(&existing); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("add membership: %w", err)
	}
	if existing.Valid == staff || (existing.Valid && existing.String != accountID) {
		return "", ErrStaffClientConflict()
	}
	return "", apperr.Conflict("already_member", "This person is already a member.")
}
