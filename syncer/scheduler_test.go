package syncer

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"bureau/store"
)

// SYNC-02: the chain the scheduler installs recovers a panicking job and
// the next tick still runs. With the wrappers the other way round the
// panic would unwind past Skip's token return and every later tick would
// be skipped, which is what this test would catch.
func TestChainRecoversInsideSkip(t *testing.T) {
	l := cronLogger{quietLog()}
	var runs atomic.Int32
	job := cron.FuncJob(func() {
		if runs.Add(1) == 1 {
			panic("first tick blows up")
		}
	})
	wrapped := cron.NewChain(wrappers(l)...).Then(job)
	wrapped.Run()
	wrapped.Run()
	if runs.Load() != 2 {
		t.Fatalf("job ran %d times over two ticks, want 2", runs.Load())
	}

	runs.Store(0)
	wrong := cron.NewChain(cron.Recover(l), cron.SkipIfStillRunning(l)).Then(job)
	wrong.Run()
	wrong.Run()
	if runs.Load() != 1 {
		t.Fatalf("with Recover outside Skip the second tick ran (%d runs): the test no longer proves the order", runs.Load())
	}
}

// SYNC-02 end to end: the real cron fires an account's sync whose first
// run panics; the following ticks still sync. One interval "second" lasts
// a millisecond here, so 60 s is 60 ms.
func TestSchedulerKeepsTickingAfterAPanic(t *testing.T) {
	db := openDB(t)
	exec(t, db, `DELETE FROM connections WHERE account_id = 'a2'`)
	var calls atomic.Int32
	p := &fake{before: func(ctx context.Context, op string) error {
		if op == "processes" && calls.Add(1) == 1 {
			panic("unexpected vendor answer")
		}
		return nil
	}}
	s := &Syncer{DB: db, Log: quietLog(), NewProvider: only(p), Timeout: 5 * time.Second}
	sched := &Scheduler{Syncer: s, Unit: time.Millisecond, MaxJitter: time.Millisecond, ReconcileEvery: time.Hour}
	if err := sched.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer sched.Stop(context.Background())
	eventually(t, 5*time.Second, "two successful cron syncs after the panic", func() bool {
		return count(t, db, `SELECT COUNT(*) FROM sync_runs WHERE account_id = 'a1' AND status = 'succeeded' AND trigger = 'cron'`) >= 2
	})
	if n := count(t, db, `SELECT COUNT(*) FROM sync_runs WHERE account_id = 'a1' AND status = 'failed' AND error_code = 'internal'`); n != 1 {
		t.Fatalf("%d failed runs, want the 1 that panicked", n)
	}
}

// SYNC-07: runs left running by a process that died are marked
// interrupted at boot, and the next tick syncs.
func TestInterruptedAtBoot(t *testing.T) {
	db := openDB(t)
	exec(t, db, `INSERT INTO sync_runs (id, tenant_id, account_id, trigger, status, started_at, lease_until)
		VALUES ('dead', 't1', 'a1', 'cron', 'running', '2026-11-24T08:58:00.000000Z', '2099-01-01T00:00:00.000000Z')`)
	clock := &testClock{now: t0}
	s, _ := newSyncer(db, clock, only(&fake{}))
	sched := &Scheduler{Syncer: s, ReconcileEvery: time.Hour}
	if err := sched.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer sched.Stop(context.Background())
	dead, err := Get(context.Background(), db.R, "a1", "dead")
	if err != nil {
		t.Fatal(err)
	}
	if dead.Status != StatusInterrupted || dead.EndedAt == nil || !dead.EndedAt.Equal(t0) || dead.Error == "" {
		t.Fatalf("left-over run = %+v", dead)
	}
	sched.fire("t1", "a1") // the next tick
	if r := runs(t, db, "a1"); r[0].Status != StatusSucceeded {
		t.Fatalf("next tick: %+v", r[0])
	}
}

// SYNC-08: a deactivated account gets no runs across three ticks and
// leaves the schedule; reactivated, it syncs again. Accounts without a
// connection are not scheduled; interval changes apply.
func TestScheduleFollowsTheDatabase(t *testing.T) {
	db := openDB(t)
	clock := &testClock{now: t0}
	s, _ := newSyncer(db, clock, only(&fake{}))
	sched := &Scheduler{Syncer: s}
	ctx := context.Background()
	if err := sched.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	if got := sched.Scheduled(); len(got) != 2 || got["a1"] != 5*time.Minute || got["a2"] != 5*time.Minute {
		t.Fatalf("scheduled %v, want a1 and a2 every 5m (a3 has no connection)", got)
	}

	exec(t, db, `UPDATE accounts SET status = 'deactivated' WHERE id = 'a1'`)
	for range 3 {
		sched.fire("t1", "a1")
		clock.Advance(5 * time.Minute)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM sync_runs WHERE account_id = 'a1'`); n != 0 {
		t.Fatalf("a deactivated account got %d runs", n)
	}
	if _, ok := sched.Scheduled()["a1"]; ok {
		t.Fatal("a deactivated account stays scheduled")
	}
	if err := sched.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := sched.Scheduled()["a1"]; ok {
		t.Fatal("reconcile scheduled a deactivated account")
	}

	exec(t, db, `UPDATE accounts SET status = 'active' WHERE id = 'a1'`)
	exec(t, db, `UPDATE accounts SET sync_interval_seconds = 900 WHERE id = 'a2'`)
	exec(t, db, `INSERT INTO connections (account_id, tenant_id, provider, created_at, updated_at) VALUES ('a3','t1','demo','','')`)
	exec(t, db, `DELETE FROM accounts WHERE id = 'a3'`)
	if err := sched.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	got := sched.Scheduled()
	if len(got) != 2 || got["a1"] != 5*time.Minute || got["a2"] != 15*time.Minute {
		t.Fatalf("after reactivation: %v", got)
	}
	sched.fire("t1", "a1")
	if r := runs(t, db, "a1"); len(r) != 1 || r[0].Status != StatusSucceeded {
		t.Fatalf("reactivated account's tick: %+v", r)
	}
}

// SYNC-04: 100 accounts on a 5-minute interval do not fire together: their
// next fire times differ and spread over at least half the interval; each
// account keeps its slot, one interval apart.
func TestNextFireTimesAreSpread(t *testing.T) {
	const interval = 5 * time.Minute
	now := time.Date(2026, 11, 24, 9, 0, 7, 0, time.UTC)
	first, last := now.Add(interval), now
	distinct := map[time.Time]bool{}
	for range 100 {
		id := store.NewID()
		next := NextFire(id, interval, now)
		if !next.After(now) || next.After(now.Add(interval)) {
			t.Fatalf("next fire %s is not within one interval after %s", next, now)
		}
		if again := NextFire(id, interval, now); !again.Equal(next) {
			t.Fatal("NextFire is not stable")
		}
		if after := NextFire(id, interval, next); !after.Equal(next.Add(interval)) {
			t.Fatalf("the slot after %s is %s, want one interval later", next, after)
		}
		j := accountSchedule{accountID: id, interval: interval, jitter: JitterCap(interval, DefaultMaxJitter)}.Next(now)
		if j.Before(next) || !j.Before(next.Add(15*time.Second)) {
			t.Fatalf("jittered fire %s is not within 15s after its slot %s", j, next)
		}
		distinct[next] = true
		first, last = minTime(first, next), maxTime(last, next)
	}
	if len(distinct) < 50 {
		t.Fatalf("only %d distinct fire times for 100 accounts", len(distinct))
	}
	if spread := last.Sub(first); spread < interval/2 {
		t.Fatalf("fire times spread over %s, want at least half of %s", spread, interval)
	}
	if JitterCap(time.Minute, DefaultMaxJitter) != 6*time.Second {
		t.Fatal("the jitter must stay well inside a short interval")
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Graceful shutdown: Stop waits for a sync that finishes in time, and
// cancels one that does not; its record says cancelled.
func TestStopWaitsThenCancels(t *testing.T) {
	db := openDB(t)
	clock := &testClock{now: t0}
	entered := make(chan struct{}, 1)
	p := &fake{before: func(ctx context.Context, op string) error {
		if op == "jobs" {
			entered <- struct{}{}
			<-ctx.Done()
			return ctx.Err()
		}
		return nil
	}}
	s, _ := newSyncer(db, clock, only(p))
	run, err := s.Start(context.Background(), "t1", "a1", TriggerManual, "u1")
	if err != nil || run.Status != StatusRunning {
		t.Fatalf("start: %+v %v", run, err)
	}
	<-entered
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := s.Stop(ctx); err == nil {
		t.Fatal("Stop reported a clean stop although it had to cancel a sync")
	}
	got, _ := Get(context.Background(), db.R, "a1", run.ID)
	if got.Status != StatusCancelled || got.ErrorCode != "cancelled" || got.EndedAt == nil {
		t.Fatalf("record after shutdown = %+v", got)
	}
	if _, err := s.Run(context.Background(), "t1", "a2", TriggerManual, ""); codeOf(err) != "shutting_down" {
		t.Fatalf("a sync after Stop: %v", err)
	}

	// A sync that ends within the deadline ends as itself.
	s2, _ := newSyncer(db, clock, only(&fake{before: func(ctx context.Context, op string) error {
		time.Sleep(20 * time.Millisecond)
		return nil
	}}))
	run, err = s2.Start(context.Background(), "t1", "a2", TriggerManual, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := Get(context.Background(), db.R, "a2", run.ID); got.Status != StatusSucceeded {
		t.Fatalf("a sync that finished in time: %+v", got)
	}
}

func TestListPagesNewestFirst(t *testing.T) {
	db := openDB(t)
	clock := &testClock{now: t0}
	s, _ := newSyncer(db, clock, only(&fake{}))
	var ids []string
	for range 5 {
		r, err := s.Run(context.Background(), "t1", "a1", TriggerManual, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
		clock.Advance(time.Minute)
	}
	var got []string
	cursor := ""
	for {
		page, next, err := List(context.Background(), db.R, "a1", Page{Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page {
			got = append(got, r.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if len(got) != 5 || got[0] != ids[4] || got[4] != ids[0] {
		t.Fatalf("pages %v, want newest first %v", got, ids)
	}
	if other, _, _ := List(context.Background(), db.R, "a2", Page{}); len(other) != 0 {
		t.Fatal("another account's runs leak into the list")
	}
	if _, _, err := List(context.Background(), db.R, "a1", Page{Cursor: "garbage!"}); codeOf(err) != "cursor_invalid" {
		t.Fatalf("bad cursor: %v", err)
	}
	latest, err := Latest(context.Background(), db.R, "a1")
	if err != nil || latest == nil || latest.ID != ids[4] {
		t.Fatalf("latest = %+v %v", latest, err)
	}
}

func TestSanitize(t *testing.T) {
	cases := map[string]string{
		"GET https://bot:s3cretpass@vendor.example/api failed": "GET https://[redacted]@vendor.example/api failed",
		"Authorization: Bearer abcdefgh12345678":               "Authorization: Bearer [redacted]",
		`{"client_secret":"xyz123","error":"bad"}`:             `{"client_secret":"[redacted]","error":"bad"}`,
		"password=hunter2&user=x":                              "password=[redacted]&user=x",
		"line one\nline two\x00":                               "line one line two",
	}
	for in, want := range cases {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	long := sanitize(string(make([]byte, 2000)) + "x")
	if len([]rune(long)) > maxMessage {
		t.Errorf("long message kept %d characters", len([]rune(long)))
	}
}
