package people

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"bureau/apperr"
	"bureau/store"
	"bureau/store/storetest"
)

func seed(t *testing.T) *store.DB {
	return storetest.Open(t,
		`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ('t1','one','One','','')`,
		`INSERT INTO accounts (id, tenant_id, slug, name, created_at, updated_at) VALUES ('a1','t1','acme','Acme','',''), ('a2','t1','beta','Beta','','')`,
		`INSERT INTO users (id, email, name, created_at, updated_at) VALUES ('u1','u@x.example','U','','')`)
}

func add(db *store.DB, account, role string) error {
	return db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := AddMembership(context.Background(), tx, "t1", "u1", account, role, time.Now())
		return err
	})
}

// ISO-15: staff and account membership never coexist, under concurrency.
func TestStaffOrAccountUnderConcurrency(t *testing.T) {
	for round := 0; round < 20; round++ {
		db := seed(t)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		tries := [][2]string{{"", "consultant"}, {"a1", "client"}, {"", "tenant_admin"}, {"a2", "account_admin"}}
		for i, try := range tries {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = add(db, try[0], try[1])
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch code := apperr.CodeOf(err); {
			case err == nil:
				ok++
			case code != "staff_client_conflict" && code != "already_member":
				t.Fatalf("unexpected error %v", err)
			}
		}
		var n int
		_ = db.R.QueryRow(`SELECT COUNT(*) FROM memberships WHERE user_id = 'u1'`).Scan(&n)
		if ok != 1 || n != 1 {
			t.Fatalf("round %d: %d succeeded, %d memberships", round, ok, n)
		}
	}
}

func TestMembershipConflictCodes(t *testing.T) {
	db := seed(t)
	if err := add(db, "a1", "client"); err != nil {
		t.Fatal(err)
	}
	if code := apperr.CodeOf(add(db, "", "consultant")); code != "staff_client_conflict" {
		t.Errorf("staff after client: %q", code)
	}
	if code := apperr.CodeOf(add(db, "a2", "client")); code != "staff_client_conflict" {
		t.Errorf("second account: %q", code)
	}
	if code := apperr.CodeOf(add(db, "a1", "account_user")); code != "already_member" {
		t.Errorf("same account again: %q", code)
	}
	for _, bad := range [][2]string{{"", "client"}, {"a1", "consultant"}, {"a1", "owner"}} {
		if code := apperr.CodeOf(add(db, bad[0], bad[1])); code != "role_invalid" {
			t.Errorf("%v: %q", bad, code)
		}
	}
}
