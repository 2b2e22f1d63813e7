package syncer

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"bureau/apperr"
	"bureau/connector"
)

// SYNC-03: a provider that hangs → the run ends as timed_out at its
// deadline, and the next sync runs.
func TestHangingProviderTimesOut(t *testing.T) {
	db := openDB(t)
	var hang atomic.Bool
	hang.Store(true)
	p := &fake{before: func(ctx context.Context, op string) error {
		if hang.Load() && op == "jobs" {
			<-ctx.Done() // as an HTTP call bound to ctx does
			return ctx.Err()
		}
		return nil
	}}
	s := &Syncer{DB: db, Log: quietLog(), NewProvider: only(p), Timeout: 300 * time.Millisecond}
	start := time.Now()
	run, err := s.Run(context.Background(), "t1", "a1", TriggerCron, "")
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if took < 300*time.Millisecond || took > 3*time.Second {
		t.Fatalf("run took %s, want about its 300ms deadline", took)
	}
	// SYNC-09: the timed-out record says what happened and what it did.
	stored, err := Get(context.Background(), db.R, "a1", run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Status != StatusTimedOut || stored.ErrorCode != "timeout" || !strings.Contains(stored.Error, "did not finish within 300ms") {
		t.Fatalf("record = %+v", stored)
	}
	if stored.EndedAt == nil || stored.EndedAt.Sub(stored.StartedAt) < 300*time.Millisecond {
		t.Fatalf("ended %v, started %v", stored.EndedAt, stored.StartedAt)
	}
	if stored.Counts.Processes != 2 || stored.Counts.Robots != 1 || stored.Counts.Schedules != 1 || stored.Attempts != 1 {
		t.Fatalf("a timed-out run keeps the counts of the steps it finished: %+v", stored)
	}
	hang.Store(false)
	next, err := s.Run(context.Background(), "t1", "a1", TriggerCron, "")
	if err != nil || next.Status != StatusSucceeded {
		t.Fatalf("next run: %+v %v", next, err)
	}
}

// SYNC-05: 503 twice then 200 → success on the third attempt, waits drawn
// within the backoff bounds; a 401 → one attempt, no wait, the connection
// marked unhealthy.
func TestRetriesTransientFailuresOnly(t *testing.T) {
	db := openDB(t)
	clock := &testClock{now: t0}
	var calls atomic.Int32
	p := &fake{before: func(ctx context.Context, op string) error {
		if op == "robots" && calls.Add(1) <= 2 {
			return &connector.Error{Kind: connector.KindUnavailable, Status: 503, Message: "Service Unavailable", Op: "list robots"}
		}
		return nil
	}}
	s, sl := newSyncer(db, clock, only(p))
	s.BackoffBase, s.BackoffCap = time.Second, 4*time.Second
	run, err := s.Run(context.Background(), "t1", "a1", TriggerManual, "")
	if err != nil || run.Status != StatusSucceeded || run.Attempts != 3 {
		t.Fatalf("run = %+v, %v; want succeeded after 3 attempts", run, err)
	}
	waits := sl.all()
	if len(waits) != 2 || waits[0] < 0 || waits[0] >= time.Second || waits[1] < 0 || waits[1] >= 2*time.Second {
		t.Fatalf("waits = %v, want two within [0,1s) and [0,2s)", waits)
	}
	if calls.Load() != 3 {
		t.Fatalf("robots listed %d times; a retry must resume at the failed step", calls.Load())
	}

	// Rate limited with Retry-After: the wait honours it.
	calls.Store(0)
	p.before = func(ctx context.Context, op string) error {
		if op == "robots" && calls.Add(1) == 1 {
			return &connector.Error{Kind: connector.KindRateLimited, Status: 429, RetryAfter: 7 * time.Second}
		}
		return nil
	}
	if run, err := s.Run(context.Background(), "t1", "a1", TriggerManual, ""); err != nil || run.Status != StatusSucceeded {
		t.Fatalf("after 429: %+v %v", run, err)
	}
	if w := sl.all()[2]; w < 7*time.Second {
		t.Fatalf("waited %s after Retry-After: 7", w)
	}

	// Transient failures that outlast the attempts: failed, 3 attempts.
	p.before = func(ctx context.Context, op string) error {
		if op == "processes" {
			return &connector.Error{Kind: connector.KindUnavailable, Status: 502, Message: "Bad Gateway"}
		}
		return nil
	}
	run, _ = s.Run(context.Background(), "t1", "a1", TriggerManual, "")
	if run.Status != StatusFailed || run.Attempts != 3 || run.ErrorCode != "vendor_unavailable" {
		t.Fatalf("persistent 502: %+v", run)
	}

	// 401: one attempt, no wait.
	before := len(sl.all())
	p.before = func(ctx context.Context, op string) error {
		return &connector.Error{Kind: connector.KindAuth, Status: 401, Message: "invalid_client", Op: "token"}
	}
	run, _ = s.Run(context.Background(), "t1", "a1", TriggerManual, "")
	if run.Status != StatusFailed || run.Attempts != 1 || run.ErrorCode != "auth_failed" || len(sl.all()) != before {
		t.Fatalf("401: %+v, waits %v", run, sl.all()[before:])
	}
	if n := count(t, db, `SELECT COUNT(*) FROM connections WHERE account_id = 'a1' AND last_test_ok = 0 AND last_test_code = 'auth_failed'`); n != 1 {
		t.Fatal("a refused credential must mark the connection unhealthy")
	}
}

func TestBackoffIsCappedFullJitter(t *testing.T) {
	top := func(n int64) int64 { return n - 1 }
	zero := func(int64) int64 { return 0 }
	base, cap := time.Second, 10*time.Second
	want := []time.Duration{1, 2, 4, 8, 10, 10, 10}
	for i, w := range want {
		if got := Backoff(i+1, base, cap, 0, top); got != w*time.Second-1 {
			t.Errorf("attempt %d: ceiling %s, want %s", i+1, got+1, w*time.Second)
		}
		if got := Backoff(i+1, base, cap, 0, zero); got != 0 {
			t.Errorf("attempt %d: floor %s, want 0 (full jitter)", i+1, got)
		}
	}
	if got := Backoff(70, base, cap, 0, top); got != cap-1 {
		t.Errorf("huge attempt: %s", got)
	}
	if got := Backoff(1, base, cap, 30*time.Second, top); got != 30*time.Second {
		t.Errorf("Retry-After is a floor: %s", got)
	}
}

// SYNC-06: syncing the same estate twice changes nothing: every stored
// row is byte-for-byte the same and the second run says changed 0.
func TestResyncChangesNothing(t *testing.T) {
	db := openDB(t)
	clock := &testClock{now: t0}
	s, _ := newSyncer(db, clock, demoAt(func() time.Time { return t0 }))
	first, err := s.Run(context.Background(), "t1", "a1", TriggerCron, "")
	if err != nil || first.Status != StatusSucceeded || first.Changed == 0 {
		t.Fatalf("first sync: %+v %v", first, err)
	}
	h1 := estateHash(t, db, "a1")
	clock.Advance(5 * time.Minute)
	second, err := s.Run(context.Background(), "t1", "a1", TriggerCron, "")
	if err != nil || second.Status != StatusSucceeded {
		t.Fatalf("second sync: %+v %v", second, err)
	}
	if second.Changed != 0 {
		t.Fatalf("second sync changed %d rows", second.Changed)
	}
	if h2 := estateHash(t, db, "a1"); h1 != h2 {
		t.Fatal("row hashes differ after re-syncing the same estate")
	}
	if n := count(t, db, `SELECT COUNT(*) FROM jobs WHERE account_id = 'a2'`); n != 0 {
		t.Fatalf("a1's sync wrote %d jobs into a2", n)
	}
}

// SYNC-09: a success and a failure record their trigger, times, counts
// per entity, attempts and a sanitised error; a manual run is audited.
func TestRecordFields(t *testing.T) {
	db := openDB(t)
	clock := &testClock{now: t0}
	s, _ := newSyncer(db, clock, demoAt(func() time.Time { return t0 }))
	run, err := s.Run(context.Background(), "t1", "a1", TriggerManual, "u1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Get(context.Background(), db.R, "a1", run.ID)
	if err != nil {
		t.Fatal(err)
	}
	jobs := count(t, db, `SELECT COUNT(*) FROM jobs WHERE account_id = 'a1'`)
	if got.Status != StatusSucceeded || got.Trigger != TriggerManual || got.RequestedBy != "u1" || !got.StartedAt.Equal(t0) ||
		got.EndedAt == nil || got.Attempts != 1 || got.Error != "" || got.ErrorCode != "" ||
		got.Counts != (Counts{Processes: 5, Robots: 4, Schedules: 3, Jobs: jobs}) || got.Changed < 5+4+3+jobs {
		t.Fatalf("success record = %+v (jobs stored %d)", got, jobs)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM audit_events WHERE action = 'sync.run' AND account_id = 'a1' AND actor_id = 'u1' AND target_id = ?`, run.ID); n != 1 {
		t.Fatal("a manual sync is audited with its actor")
	}
	if _, err := s.Run(context.Background(), "t1", "a1", TriggerCron, ""); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM audit_events WHERE action = 'sync.run'`); n != 1 {
		t.Fatal("cron syncs are not audited one by one")
	}

	secret := "Bearer eyJhbGciOiJSUzI1NiJ9.payload.signature"
	s.NewProvider = only(&fake{before: func(ctx context.Context, op string) error {
		return &connector.Error{Kind: connector.KindForbidden, Status: 403, Op: "list processes",
			Message: "scope missing for " + secret + " client_secret=hunter2hunter2\x1b[31m"}
	}})
	run, _ = s.Run(context.Background(), "t1", "a1", TriggerCron, "")
	got, _ = Get(context.Background(), db.R, "a1", run.ID)
	if got.Status != StatusFailed || got.ErrorCode != "forbidden" || got.EndedAt == nil || got.Attempts != 1 ||
		!strings.Contains(got.Error, "HTTP 403") || !strings.Contains(got.Error, "scope missing") {
		t.Fatalf("failure record = %+v", got)
	}
	for _, leak := range []string{"eyJhbGci", "hunter2", "\x1b"} {
		if strings.Contains(got.Error, leak) {
			t.Fatalf("error %q keeps %q", got.Error, leak)
		}
	}

	// Our own failure: a code of ours, not the vendor's, and no SQL.
	s.NewProvider = only(&fake{jobs: []connector.Job{{Ref: "j1", ProcessRef: "p1", State: "exploded", CreatedAt: t0}}})
	run, _ = s.Run(context.Background(), "t1", "a1", TriggerCron, "")
	if run.Status != StatusFailed || run.ErrorCode != "store_failed" || run.Attempts != 1 {
		t.Fatalf("store failure: %+v", run)
	}
}

// A sync that panics ends as failed and frees the account.
func TestPanickingSyncIsRecorded(t *testing.T) {
	db := openDB(t)
	clock := &testClock{now: t0}
	var panicked atomic.Bool
	s, _ := newSyncer(db, clock, only(&fake{before: func(ctx context.Context, op string) error {
		if !panicked.Swap(true) {
			panic("vendor returned something we did not expect")
		}
		return nil
	}}))
	run, err := s.Run(context.Background(), "t1", "a1", TriggerCron, "")
	if err != nil || run.Status != StatusFailed || run.ErrorCode != "internal" {
		t.Fatalf("panicking run: %+v %v", run, err)
	}
	run, err = s.Run(context.Background(), "t1", "a1", TriggerCron, "")
	if err != nil || run.Status != StatusSucceeded {
		t.Fatalf("the next run: %+v %v", run, err)
	}
}

func TestRefusals(t *testing.T) {
	db := openDB(t)
	s, _ := newSyncer(db, &testClock{now: t0}, only(&fake{}))
	cases := []struct{ tenant, account, code string }{
		{"t1", "a3", "connection_missing"},
		{"t2", "a1", "not_found"}, // another tenant's account id
		{"t1", "nope", "not_found"},
	}
	for _, c := range cases {
		if _, err := s.Run(context.Background(), c.tenant, c.account, TriggerManual, ""); codeOf(err) != c.code {
			t.Errorf("%s/%s: %v, want %s", c.tenant, c.account, err, c.code)
		}
	}
	exec(t, db, `UPDATE accounts SET status = 'deactivated' WHERE id = 'a1'`)
	if _, err := s.Start(context.Background(), "t1", "a1", TriggerManual, ""); codeOf(err) != "account_deactivated" {
		t.Errorf("deactivated: %v", err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM sync_runs`); n != 0 {
		t.Fatalf("refused triggers left %d rows", n)
	}
}

func codeOf(err error) string { return apperr.CodeOf(err) }
