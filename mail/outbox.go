package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"bureau/apperr"
	"bureau/store"
)

// Outbox keeps the mail that was not sent, per tenant, for Tenant Admins to
// read. Every query names the tenant.
type Outbox struct {
	db  *store.DB
	now func() time.Time
}

// NewOutbox returns the outbox stored in db.
func NewOutbox(db *store.DB) *Outbox { return &Outbox{db: db, now: time.Now} }

// OutboxItem is one unsent message as the UI shows it.
type OutboxItem struct {
	ID        string    `json:"id"`
	To        string    `json:"to"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"` // the text part
	Link      string    `json:"link"`
	Kind      string    `json:"kind"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
}

// Save stores msg with the reason it was not sent.
func (o *Outbox) Save(ctx context.Context, msg Message, reason string) error {
	if err := msg.Validate(); err != nil {
		return fmt.Errorf("outbox save: %w", err)
	}
	if reason == "" {
		reason = "not sent"
	}
	return o.db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox
			(id, tenant_id, to_addr, subject, body_text, body_html, link, kind, reason, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			store.NewID(), msg.TenantID, msg.To, msg.Subject, msg.Text, msg.HTML, msg.Link, msg.Kind,
			sanitize(reason, maxReason), store.Time(o.now()))
		if err != nil {
			return fmt.Errorf("outbox save: %w", err)
		}
		return nil
	})
}

const (
	defaultListLimit = 50
	maxListLimit     = 200
)

// List returns the tenant's unsent messages, newest first; limit is clamped
// to 1..200 (0 means 50).
func (o *Outbox) List(ctx context.Context, tenantID string, limit int) ([]OutboxItem, error) {
	if tenantID == "" {
		return nil, errors.New("outbox list: no tenant")
	}
	switch {
	case limit <= 0:
		limit = defaultListLimit
	case limit > maxListLimit:
		limit = maxListLimit
	}
	// id breaks ties: it is a UUIDv7, so it is time-ordered too.
	rows, err := o.db.R.QueryContext(ctx, `SELECT id, to_addr, subject, body_text, link, kind, reason, created_at
		FROM outbox WHERE tenant_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`, tenantID, limit)
	if err != nil {
		return nil, fmt.Errorf("outbox list: %w", err)
	}
	defer rows.Close()
	items := []OutboxItem{}
	for rows.Next() {
		var it OutboxItem
		var created string
		if err := rows.Scan(&it.ID, &it.To, &it.Subject, &it.Body, &it.Link, &it.Kind, &it.Reason, &created); err != nil {
			return nil, fmt.Errorf("outbox list: %w", err)
		}
		it.CreatedAt = store.MustTime(created)
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("outbox list: %w", err)
	}
	return items, nil
}

// Page returns one page of the tenant's unsent messages, newest first, and
// the cursor of the next page ("" at the end).
func (o *Outbox) Page(ctx context.Context, tenantID string, limit int, cursor string) ([]OutboxItem, string, error) {
	if tenantID == "" {
		return nil, "", errors.New("outbox page: no tenant")
	}
	beforeAt, beforeID := "", ""
	if cursor != "" {
		key, err := store.DecodeCursor(cursor, 2)
		if err != nil {
			return nil, "", apperr.New(apperr.KindBadRequest, "cursor_invalid", "The cursor is not one this server made; start from the first page.")
		}
		beforeAt, beforeID = key[0], key[1]
	}
	rows, err := o.db.R.QueryContext(ctx, `SELECT id, to_addr, subject, body_text, link, kind, reason, created_at
		FROM outbox WHERE tenant_id = ? AND (? = '' OR (created_at, id) < (?, ?))
		ORDER BY created_at DESC, id DESC LIMIT ?`, tenantID, cursor, beforeAt, beforeID, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("outbox page: %w", err)
	}
	defer rows.Close()
	items := []OutboxItem{}
	var keys []string
	for rows.Next() {
		var it OutboxItem
		var created string
		if err := rows.Scan(&it.ID, &it.To, &it.Subject, &it.Body, &it.Link, &it.Kind, &it.Reason, &created); err != nil {
			return nil, "", fmt.Errorf("outbox page: %w", err)
		}
		it.CreatedAt = store.MustTime(created)
		items, keys = append(items, it), append(keys, created)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("outbox page: %w", err)
	}
	next := ""
	if len(items) > limit {
		items = items[:limit]
		next = store.EncodeCursor(keys[limit-1], items[limit-1].ID)
	}
	return items, next, nil
}
