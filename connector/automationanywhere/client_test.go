package automationanywhere

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"bureau/connector"
	"bureau/connector/automationanywhere/aasim"
	"bureau/connector/simkit"
)

var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

type exchange struct {
	method, path, xauth, auth string
	body                      map[string]any
}

// recorder keeps every request the connector sends to the simulator.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	seen []exchange
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	raw, _ := io.ReadAll(req.Body)
	req.Body = io.NopCloser(bytes.NewReader(raw))
	var body map[string]any
	_ = json.Unmarshal(raw, &body)
	r.mu.Lock()
	r.seen = append(r.seen, exchange{req.Method, req.URL.Path, req.Header.Get("X-Authorization"), req.Header.Get("Authorization"), body})
	r.mu.Unlock()
	r.next.ServeHTTP(w, req)
}

func (r *recorder) last(path string) exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.seen) - 1; i >= 0; i-- {
		if r.seen[i].path == path {
			return r.seen[i]
		}
	}
	return exchange{}
}

func setup(t *testing.T, settings, secrets map[string]string) (connector.Provider, *aasim.Sim, *recorder) {
	t.Helper()
	sim := aasim.New(simkit.Options{Clock: simkit.NewClock(start)})
	rec := &recorder{next: sim}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	s := sim.Settings(srv.URL)
	for k, v := range settings {
		s[k] = v
	}
	if secrets == nil {
		secrets = sim.Secrets()
	}
	p, err := connector.New(Name, connector.Config{Settings: s, Secrets: secrets, Now: sim.Clock().Now, PageSize: 3,
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	return p, sim, rec
}

func TestSignInAndHeaders(t *testing.T) {
	for _, mode := range []string{"api_key", "password"} {
		t.Run(mode, func(t *testing.T) {
			secrets := map[string]string{"api_key": aasim.APIKey}
			if mode == "password" {
				secrets = map[string]string{"password": aasim.APIPassword}
			}
			p, _, rec := setup(t, map[string]string{"auth": mode}, secrets)
			res, err := p.Test(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if res.Details != "Connected as bureau.sync: 4 devices" {
				t.Errorf("details %q", res.Details)
			}
			auth := rec.last("/v2/authentication").body
			wantKey := map[string]string{"api_key": "apiKey", "password": "password"}[mode]
			if auth["username"] != aasim.APIUser || auth[wantKey] == nil || len(auth) != 2 {
				t.Errorf("authentication body %v", auth)
			}
			dev := rec.last("/v2/devices/list")
			if strings.Count(dev.xauth, ".") != 2 || strings.HasPrefix(dev.xauth, "Bearer") || dev.auth != "" {
				t.Errorf("X-Authorization %q, Authorization %q: want the bare token in X-Authorization", dev.xauth, dev.auth)
			}
			if page := dev.body["page"].(map[string]any); page["length"] != 1.0 || page["offset"] != 0.0 {
				t.Errorf("test page %v", page)
			}
		})
	}
}

func TestWrongKeyIsAuthFailedWithTheVendorsText(t *testing.T) {
	p, sim, _ := setup(t, nil, map[string]string{"api_key": "not-the-key-at-all-0000"})
	_, err := p.Test(context.Background())
	var ce *connector.Error
	if !errors.As(err, &ce) || ce.Kind != connector.KindAuth || ce.Code == "" || !strings.Contains(ce.Message, "Authentication failed") {
		t.Fatalf("%v", err)
	}
	if sim.Tokens().Issued() != 0 {
		t.Error("a token was issued")
	}
}

func TestListRequestShapes(t *testing.T) {
	p, _, rec := setup(t, nil, nil)
	ctx := context.Background()
	if err := p.Processes(ctx, func(ps []connector.Process) error {
		for _, pr := range ps {
			if !strings.HasPrefix(pr.Folder, `Automation Anywhere\Bots\`) || len(pr.Raw) == 0 {
				t.Errorf("process %+v", pr)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	files := rec.last("/v2/repository/workspaces/public/files/list")
	if f := files.body["filter"].(map[string]any); f["operator"] != "eq" || f["field"] != "type" || f["value"] != "application/vnd.aa.taskbot" {
		t.Errorf("bot filter %v", f)
	}
	if s := files.body["sort"].([]any)[0].(map[string]any); s["field"] != "name" || s["direction"] != "asc" {
		t.Errorf("bot sort %v", s)
	}
	if files.method != http.MethodPost {
		t.Errorf("method %s", files.method)
	}

	since := time.Date(2026, 11, 1, 8, 30, 15, 500, time.UTC)
	if err := p.Jobs(ctx, since, func([]connector.Job) error { return nil }); err != nil {
		t.Fatal(err)
	}
	jobs := rec.last("/v3/activity/list")
	want := map[string]any{"operator": "ge", "field": "startDateTime", "value": "2026-11-01T08:30:15Z"}
	if f := jobs.body["filter"].(map[string]any); f["operator"] != want["operator"] || f["field"] != want["field"] || f["value"] != want["value"] {
		t.Errorf("watermark filter %v, want %v", f, want)
	}
	if sort := jobs.body["sort"].([]any); len(sort) != 2 || sort[0].(map[string]any)["field"] != "startDateTime" {
		t.Errorf("jobs sort %v", sort)
	}
	if err := p.Jobs(ctx, time.Time{}, func([]connector.Job) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if f, ok := rec.last("/v3/activity/list").body["filter"]; ok {
		t.Errorf("zero watermark sent filter %v", f)
	}
}

func TestListsSentAsPOSTAreRetriedAfter5xx(t *testing.T) {
	p, sim, _ := setup(t, nil, nil)
	if _, err := p.Test(context.Background()); err != nil {
		t.Fatal(err)
	}
	sim.Faults().Inject5xx(2)
	n := 0
	if err := p.Robots(context.Background(), func(rs []connector.Robot) error { n += len(rs); return nil }); err != nil {
		t.Fatalf("robots after two 5xx: %v", err)
	}
	if n != sim.Seeded().Robots {
		t.Errorf("%d robots", n)
	}
}

func TestStartRun(t *testing.T) {
	p, sim, rec := setup(t, nil, nil)
	ctx := context.Background()
	var bots []connector.Process
	_ = p.Processes(ctx, func(ps []connector.Process) error { bots = append(bots, ps...); return nil })
	job, err := p.StartRun(ctx, bots[0].Ref, connector.RunInput{Arguments: map[string]any{"customer": "ACME", "limit": 5}})
	if err != nil {
		t.Fatal(err)
	}
	body := rec.last("/v3/automations/deploy").body
	if body["fileId"] != mustFloat(bots[0].Ref) {
		t.Errorf("fileId %v (%T), want the number %s", body["fileId"], body["fileId"], bots[0].Ref)
	}
	if ids := body["runAsUserIds"].([]any); len(ids) != 1 || ids[0] != mustFloat(sim.RunAsUserID()) {
		t.Errorf("runAsUserIds %v", ids)
	}
	if pools, ok := body["poolIds"].([]any); !ok || len(pools) != 0 || body["overrideDefaultDevice"] != false {
		t.Errorf("poolIds %v overrideDefaultDevice %v", body["poolIds"], body["overrideDefaultDevice"])
	}
	in := body["botInput"].(map[string]any)
	if c := in["customer"].(map[string]any); c["type"] != "STRING" || c["string"] != "ACME" {
		t.Errorf("botInput %v", in)
	}
	if l := in["limit"].(map[string]any); l["type"] != "NUMBER" || l["number"] != "5" {
		t.Errorf("botInput %v", in)
	}
	if job.State != connector.StatePending || job.RawState != "QUEUED" || strings.HasPrefix(job.Ref, deploymentPrefix) || job.ProcessRef != bots[0].Ref {
		t.Errorf("started job %+v", job)
	}
	lookup := rec.last("/v3/activity/list").body["filter"].(map[string]any)
	if lookup["field"] != "deploymentId" {
		t.Errorf("activity looked up by %v", lookup)
	}
	if _, err := p.Job(ctx, job.Ref); err != nil {
		t.Fatal(err)
	}
	if f := rec.last("/v3/activity/list").body["filter"].(map[string]any); f["field"] != "id" || f["value"] != job.Ref {
		t.Errorf("job read by %v", f)
	}
}

func mustFloat(s string) float64 {
	var f float64
	_ = json.Unmarshal([]byte(s), &f)
	return f
}

func TestStartRunRefusals(t *testing.T) {
	ctx := context.Background()
	p, _, _ := setup(t, map[string]string{"run_as_user_id": ""}, nil)
	if _, err := p.StartRun(ctx, "1004", connector.RunInput{}); !errors.Is(err, connector.ErrConfig) {
		t.Errorf("no run-as user: %v", err)
	}
	p, _, _ = setup(t, nil, nil)
	if _, err := p.StartRun(ctx, "not-a-number", connector.RunInput{}); !errors.Is(err, connector.ErrInvalid) {
		t.Errorf("bad ref: %v", err)
	}
	if _, err := p.StartRun(ctx, "99999", connector.RunInput{}); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("unknown bot: %v", err)
	}
	if _, err := p.StartRun(ctx, "1001", connector.RunInput{}); !errors.Is(err, connector.ErrInvalid) {
		t.Errorf("a folder: %v", err)
	}
}

// A real Control Room may list the activity a moment after the deploy
// answers: the run is then a pending deployment ref, readable later.
func TestDeploymentNotYetListed(t *testing.T) {
	var mu sync.Mutex
	listed := false
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/authentication", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"token":"tok","user":{"id":"1"}}`)
	})
	mux.HandleFunc("POST /v3/automations/deploy", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"automationId":"9","deploymentId":"dep-1"}`)
	})
	mux.HandleFunc("POST /v3/activity/list", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if !listed {
			_, _ = io.WriteString(w, `{"page":{"offset":0,"total":0,"totalFilter":0},"list":[]}`)
			return
		}
		_, _ = io.WriteString(w, `{"page":{"offset":0,"total":1,"totalFilter":1},"list":[{"id":"dep-1_ab","deploymentId":"dep-1","fileId":"12","status":"RUNNING","startDateTime":"2026-11-02T09:00:00Z"}]}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	p, err := connector.New(Name, connector.Config{
		Settings: map[string]string{"url": srv.URL, "username": "u", "run_as_user_id": "7"},
		Secrets:  map[string]string{"api_key": "k"},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	job, err := p.StartRun(ctx, "12", connector.RunInput{})
	if err != nil {
		t.Fatal(err)
	}
	if job.Ref != "deployment:dep-1" || job.State != connector.StatePending || job.ProcessRef != "12" || job.RawState == "" {
		t.Fatalf("pending deployment %+v", job)
	}
	if again, err := p.Job(ctx, job.Ref); err != nil || again.Ref != job.Ref || again.State != connector.StatePending {
		t.Fatalf("still unlisted: %+v %v", again, err)
	}
	mu.Lock()
	listed = true
	mu.Unlock()
	got, err := p.Job(ctx, job.Ref)
	if err != nil || got.Ref != "dep-1_ab" || got.State != connector.StateRunning {
		t.Errorf("listed: %+v %v", got, err)
	}
}

func TestSpec(t *testing.T) {
	spec, ok := connector.Lookup(Name)
	if !ok {
		t.Fatal("not registered")
	}
	base := map[string]string{"url": "https://cr.example.com", "username": "u"}
	if errs := spec.Validate(spec.WithDefaults(base), map[string]string{"api_key": "k"}); len(errs) != 0 {
		t.Errorf("api key: %v", errs)
	}
	pw := spec.WithDefaults(map[string]string{"url": "https://cr.example.com", "username": "u", "auth": "password"})
	if errs := spec.Validate(pw, map[string]string{"api_key": "k"}); len(errs) != 1 || errs[0].Key != "password" {
		t.Errorf("password mode without a password: %v", errs)
	}
	for _, f := range spec.Fields {
		if f.Help == "" {
			t.Errorf("field %s has no help", f.Key)
		}
		if (f.Key == "api_key" || f.Key == "password") != f.Secret {
			t.Errorf("field %s secret=%v", f.Key, f.Secret)
		}
	}
}
