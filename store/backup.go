package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Backup writes a consistent snapshot of the live database into dir with
// VACUUM INTO, checks its integrity, fsyncs it and only then gives it its
// final name, so a crash mid-backup never leaves a file that looks good.
func (db *DB) Backup(ctx context.Context, dir string, now time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup dir: %w", err)
	}
	final := filepath.Join(dir, "bureau-"+now.UTC().Format("20060102-150405")+".db")
	if _, err := os.Stat(final); err == nil {
		return "", fmt.Errorf("backup %s already exists", final)
	}
	tmp := final + ".partial"
	_ = os.Remove(tmp)
	if _, err := db.W.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("vacuum into: %w", err)
	}
	if err := checkFile(ctx, tmp); err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	if err := syncFile(tmp); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, final); err != nil {
		return "", fmt.Errorf("backup rename: %w", err)
	}
	return final, syncFile(dir)
}

// checkFile runs a full integrity check on a database file, read-only.
func checkFile(ctx context.Context, path string) error {
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_query_only=1")
	if err != nil {
		return err
	}
	defer conn.Close()
	var res string
	if err := conn.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return fmt.Errorf("integrity check of %s: %w", path, err)
	}
	if res != "ok" {
		return fmt.Errorf("database_corrupt: %s: %s", path, res)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", path, err)
	}
	return nil
}

// Restore puts a backup in place as the database at target. It refuses to
// overwrite an existing database, checks the backup first, and removes
// stale -wal and -shm files that would otherwise be replayed over it.
func Restore(ctx context.Context, backup, target string) error {
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s already exists: move it away (and its -wal, -shm) before restoring", target)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := checkFile(ctx, backup); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return err
	}
	tmp := target + ".restoring"
	if err := copyFile(backup, tmp); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	for _, stale := range []string{target + "-wal", target + "-shm"} {
		if err := os.Remove(stale); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove stale %s: %w", stale, err)
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("restore rename: %w", err)
	}
	return syncFile(filepath.Dir(target))
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy backup: %w", err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
