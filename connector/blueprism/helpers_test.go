package blueprism

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"bureau/connector"
	"bureau/connector/blueprism/bpsim"
	"bureau/connector/simkit"
)

var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// recorded is one request the client sent.
type recorded struct {
	Method, Path, ContentType, Body string
	Query                           url.Values
}

// recorder sits between the client and the simulator and keeps every
// request.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	reqs []recorded
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, recorded{r.Method, r.URL.Path, r.Header.Get("Content-Type"), string(body), r.URL.Query()})
	rec.mu.Unlock()
	rec.next.ServeHTTP(w, r)
}

func (rec *recorder) take() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := rec.reqs
	rec.reqs = nil
	return out
}

type env struct {
	sim *bpsim.Sim
	rec *recorder
	url string
	cfg connector.Config
	p   *Client
}

func newEnv(t *testing.T) *env {
	t.Helper()
	sim := bpsim.New(simkit.Options{Clock: simkit.NewClock(start)})
	rec := &recorder{next: sim}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	cfg := connector.Config{
		Settings: sim.Settings(srv.URL),
		Secrets:  sim.Secrets(),
		Sleep:    func(ctx context.Context, d time.Duration) error { return ctx.Err() },
		Now:      sim.Clock().Now,
		PageSize: 3,
	}
	e := &env{sim: sim, rec: rec, url: srv.URL, cfg: cfg}
	e.p = e.client(t, cfg)
	return e
}

func (e *env) client(t *testing.T, cfg connector.Config) *Client {
	t.Helper()
	p, err := connector.New(Provider, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p.(*Client)
}

// apiCalls drops token requests.
func apiCalls(reqs []recorded) []recorded {
	var out []recorded
	for _, r := range reqs {
		if r.Path != "/connect/token" {
			out = append(out, r)
		}
	}
	return out
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
