package audit

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"bureau/store"
	"bureau/store/storetest"
)

func newDB(t *testing.T) *store.DB {
	return storetest.Open(t,
		`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ('t1', 't1', 't1', '', ''), ('t2', 't2', 't2', '', '')`)
}

func appendN(t *testing.T, db *store.DB, tenant string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		err := db.Write(context.Background(), func(tx *sql.Tx) error {
			return Append(context.Background(), tx, Event{TenantID: tenant, Action: "test.event", ActorKind: ActorUser,
				ActorID: "u1", Details: map[string]any{"i": i}, Time: time.Unix(int64(1e9+i), 0)})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// AUD-04: the table refuses updates and deletes.
func TestAuditIsAppendOnly(t *testing.T) {
	db := newDB(t)
	appendN(t, db, "t1", 2)
	if _, err := db.W.Exec(`UPDATE audit_events SET action = 'x'`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("update: %v", err)
	}
	if _, err := db.W.Exec(`DELETE FROM audit_events`); err == nil {
		t.Fatal("delete allowed")
	}
}

// AUD-01: a rolled-back change leaves no event.
func TestAuditRollsBackWithChange(t *testing.T) {
	db := newDB(t)
	_ = db.Write(context.Background(), func(tx *sql.Tx) error {
		if err := Append(context.Background(), tx, Event{TenantID: "t1", Action: "x", Time: time.Now()}); err != nil {
			return err
		}
		return sql.ErrTxDone // the change fails after the event was written
	})
	var n int
	_ = db.R.QueryRow(`SELECT COUNT(*) FROM audit_events`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d events survived a rollback", n)
	}
}

// AUD-05, AUD-06: verify passes on an intact chain and finds each tamper.
func TestVerifyDetectsTampering(t *testing.T) {
	tampers := map[string]struct {
		sql string
		seq int64
	}{
		"edited field":   {`UPDATE audit_events SET actor_id = 'mallory' WHERE tenant_id = 't1' AND seq = 3`, 3},
		"deleted middle": {`DELETE FROM audit_events WHERE tenant_id = 't1' AND seq = 2`, 3},
		"swapped rows": {`UPDATE audit_events SET seq = 100 WHERE tenant_id = 't1' AND seq = 2;
			UPDATE audit_events SET seq = 2 WHERE tenant_id = 't1' AND seq = 4;
			UPDATE audit_events SET seq = 4 WHERE tenant_id = 't1' AND seq = 100`, 2},
		"edited details": {`UPDATE audit_events SET details = '{"i":99}' WHERE tenant_id = 't1' AND seq = 5`, 5},
		"recomputed seq": {`UPDATE audit_events SET seq = 7 WHERE tenant_id = 't1' AND seq = 5`, 7},
	}
	for name, tamper := range tampers {
		t.Run(name, func(t *testing.T) {
			db := newDB(t)
			appendN(t, db, "t1", 5)
			appendN(t, db, "t2", 3)
			checked, problems, err := Verify(context.Background(), db.R)
			if err != nil || len(problems) != 0 || checked != 8 {
				t.Fatalf("intact: %d %v %v", checked, problems, err)
			}
			for _, trig := range []string{"audit_events_no_update", "audit_events_no_delete"} {
				if _, err := db.W.Exec(`DROP TRIGGER ` + trig); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.W.Exec(tamper.sql); err != nil {
				t.Fatal(err)
			}
			_, problems, err = Verify(context.Background(), db.R)
			if err != nil || len(problems) != 1 {
				t.Fatalf("problems %v, err %v", problems, err)
			}
			if problems[0].TenantID != "t1" || problems[0].Seq != tamper.seq {
				t.Fatalf("reported %v, want t1 seq %d", problems[0], tamper.seq)
			}
		})
	}
}
