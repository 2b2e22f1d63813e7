// Package syncer pulls each account's RPA estate from its provider into the
// database: processes, robots and schedules in full, jobs incrementally from
// a watermark, page by page, each page in its own short write transaction.
//
// One account's syncs never overlap (SYNC-01): a sync claims the account by
// inserting its sync_runs row as running, and the partial unique index on
// running rows refuses a second claim whoever makes it (the cron, a person,
// another replica); an in-process lock per account backs it up. Every run
// has a deadline (SYNC-03), retries transient vendor failures with capped
// exponential backoff and full jitter (SYNC-05), keeps a lease fresh while
// it works (SYNC-07) and ends with a record of what it did (SYNC-09).
package syncer

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"bureau/audit"
	"bureau/connection"
	"bureau/connector"
	"bureau/store"
)

// Triggers of a sync run.
const (
	TriggerCron   = "cron"
	TriggerManual = "manual"
	TriggerSetup  = "setup"
)

// Statuses of a sync run.
const (
	StatusRunning     = "running"
	StatusSucceeded   = "succeeded"
	StatusFailed      = "failed"
	StatusTimedOut    = "timed_out"
	StatusCancelled   = "cancelled"
	StatusInterrupted = "interrupted"
	StatusSkipped     = "skipped_overlap"
)

// Defaults of a Syncer's zero fields.
const (
	DefaultTimeout     = 2 * time.Minute
	DefaultMaxAttempts = 3
	DefaultBackoffBase = 2 * time.Second
	DefaultBackoffCap  = 30 * time.Second
	DefaultHeartbeat   = 20 * time.Second
	// DefaultOverlap is how far before the watermark the next job listing
	// starts: vendors' clocks drift and their lists are eventually
	// consistent, so a job stamped just before the last one seen may only
	// become visible later. Re-listing a few minutes costs nothing: the
	// upserts change nothing for jobs already stored.
	DefaultOverlap    = 2 * time.Minute
	DefaultMaxRereads = 200
)

// ProviderFunc builds an account's provider and names it.
type ProviderFunc func(ctx context.Context, tenantID, accountID string) (connector.Provider, string, error)

// Syncer runs syncs. Zero fields take the defaults above.
type Syncer struct {
	DB          *store.DB
	Connections *connection.Service
	Now         func() time.Time
	Log         *slog.Logger
	// Timeout bounds one whole sync, retries included.
	Timeout time.Duration
	// MaxAttempts is how many times a sync tries before it gives up on a
	// transient failure; a retry resumes at the step that failed.
	MaxAttempts int
	BackoffBase time.Duration
	BackoffCap  time.Duration
	// Heartbeat is how often a running sync extends its lease; the lease
	// lasts three heartbeats.
	Heartbeat time.Duration
	Overlap   time.Duration
	// MaxRereads caps the open jobs one run reads back one by one
	// (default 200); the next run carries on from there.
	MaxRereads int
	// Sleep waits between attempts; tests record the waits instead.
	Sleep func(ctx context.Context, d time.Duration) error
	// NewProvider builds the account's provider (default:
	// Connections.Provider); tests inject fakes and simulators.
	NewProvider ProviderFunc

	mu       sync.Mutex
	active   map[string]*activeRun // by account id
	rereadAt map[string]string     // by account id: where the open-job re-read goes on
	wg       sync.WaitGroup
	stopping bool
}

// activeRun is a sync this process is running.
type activeRun struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
}

// Causes of a run's context ending, so the record says which.
var (
	errTimeout  = errors.New("sync timed out")
	errShutdown = errors.New("bureau is shutting down")
	errLostRun  = errors.New("the sync's lease was taken over")
)

// now is the clock at the store's precision, so a record returned at once
// (POST …/sync) says what a later read of it says.
func (s *Syncer) now() time.Time {
	t := time.Now()
	if s.Now != nil {
		t = s.Now()
	}
	return t.UTC().Truncate(time.Microsecond)
}

func (s *Syncer) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Syncer) timeout() time.Duration    { return orDefault(s.Timeout, DefaultTimeout) }
func (s *Syncer) heartbeat() time.Duration  { return orDefault(s.Heartbeat, DefaultHeartbeat) }
func (s *Syncer) lease() time.Duration      { return 3 * s.heartbeat() }
func (s *Syncer) jobOverlap() time.Duration { return orDefault(s.Overlap, DefaultOverlap) }

func (s *Syncer) maxAttempts() int {
	if s.MaxAttempts > 0 {
		return s.MaxAttempts
	}
	return DefaultMaxAttempts
}

func (s *Syncer) maxRereads() int {
	if s.MaxRereads > 0 {
		return s.MaxRereads
	}
	return DefaultMaxRereads
}

func (s *Syncer) rereadCursor(accountID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rereadAt[accountID]
}

func (s *Syncer) setRereadCursor(accountID, after string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rereadAt == nil {
		s.rereadAt = map[string]string{}
	}
	s.rereadAt[accountID] = after
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func (s *Syncer) provider(ctx context.Context, tenantID, accountID string) (connector.Provider, string, error) {
	if s.NewProvider != nil {
		return s.NewProvider(ctx, tenantID, accountID)
	}
	return s.Connections.Provider(ctx, tenantID, accountID)
}

// Run syncs the account now and returns its finished record. A sync already
// running answers 409 sync_running (a cron trigger also records a
// skipped_overlap row); a deactivated account 409 account_deactivated; an
// account without a connection 409 connection_missing. requestedBy is the
// user who asked, empty for the cron.
func (s *Syncer) Run(ctx context.Context, tenantID, accountID, trigger, requestedBy string) (Run, error) {
	run, err := s.claim(ctx, claimReq{tenantID: tenantID, accountID: accountID, trigger: trigger, actor: userActor(requestedBy)})
	if err != nil {
		return run, err
	}
	return s.work(ctx, run), nil
}

// Start claims the account now and syncs in the background; it returns the
// running record at once (POST …/sync answers 202 with it).
func (s *Syncer) Start(ctx context.Context, tenantID, accountID, trigger, requestedBy string) (Run, error) {
	return s.start(ctx, claimReq{tenantID: tenantID, accountID: accountID, trigger: trigger, actor: userActor(requestedBy)})
}

// StartBy is Start for a person's manual trigger, with the full actor (IP,
// user agent, request id) for the audit event.
func (s *Syncer) StartBy(ctx context.Context, actor audit.Actor, tenantID, accountID string) (Run, error) {
	return s.start(ctx, claimReq{tenantID: tenantID, accountID: accountID, trigger: TriggerManual, actor: &actor})
}

func (s *Syncer) start(ctx context.Context, req claimReq) (Run, error) {
	run, err := s.claim(ctx, req)
	if err != nil {
		return run, err
	}
	// The sync outlives the request that asked for it; Stop still reaches
	// it through its registered cancel.
	go s.work(context.WithoutCancel(ctx), run)
	return run, nil
}

func userActor(userID string) *audit.Actor {
	if userID == "" {
		return nil
	}
	return &audit.Actor{Kind: audit.ActorUser, ID: userID}
}

// Stop refuses new syncs and waits for running ones until ctx ends; then it
// cancels them (their records end as cancelled) and waits for them to
// write that down.
func (s *Syncer) Stop(ctx context.Context) error {
	s.mu.Lock()
	s.stopping = true
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	s.mu.Lock()
	for _, a := range s.active {
		a.cancel(errShutdown)
	}
	s.mu.Unlock()
	<-done
	return ctx.Err()
}

// Running reports whether this process is syncing the account.
func (s *Syncer) Running(accountID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.active[accountID]
	return ok
}
