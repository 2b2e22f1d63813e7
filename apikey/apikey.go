package apikey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"bureau/apperr"
	"bureau/audit"
	"bureau/store"
)

// Service manages keys, authenticates them and ingests their batches.
type Service struct {
	DB  *store.DB
	Now func() time.Time
	// Limiter bounds each key's request rate; nil means DefaultRate and
	// DefaultBurst.
	Limiter *Limiter
	// TouchEvery is how often last_used_at may be written per key
	// (KEY-06; default one minute).
	TouchEvery time.Duration

	initOnce sync.Once
	mu       sync.Mutex
	touched  map[string]time.Time // key id → when last_used_at was last written
	touches  atomic.Int64         // last_used_at writes, for tests
}

func (s *Service) init() {
	s.initOnce.Do(func() {
		if s.Limiter == nil {
			s.Limiter = NewLimiter(DefaultRate, DefaultBurst, s.Now)
		}
		if s.TouchEvery == 0 {
			s.TouchEvery = time.Minute
		}
		s.touched = map[string]time.Time{}
	})
}

// View is a key as the API shows it: never the key itself.
type View struct {
	ID            string     `json:"id"`
	Name          string     `json:"name"`
	Prefix        string     `json:"prefix"`
	CreatedAt     time.Time  `json:"created_at"`
	CreatedBy     *Person    `json:"created_by"`
	ExpiresAt     *time.Time `json:"expires_at"`
	DeactivatedAt *time.Time `json:"deactivated_at"`
	LastUsedAt    *time.Time `json:"last_used_at"`
	Status        string     `json:"status"`
}

// Person names a user.
type Person struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Created is a new key: the view and, this once, the key.
type Created struct {
	View
	Key string `json:"key"`
}

// CreateInput is the create form.
type CreateInput struct {
	Name          string `json:"name"`
	ExpiresInDays *int   `json:"expires_in_days"`
}

const (
	maxName    = 80
	maxDays    = 365
	keyColumns = `k.id, k.name, k.prefix, k.created_at, u.id, u.name, k.expires_at, k.deactivated_at, k.last_used_at`
	keyFrom    = ` FROM api_keys k LEFT JOIN users u ON u.id = k.created_by`
)

func (in CreateInput) validate() (string, error) {
	var f apperr.Fields
	name := strings.TrimSpace(in.Name)
	if n := utf8.RuneCountInString(name); n < 1 || n > maxName {
		f.Add("name", "name_invalid", fmt.Sprintf("Give the key a name of 1 to %d characters.", maxName))
	}
	if d := in.ExpiresInDays; d != nil && (*d < 1 || *d > maxDays) {
		f.Add("expires_in_days", "expires_invalid", fmt.Sprintf("A key expires after 1 to %d days, or never.", maxDays))
	}
	return name, f.Err()
}

// Create makes a key for the account and returns it once (KEY-02). The
// audit event names the key by id and prefix, never the key (KEY-10).
func (s *Service) Create(ctx context.Context, actor audit.Actor, tenantID, accountID string, in CreateInput) (Created, error) {
	name, err := in.validate()
	if err != nil {
		return Created{}, err
	}
	now := s.Now()
	var expires any
	if in.ExpiresInDays != nil {
		expires = store.Time(now.AddDate(0, 0, *in.ExpiresInDays))
	}
	for attempt := 0; ; attempt++ {
		key, prefix, err := generate()
		if err != nil {
			return Created{}, err
		}
		id := store.NewID()
		var out Created
		err = s.DB.Write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO api_keys (id, tenant_id, account_id, name, prefix, hash, created_by, created_at, expires_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, tenantID, accountID, name, prefix, hashKey(key), nullable(actor.ID),
				store.Time(now), expires); err != nil {
				return err
			}
			if err := audit.Append(ctx, tx, actor.Event(tenantID, accountID, "apikey.create", "api_key", id,
				map[string]any{"name": name, "prefix": prefix, "expires_at": expires}, now)); err != nil {
				return err
			}
			out.View, err = get(ctx, tx, accountID, id, now)
			return err
		})
		if store.IsUnique(err) && attempt < 3 {
			continue // the 8-character id collided: draw another
		}
		if err != nil {
			return Created{}, fmt.Errorf("create api key: %w", err)
		}
		out.Key = key
		return out, nil
	}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func scanView(row interface{ Scan(...any) error }, now time.Time) (View, error) {
	var v View
	var created string
	var byID, byName, expires, deactivated, used sql.NullString
	if err := row.Scan(&v.ID, &v.Name, &v.Prefix, &created, &byID, &byName, &expires, &deactivated, &used); err != nil {
		return v, err
	}
	v.CreatedAt = store.MustTime(created)
	if byID.Valid {
		v.CreatedBy = &Person{ID: byID.String, Name: byName.String}
	}
	v.ExpiresAt, v.DeactivatedAt, v.LastUsedAt = optTime(expires), optTime(deactivated), optTime(used)
	v.Status = status(v.ExpiresAt, v.DeactivatedAt, now)
	return v, nil
}

func status(expires, deactivated *time.Time, now time.Time) string {
	switch {
	case deactivated != nil:
		return "deactivated"
	case expires != nil && !now.Before(*expires):
		return "expired"
	}
	return "active"
}

func optTime(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t := store.MustTime(s.String)
	return &t
}

func get(ctx context.Context, q store.Querier, accountID, id string, now time.Time) (View, error) {
	v, err := scanView(q.QueryRowContext(ctx, `SELECT `+keyColumns+keyFrom+` WHERE k.account_id = ? AND k.id = ?`, accountID, id), now)
	if errors.Is(err, sql.ErrNoRows) {
		return v, apperr.NotFound()
	}
	if err != nil {
		return v, fmt.Errorf("api key %s: %w", id, err)
	}
	return v, nil
}

// List returns the account's keys, newest first, a page at a time.
func (s *Service) List(ctx context.Context, accountID string, limit int, cursor string) ([]View, string, error) {
	afterCreated, afterID := "", ""
	if cursor != "" {
		key, err := store.DecodeCursor(cursor, 2)
		if err != nil {
			return nil, "", apperr.New(apperr.KindBadRequest, "cursor_invalid", "The cursor is not one this server made; start from the first page.")
		}
		afterCreated, afterID = key[0], key[1]
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+keyColumns+keyFrom+`
		WHERE k.account_id = ? AND (? = '' OR (k.created_at, k.id) < (?, ?))
		ORDER BY k.created_at DESC, k.id DESC LIMIT ?`, accountID, cursor, afterCreated, afterID, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list api keys: %w", err)
	}
	now := s.Now()
	out, next, err := store.ScanPage(rows, limit, func(r *sql.Rows) (View, error) { return scanView(r, now) },
		func(v View) []string { return []string{store.Time(v.CreatedAt), v.ID} })
	if err != nil {
		return nil, "", fmt.Errorf("list api keys: %w", err)
	}
	return out, next, nil
}

// Deactivate stops a key for good. Deactivating it again changes nothing.
func (s *Service) Deactivate(ctx context.Context, actor audit.Actor, tenantID, accountID, id string) (View, error) {
	now := s.Now()
	var out View
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		v, err := get(ctx, tx, accountID, id, now)
		if err != nil || v.DeactivatedAt != nil {
			out = v
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_keys SET deactivated_at = ? WHERE account_id = ? AND id = ?`,
			store.Time(now), accountID, id); err != nil {
			return fmt.Errorf("deactivate api key: %w", err)
		}
		if err := audit.Append(ctx, tx, actor.Event(tenantID, accountID, "apikey.deactivate", "api_key", id,
			map[string]any{"name": v.Name, "prefix": v.Prefix}, now)); err != nil {
			return err
		}
		out, err = get(ctx, tx, accountID, id, now)
		return err
	})
	return out, err
}
