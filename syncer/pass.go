package syncer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"time"

	"bureau/connector"
	"bureau/estate"
	"bureau/store"
)

// pass is one sync's walk through the provider. It keeps only the current
// page, the refs of open jobs seen (few), and totals.
type pass struct {
	s        *Syncer
	p        connector.Provider
	run      *Run
	sc       estate.Scope
	counts   Counts
	reread   int
	seenOpen map[string]bool
	mark     time.Time // newest vendor time seen in the job listing
	oldMark  time.Time
}

func isOpen(s connector.State) bool {
	return s == connector.StatePending || s == connector.StateRunning || s == connector.StateSuspended
}

// execute runs the sync's steps in order. A transient failure retries the
// step that failed, not the ones before it: everything they wrote is
// committed, and a step run twice writes nothing new (SYNC-06).
func (s *Syncer) execute(ctx context.Context, run *Run) (err error) {
	defer func() {
		if v := recover(); v != nil {
			s.log().Error("sync panicked", "account_id", run.AccountID, "run_id", run.ID, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			err = &panicError{value: v}
		}
	}()
	p, _, err := s.provider(ctx, run.TenantID, run.AccountID)
	if err != nil {
		return err
	}
	ps := &pass{s: s, p: p, run: run, sc: estate.Scope{TenantID: run.TenantID, AccountID: run.AccountID}, seenOpen: map[string]bool{}}
	defer func() { run.Counts = ps.totals() }()
	steps := []func(context.Context) error{ps.processes, ps.robots, ps.schedules, ps.jobs, ps.openJobs, ps.saveMark}
	for i := 0; i < len(steps); {
		err := steps[i](ctx)
		if err == nil {
			i++
			continue
		}
		if !s.retry(ctx, run, err) {
			return err
		}
	}
	return nil
}

func (ps *pass) totals() Counts {
	c := ps.counts
	c.Jobs += ps.reread
	return c
}

// write stores one page in its own short transaction and counts the rows
// it changed once they are committed.
func (ps *pass) write(ctx context.Context, fn func(tx *sql.Tx, now time.Time) (int, error)) error {
	var n int
	err := ps.s.DB.Write(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = fn(tx, ps.s.now())
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &storeError{err: err}
	}
	ps.run.Changed += n
	return nil
}

func (ps *pass) processes(ctx context.Context) error {
	ps.counts.Processes = 0
	return stream(ctx, ps.p.Processes, func(page []connector.Process) { ps.counts.Processes += len(page) },
		func(ctx context.Context, page []connector.Process) error {
			return ps.write(ctx, func(tx *sql.Tx, now time.Time) (int, error) {
				return estate.UpsertProcesses(ctx, tx, ps.sc, page, estate.SourceSync, now)
			})
		})
}

func (ps *pass) robots(ctx context.Context) error {
	ps.counts.Robots = 0
	return stream(ctx, ps.p.Robots, func(page []connector.Robot) { ps.counts.Robots += len(page) },
		func(ctx context.Context, page []connector.Robot) error {
			return ps.write(ctx, func(tx *sql.Tx, now time.Time) (int, error) {
				return estate.UpsertRobots(ctx, tx, ps.sc, page, estate.SourceSync, now)
			})
		})
}

func (ps *pass) schedules(ctx context.Context) error {
	ps.counts.Schedules = 0
	return stream(ctx, ps.p.Schedules, func(page []connector.Schedule) { ps.counts.Schedules += len(page) },
		func(ctx context.Context, page []connector.Schedule) error {
			return ps.write(ctx, func(tx *sql.Tx, now time.Time) (int, error) {
				return estate.UpsertSchedules(ctx, tx, ps.sc, page, now)
			})
		})
}

// jobs lists the jobs created or changed since the watermark, less the
// overlap, and notes the newest vendor time seen and which open jobs the
// listing already brought up to date.
func (ps *pass) jobs(ctx context.Context) error {
	mark, err := readMark(ctx, ps.s.DB.R, ps.sc.AccountID)
	if err != nil {
		return &storeError{err: err}
	}
	ps.oldMark, ps.mark, ps.counts.Jobs = mark, mark, 0
	since := time.Time{}
	if !mark.IsZero() {
		since = mark.Add(-ps.s.jobOverlap())
	}
	list := func(ctx context.Context, fn func([]connector.Job) error) error { return ps.p.Jobs(ctx, since, fn) }
	return stream(ctx, list, ps.sawJobs, func(ctx context.Context, page []connector.Job) error {
		return ps.write(ctx, func(tx *sql.Tx, now time.Time) (int, error) {
			return estate.UpsertJobs(ctx, tx, ps.sc, page, estate.SourceSync, now)
		})
	})
}

func (ps *pass) sawJobs(page []connector.Job) {
	ps.counts.Jobs += len(page)
	for _, j := range page {
		t := j.UpdatedAt
		if t.IsZero() {
			t = j.CreatedAt
		}
		if t.After(ps.mark) {
			ps.mark = t
		}
		if isOpen(j.State) {
			ps.seenOpen[j.Ref] = true
		}
	}
}

// stream stores what list yields while list fetches the next page, so the
// network and the disk work at the same time; at most one page waits
// between them, so memory stays at two pages whatever the estate's size.
// A failed write stops the listing; its error wins.
func stream[T any](ctx context.Context, list func(context.Context, func([]T) error) error, seen func([]T),
	save func(context.Context, []T) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	pages := make(chan []T, 1)
	done := make(chan struct{})
	var werr error
	go func() {
		defer close(done)
		for page := range pages {
			if werr != nil {
				continue // drain
			}
			if werr = save(ctx, page); werr != nil {
				cancel(werr)
			}
		}
	}()
	lerr := list(ctx, func(page []T) error {
		seen(page)
		select {
		case pages <- slices.Clone(page): // the provider may reuse its slice
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	})
	close(pages)
	<-done
	if werr != nil {
		return werr
	}
	return lerr
}

// rereadBatch is how many open jobs are looked up between writes.
const rereadBatch = 100

// openJobs reads again, one by one, the jobs the database still has as
// pending, running or suspended that the listing did not bring: some
// vendors filter their job list by creation time only, so a job that
// finished since the last sync would otherwise stay "running" for good.
//
// One read per job is costly, and an estate can hold thousands of
// suspended jobs for days, so a run reads at most MaxRereads of them,
// carrying on next run where this one stopped and wrapping round: every
// open job is checked within a few runs, and no sync times out on them.
// The reader is closed before any vendor call (a read transaction held
// across the network would stall WAL checkpoints).
func (ps *pass) openJobs(ctx context.Context) error {
	after, budget := ps.s.rereadCursor(ps.sc.AccountID), ps.s.maxRereads()
	wrapped := after == ""
	for budget > 0 {
		ids, refs, err := openJobRefs(ctx, ps.s.DB.R, ps.sc.AccountID, after, rereadBatch)
		if err != nil {
			return &storeError{err: err}
		}
		if len(refs) == 0 {
			if wrapped {
				after = ""
				break
			}
			after, wrapped = "", true
			continue
		}
		page, reads, err := ps.readJobs(ctx, refs, budget)
		budget -= reads
		if err != nil {
			return err
		}
		if err := ps.storeReread(ctx, page); err != nil {
			return err
		}
		after = ids[len(ids)-1]
		if reads < len(refs) && budget == 0 {
			after = idBefore(ids, refs, ps.seenOpen) // resume at the first job not read
		}
	}
	ps.s.setRereadCursor(ps.sc.AccountID, after)
	return nil
}

// readJobs reads the jobs of refs not seen this run, at most budget of
// them; reads counts the vendor calls made.
func (ps *pass) readJobs(ctx context.Context, refs []string, budget int) (page []connector.Job, reads int, err error) {
	for _, ref := range refs {
		if ps.seenOpen[ref] {
			continue
		}
		if reads == budget {
			break
		}
		reads++
		j, err := ps.p.Job(ctx, ref)
		if errors.Is(err, connector.ErrNotFound) {
			ps.s.log().Debug("open job gone at the vendor", "account_id", ps.sc.AccountID, "job_ref", ref)
			ps.seenOpen[ref] = true
			continue
		}
		if err != nil {
			return page, reads, err
		}
		page = append(page, j)
	}
	return page, reads, nil
}

func (ps *pass) storeReread(ctx context.Context, page []connector.Job) error {
	if len(page) == 0 {
		return nil
	}
	if err := ps.write(ctx, func(tx *sql.Tx, now time.Time) (int, error) {
		return estate.UpsertJobs(ctx, tx, ps.sc, page, estate.SourceSync, now)
	}); err != nil {
		return err
	}
	for _, j := range page {
		ps.seenOpen[j.Ref] = true // a retry does not read it again
	}
	ps.reread += len(page)
	return nil
}

// idBefore is the keyset position just before the first job of the batch
// left unread, so the next run starts with it.
func idBefore(ids, refs []string, seen map[string]bool) string {
	for i, ref := range refs {
		if !seen[ref] {
			if i == 0 {
				return ""
			}
			return ids[i-1]
		}
	}
	return ids[len(ids)-1]
}

func openJobRefs(ctx context.Context, q store.Querier, accountID, afterID string, limit int) (ids, refs []string, err error) {
	// The states are literals, not parameters: only then can SQLite see
	// that the partial index jobs_account_open covers the query, instead of
	// scanning every job of the account for each batch.
	rows, err := q.QueryContext(ctx, `SELECT id, ref FROM jobs
		WHERE account_id = ? AND state IN ('pending', 'running', 'suspended') AND id > ? ORDER BY id LIMIT ?`,
		accountID, afterID, limit)
	if err != nil {
		return nil, nil, fmt.Errorf("open jobs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, ref string
		if err := rows.Scan(&id, &ref); err != nil {
			return nil, nil, fmt.Errorf("open jobs: %w", err)
		}
		ids, refs = append(ids, id), append(refs, ref)
	}
	return ids, refs, rows.Err()
}

// saveMark records the new jobs watermark once every step succeeded. It
// never passes our own clock: a vendor job stamped in the future (a clock
// running ahead, a bad record) must not make later syncs skip real jobs.
func (ps *pass) saveMark(ctx context.Context) error {
	mark := ps.mark
	if now := ps.s.now(); mark.After(now) {
		mark = now
	}
	if mark.IsZero() || !mark.After(ps.oldMark) {
		return nil
	}
	return ps.write(ctx, func(tx *sql.Tx, now time.Time) (int, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO sync_watermarks (tenant_id, account_id, entity, watermark, updated_at)
			VALUES (?, ?, 'jobs', ?, ?)
			ON CONFLICT (account_id, entity) DO UPDATE SET watermark = excluded.watermark, updated_at = excluded.updated_at`,
			ps.sc.TenantID, ps.sc.AccountID, store.Time(mark), store.Time(now))
		return 0, err
	})
}

// readMark is the account's jobs watermark, zero before the first
// successful sync.
func readMark(ctx context.Context, q store.Querier, accountID string) (time.Time, error) {
	var mark string
	err := q.QueryRowContext(ctx, `SELECT watermark FROM sync_watermarks WHERE account_id = ? AND entity = 'jobs'`, accountID).Scan(&mark)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("jobs watermark: %w", err)
	}
	return store.ParseTime(mark)
}
