package server

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"bureau/apikey"
	"bureau/store"
	"bureau/store/storetest"
)

const benchBatch = 1000

// benchJobs is one batch of new jobs (refs unique per batch number n).
func benchJobs(n int) []byte {
	items := make([]map[string]any, benchBatch)
	for i := range items {
		items[i] = map[string]any{"ref": fmt.Sprintf("b%06d-%04d", n, i), "process_ref": fmt.Sprintf("proc-%d", i%20),
			"robot_ref": "bot-1", "state": "successful", "started_at": "2026-11-24T08:00:00Z", "ended_at": "2026-11-24T08:01:30Z",
			"error": ""}
	}
	raw, _ := json.Marshal(map[string]any{"items": items})
	return raw
}

// BenchmarkIngestJobsHTTP is ingestion end to end: a real listener and
// HTTP client, the whole middleware chain, key authentication, validation
// of every item and one upsert transaction per 1000-job batch. The rate
// limit is lifted: this measures capacity, not the per-key budget.
func BenchmarkIngestJobsHTTP(b *testing.B) {
	t := &testing.T{}
	e := &ingestEnv{env: newEnv(t)}
	e.owner = e.setUp()
	e.acmeID, e.acme = e.newKey("acme", nil)
	e.srv.APIKeys.Limiter = apikey.NewLimiter(1e9, 1e9, time.Now)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go e.srv.App.Listener(ln)
	defer e.srv.App.ShutdownWithContext(context.Background())
	url := "http://" + ln.Addr().String() + "/api/v1/ingest/jobs"
	client := &http.Client{Timeout: time.Minute}
	n := 0
	for b.Loop() {
		b.StopTimer()
		body := benchJobs(n)
		n++
		b.StartTimer()
		req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.acme)
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		out, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !bytes.Contains(out, []byte(`"changed":1000`)) {
			b.Fatalf("%d %s", res.StatusCode, out)
		}
	}
	b.ReportMetric(float64(n*benchBatch)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkPlainJobInsert is the floor for the same rows: one prepared
// INSERT in one transaction per 1000 rows, on the same store (same pragmas,
// same schema and indexes), no HTTP, no validation, no upsert logic.
func BenchmarkPlainJobInsert(b *testing.B) {
	db := storetest.Open(b,
		`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ('t1','firm','Firm','','')`,
		`INSERT INTO accounts (id, tenant_id, slug, name, created_at, updated_at) VALUES ('a1','t1','acme','Acme','','')`)
	procs := make([]string, 20)
	for i := range procs {
		procs[i] = store.NewID()
		if _, err := db.W.Exec(`INSERT INTO processes (id, tenant_id, account_id, ref, name, source, created_at, updated_at)
			VALUES (?, 't1', 'a1', ?, ?, 'ingest', '', '')`, procs[i], fmt.Sprintf("proc-%d", i), fmt.Sprintf("proc-%d", i)); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	started, ended := "2026-11-24T08:00:00.000000Z", "2026-11-24T08:01:30.000000Z"
	n := 0
	for b.Loop() {
		err := db.Write(ctx, func(tx *sql.Tx) error {
			stmt, err := tx.PrepareContext(ctx, `INSERT INTO jobs (id, tenant_id, account_id, ref, process_id, robot_ref, state, raw_state,
				created_at, started_at, ended_at, vendor_updated_at, source, updated_at)
				VALUES (?, 't1', 'a1', ?, ?, 'bot-1', 'successful', 'successful', ?, ?, ?, ?, 'ingest', ?)`)
			if err != nil {
				return err
			}
			defer stmt.Close()
			for i := range benchBatch {
				if _, err := stmt.ExecContext(ctx, store.NewID(), fmt.Sprintf("b%06d-%04d", n, i), procs[i%20],
					started, started, ended, ended, started); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n*benchBatch)/b.Elapsed().Seconds(), "rows/s")
}
