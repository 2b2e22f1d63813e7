package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// DB-06, DB-07: a backup taken while writes go on restores into an empty
// directory with every row committed before it, and a stale -wal beside the
// target is removed rather than replayed.
func TestBackupAndRestore(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	if _, err := db.W.Exec(`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ('t','t','T','','')`); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		if _, err := db.W.Exec(`INSERT INTO accounts (id, tenant_id, slug, name, created_at, updated_at) VALUES (?, 't', ?, 'A', '', '')`,
			NewID(), fmt.Sprintf("a%03d", i)); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() { // a writer that keeps going during the backup
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				_, _ = db.W.Exec(`UPDATE tenants SET name = name || '.' WHERE id = 't'`)
			}
		}
	}()
	dir := t.TempDir()
	path, err := db.Backup(ctx, dir, time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC))
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "bureau-20261124-093000.db" {
		t.Fatalf("backup named %s", path)
	}
	if _, err := db.Backup(ctx, dir, time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)); err == nil {
		t.Fatal("a second backup overwrote the first")
	}

	target := filepath.Join(t.TempDir(), "restored", "bureau.db")
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target+"-wal", []byte("stale wal from an old database"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Restore(ctx, path, target); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(target + "-wal"); err == nil {
		t.Fatal("the stale -wal survived")
	}
	restored, err := Open(ctx, target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	var n int
	if err := restored.R.QueryRow(`SELECT COUNT(*) FROM accounts`).Scan(&n); err != nil || n != 100 {
		t.Fatalf("restored %d accounts: %v", n, err)
	}
	if err := Restore(ctx, path, target); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("restore over an existing database: %v", err)
	}
}

// DB-05: a corrupt file is refused with a clear message.
func TestCorruptDatabaseRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.db")
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		_, _ = db.W.Exec(`INSERT INTO users (id, email, name, created_at, updated_at) VALUES (?, ?, 'U', '', '')`, NewID(), NewID()+"@x.example")
	}
	_, _ = db.W.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	db.Close()
	raw, _ := os.ReadFile(path)
	for i := 4096 * 3; i < 4096*3+2000 && i < len(raw); i++ { // scribble over a b-tree page
		raw[i] = 0xA5
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err = Open(context.Background(), path, Options{})
	if err != nil {
		t.Logf("refused at open: %v", err)
		return
	}
	defer db.Close()
	if err := db.QuickCheck(context.Background()); err == nil || !strings.Contains(err.Error(), "database_corrupt") {
		t.Fatalf("quick_check on a scribbled file: %v", err)
	}
}
