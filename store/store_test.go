package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
)

func open(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// DB-01: pragmas on both pools; the readers cannot write.
func TestPragmas(t *testing.T) {
	db := open(t)
	for name, pool := range map[string]*sql.DB{"writer": db.W, "reader": db.R} {
		var mode string
		var fk, busy, sync int
		_ = pool.QueryRow("PRAGMA journal_mode").Scan(&mode)
		_ = pool.QueryRow("PRAGMA foreign_keys").Scan(&fk)
		_ = pool.QueryRow("PRAGMA busy_timeout").Scan(&busy)
		_ = pool.QueryRow("PRAGMA synchronous").Scan(&sync)
		if mode != "wal" || fk != 1 || busy != 5000 || sync != 2 {
			t.Errorf("%s: journal=%s fk=%d busy=%d synchronous=%d", name, mode, fk, busy, sync)
		}
	}
	if _, err := db.R.Exec(`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ('x','x','x','','')`); err == nil {
		t.Fatal("the reader pool wrote")
	}
}

// DB-03: read-then-write transactions from many goroutines never hit
// "database is locked".
func TestConcurrentReadThenWrite(t *testing.T) {
	db := open(t)
	if _, err := db.W.Exec(`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ('t','t','0','','')`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- db.Write(context.Background(), func(tx *sql.Tx) error {
				var n int
				if err := tx.QueryRow(`SELECT CAST(name AS INTEGER) FROM tenants WHERE id = 't'`).Scan(&n); err != nil {
					return err
				}
				_, err := tx.Exec(`UPDATE tenants SET name = ? WHERE id = 't'`, n+1)
				return err
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	_ = db.R.QueryRow(`SELECT CAST(name AS INTEGER) FROM tenants WHERE id = 't'`).Scan(&n)
	if n != 50 {
		t.Fatalf("counter %d, want 50: lost updates", n)
	}
}

// The schema: one membership per person per tenant, staff or account-level.
func TestMembershipConstraints(t *testing.T) {
	db := open(t)
	mustExec := func(q string) {
		t.Helper()
		if _, err := db.W.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	mustExec(`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ('t1','one','One','',''), ('t2','two','Two','','')`)
	mustExec(`INSERT INTO accounts (id, tenant_id, slug, name, created_at, updated_at) VALUES ('a1','t1','acme','Acme','',''), ('a2','t2','acme','Acme','','')`)
	mustExec(`INSERT INTO users (id, email, name, created_at, updated_at) VALUES ('u1','u@x.example','U','','')`)
	mustExec(`INSERT INTO memberships (id, tenant_id, user_id, account_id, role, created_at, updated_at) VALUES ('m1','t1','u1',NULL,'consultant','','')`)
	for name, q := range map[string]string{
		"second membership in a tenant": `INSERT INTO memberships (id, tenant_id, user_id, account_id, role, created_at, updated_at) VALUES ('m2','t1','u1','a1','client','','')`,
		"account of another tenant":     `INSERT INTO memberships (id, tenant_id, user_id, account_id, role, created_at, updated_at) VALUES ('m3','t2','u1','a1','client','','')`,
		"staff role with an account":    `INSERT INTO memberships (id, tenant_id, user_id, account_id, role, created_at, updated_at) VALUES ('m4','t2','u1','a2','tenant_admin','','')`,
		"account role without account":  `INSERT INTO memberships (id, tenant_id, user_id, account_id, role, created_at, updated_at) VALUES ('m5','t2','u1',NULL,'client','','')`,
		"unknown role":                  `INSERT INTO memberships (id, tenant_id, user_id, account_id, role, created_at, updated_at) VALUES ('m6','t2','u1',NULL,'owner','','')`,
		"upper-case email":              `INSERT INTO users (id, email, name, created_at, updated_at) VALUES ('u2','U2@x.example','U','','')`,
		"same slug twice in a tenant":   `INSERT INTO accounts (id, tenant_id, slug, name, created_at, updated_at) VALUES ('a3','t1','acme','Acme 2','','')`,
	} {
		if _, err := db.W.Exec(q); err == nil || !IsConstraint(err) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The same person may be staff in one tenant and a client in another.
	mustExec(`INSERT INTO memberships (id, tenant_id, user_id, account_id, role, created_at, updated_at) VALUES ('m7','t2','u1','a2','client','','')`)
}

func TestNewIDIsTimeOrdered(t *testing.T) {
	prev := NewID()
	for i := 0; i < 1000; i++ {
		id := NewID()
		if id <= prev {
			t.Fatalf("%s after %s", id, prev)
		}
		prev = id
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	db := open(t)
	n, err := db.Migrate(context.Background())
	if err != nil || n != 0 {
		t.Fatalf("second migrate applied %d: %v", n, err)
	}
	if pending, err := db.Pending(context.Background()); pending || err != nil {
		t.Fatalf("pending=%v err=%v", pending, err)
	}
}

// ISO-07: every table but a short allowlist carries a NOT NULL tenant_id or
// account_id with a foreign key, so no row can float outside a tenant.
func TestEveryTableHasScopeKey(t *testing.T) {
	db := open(t)
	unscoped := map[string]string{
		"tenants":          "the root of scope",
		"users":            "people are global; memberships scope them",
		"goose_db_version": "migration bookkeeping",
	}
	rows, err := db.R.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		_ = rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	for _, table := range tables {
		if _, ok := unscoped[table]; ok {
			continue
		}
		scoped := false
		for _, col := range []string{"tenant_id", "account_id"} {
			var notNull int
			err := db.R.QueryRow(`SELECT "notnull" FROM pragma_table_info(?) WHERE name = ?`, table, col).Scan(&notNull)
			if err != nil || notNull != 1 {
				continue
			}
			var fks int
			_ = db.R.QueryRow(`SELECT COUNT(*) FROM pragma_foreign_key_list(?) WHERE "from" = ?`, table, col).Scan(&fks)
			scoped = scoped || fks > 0
		}
		if !scoped {
			t.Errorf("table %s has no NOT NULL tenant_id/account_id with a foreign key", table)
		}
	}
}
