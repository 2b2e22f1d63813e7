package syncer

import (
	"hash/fnv"
	"math/rand/v2"
	"time"
)

// DefaultMaxJitter bounds the random start delay added to a fire time.
const DefaultMaxJitter = 15 * time.Second

// Offset is where in each interval the account's syncs fall: a stable
// hash of its id, so 25 accounts on a 5-minute interval spread over the
// five minutes instead of firing in the same second (SYNC-04), and each
// account keeps its place across restarts.
func Offset(accountID string, interval time.Duration) time.Duration {
	if interval <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(accountID))
	return time.Duration(h.Sum64() % uint64(interval))
}

// NextFire is the account's first slot strictly after t: the times k·interval
// + Offset since the Unix epoch. It is a pure function of its inputs, so
// tests check schedules without waiting for them.
func NextFire(accountID string, interval time.Duration, t time.Time) time.Time {
	if interval <= 0 {
		return t
	}
	off := int64(Offset(accountID, interval))
	n := int64(interval)
	base := t.UnixNano() - off
	k := base / n
	if base%n < 0 {
		k-- // floor for times before the epoch
	}
	return time.Unix(0, (k+1)*n+off).UTC()
}

// JitterCap is the largest random delay for an interval: a tenth of it, at
// most max, so a jittered fire never reaches the next slot.
func JitterCap(interval, max time.Duration) time.Duration {
	return min(interval/10, max)
}

// accountSchedule is an account's cron.Schedule: its slots plus a small
// random delay each time.
type accountSchedule struct {
	accountID string
	interval  time.Duration
	jitter    time.Duration // upper bound of the random delay
}

// Next implements cron.Schedule.
func (a accountSchedule) Next(t time.Time) time.Time {
	next := NextFire(a.accountID, a.interval, t)
	if a.jitter > 0 {
		next = next.Add(time.Duration(rand.Int64N(int64(a.jitter))))
	}
	return next
}
