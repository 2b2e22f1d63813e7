// Package account holds client accounts: one per client, inside one tenant.
// Every query here is scoped by tenant id, and by account id where one is
// known; the caller passes them from the principal, never from the request.
package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"bureau/apperr"
	"bureau/store"
)

// Account is a client account.
type Account struct {
	ID        string
	TenantID  string
	Slug      string
	Name      string
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

const columns = `id, tenant_id, slug, name, status, created_at, updated_at`

func scan(row interface{ Scan(...any) error }) (Account, error) {
	var a Account
	var created, updated string
	if err := row.Scan(&a.ID, &a.TenantID, &a.Slug, &a.Name, &a.Status, &created, &updated); err != nil {
		return a, err
	}
	a.CreatedAt, a.UpdatedAt = store.MustTime(created), store.MustTime(updated)
	return a, nil
}

// BySlug finds the account with slug in tenantID; apperr.NotFound otherwise.
func BySlug(ctx context.Context, db *store.DB, tenantID, slug string) (Account, error) {
	a, err := scan(db.R.QueryRowContext(ctx, `SELECT `+columns+` FROM accounts WHERE tenant_id = ? AND slug = ?`,
		tenantID, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return a, apperr.NotFound()
	}
	if err != nil {
		return a, fmt.Errorf("account %s: %w", slug, err)
	}
	return a, nil
}

// List returns the tenant's accounts by name; with onlyID set, just that
// one (what an account-level person may see).
func List(ctx context.Context, db *store.DB, tenantID, onlyID string) ([]Account, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT `+columns+` FROM accounts
		WHERE tenant_id = ? AND (? = '' OR id = ?) ORDER BY name COLLATE NOCASE, id`, tenantID, onlyID, onlyID)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("list accounts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
