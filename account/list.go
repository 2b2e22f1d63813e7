package account

import (
	"context"
	"fmt"
	"strings"

	"bureau/apperr"
	"bureau/store"
)

// Summary is one row of the accounts list: the account and its counts.
type Summary struct {
	Account
	People       int
	Clients      int
	LastActivity string // RFC 3339 of the latest audit event, "" when none
}

// Page asks for one page of a list.
type Page struct {
	Limit  int
	Cursor string
}

// List returns the tenant's accounts ordered by name, a page at a time; with
// onlyID set, just that one (what an account-level person may see).
func List(ctx context.Context, db *store.DB, tenantID, onlyID string, page Page) ([]Summary, string, error) {
	afterName, afterID := "", ""
	if page.Cursor != "" {
		key, err := store.DecodeCursor(page.Cursor, 2)
		if err != nil {
			return nil, "", apperr.New(apperr.KindBadRequest, "cursor_invalid", "The cursor is not one this server made; start from the first page.")
		}
		afterName, afterID = key[0], key[1]
	}
	rows, err := db.R.QueryContext(ctx, `
		SELECT `+prefixed("a.", columns)+`,
		       (SELECT COUNT(*) FROM memberships m WHERE m.tenant_id = a.tenant_id AND m.account_id = a.id AND m.status = 'active'),
		       (SELECT COUNT(*) FROM memberships m WHERE m.tenant_id = a.tenant_id AND m.account_id = a.id AND m.role = 'client' AND m.status = 'active'),
		       COALESCE((SELECT e.created_at FROM audit_events e WHERE e.tenant_id = a.tenant_id AND e.account_id = a.id
		                 ORDER BY e.seq DESC LIMIT 1), '')
		FROM accounts a
		WHERE a.tenant_id = ? AND (? = '' OR a.id = ?)
		  AND (? = '' OR (lower(a.name), a.id) > (?, ?))
		ORDER BY lower(a.name), a.id
		LIMIT ?`, tenantID, onlyID, onlyID, page.Cursor, afterName, afterID, page.Limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var s Summary
		var last string
		dest := []any{}
		a := &s.Account
		var created, updated string
		var deactivated *string
		dest = append(dest, &a.ID, &a.TenantID, &a.Slug, &a.Name, &a.Status, &a.ContactEmail, &a.ExternalRef, &a.Notes,
			&created, &updated, &deactivated, &a.Settings.BetaFeatures, &a.Settings.ApprovalTimeoutSeconds,
			&a.Settings.RequireRunApproval, &a.Settings.SyncIntervalSeconds, &s.People, &s.Clients, &last)
		if err := rows.Scan(dest...); err != nil {
			return nil, "", fmt.Errorf("list accounts: %w", err)
		}
		a.CreatedAt, a.UpdatedAt = store.MustTime(created), store.MustTime(updated)
		if deactivated != nil {
			t := store.MustTime(*deactivated)
			a.DeactivatedAt = &t
		}
		if last != "" {
			s.LastActivity = store.MustTime(last).Format("2006-01-02T15:04:05Z07:00")
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list accounts: %w", err)
	}
	next := ""
	if len(out) > page.Limit {
		out = out[:page.Limit]
		last := out[len(out)-1]
		next = store.EncodeCursor(strings.ToLower(last.Name), last.ID)
	}
	return out, next, nil
}

func prefixed(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = prefix + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// Counts returns the people, clients and latest activity of one account.
// The latest event is found by seq, which follows time within a tenant, so
// the (tenant_id, account_id, seq) index answers it without a scan.
func Counts(ctx context.Context, db *store.DB, tenantID, accountID string) (people, clients int, lastActivity string, err error) {
	var last string
	err = db.R.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM memberships WHERE tenant_id = ? AND account_id = ? AND status = 'active'),
		(SELECT COUNT(*) FROM memberships WHERE tenant_id = ? AND account_id = ? AND role = 'client' AND status = 'active'),
		COALESCE((SELECT created_at FROM audit_events WHERE tenant_id = ? AND account_id = ? ORDER BY seq DESC LIMIT 1), '')`,
		tenantID, accountID, tenantID, accountID, tenantID, accountID).Scan(&people, &clients, &last)
	if err != nil {
		return 0, 0, "", fmt.Errorf("account counts: %w", err)
	}
	if last != "" {
		lastActivity = store.MustTime(last).Format("2006-01-02T15:04:05Z07:00")
	}
	return people, clients, lastActivity, nil
}
