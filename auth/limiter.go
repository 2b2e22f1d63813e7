package auth

import (
	"math"
	"sync"
	"time"
)

// Limiter slows credential guessing (AUTH-08). Each (tenant, email) key may
// make FreeAttempts attempts; from then on every attempt locks the key for a
// delay that doubles from BaseDelay up to MaxDelay, so the lock is never
// permanent and a victim is never locked out for long. Each source IP also
// has a token bucket across all emails. An attempt is counted when it is
// allowed, before the password is checked, so a parallel burst cannot slip
// past the limit; a success resets the key.
//
// The state is in memory: one process. Several replicas would each keep
// their own counters, which loosens the limit by the number of replicas.
type Limiter struct {
	FreeAttempts int
	BaseDelay    time.Duration
	MaxDelay     time.Duration
	IPBurst      int           // attempts an IP may make at once
	IPRefill     time.Duration // one more attempt per IPRefill

	mu   sync.Mutex
	keys map[string]*keyState
	ips  map[string]*bucket
}

type keyState struct {
	attempts    int
	lockedUntil time.Time
	seen        time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewLimiter returns the default limits: 5 free attempts, then 30 s doubling
// to 15 min; 30 attempts per IP, one more every 6 s.
func NewLimiter() *Limiter {
	return &Limiter{FreeAttempts: 5, BaseDelay: 30 * time.Second, MaxDelay: 15 * time.Minute,
		IPBurst: 30, IPRefill: 6 * time.Second}
}

// NewResetLimiter limits password reset requests: 3 free per email, then
// 5 min doubling to 1 h; 10 per IP, one more a minute.
func NewResetLimiter() *Limiter {
	return &Limiter{FreeAttempts: 3, BaseDelay: 5 * time.Minute, MaxDelay: time.Hour,
		IPBurst: 10, IPRefill: time.Minute}
}

// Allow counts an attempt for key from ip at now. When it is refused, wait
// says how long until the next attempt may be made.
func (l *Limiter) Allow(key, ip string, now time.Time) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.keys == nil {
		l.keys, l.ips = map[string]*keyState{}, map[string]*bucket{}
	}
	l.gc(now)
	st := l.keys[key]
	if st == nil {
		st = &keyState{}
		l.keys[key] = st
	}
	if now.Before(st.lockedUntil) {
		return false, st.lockedUntil.Sub(now)
	}
	b := l.ips[ip]
	if b == nil {
		b = &bucket{tokens: float64(l.IPBurst), at: now}
		l.ips[ip] = b
	}
	b.tokens = math.Min(float64(l.IPBurst), b.tokens+float64(now.Sub(b.at))/float64(l.IPRefill))
	b.at = now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) * float64(l.IPRefill))
	}
	b.tokens--
	st.attempts++
	st.seen = now
	if over := st.attempts - l.FreeAttempts; over >= 0 {
		delay := l.BaseDelay << min(over, 20)
		if delay > l.MaxDelay || delay <= 0 {
			delay = l.MaxDelay
		}
		st.lockedUntil = now.Add(delay)
	}
	return true, 0
}

// Reset forgets key's attempts after a successful sign-in.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.keys, key)
}

// gc drops state nobody has touched for a day, so the maps stay small.
func (l *Limiter) gc(now time.Time) {
	if len(l.keys) < 10000 && len(l.ips) < 10000 {
		return
	}
	for k, st := range l.keys {
		if now.Sub(st.seen) > 24*time.Hour && now.After(st.lockedUntil) {
			delete(l.keys, k)
		}
	}
	for ip, b := range l.ips {
		if now.Sub(b.at) > time.Hour {
			delete(l.ips, ip)
		}
	}
}
