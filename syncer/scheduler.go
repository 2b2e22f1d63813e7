package syncer

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"bureau/apperr"
)

// Scheduler fires each account's cron sync at its interval and keeps the
// set of scheduled accounts in step with the database.
type Scheduler struct {
	Syncer *Syncer
	Log    *slog.Logger
	// ReconcileEvery is how often the schedule is read again from the
	// database (default one minute): new connections start syncing,
	// deactivated or deleted accounts stop (SYNC-08), interval changes
	// apply.
	ReconcileEvery time.Duration
	// MaxJitter bounds the random start delay (default 15 s).
	MaxJitter time.Duration
	// Unit is what one of sync_interval_seconds lasts (default a second);
	// tests shrink it to watch many ticks in a moment.
	Unit time.Duration

	mu      sync.Mutex
	cron    *cron.Cron
	entries map[string]entry // by account id
	ctx     context.Context
	cancel  context.CancelFunc
}

// entry is one scheduled account.
type entry struct {
	id       cron.EntryID
	tenantID string
	interval time.Duration
}

// target is an account that should be scheduled.
type target struct {
	tenantID, accountID string
	interval            time.Duration
}

func (s *Scheduler) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return s.Syncer.log()
}

// wrappers is the chain every job runs in, in exactly this order (SYNC-02):
// Recover inside SkipIfStillRunning, so a panic is recovered before Skip
// hands its token back. The other way round, a panic would unwind past
// Skip's token return and every later tick of that account would be
// skipped. robfig/cron installs no Recover by default (robfig/cron#380).
func wrappers(l cron.Logger) []cron.JobWrapper {
	return []cron.JobWrapper{cron.SkipIfStillRunning(l), cron.Recover(l)}
}

func (s *Scheduler) init() {
	if s.cron != nil {
		return
	}
	l := cronLogger{s.log()}
	s.cron = cron.New(cron.WithChain(wrappers(l)...), cron.WithLogger(l), cron.WithLocation(time.UTC))
	s.entries = map[string]entry{}
	s.ctx, s.cancel = context.WithCancel(context.Background())
}

// Start marks runs a dead process left running as interrupted (SYNC-07),
// schedules every account with a connection and starts the clock.
func (s *Scheduler) Start(ctx context.Context) error {
	s.mu.Lock()
	s.init()
	s.mu.Unlock()
	n, err := s.Syncer.MarkInterrupted(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		s.log().Warn("syncs left running by a previous process marked interrupted", "count", n)
	}
	if err := s.Reconcile(ctx); err != nil {
		return err
	}
	every := orDefault(s.ReconcileEvery, time.Minute)
	s.cron.Schedule(cron.Every(every), cron.FuncJob(func() {
		if err := s.Reconcile(s.ctx); err != nil {
			s.log().Error("reconcile sync schedule", "error", err)
		}
	}))
	s.cron.Start()
	return nil
}

// Stop fires nothing more, lets running syncs finish until ctx ends, then
// cancels them (they end as cancelled) and waits for the records.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.mu.Lock()
	s.init()
	cronDone := s.cron.Stop()
	s.mu.Unlock()
	err := s.Syncer.Stop(ctx)
	s.cancel()
	select {
	case <-cronDone.Done():
	case <-time.After(5 * time.Second):
		s.log().Warn("cron jobs still running after the syncs stopped")
	}
	return err
}

// Reconcile brings the schedule in line with the database.
func (s *Scheduler) Reconcile(ctx context.Context) error {
	targets, err := s.targets(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	want := make(map[string]target, len(targets))
	for _, t := range targets {
		want[t.accountID] = t
	}
	for id, e := range s.entries {
		if t, ok := want[id]; !ok || t.interval != e.interval {
			s.cron.Remove(e.id)
			delete(s.entries, id)
		}
	}
	for id, t := range want {
		if _, ok := s.entries[id]; !ok {
			s.add(t)
		}
	}
	return nil
}

func (s *Scheduler) add(t target) {
	sched := accountSchedule{accountID: t.accountID, interval: t.interval,
		jitter: JitterCap(t.interval, orDefault(s.MaxJitter, DefaultMaxJitter))}
	id := s.cron.Schedule(sched, cron.FuncJob(func() { s.fire(t.tenantID, t.accountID) }))
	s.entries[t.accountID] = entry{id: id, tenantID: t.tenantID, interval: t.interval}
}

// targets are the accounts to schedule: active, with a connection. The
// scheduler serves the whole installation, so this one query spans
// tenants; each sync it starts is scoped to its account.
func (s *Scheduler) targets(ctx context.Context) ([]target, error) {
	rows, err := s.Syncer.DB.R.QueryContext(ctx, `SELECT a.tenant_id, a.id, a.sync_interval_seconds
		FROM accounts a JOIN connections c ON c.tenant_id = a.tenant_id AND c.account_id = a.id
		WHERE a.status = 'active' ORDER BY a.id`)
	if err != nil {
		return nil, fmt.Errorf("sync schedule: %w", err)
	}
	defer rows.Close()
	unit := orDefault(s.Unit, time.Second)
	var out []target
	for rows.Next() {
		var t target
		var seconds int
		if err := rows.Scan(&t.tenantID, &t.accountID, &seconds); err != nil {
			return nil, fmt.Errorf("sync schedule: %w", err)
		}
		t.interval = time.Duration(max(seconds, 60)) * unit
		out = append(out, t)
	}
	return out, rows.Err()
}

// fire is one cron tick of one account.
func (s *Scheduler) fire(tenantID, accountID string) {
	_, err := s.Syncer.Run(s.ctx, tenantID, accountID, TriggerCron, "")
	switch code := apperr.CodeOf(err); code {
	case "":
		if err != nil {
			s.log().Error("cron sync", "account_id", accountID, "error", err)
		}
	case "sync_running", "shutting_down":
		s.log().Debug("cron sync skipped", "account_id", accountID, "reason", code)
	case "account_deactivated", "connection_missing", "not_found":
		// Stop now rather than at the next reconcile (SYNC-08).
		s.drop(accountID)
	default:
		s.log().Error("cron sync", "account_id", accountID, "error", err)
	}
}

func (s *Scheduler) drop(accountID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[accountID]; ok {
		s.cron.Remove(e.id)
		delete(s.entries, accountID)
	}
}

// Scheduled is each scheduled account's interval.
func (s *Scheduler) Scheduled() map[string]time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]time.Duration, len(s.entries))
	for id, e := range s.entries {
		out[id] = e.interval
	}
	return out
}

// NextRun is when the account's next cron sync fires; zero when it is not
// scheduled or the scheduler is not running.
func (s *Scheduler) NextRun(accountID string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[accountID]
	if !ok || s.cron == nil {
		return time.Time{}
	}
	return s.cron.Entry(e.id).Next
}

// cronLogger sends robfig/cron's messages to slog: its routine chatter
// (schedule, wake, skip) at debug, recovered panics at error.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "error", err)...)
}
