// Package audit appends events to the tenant's hash-chained audit log, inside
// the caller's write transaction, so a change never commits without its event
// (AUD-01) and every event is bound to the one before it (AUD-05).
package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"bureau/store"
)

// Actor kinds.
const (
	ActorUser   = "user"
	ActorSystem = "system"
	ActorAPIKey = "api_key"
	ActorCLI    = "cli"
)

// Event is one audit record before it is chained.
type Event struct {
	TenantID   string
	AccountID  string // empty for tenant-level events
	ActorKind  string
	ActorID    string
	ActorEmail string
	Action     string // e.g. "auth.login", "account.create"
	TargetType string
	TargetID   string
	Outcome    string // "success" (default) or "failure"
	IP         string
	UserAgent  string
	RequestID  string
	Details    map[string]any
	Time       time.Time
}

// Append writes ev at the head of its tenant's chain, in tx.
func Append(ctx context.Context, tx *sql.Tx, ev Event) error {
	if ev.TenantID == "" || ev.Action == "" {
		return errors.New("audit: tenant and action are required")
	}
	if ev.Outcome == "" {
		ev.Outcome = "success"
	}
	if ev.ActorKind == "" {
		ev.ActorKind = ActorSystem
	}
	details := "{}"
	if len(ev.Details) > 0 {
		b, err := json.Marshal(ev.Details)
		if err != nil {
			return fmt.Errorf("audit details: %w", err)
		}
		details = string(b)
	}
	var seq int64
	prev := ""
	err := tx.QueryRowContext(ctx,
		`SELECT seq, hash FROM audit_events WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1`, ev.TenantID).Scan(&seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("audit head: %w", err)
	}
	r := Record{
		ID: store.NewID(), TenantID: ev.TenantID, Seq: seq + 1, AccountID: ev.AccountID,
		ActorKind: ev.ActorKind, ActorID: ev.ActorID, ActorEmail: ev.ActorEmail, Action: ev.Action,
		TargetType: ev.TargetType, TargetID: ev.TargetID, Outcome: ev.Outcome, IP: ev.IP,
		UserAgent: ev.UserAgent, RequestID: ev.RequestID, Details: details,
		CreatedAt: store.Time(ev.Time), PrevHash: prev,
	}
	r.Hash = r.computeHash()
	var account any
	if r.AccountID != "" {
		account = r.AccountID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_events
		(id, tenant_id, seq, account_id, actor_kind, actor_id, actor_email, action, target_type, target_id,
		 outcome, ip, user_agent, request_id, details, created_at, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.TenantID, r.Seq, account, r.ActorKind, r.ActorID, r.ActorEmail, r.Action, r.TargetType,
		r.TargetID, r.Outcome, r.IP, r.UserAgent, r.RequestID, r.Details, r.CreatedAt, r.PrevHash, r.Hash)
	if err != nil {
		return fmt.Errorf("audit insert: %w", err)
	}
	return nil
}

// Record is a stored event.
type Record struct {
	ID         string `json:"id"`
	TenantID   string `json:"tenant_id"`
	Seq        int64  `json:"seq"`
	AccountID  string `json:"account_id"`
	ActorKind  string `json:"actor_kind"`
	ActorID    string `json:"actor_id"`
	ActorEmail string `json:"actor_email"`
	Action     string `json:"action"`
	TargetType string `json:"target_type"`
	TargetID   string `json:"target_id"`
	Outcome    string `json:"outcome"`
	IP         string `json:"ip"`
	UserAgent  string `json:"user_agent"`
	RequestID  string `json:"request_id"`
	Details    string `json:"details"`
	CreatedAt  string `json:"created_at"`
	PrevHash   string `json:"-"`
	Hash       string `json:"-"`
}

// computeHash is SHA-256 over the canonical JSON of the record (struct
// fields in a fixed order, strings only, no floats) followed by prev_hash.
func (r Record) computeHash() string {
	canonical, _ := json.Marshal(r) // cannot fail: strings and an int64
	h := sha256.New()
	h.Write(canonical)
	h.Write([]byte(r.PrevHash))
	return hex.EncodeToString(h.Sum(nil))
}

// Problem is the first break found in a chain.
type Problem struct {
	TenantID string
	Seq      int64
	Reason   string
}

func (p Problem) String() string {
	return fmt.Sprintf("tenant %s: seq %d: %s", p.TenantID, p.Seq, p.Reason)
}

// Verify walks every tenant's chain and returns the first break of each,
// with the number of events checked. An edited field, a deleted or swapped
// row and a reused seq all break the chain.
func Verify(ctx context.Context, db *sql.DB) (checked int, problems []Problem, err error) {
	rows, err := db.QueryContext(ctx, `SELECT id, tenant_id, seq, COALESCE(account_id, ''), actor_kind, actor_id,
		actor_email, action, target_type, target_id, outcome, ip, user_agent, request_id, details, created_at,
		prev_hash, hash FROM audit_events ORDER BY tenant_id, seq`)
	if err != nil {
		return 0, nil, fmt.Errorf("audit verify: %w", err)
	}
	defer rows.Close()
	var tenant, prevHash string
	var expect int64
	broken := map[string]bool{}
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.ID, &r.TenantID, &r.Seq, &r.AccountID, &r.ActorKind, &r.ActorID, &r.ActorEmail,
			&r.Action, &r.TargetType, &r.TargetID, &r.Outcome, &r.IP, &r.UserAgent, &r.RequestID, &r.Details,
			&r.CreatedAt, &r.PrevHash, &r.Hash); err != nil {
			return checked, problems, fmt.Errorf("audit verify: %w", err)
		}
		checked++
		if r.TenantID != tenant {
			tenant, prevHash, expect = r.TenantID, "", 1
		}
		if broken[tenant] {
			continue
		}
		reason := ""
		switch {
		case r.Seq != expect:
			reason = fmt.Sprintf("expected seq %d (a row is missing or out of place)", expect)
		case r.PrevHash != prevHash:
			reason = "prev_hash does not match the previous event"
		case r.computeHash() != r.Hash:
			reason = "hash does not match the event's content (edited)"
		}
		if reason != "" {
			broken[tenant] = true
			problems = append(problems, Problem{TenantID: tenant, Seq: r.Seq, Reason: reason})
			continue
		}
		prevHash, expect = r.Hash, expect+1
	}
	return checked, problems, rows.Err()
}

// Actor is who makes a change and from where; handlers build it once.
type Actor struct {
	Kind      string
	ID        string
	Email     string
	IP        string
	UserAgent string
	RequestID string
}

// Event starts an event by this actor.
func (a Actor) Event(tenantID, accountID, action, targetType, targetID string, details map[string]any, now time.Time) Event {
	return Event{TenantID: tenantID, AccountID: accountID, ActorKind: a.Kind, ActorID: a.ID, ActorEmail: a.Email,
		Action: action, TargetType: targetType, TargetID: targetID, IP: a.IP, UserAgent: a.UserAgent,
		RequestID: a.RequestID, Details: details, Time: now}
}
