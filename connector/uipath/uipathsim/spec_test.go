package uipathsim_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"bureau/connector"
	"bureau/connector/contract"
	"bureau/connector/simkit"
	"bureau/connector/simkit/spectest"
	_ "bureau/connector/uipath"
	"bureau/connector/uipath/uipathsim"
)

// The published documents are large (1.4 MB of YAML): each is loaded once
// per test binary. Each test gets a shallow copy with its own server URL.
var (
	docsOnce                 sync.Once
	cloudDoc, onPremDoc, idp *openapi3.T
)

func loadDocs(t *testing.T) {
	dir := spectest.Dir(t)
	docsOnce.Do(func() {
		cloudDoc = spectest.Load(t, filepath.Join(dir, "uipath-cloud", "orchestrator.yaml"), "http://placeholder")
		onPremDoc = spectest.Load(t, filepath.Join(dir, "uipath-onprem", "swagger.json"), "http://placeholder")
		idp = spectest.Load(t, filepath.Join(dir, "uipath-cloud", "identity.token.yaml"), "http://placeholder")
		published := cloudDoc.Components.Schemas["ErrorResult"]
		addErrorResponses(cloudDoc, &openapi3.SchemaRef{Value: openapi3.NewAllOfSchema(published.Value, errorResultAsSent())})
		addErrorResponses(onPremDoc, &openapi3.SchemaRef{Value: errorResultAsSent()})
		oauth := openapi3.NewObjectSchema().WithProperty("error", openapi3.NewStringSchema()).WithRequired([]string{"error"})
		addErrorResponses(idp, &openapi3.SchemaRef{Value: oauth})
	})
	if cloudDoc == nil {
		t.Fatal("vendor API descriptions failed to load in an earlier test")
	}
}

// errorResultAsSent is the error body as Orchestrator writes it: camelCase
// message and errorCode (forum captures), where the published ErrorResult
// spells the same members in PascalCase and requires none.
func errorResultAsSent() *openapi3.Schema {
	return openapi3.NewObjectSchema().
		WithProperty("message", openapi3.NewStringSchema()).
		WithProperty("errorCode", openapi3.NewIntegerSchema()).
		WithRequired([]string{"message"})
}

// addErrorResponses documents the error statuses the published documents
// leave out: they declare only each operation's success, so without this
// every 401, 404 or 429 the real server sends would fail as "status is not
// supported" and error bodies would go unchecked. Adding them keeps the
// bodies validated instead of skipping those exchanges.
func addErrorResponses(doc *openapi3.T, schema *openapi3.SchemaRef) {
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, status := range []string{"400", "401", "403", "404", "405", "429", "500"} {
				if op.Responses.Value(status) == nil {
					op.Responses.Set(status, &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("error").WithJSONSchemaRef(schema)})
				}
			}
		}
	}
}

// withServer is a shallow copy of doc served at base, with its OData keys
// split out as path segments (see keySplitter).
func withServer(doc *openapi3.T, base string) *openapi3.T {
	d := *doc
	d.Servers = openapi3.Servers{{URL: strings.TrimRight(base, "/")}}
	d.Paths = openapi3.NewPaths()
	for path, item := range doc.Paths.Map() {
		d.Paths.Set(docKey.ReplaceAllString(path, "/{$1}"), item)
	}
	return &d
}

// spectest's router (kin-openapi's legacy router) matches a path variable
// up to the next '/', so it cannot route OData keys such as Jobs({key}):
// the variable swallows the ')'. keySplitter shows the checker Jobs/42
// against a document whose Jobs({key}) reads Jobs/{key}, and gives the
// simulator the request as sent. Both rewrites are one-to-one, so the
// check is unchanged otherwise.
var (
	docKey     = regexp.MustCompile(`\(\{(\w+)\}\)`)
	requestKey = regexp.MustCompile(`\((\d+)\)`)
)

type originalPath struct{}

func splitKeys(checker http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.Clone(context.WithValue(r.Context(), originalPath{}, r.URL.Path))
		r.URL.Path = requestKey.ReplaceAllString(r.URL.Path, "/$1")
		r.URL.RawPath = ""
		checker.ServeHTTP(w, r)
	})
}

func joinKeys(sim http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := r.Context().Value(originalPath{}).(string); ok {
			r = r.Clone(r.Context()) // the checker still reads the split URL
			r.URL.Path = p
		}
		sim.ServeHTTP(w, r)
	})
}

// specEnv is a simulator behind a spec checker, on a test server.
type specEnv struct {
	sim     *uipathsim.Sim
	checker *spectest.Checker
	url     string
}

func newSpecEnv(t *testing.T, sim *uipathsim.Sim, docs func(serverURL string) []*openapi3.T) *specEnv {
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	c := spectest.New(t, joinKeys(sim), docs(srv.URL)...)
	h = splitKeys(c)
	return &specEnv{sim: sim, checker: c, url: srv.URL}
}

func (e *specEnv) provider(t *testing.T, name string, settings, secrets map[string]string) connector.Provider {
	t.Helper()
	p, err := connector.New(name, connector.Config{
		Settings: settings, Secrets: secrets, Timeout: 5 * time.Second, PageSize: contract.PageSize,
		Now:   e.sim.Clock().Now,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSpecCloud(t *testing.T) {
	loadDocs(t)
	sim := uipathsim.NewCloud(simkit.Options{Clock: simkit.NewClock(contract.Start)})
	e := newSpecEnv(t, sim, func(u string) []*openapi3.T {
		orch := spectest.BaseURL(u, "/"+uipathsim.Organization+"/"+uipathsim.CloudTenant+"/orchestrator_")
		return []*openapi3.T{withServer(cloudDoc, orch), withServer(idp, u+"/identity_")}
	})
	drive(t, e, "uipath-cloud", sim.Settings(e.url), sim.Secrets())
	stopJob(t, e, "/identity_/connect/token", "/"+uipathsim.Organization+"/"+uipathsim.CloudTenant+"/orchestrator_/")
	assertSpec(t, e, "POST /connect/token", "POST /odata/Jobs({key})/UiPath.Server.Configuration.OData.StopJob")
}

func TestSpecOnPrem(t *testing.T) {
	loadDocs(t)
	sim := uipathsim.NewOnPrem(simkit.Options{Clock: simkit.NewClock(contract.Start)})
	e := newSpecEnv(t, sim, func(u string) []*openapi3.T {
		// The identity server of a standalone install lives at /identity;
		// its token endpoint is the one the cloud document describes.
		return []*openapi3.T{withServer(onPremDoc, u), withServer(idp, u+"/identity")}
	})
	drive(t, e, "uipath-onprem", sim.Settings(e.url), sim.Secrets())

	password := sim.Settings(e.url)
	password["auth"] = "password"
	password["username"] = uipathsim.Username
	delete(password, "client_id")
	p := e.provider(t, "uipath-onprem", password, map[string]string{"password": uipathsim.Password})
	if _, err := p.Test(context.Background()); err != nil {
		t.Fatalf("password sign-in: %v", err)
	}
	wrong := e.provider(t, "uipath-onprem", password, map[string]string{"password": "wrong-password"})
	if _, err := wrong.Test(context.Background()); !errors.Is(err, connector.ErrAuth) {
		t.Errorf("wrong password: %v, want auth_failed", err)
	}
	stopJob(t, e, "/identity/connect/token", "/")
	assertSpec(t, e, "POST /connect/token", "POST /api/Account/Authenticate", "POST /odata/Jobs({key})/UiPath.Server.Configuration.OData.StopJob")
}

// drive runs the real connector through everything it does: test, every
// list over several pages, a filtered job list, runs started with and
// without a remembered release, jobs read in an unknown folder, a missing
// job (404), a refused secret, a revoked token (401), 429 and 5xx.
func drive(t *testing.T, e *specEnv, provider string, settings, secrets map[string]string) {
	ctx := context.Background()
	p := e.provider(t, provider, settings, secrets)
	if _, err := p.Test(ctx); err != nil {
		t.Fatalf("test: %v", err)
	}
	var procs []connector.Process
	must(t, p.Processes(ctx, func(ps []connector.Process) error { procs = append(procs, ps...); return nil }))
	must(t, p.Robots(ctx, func([]connector.Robot) error { return nil }))
	must(t, p.Schedules(ctx, func([]connector.Schedule) error { return nil }))
	must(t, p.Jobs(ctx, time.Time{}, func([]connector.Job) error { return nil }))
	must(t, p.Jobs(ctx, e.sim.Clock().Now().Add(-48*time.Hour), func([]connector.Job) error { return nil }))

	job, err := p.StartRun(ctx, procs[0].Ref, connector.RunInput{Arguments: map[string]any{"in_Mailbox": "ap@contoso.com"}})
	must(t, err)
	_, err = p.StartRun(ctx, procs[1].Ref, connector.RunInput{RobotRef: "401"})
	must(t, err)
	e.sim.Clock().Advance(10 * time.Second)
	must(t, p.Jobs(ctx, e.sim.Clock().Now().Add(-time.Minute), func([]connector.Job) error { return nil }))

	fresh := e.provider(t, provider, settings, secrets) // remembers no folders
	_, err = fresh.Job(ctx, job.Ref)
	must(t, err)
	_, err = fresh.StartRun(ctx, procs[len(procs)-1].Ref, connector.RunInput{})
	must(t, err)
	if _, err := fresh.Job(ctx, e.sim.MissingJobRef()); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("missing job: %v, want not_found", err)
	}

	if _, err := e.provider(t, provider, settings, e.sim.WrongSecrets()).Test(ctx); !errors.Is(err, connector.ErrAuth) {
		t.Errorf("wrong secret: %v, want auth_failed", err)
	}
	e.sim.Tokens().RevokeAll()
	must(t, p.Schedules(ctx, func([]connector.Schedule) error { return nil }))
	e.sim.Faults().Inject429(1, time.Second)
	must(t, p.Robots(ctx, func([]connector.Robot) error { return nil }))
	e.sim.Faults().Inject5xx(1)
	must(t, p.Robots(ctx, func([]connector.Robot) error { return nil }))
}

// stopJob kills the first run drive started (folder 1001, Id 5000041)
// through StopJob, which the connector does not use, so the
// simulator's answer is checked too.
func stopJob(t *testing.T, e *specEnv, tokenPath, base string) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {uipathsim.ClientID}, "client_secret": {uipathsim.ClientSecret}}
	resp, err := http.PostForm(e.url+tokenPath, form)
	must(t, err)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	must(t, decodeBody(resp, &tok))
	req, _ := http.NewRequest(http.MethodPost, e.url+base+"odata/Jobs(5000041)/UiPath.Server.Configuration.OData.StopJob", strings.NewReader(`{"strategy":"Kill"}`))
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-UIPATH-OrganizationUnitId", "1001")
	resp, err = http.DefaultClient.Do(req)
	must(t, err)
	resp.Body.Close()
}

func assertSpec(t *testing.T, e *specEnv, extra ...string) {
	t.Helper()
	e.checker.Report()
	checked := e.checker.Checked()
	want := append([]string{
		"GET /odata/Folders", "GET /odata/Releases", "GET /odata/Releases({key})", "GET /odata/Jobs", "GET /odata/Jobs({key})",
		"POST /odata/Jobs/UiPath.Server.Configuration.OData.StartJobs", "GET /odata/ProcessSchedules", "GET /odata/Sessions",
	}, extra...)
	for _, op := range want {
		if checked[docKey.ReplaceAllString(op, "/{$1}")] == 0 {
			t.Errorf("%s was not exercised (checked: %v)", op, checked)
		}
	}
}
