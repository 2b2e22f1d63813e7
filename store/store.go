// Package store opens Bureau's SQLite database and runs its migrations. It
// knows no domain: it hands out a single writer connection (every write
// transaction is BEGIN IMMEDIATE, so read-then-write never meets SQLITE_BUSY)
// and a pool of read-only connections, as PocketBase does.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"
	"github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the database: W is the one writer, R the readers.
type DB struct {
	W, R     *sql.DB
	Path     string
	provider *goose.Provider
}

// Options tune the connections.
type Options struct {
	Synchronous string // FULL (default) or NORMAL; see the README on durability
	Readers     int
}

// Open opens (creating if needed) the database file and applies the pragmas.
// Migrations are not run here: call Migrate.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	if opt.Synchronous == "" {
		opt.Synchronous = "FULL"
	}
	if opt.Readers < 1 {
		opt.Readers = 4
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	// busy_timeout is applied before journal_mode by the driver, so a second
	// process opening the file waits instead of failing on the WAL switch.
	params := url.Values{}
	params.Set("_busy_timeout", "5000")
	params.Set("_journal_mode", "WAL")
	params.Set("_foreign_keys", "1")
	params.Set("_synchronous", opt.Synchronous)
	params.Set("_cache_size", "-16384")
	writerParams, readerParams := cloneValues(params), cloneValues(params)
	writerParams.Set("_txlock", "immediate")
	readerParams.Set("_query_only", "1")

	w, err := sql.Open("sqlite3", "file:"+path+"?"+writerParams.Encode())
	if err != nil {
		return nil, fmt.Errorf("open writer: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite3", "file:"+path+"?"+readerParams.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open readers: %w", err)
	}
	r.SetMaxOpenConns(opt.Readers)
	r.SetMaxIdleConns(opt.Readers)
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	provider, err := goose.NewProvider(goose.DialectSQLite3, w, sub)
	if err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("migrations: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, fmt.Errorf("restrict database file: %w", err)
	}
	return &DB{W: w, R: r, Path: path, provider: provider}, nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Migrate applies every pending migration, each in its own transaction.
func (db *DB) Migrate(ctx context.Context) (applied int, err error) {
	results, err := db.provider.Up(ctx)
	if err != nil {
		return len(results), fmt.Errorf("migrate: %w", err)
	}
	return len(results), nil
}

// Pending reports whether migrations remain to be applied.
func (db *DB) Pending(ctx context.Context) (bool, error) {
	return db.provider.HasPending(ctx)
}

// Version is the current schema version.
func (db *DB) Version(ctx context.Context) (int64, error) {
	return db.provider.GetDBVersion(ctx)
}

// QuickCheck runs SQLite's quick integrity check.
func (db *DB) QuickCheck(ctx context.Context) error {
	var res string
	if err := db.R.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil {
		return fmt.Errorf("quick_check: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("database_corrupt: quick_check says %q", res)
	}
	return nil
}

// Close closes both pools.
func (db *DB) Close() error {
	return errors.Join(db.R.Close(), db.W.Close())
}

// Write runs fn in one write transaction (BEGIN IMMEDIATE) and commits it when
// fn returns nil. A change and its audit event go through the same call.
func (db *DB) Write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// NewID returns a time-ordered id (UUIDv7), so new rows land at the end of
// their index instead of scattering writes across the B-tree.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// timeLayout is fixed-width, so text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// Time formats t for storage, always in UTC.
func Time(t time.Time) string { return t.UTC().Format(timeLayout) }

// ParseTime reads a stored time.
func ParseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

// MustTime reads a stored time the store itself wrote.
func MustTime(s string) time.Time {
	t, err := ParseTime(s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// IsUnique reports whether err is a UNIQUE or PRIMARY KEY violation.
func IsUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// IsConstraint reports whether err is any constraint violation.
func IsConstraint(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrConstraint
}

// Querier is what *sql.DB and *sql.Tx have in common, so a read can run
// inside a write transaction or on the reader pool.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
