package connector

import (
	"context"
	"sync"
	"time"
)

// Token caches a vendor's access token until shortly before it expires.
// Fetch asks the vendor for a new one and says how long it lives.
type Token struct {
	Fetch func(ctx context.Context) (value string, lifetime time.Duration, err error)
	Now   func() time.Time

	mu      sync.Mutex
	value   string
	expires time.Time
	fetched int
}

// Get returns a valid token, fetching one when there is none, it is about
// to expire, or refresh is set (the vendor refused the cached one).
func (t *Token) Get(ctx context.Context, refresh bool) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if !refresh && t.value != "" && now.Before(t.expires) {
		return t.value, nil
	}
	value, lifetime, err := t.Fetch(ctx)
	if err != nil {
		return "", err
	}
	t.fetched++
	t.value = value
	t.expires = now.Add(lifetime - refreshMargin(lifetime))
	return value, nil
}

// Fetched counts the tokens fetched so far.
func (t *Token) Fetched() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.fetched
}

func (t *Token) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

// refreshMargin renews a token a tenth of its life early, at most a
// minute: enough for clock skew and the call in flight.
func refreshMargin(lifetime time.Duration) time.Duration {
	m := lifetime / 10
	if m > time.Minute {
		m = time.Minute
	}
	return m
}
