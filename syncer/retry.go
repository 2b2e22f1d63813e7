package syncer

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"bureau/connector"
)

// Backoff is the wait before retry n (n = 1 after the first failure):
// "full jitter", a uniform draw from [0, min(cap, base·2^(n-1))), so many
// accounts failing at once do not retry in step (SYNC-05). A vendor's
// Retry-After is a floor: it knows better than we do. rnd draws from [0, n).
func Backoff(n int, base, cap, retryAfter time.Duration, rnd func(n int64) int64) time.Duration {
	ceiling := cap
	if n < 1 {
		n = 1
	}
	if n-1 < 32 && base<<(n-1) > 0 && base<<(n-1) < cap {
		ceiling = base << (n - 1)
	}
	wait := time.Duration(0)
	if ceiling > 0 {
		wait = time.Duration(rnd(int64(ceiling)))
	}
	return max(wait, retryAfter)
}

// retryAfterOf is the wait a vendor asked for, zero when it did not.
func retryAfterOf(err error) time.Duration {
	var ce *connector.Error
	if errors.As(err, &ce) {
		return ce.RetryAfter
	}
	return 0
}

// retryable reports whether trying again may succeed: the vendor was
// unreachable or asked us to slow down. Auth, permission and configuration
// failures are not retried (they will fail the same way), nor is our own
// storage failing or a sync that panicked.
func retryable(err error) bool {
	var se *storeError
	var pe *panicError
	if errors.As(err, &se) || errors.As(err, &pe) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return connector.Transient(err)
}

// retry decides whether to try the failed step again and waits for it. It
// gives up when attempts are used up, and at once when the wait would run
// past the sync's deadline (the record then says rate_limited or
// vendor_unavailable, not a timeout that hides why).
func (s *Syncer) retry(ctx context.Context, run *Run, err error) bool {
	if ctx.Err() != nil || !retryable(err) || run.Attempts >= s.maxAttempts() {
		return false
	}
	wait := Backoff(run.Attempts, orDefault(s.BackoffBase, DefaultBackoffBase), orDefault(s.BackoffCap, DefaultBackoffCap),
		retryAfterOf(err), rand.Int64N)
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
		return false
	}
	s.log().Info("sync step failed; retrying", "account_id", run.AccountID, "run_id", run.ID,
		"attempt", run.Attempts, "wait", wait.String(), "error", sanitize(err.Error()))
	if s.sleep(ctx, wait) != nil {
		return false
	}
	run.Attempts++
	return true
}

func (s *Syncer) sleep(ctx context.Context, d time.Duration) error {
	if s.Sleep != nil {
		return s.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
