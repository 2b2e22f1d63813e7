package apikey

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/store"
)

// ErrInvalid is the one answer for a key that does not authenticate,
// whatever the reason: malformed, unknown, wrong, expired, deactivated, or
// of a deactivated account (KEY-04). Telling them apart would tell a
// prober which keys exist.
func ErrInvalid() error {
	return apperr.New(apperr.KindUnauthenticated, "invalid_api_key",
		"Send a valid, active API key as \"Authorization: Bearer <key>\".")
}

// Key is an authenticated key: the account it writes into comes from here
// and from nowhere else (KEY-03).
type Key struct {
	ID        string
	Prefix    string
	TenantID  string
	AccountID string
}

// Authenticate checks a presented key and records its use, at most once
// per TouchEvery (KEY-06).
func (s *Service) Authenticate(ctx context.Context, presented, ip string) (Key, error) {
	s.init()
	prefix, ok := parse(presented)
	if !ok {
		return Key{}, ErrInvalid()
	}
	var k Key
	var hash, accountStatus string
	var expires, deactivated, used sql.NullString
	err := s.DB.R.QueryRowContext(ctx, `SELECT k.id, k.prefix, k.tenant_id, k.account_id, k.hash, k.expires_at, k.deactivated_at,
			k.last_used_at, a.status
		FROM api_keys k JOIN accounts a ON a.tenant_id = k.tenant_id AND a.id = k.account_id
		WHERE k.prefix = ?`, prefix).Scan(&k.ID, &k.Prefix, &k.TenantID, &k.AccountID, &hash, &expires, &deactivated, &used, &accountStatus)
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, ErrInvalid()
	}
	if err != nil {
		return Key{}, fmt.Errorf("api key: %w", err)
	}
	now := s.Now()
	if subtle.ConstantTimeCompare([]byte(hashKey(presented)), []byte(hash)) != 1 ||
		status(optTime(expires), optTime(deactivated), now) != "active" || accountStatus != "active" {
		return Key{}, ErrInvalid()
	}
	if err := s.touch(ctx, k, optTime(used), ip, now); err != nil {
		return Key{}, err
	}
	return k, nil
}

// touch writes last_used_at when the stored one is older than TouchEvery.
// A per-key memory of the last write keeps concurrent requests from all
// taking the writer for it; the conditional UPDATE keeps replicas (or a
// restarted process) from writing more often either.
func (s *Service) touch(ctx context.Context, k Key, used *time.Time, ip string, now time.Time) error {
	if used != nil && now.Sub(*used) < s.TouchEvery {
		return nil
	}
	s.mu.Lock()
	if last, ok := s.touched[k.ID]; ok && now.Sub(last) < s.TouchEvery {
		s.mu.Unlock()
		return nil
	}
	s.touched[k.ID] = now
	s.mu.Unlock()
	s.touches.Add(1)
	_, err := s.DB.W.ExecContext(ctx, `UPDATE api_keys SET last_used_at = ?, last_used_ip = ?
		WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)`,
		store.Time(now), ip, k.ID, store.Time(now.Add(-s.TouchEvery)))
	if err != nil {
		return fmt.Errorf("record api key use: %w", err)
	}
	return nil
}

// Allow spends one request of the key's rate budget; when it is spent it
// says how long to wait (429 rate_limited with Retry-After).
func (s *Service) Allow(k Key) error {
	s.init()
	ok, wait := s.Limiter.Allow(k.ID)
	if ok {
		return nil
	}
	e := apperr.New(apperr.KindRateLimited, "rate_limited", "This API key is sending too many requests. Wait and retry.")
	e.RetryAfter = int((wait + time.Second - 1) / time.Second)
	return e
}

// RecordExpired appends one apikey.expire event for every key whose expiry
// has passed since the last sweep (KEY-10), and returns how many.
func (s *Service) RecordExpired(ctx context.Context) (int, error) {
	now := store.Time(s.Now())
	type due struct{ id, tenant, account, name, prefix, expires string }
	var list []due
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, tenant_id, account_id, name, prefix, expires_at FROM api_keys
			WHERE expires_at IS NOT NULL AND expiry_recorded_at IS NULL AND deactivated_at IS NULL AND expires_at <= ?
			LIMIT 1000`, now)
		if err != nil {
			return fmt.Errorf("expired api keys: %w", err)
		}
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.id, &d.tenant, &d.account, &d.name, &d.prefix, &d.expires); err != nil {
				rows.Close()
				return fmt.Errorf("expired api keys: %w", err)
			}
			list = append(list, d)
		}
		rows.Close()
		system := audit.Actor{Kind: audit.ActorSystem}
		for _, d := range list {
			if _, err := tx.ExecContext(ctx, `UPDATE api_keys SET expiry_recorded_at = ? WHERE account_id = ? AND id = ?`,
				now, d.account, d.id); err != nil {
				return fmt.Errorf("record api key expiry: %w", err)
			}
			if err := audit.Append(ctx, tx, system.Event(d.tenant, d.account, "apikey.expire", "api_key", d.id,
				map[string]any{"name": d.name, "prefix": d.prefix, "expired_at": d.expires}, s.Now())); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(list), nil
}

// SweepEvery runs RecordExpired every interval until ctx ends.
func (s *Service) SweepEvery(ctx context.Context, every time.Duration, logf func(msg string, args ...any)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.RecordExpired(ctx); err != nil && ctx.Err() == nil && logf != nil {
				logf("record expired api keys", "err", err.Error())
			}
		}
	}
}
