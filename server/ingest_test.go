package server

import (
	"bytes"
	"fmt"
	"hash/crc32"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"bureau/apikey"
)

// ingestEnv: the owner of acme and a second account, beta, each with a key.
type ingestEnv struct {
	*env
	owner          *client
	acme, beta     string // keys
	acmeID, betaID string
}

func newIngestEnv(t *testing.T) *ingestEnv {
	t.Helper()
	e := newEnv(t)
	owner := e.setUp()
	wantStatus(t, owner.do("POST", "/api/v1/accounts", newAccount("Beta", "beta")), 201, "")
	ie := &ingestEnv{env: e, owner: owner}
	ie.acmeID, ie.acme = ie.newKey("acme", nil)
	ie.betaID, ie.beta = ie.newKey("beta", nil)
	return ie
}

// newKey creates a key through the API and returns its id and the key.
func (e *ingestEnv) newKey(slug string, extra map[string]any) (string, string) {
	e.t.Helper()
	body := map[string]any{"name": "Feed for " + slug}
	for k, v := range extra {
		body[k] = v
	}
	r := e.owner.do("POST", "/api/v1/accounts/"+slug+"/api-keys", body)
	wantStatus(e.t, r, 201, "")
	m := r.json(e.t)
	return m["id"].(string), m["key"].(string)
}

// send posts to an ingest route as a script would: no cookie, a bearer key.
func (e *ingestEnv) send(key, kind string, body any, opts ...reqOpt) resp {
	e.t.Helper()
	if key != "" {
		opts = append(opts, header("Authorization", "Bearer "+key))
	}
	return e.client().do("POST", "/api/v1/ingest/"+kind, body, opts...)
}

func jobs(n int, prefix string) map[string]any {
	items := make([]any, n)
	for i := range items {
		items[i] = map[string]any{"ref": fmt.Sprintf("%s-%04d", prefix, i), "process_ref": fmt.Sprintf("proc-%d", i%5),
			"robot_ref": "bot-1", "state": "successful", "started_at": "2026-11-24T08:00:00Z", "ended_at": "2026-11-24T08:01:30Z"}
	}
	return map[string]any{"items": items}
}

func (e *ingestEnv) rows(table, accountSlug string) int {
	return e.count(`SELECT COUNT(*) FROM `+table+` t JOIN accounts a ON a.id = t.account_id WHERE a.slug = ?`, accountSlug)
}

// KEY-02, KEY-10: the key is shown once; the database, lists and audit
// events never hold it; deactivation is recorded.
func TestAPIKeyStoredHashedOnly(t *testing.T) {
	e := newIngestEnv(t)
	list := e.owner.do("GET", "/api/v1/accounts/acme/api-keys", nil)
	wantStatus(t, list, 200, "")
	item := list.json(t)["items"].([]any)[0].(map[string]any)
	if _, has := item["key"]; has || strings.Contains(string(list.body), e.acme) || item["status"] != "active" ||
		!strings.HasPrefix(e.acme, item["prefix"].(string)+"_") {
		t.Fatalf("list shows %s", list.body)
	}
	wantStatus(t, e.send(e.acme, "robots", map[string]any{"items": []any{}}), 200, "")
	if _, err := e.db.W.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	secret := e.acme[13:56]
	for _, path := range []string{e.path, e.path + "-wal"} {
		raw, err := os.ReadFile(path)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte(e.acme)) || bytes.Contains(raw, []byte(secret)) {
			t.Fatalf("%s holds the key", path)
		}
	}
	r := e.owner.do("DELETE", "/api/v1/accounts/acme/api-keys/"+e.acmeID, nil)
	wantStatus(t, r, 200, "")
	if got := r.json(t); got["status"] != "deactivated" || got["deactivated_at"] == nil {
		t.Fatalf("deactivated: %s", r.body)
	}
	for _, action := range []string{"apikey.create", "apikey.deactivate"} {
		if n := e.count(`SELECT COUNT(*) FROM audit_events WHERE action = ? AND target_id = ?`, action, e.acmeID); n != 1 {
			t.Errorf("%s events: %d", action, n)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_events WHERE instr(details, ?) > 0`, secret); n != 0 {
		t.Errorf("the key is in %d audit events", n)
	}
	wantStatus(t, e.owner.do("POST", "/api/v1/accounts/acme/api-keys", map[string]any{"name": "x", "expires_in_days": 366}), 422, "expires_invalid")
}

// KEY-03: a key writes into its own account whatever the request names.
func TestKeyWritesOnlyItsAccount(t *testing.T) {
	e := newIngestEnv(t)
	r := e.send(e.acme, "jobs?account=beta&account_id=beta", jobs(3, "x"), header("X-Account", "beta"), header("X-Tenant-ID", "southwind"))
	wantStatus(t, r, 200, "")
	if e.rows("jobs", "acme") != 3 || e.rows("jobs", "beta") != 0 {
		t.Fatalf("acme %d, beta %d", e.rows("jobs", "acme"), e.rows("jobs", "beta"))
	}
	r = e.send(e.acme, "processes", map[string]any{"items": []any{map[string]any{"ref": "p", "name": "P", "account_id": "beta"}}})
	wantStatus(t, r, 422, "validation_failed")
	if !strings.Contains(string(r.body), `"field":"account_id"`) || e.rows("processes", "beta") != 0 {
		t.Fatalf("account_id in an item: %s", r.body)
	}
	// A job's unknown process is created, named after its ref.
	if n := e.count(`SELECT COUNT(*) FROM processes WHERE ref = 'proc-1' AND name = 'proc-1' AND source = 'ingest'`); n != 1 {
		t.Errorf("process made for an unknown process_ref: %d", n)
	}
}

// KEY-04: malformed, unknown, wrong, expired, deactivated keys, a key of a
// deactivated account, a cookie, another scheme: one and the same 401.
func TestInvalidKeysAnswerAlike(t *testing.T) {
	e := newIngestEnv(t)
	_, expiring := e.newKey("acme", map[string]any{"expires_in_days": 1})
	deadID, dead := e.newKey("acme", nil)
	goneID, gone := e.newKey("acme", nil)
	wantStatus(t, e.owner.do("DELETE", "/api/v1/accounts/acme/api-keys/"+deadID, nil), 200, "")
	e.exec(`DELETE FROM api_keys WHERE id = ?`, goneID)
	body := map[string]any{"items": []any{}}
	cookie := e.owner.do("POST", "/api/v1/ingest/jobs", body) // a live session, no key
	wantStatus(t, e.owner.do("POST", "/api/v1/accounts/beta/deactivate", nil), 200, "")
	e.clock.Advance(25 * time.Hour)
	wrong := e.acme[:20] + flipChar(e.acme[20]) + e.acme[21:56]
	wrong += fmt.Sprintf("_%08x", crc32.ChecksumIEEE([]byte(wrong)))
	cases := map[string]resp{
		"no header":           e.send("", "jobs", body),
		"malformed":           e.send("bur_nope", "jobs", body),
		"bad checksum":        e.send(e.acme[:len(e.acme)-1]+flipChar(e.acme[len(e.acme)-1]), "jobs", body),
		"unknown":             e.send(gone, "jobs", body),
		"wrong secret":        e.send(wrong, "jobs", body),
		"expired":             e.send(expiring, "jobs", body),
		"deactivated":         e.send(dead, "jobs", body),
		"deactivated account": e.send(e.beta, "jobs", body),
		"basic scheme":        e.client().do("POST", "/api/v1/ingest/jobs", body, header("Authorization", "Basic "+e.acme)),
		"session cookie":      cookie,
	}
	want := cases["no header"]
	wantStatus(t, want, 401, "invalid_api_key")
	for name, r := range cases {
		if r.StatusCode != 401 || !bytes.Equal(r.body, want.body) || r.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: %d %s, want the same 401 as no header: %s", name, r.StatusCode, r.body, want.body)
		}
	}
	wantStatus(t, e.send(e.acme, "jobs", body), 200, "")
}

func flipChar(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// KEY-05: a key in the query string or the body is refused, even next to a
// valid header, and no key material reaches the logs.
func TestKeyOutsideHeaderRefusedAndNotLogged(t *testing.T) {
	e := newIngestEnv(t)
	body := map[string]any{"items": []any{}}
	for name, r := range map[string]resp{
		"query only":       e.client().do("POST", "/api/v1/ingest/jobs?api_key="+e.acme, body),
		"query and header": e.send(e.acme, "jobs?key="+e.acme, body),
		"token param":      e.send(e.acme, "jobs?token=x", body),
		"in the body": e.send(e.acme, "processes", map[string]any{"items": []any{
			map[string]any{"ref": "p1", "name": "P", "description": "key " + e.acme}}}),
	} {
		if r.StatusCode != 401 || r.code(t) != "invalid_api_key" {
			t.Errorf("%s: %d %s", name, r.StatusCode, r.body)
		}
	}
	if e.rows("processes", "acme") != 0 {
		t.Error("a request carrying a key in the body was written")
	}
	logs := e.logs.String()
	if strings.Contains(logs, e.acme[13:56]) || strings.Contains(logs, "api_key=") {
		t.Fatalf("key material in the logs:\n%s", logs)
	}
	if !strings.Contains(logs, `"path":"/api/v1/ingest/jobs"`) {
		t.Fatalf("the requests were not logged at all:\n%s", logs)
	}
}

// KEY-07: the same batch again changes nothing, and five identical batches
// at once leave exactly the same rows.
func TestIngestIdempotent(t *testing.T) {
	e := newIngestEnv(t)
	r := e.send(e.acme, "jobs", jobs(50, "seq"))
	wantStatus(t, r, 200, "")
	if got := r.json(t); got["received"] != 50.0 || got["changed"] != 50.0 {
		t.Fatalf("first: %s", r.body)
	}
	if got := e.send(e.acme, "jobs", jobs(50, "seq")).json(t); got["changed"] != 0.0 {
		t.Fatalf("again: %v", got)
	}
	snapshot := func() string {
		var s string
		if err := e.db.R.QueryRow(`SELECT group_concat(id || ref || process_id || state || COALESCE(started_at, '') || updated_at, '|')
			FROM (SELECT * FROM jobs ORDER BY ref)`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	concurrently := func() {
		var wg sync.WaitGroup
		for range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if r := e.send(e.acme, "jobs", jobs(100, "par")); r.StatusCode != 200 {
					t.Errorf("concurrent batch: %d %s", r.StatusCode, r.body)
				}
			}()
		}
		wg.Wait()
	}
	concurrently()
	first := snapshot()
	e.clock.Advance(time.Minute)
	concurrently()
	if snapshot() != first || e.rows("jobs", "acme") != 150 || e.rows("processes", "acme") != 5 {
		t.Fatalf("rows changed: %d jobs, %d processes", e.rows("jobs", "acme"), e.rows("processes", "acme"))
	}
	r = e.send(e.acme, "robots", map[string]any{"items": []any{map[string]any{"ref": "bot-1", "name": "Bot 1", "status": "busy"}}})
	if r.json(t)["changed"] != 1.0 || e.send(e.acme, "robots", map[string]any{"items": []any{map[string]any{"ref": "bot-1", "name": "Bot 1", "status": "busy"}}}).json(t)["changed"] != 0.0 {
		t.Errorf("robots: %s", r.body)
	}
}

// KEY-08: one bad item in a hundred: 422 naming it, and nothing written.
func TestIngestAllOrNothing(t *testing.T) {
	e := newIngestEnv(t)
	batch := jobs(100, "bad")
	batch["items"].([]any)[57].(map[string]any)["state"] = "exploded"
	r := e.send(e.acme, "jobs", batch)
	wantStatus(t, r, 422, "validation_failed")
	errs := r.json(t)["errors"].([]any)
	if len(errs) != 1 || errs[0].(map[string]any)["index"] != 57.0 || errs[0].(map[string]any)["field"] != "state" {
		t.Fatalf("errors: %s", r.body)
	}
	if e.rows("jobs", "acme") != 0 || e.rows("processes", "acme") != 0 {
		t.Fatal("a rejected batch wrote rows")
	}
	cases := []struct {
		kind, field string
		item        map[string]any
	}{
		{"jobs", "ref", map[string]any{"process_ref": "p", "state": "running"}},
		{"jobs", "process_ref", map[string]any{"ref": "j", "state": "running"}},
		{"jobs", "ended_at", map[string]any{"ref": "j", "process_ref": "p", "state": "faulted", "started_at": "2026-11-24T09:00:00Z", "ended_at": "2026-11-24T08:00:00Z"}},
		{"jobs", "started_at", map[string]any{"ref": "j", "process_ref": "p", "state": "running", "started_at": "yesterday"}},
		{"jobs", "ref", map[string]any{"ref": strings.Repeat("r", 201), "process_ref": "p", "state": "running"}},
		{"jobs", "error", map[string]any{"ref": "j", "process_ref": "p", "state": "faulted", "error": 42}},
		{"robots", "status", map[string]any{"ref": "r", "name": "R", "status": "sleeping"}},
		{"robots", "name", map[string]any{"ref": "r", "status": "busy"}},
		{"processes", "name", map[string]any{"ref": "p"}},
	}
	for _, c := range cases {
		items := []any{map[string]any{"ref": "ok", "name": "OK", "process_ref": "p", "state": "running", "status": "busy"}, c.item}
		if c.kind == "processes" {
			items[0] = map[string]any{"ref": "ok", "name": "OK"}
		} else if c.kind == "robots" {
			items[0] = map[string]any{"ref": "ok", "name": "OK", "status": "busy"}
		} else {
			items[0] = map[string]any{"ref": "ok", "process_ref": "p", "state": "running"}
		}
		r := e.send(e.acme, c.kind, map[string]any{"items": items})
		wantStatus(t, r, 422, "validation_failed")
		if got := r.json(t)["errors"].([]any)[0].(map[string]any); got["index"] != 1.0 || got["field"] != c.field {
			t.Errorf("%s %v: %s", c.kind, c.item, r.body)
		}
	}
	if e.rows("jobs", "acme")+e.rows("robots", "acme")+e.rows("processes", "acme") != 0 {
		t.Fatal("an invalid batch wrote rows")
	}
	wantStatus(t, e.send(e.acme, "jobs", jobs(1001, "big")), 422, "too_many_items")
	wantStatus(t, e.send(e.acme, "jobs", map[string]any{"records": []any{}}), 400, "invalid_json")
}

// Each key has its own budget: a key past its rate gets 429 with
// Retry-After while another key still gets through.
func TestIngestRateLimitedPerKey(t *testing.T) {
	e := newIngestEnv(t)
	e.srv.APIKeys.Limiter = apikey.NewLimiter(1, 3, e.clock.Now)
	_, other := e.newKey("acme", nil)
	body := map[string]any{"items": []any{}}
	for i := range 3 {
		wantStatus(t, e.send(e.acme, "jobs", body), 200, "")
		_ = i
	}
	r := e.send(e.acme, "jobs", body)
	wantStatus(t, r, 429, "rate_limited")
	if r.Header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	wantStatus(t, e.send(other, "jobs", body), 200, "")
	e.clock.Advance(time.Second)
	wantStatus(t, e.send(e.acme, "jobs", body), 200, "")
}

// KEY-06 over HTTP: many calls within a minute leave last_used_at at the
// first; the list shows it.
func TestLastUsedShownAndThrottled(t *testing.T) {
	e := newIngestEnv(t)
	body := map[string]any{"items": []any{}}
	wantStatus(t, e.send(e.acme, "robots", body), 200, "")
	first := e.count(`SELECT COUNT(*) FROM api_keys WHERE id = ? AND last_used_at IS NOT NULL`, e.acmeID)
	for range 10 {
		e.clock.Advance(5 * time.Second)
		e.send(e.acme, "robots", body)
	}
	var used string
	e.db.R.QueryRow(`SELECT last_used_at FROM api_keys WHERE id = ?`, e.acmeID).Scan(&used)
	if first != 1 || used != "2026-11-24T09:00:00.000000Z" {
		t.Fatalf("last_used_at %q after 50 s of calls", used)
	}
	item := e.owner.do("GET", "/api/v1/accounts/acme/api-keys", nil).json(t)["items"].([]any)
	for _, it := range item {
		if m := it.(map[string]any); m["id"] == e.acmeID && m["last_used_at"] != "2026-11-24T09:00:00Z" {
			t.Errorf("list: %v", m)
		}
	}
}
