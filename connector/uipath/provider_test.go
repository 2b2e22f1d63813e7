package uipath_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"bureau/connector"
	"bureau/connector/contract"
	"bureau/connector/simkit"
	"bureau/connector/uipath/uipathsim"
)

// recorder keeps every request a simulator answered.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	reqs []*http.Request
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req.Clone(context.Background()))
	r.mu.Unlock()
	r.next.ServeHTTP(w, req)
}

func (r *recorder) matching(pathSuffix string) []*http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*http.Request
	for _, q := range r.reqs {
		if strings.HasSuffix(q.URL.Path, pathSuffix) {
			out = append(out, q)
		}
	}
	return out
}

type env struct {
	sim *uipathsim.Sim
	rec *recorder
	url string
}

func start(t *testing.T, sim *uipathsim.Sim) *env {
	rec := &recorder{next: sim}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return &env{sim: sim, rec: rec, url: srv.URL}
}

func (e *env) provider(t *testing.T, name string, settings, secrets map[string]string) connector.Provider {
	t.Helper()
	p, err := connector.New(name, connector.Config{
		Settings: settings, Secrets: secrets, Timeout: 5 * time.Second, PageSize: contract.PageSize, Now: e.sim.Clock().Now,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newClock() simkit.Options { return simkit.Options{Clock: simkit.NewClock(contract.Start)} }

func collectJobs(t *testing.T, p connector.Provider, since time.Time) []connector.Job {
	t.Helper()
	var out []connector.Job
	if err := p.Jobs(context.Background(), since, func(js []connector.Job) error { out = append(out, js...); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func collectProcesses(t *testing.T, p connector.Provider) []connector.Process {
	t.Helper()
	var out []connector.Process
	if err := p.Processes(context.Background(), func(ps []connector.Process) error { out = append(out, ps...); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCloudRequestShapes(t *testing.T) {
	sim := uipathsim.NewCloud(newClock())
	e := start(t, sim)
	p := e.provider(t, "uipath-cloud", sim.Settings(e.url), sim.Secrets())
	since := sim.Clock().Now().Add(-time.Hour)
	collectJobs(t, p, since)

	tok := e.rec.matching("/identity_/connect/token")
	if len(tok) != 1 {
		t.Fatalf("%d token requests", len(tok))
	}
	jobs := e.rec.matching("/bureau-demo/DefaultTenant/orchestrator_/odata/Jobs")
	if len(jobs) == 0 {
		t.Fatal("no job requests")
	}
	q := jobs[0].URL.Query()
	wantFilter := "(CreationTime ge 2026-11-02T08:00:00.000Z) or (LastModificationTime ge 2026-11-02T08:00:00.000Z)"
	if q.Get("$filter") != wantFilter || q.Get("$orderby") != "Id asc" || q.Get("$expand") != "Robot,Release" ||
		q.Get("$top") != "3" || q.Get("$count") != "true" || q.Get("$skip") != "0" {
		t.Errorf("jobs query %v", q)
	}
	if strings.Contains(jobs[0].URL.RawQuery, "+") {
		t.Errorf("spaces sent as '+': %s", jobs[0].URL.RawQuery)
	}
	for _, r := range jobs {
		if r.Header.Get("X-UIPATH-OrganizationUnitId") == "" || r.Header.Get("X-UIPATH-TenantName") != "" {
			t.Errorf("%s headers %v", r.URL, r.Header)
		}
	}
	if folders := e.rec.matching("/odata/Folders"); folders[0].Header.Get("X-UIPATH-OrganizationUnitId") != "" {
		t.Error("the folder list must not carry a folder")
	}
}

func TestOnPremFallsBackWithoutLastModificationTime(t *testing.T) {
	sim := uipathsim.NewOnPrem(newClock())
	e := start(t, sim)
	p := e.provider(t, "uipath-onprem", sim.Settings(e.url), sim.Secrets())
	if len(collectProcesses(t, p)) == 0 {
		t.Fatal("no processes")
	}
	sim.Clock().Advance(time.Minute)
	since := sim.Clock().Now()
	job, err := p.StartRun(context.Background(), "201", connector.RunInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got := collectJobs(t, p, since); len(got) != 1 || got[0].Ref != job.Ref {
		t.Fatalf("since the watermark: %v", got)
	}
	// Changed, not created, after a later watermark: found by its end time.
	sim.Clock().Advance(20 * time.Second)
	since = sim.Clock().Now()
	sim.Clock().Advance(time.Minute)
	got := collectJobs(t, p, since)
	if len(got) != 1 || !got[0].State.Terminal() {
		t.Errorf("the run that ended since the watermark: %+v", got)
	}
	var filters []string
	for _, r := range e.rec.matching("/odata/Jobs") {
		filters = append(filters, r.URL.Query().Get("$filter"))
		if r.Header.Get("X-UIPATH-TenantName") != uipathsim.OnPremTenant {
			t.Errorf("standalone request without the tenant header: %v", r.Header)
		}
	}
	if !strings.Contains(filters[0], "LastModificationTime") || strings.Contains(filters[len(filters)-1], "LastModificationTime") {
		t.Errorf("filters %q: want LastModificationTime tried once, then start/end times", filters)
	}
	if n := len(e.rec.matching("/identity/connect/token")); n != 1 {
		t.Errorf("%d token requests at /identity/connect/token", n)
	}
}

func TestCloudFindsJobsChangedSinceTheWatermark(t *testing.T) {
	sim := uipathsim.NewCloud(newClock())
	e := start(t, sim)
	p := e.provider(t, "uipath-cloud", sim.Settings(e.url), sim.Secrets())
	job, err := p.StartRun(context.Background(), "201", connector.RunInput{})
	if err != nil {
		t.Fatal(err)
	}
	sim.Clock().Advance(time.Second)
	since := sim.Clock().Now()
	sim.Clock().Advance(10 * time.Second) // now running: modified, not created, since
	got := collectJobs(t, p, since)
	if len(got) != 1 || got[0].Ref != job.Ref || got[0].State != connector.StateRunning || got[0].RobotRef == "" {
		t.Errorf("changed since the watermark: %+v", got)
	}
}

func TestFoldersSettingLimitsTheSync(t *testing.T) {
	sim := uipathsim.NewCloud(newClock())
	e := start(t, sim)
	settings := sim.Settings(e.url)
	settings["folders"] = "finance"
	p := e.provider(t, "uipath-cloud", settings, sim.Secrets())
	ps := collectProcesses(t, p)
	if len(ps) == 0 {
		t.Fatal("no processes in Finance")
	}
	for _, proc := range ps {
		if proc.Folder != "Finance" && proc.Folder != "Finance/Invoices" {
			t.Errorf("process %s in %s", proc.Name, proc.Folder)
		}
	}
	for _, j := range collectJobs(t, p, time.Time{}) {
		if !slices.ContainsFunc(ps, func(p connector.Process) bool { return p.Ref == j.ProcessRef }) {
			t.Errorf("job %s of process %s outside Finance", j.Ref, j.ProcessRef)
		}
	}
}

func TestAutomationSuiteUsesTheCloudLayout(t *testing.T) {
	sim := uipathsim.NewCloud(newClock())
	e := start(t, sim)
	settings := map[string]string{
		"url": e.url, "deployment": "automation-suite", "organization": uipathsim.Organization,
		"tenant": uipathsim.CloudTenant, "client_id": uipathsim.ClientID,
	}
	p := e.provider(t, "uipath-onprem", settings, sim.Secrets())
	res, err := p.Test(context.Background())
	if err != nil || !strings.Contains(res.Details, "3 folders") {
		t.Errorf("test: %v %v", res, err)
	}
}

func TestPasswordSignIn(t *testing.T) {
	sim := uipathsim.NewOnPrem(newClock())
	e := start(t, sim)
	settings := sim.Settings(e.url)
	settings["auth"], settings["username"] = "password", uipathsim.Username
	delete(settings, "client_id")
	p := e.provider(t, "uipath-onprem", settings, map[string]string{"password": uipathsim.Password})
	if _, err := p.Test(context.Background()); err != nil {
		t.Fatal(err)
	}
	sim.Clock().Advance(31 * time.Minute) // Authenticate tokens live 30 minutes
	if _, err := p.Test(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(e.rec.matching("/api/Account/Authenticate")); n != 2 {
		t.Errorf("%d sign-ins, want 2", n)
	}
	wrong := e.provider(t, "uipath-onprem", settings, map[string]string{"password": "wrong-password"})
	_, err := wrong.Test(context.Background())
	var ce *connector.Error
	if !errors.As(err, &ce) || ce.Kind != connector.KindAuth || !strings.Contains(ce.Message, "Invalid credentials") || strings.Contains(err.Error(), "wrong-password") {
		t.Errorf("wrong password: %v", err)
	}
}

func TestMissingScopeIsForbidden(t *testing.T) {
	sim := uipathsim.NewCloud(newClock())
	e := start(t, sim)
	settings := sim.Settings(e.url)
	settings["scopes"] = "OR.Folders.Read OR.Execution.Read OR.Jobs.Read"
	p := e.provider(t, "uipath-cloud", settings, sim.Secrets())
	if _, err := p.StartRun(context.Background(), "201", connector.RunInput{}); !errors.Is(err, connector.ErrForbidden) {
		t.Errorf("start without OR.Jobs.Write: %v, want forbidden", err)
	}
	settings["scopes"] = "OR.Folders.Read OR.Administration"
	if _, err := e.provider(t, "uipath-cloud", settings, sim.Secrets()).Test(context.Background()); !errors.Is(err, connector.ErrForbidden) {
		t.Errorf("a scope the app lacks: %v, want forbidden", err)
	}
}

func TestReadsAJobInAnUnknownFolder(t *testing.T) {
	sim := uipathsim.NewCloud(newClock())
	e := start(t, sim)
	p := e.provider(t, "uipath-cloud", sim.Settings(e.url), sim.Secrets())
	jobs := collectJobs(t, p, time.Time{})
	last := jobs[len(jobs)-1] // listed last: in the last folder
	fresh := e.provider(t, "uipath-cloud", sim.Settings(e.url), sim.Secrets())
	got, err := fresh.Job(context.Background(), last.Ref)
	if err != nil || got.Ref != last.Ref || got.State != last.State {
		t.Errorf("job %s: %+v %v", last.Ref, got, err)
	}
	// And a release: StartRun on a provider that never listed processes.
	if _, err := fresh.StartRun(context.Background(), "206", connector.RunInput{Arguments: map[string]any{"in_N": 1}}); err != nil {
		t.Errorf("start a release found by probing: %v", err)
	}
	if _, err := fresh.StartRun(context.Background(), "999", connector.RunInput{}); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("unknown release: %v, want not_found", err)
	}
	if _, err := fresh.Job(context.Background(), "not-a-number"); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("malformed ref: %v, want not_found", err)
	}
}

func TestSpecsValidateSettings(t *testing.T) {
	cloud, _ := connector.Lookup("uipath-cloud")
	onprem, _ := connector.Lookup("uipath-onprem")
	tests := []struct {
		name     string
		spec     connector.Spec
		settings map[string]string
		secrets  map[string]string
		wantErr  string
	}{
		{"cloud ok", cloud, map[string]string{"organization": "o", "tenant": "t", "client_id": "c"}, map[string]string{"client_secret": "s"}, ""},
		{"cloud without secret", cloud, map[string]string{"organization": "o", "tenant": "t", "client_id": "c"}, nil, "client_secret"},
		{"onprem password", onprem, map[string]string{"url": "https://o", "auth": "password", "username": "u"}, map[string]string{"password": "p"}, ""},
		{"onprem password without user", onprem, map[string]string{"url": "https://o", "auth": "password"}, map[string]string{"password": "p"}, "username"},
		{"onprem suite without organization", onprem, map[string]string{"url": "https://o", "deployment": "automation-suite", "client_id": "c"}, map[string]string{"client_secret": "s"}, "organization"},
	}
	for _, tt := range tests {
		errs := tt.spec.Validate(tt.spec.WithDefaults(tt.settings), tt.secrets)
		switch {
		case tt.wantErr == "" && len(errs) > 0:
			t.Errorf("%s: %v", tt.name, errs)
		case tt.wantErr != "" && (len(errs) != 1 || errs[0].Key != tt.wantErr):
			t.Errorf("%s: %v, want an error on %s", tt.name, errs, tt.wantErr)
		}
	}
}

func TestTestNamesAMissingFolder(t *testing.T) {
	sim := uipathsim.NewCloud(newClock())
	e := start(t, sim)
	settings := sim.Settings(e.url)
	settings["folders"] = "Finance, Marketing"
	_, err := e.provider(t, "uipath-cloud", settings, sim.Secrets()).Test(context.Background())
	if !errors.Is(err, connector.ErrNotFound) || !strings.Contains(err.Error(), "Marketing") {
		t.Errorf("test with a missing folder: %v", err)
	}
}

func TestRunsFinishOnTheRealClock(t *testing.T) {
	sim := uipathsim.NewOnPrem(simkit.Options{RunPending: 20 * time.Millisecond, RunDuration: 30 * time.Millisecond})
	e := start(t, sim)
	p := e.provider(t, "uipath-onprem", sim.Settings(e.url), sim.Secrets())
	job, err := p.StartRun(context.Background(), "201", connector.RunInput{})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	got, err := p.Job(context.Background(), job.Ref)
	if err != nil || !got.State.Terminal() || got.EndedAt == nil {
		t.Errorf("after the run's time: %+v %v", got, err)
	}
}
