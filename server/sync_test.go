package server

import (
	"context"
	"testing"
	"time"

	"bureau/connector"
)

// gatedProvider is the demo estate, held at its first list until the test
// opens the gate, so a sync is reliably still running.
type gatedProvider struct {
	connector.Provider
	gate chan struct{}
}

func (g *gatedProvider) Processes(ctx context.Context, fn func([]connector.Process) error) error {
	select {
	case <-g.gate:
	case <-ctx.Done():
		return ctx.Err()
	}
	return g.Provider.Processes(ctx, fn)
}

// POST …/sync answers 202 with the running sync, 409 sync_running while it
// runs (SYNC-01), and the history shows it finished.
func TestSyncNowThenHistory(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	wantStatus(t, owner.do("POST", "/api/v1/accounts/acme/sync", nil), 409, "connection_missing")
	wantStatus(t, owner.do("PUT", "/api/v1/accounts/acme/connection", map[string]any{"provider": "demo"}), 200, "")
	e.waitSync(t, "acme") // saving a connection starts its first sync

	gate := make(chan struct{})
	e.syncer.NewProvider = func(ctx context.Context, tenantID, accountID string) (connector.Provider, string, error) {
		p, err := connector.New("demo", connector.Config{Seed: accountID, Now: e.clock.Now})
		return &gatedProvider{Provider: p, gate: gate}, "demo", err
	}
	r := owner.do("POST", "/api/v1/accounts/acme/sync", nil)
	wantStatus(t, r, 202, "")
	run := r.json(t)
	if run["status"] != "running" || run["trigger"] != "manual" || run["ended_at"] != nil || run["error"] != nil || run["id"] == "" {
		t.Fatalf("202 body = %v", run)
	}
	wantStatus(t, owner.do("POST", "/api/v1/accounts/acme/sync", nil), 409, "sync_running")

	list := owner.do("GET", "/api/v1/accounts/acme/sync-runs", nil).json(t)
	items := list["items"].([]any)
	if len(items) != 2 || items[0].(map[string]any)["status"] != "running" || items[1].(map[string]any)["trigger"] != "setup" {
		t.Fatalf("history while running = %v", list)
	}

	close(gate)
	deadline := time.Now().Add(10 * time.Second)
	for e.syncer.Running(e.syncAccountID("acme")) {
		if time.Now().After(deadline) {
			t.Fatal("sync did not finish")
		}
		time.Sleep(10 * time.Millisecond)
	}
	list = owner.do("GET", "/api/v1/accounts/acme/sync-runs?limit=1", nil).json(t)
	got := list["items"].([]any)[0].(map[string]any)
	counts := got["counts"].(map[string]any)
	if got["status"] != "succeeded" || got["ended_at"] == nil || counts["processes"] != 5.0 || counts["robots"] != 4.0 ||
		got["changed"] == nil || got["attempts"] != 1.0 || got["error_code"] != nil {
		t.Fatalf("finished run = %v", got)
	}
	if list["next_cursor"] == nil {
		t.Fatal("two runs, pages of one: no next cursor")
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_events WHERE action = 'sync.run' AND target_id = ?`, run["id"]); n != 1 {
		t.Fatal("a manual sync is audited")
	}
	if n := e.count(`SELECT COUNT(*) FROM processes p JOIN accounts a ON a.id = p.account_id WHERE a.slug = 'acme'`); n != 5 {
		t.Fatalf("%d processes stored", n)
	}

	wantStatus(t, owner.do("POST", "/api/v1/accounts/acme/deactivate", nil), 200, "")
	wantStatus(t, owner.do("POST", "/api/v1/accounts/acme/sync", nil), 409, "account_deactivated")
}

func (e *env) syncAccountID(slug string) string {
	e.t.Helper()
	var id string
	if err := e.db.R.QueryRow(`SELECT id FROM accounts WHERE slug = ?`, slug).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// waitSync waits for the account's running sync, if any, to end.
func (e *env) waitSync(t *testing.T, slug string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for e.syncer.Running(e.syncAccountID(slug)) {
		if time.Now().After(deadline) {
			t.Fatal("sync did not finish")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
