package syncer

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"bureau/connector"
	_ "bureau/connector/all"
	"bureau/store"
	"bureau/store/storetest"
)

// t0 is when every test's clock starts.
var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// testClock is a settable clock.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// openDB is a database with tenant t1 and accounts a1 and a2, both active
// and connected to the demo estate, and a3 with no connection.
func openDB(t testing.TB) *store.DB {
	return storetest.Open(t,
		`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ('t1','firm','Firm','','')`,
		`INSERT INTO accounts (id, tenant_id, slug, name, created_at, updated_at) VALUES
			('a1','t1','acme','Acme','',''), ('a2','t1','beta','Beta','',''), ('a3','t1','gamma','Gamma','','')`,
		`INSERT INTO connections (account_id, tenant_id, provider, created_at, updated_at) VALUES
			('a1','t1','demo','',''), ('a2','t1','demo','','')`)
}

// sleeps records the syncer's backoff waits instead of sleeping.
type sleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newSyncer syncs db with providers from pf, on clock, recording waits.
func newSyncer(db *store.DB, clock *testClock, pf ProviderFunc) (*Syncer, *sleeps) {
	sl := &sleeps{}
	s := &Syncer{DB: db, Now: clock.Now, Log: quietLog(), NewProvider: pf, Sleep: sl.sleep, Timeout: 10 * time.Second}
	return s, sl
}

// demoAt is the demo estate of each account, seen at a fixed time, so two
// syncs see exactly the same estate.
func demoAt(now func() time.Time) ProviderFunc {
	return func(ctx context.Context, tenantID, accountID string) (connector.Provider, string, error) {
		p, err := connector.New("demo", connector.Config{Seed: accountID, Now: now, PageSize: 50})
		return p, "demo", err
	}
}

// only returns the same provider for every account.
func only(p connector.Provider) ProviderFunc {
	return func(context.Context, string, string) (connector.Provider, string, error) { return p, "fake", nil }
}

// fake is a provider whose lists are small and fixed, with a hook before
// each call.
type fake struct {
	before func(ctx context.Context, op string) error
	jobs   []connector.Job
}

func (f *fake) hook(ctx context.Context, op string) error {
	if f.before != nil {
		return f.before(ctx, op)
	}
	return nil
}

func (f *fake) Test(ctx context.Context) (connector.TestResult, error) {
	return connector.TestResult{}, nil
}

func (f *fake) Processes(ctx context.Context, fn func([]connector.Process) error) error {
	if err := f.hook(ctx, "processes"); err != nil {
		return err
	}
	return fn([]connector.Process{{Ref: "p1", Name: "Invoices"}, {Ref: "p2", Name: "Claims"}})
}

func (f *fake) Jobs(ctx context.Context, since time.Time, fn func([]connector.Job) error) error {
	if err := f.hook(ctx, "jobs"); err != nil {
		return err
	}
	if len(f.jobs) == 0 {
		return nil
	}
	return fn(f.jobs)
}

func (f *fake) Robots(ctx context.Context, fn func([]connector.Robot) error) error {
	if err := f.hook(ctx, "robots"); err != nil {
		return err
	}
	return fn([]connector.Robot{{Ref: "r1", Name: "Bot 1", Status: connector.RobotAvailable}})
}

func (f *fake) Schedules(ctx context.Context, fn func([]connector.Schedule) error) error {
	if err := f.hook(ctx, "schedules"); err != nil {
		return err
	}
	return fn([]connector.Schedule{{Ref: "s1", Name: "Nightly", ProcessRef: "p1", Enabled: true}})
}

func (f *fake) StartRun(ctx context.Context, processRef string, in connector.RunInput) (connector.Job, error) {
	return connector.Job{}, connector.Errorf(connector.KindInvalid, "start run", "not supported")
}

func (f *fake) Job(ctx context.Context, ref string) (connector.Job, error) {
	if err := f.hook(ctx, "job"); err != nil {
		return connector.Job{}, err
	}
	for _, j := range f.jobs {
		if j.Ref == ref {
			return j, nil
		}
	}
	return connector.Job{}, connector.Errorf(connector.KindNotFound, "read job", "no job %s", ref)
}

func count(t testing.TB, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.R.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func runs(t testing.TB, db *store.DB, accountID string) []Run {
	t.Helper()
	out, _, err := List(context.Background(), db.R, accountID, Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// estateHash digests every stored row of the account's estate, every
// column, in a stable order.
func estateHash(t testing.TB, db *store.DB, accountID string) string {
	t.Helper()
	h := sha256.New()
	for _, table := range []string{"processes", "robots", "schedules", "jobs", "sync_watermarks"} {
		order := "ref"
		if table == "sync_watermarks" {
			order = "entity"
		}
		rows, err := db.R.Query(`SELECT * FROM `+table+` WHERE account_id = ? ORDER BY `+order, accountID)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, v := range vals {
				fmt.Fprintf(&b, "%v|%s\x1f", v.Valid, v.String)
			}
			h.Write([]byte(table + ":" + b.String() + "\n"))
		}
		rows.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}

// eventually polls cond until it holds or the wait is over.
func eventually(t testing.TB, wait time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func exec(t testing.TB, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.W.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
