package runs

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"time"

	"bureau/connector"
	"bureau/estate"
)

// Watcher follows jobs started from Bureau until they end, re-reading each
// from the vendor on a short, growing interval, so the person who started a
// run sees it finish without waiting for the account's next sync.
type Watcher struct {
	// Root ends every watch (the server's lifetime).
	Root context.Context
	// Every is the first interval; it doubles up to a minute. Zero turns
	// watching off.
	Every time.Duration
	// For is how long a job is followed at most (default 6 hours; the
	// sync takes over after that).
	For time.Duration
	Log *slog.Logger

	wg sync.WaitGroup
}

// Wait blocks until every watch has ended (after Root is cancelled).
func (w *Watcher) Wait() { w.wg.Wait() }

// watch starts following one job in the background.
func (s *Service) watch(p connector.Provider, tenantID, accountID string, proc process, ref string) {
	w := s.Watcher
	if w == nil || w.Every <= 0 {
		return
	}
	root := w.Root
	if root == nil {
		root = context.Background()
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		s.follow(root, p, tenantID, accountID, proc, ref)
	}()
}

// follow polls the vendor for one job until it is final, the deadline
// passes, the vendor stops knowing it, or ctx ends.
func (s *Service) follow(ctx context.Context, p connector.Provider, tenantID, accountID string, proc process, ref string) {
	w := s.Watcher
	limit := w.For
	if limit == 0 {
		limit = 6 * time.Hour
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	wait, failures := w.Every, 0
	for {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if wait *= 2; wait > time.Minute {
			wait = time.Minute
		}
		j, err := p.Job(ctx, ref)
		if err != nil {
			if failures++; failures >= 5 || connector.KindOf(err) == connector.KindNotFound {
				s.logf(w, "stopped following a started job", "account", accountID, "job", ref, "err", err)
				return
			}
			continue
		}
		failures = 0
		j = s.normalise(j, proc)
		err = s.DB.Write(ctx, func(tx *sql.Tx) error {
			_, err := estate.UpsertJobs(ctx, tx, estate.Scope{TenantID: tenantID, AccountID: accountID}, []connector.Job{j}, estate.SourceRun, s.Now())
			return err
		})
		if err != nil {
			s.logf(w, "store a followed job", "account", accountID, "job", ref, "err", err)
			return
		}
		if j.State.Terminal() {
			return
		}
	}
}

func (s *Service) logf(w *Watcher, msg string, args ...any) {
	if w.Log != nil {
		w.Log.Warn(msg, args...)
	}
}
