// Package spectest checks a simulator against the vendor's published API
// description (../shared/vendor-specs) with kin-openapi: every request the
// simulator answers must be an operation of the spec, and every answer must
// match that operation's documented response. Test code only.
package spectest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Dir finds ../shared/vendor-specs beside the repository. When it is
// absent the test is skipped with a note, or fails under CI=true: CI
// always has it, so its absence there is a broken setup.
func Dir(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			specs := filepath.Join(filepath.Dir(dir), "shared", "vendor-specs")
			if _, err := os.Stat(specs); err == nil {
				return specs
			}
			msg := "vendor API descriptions not found at " + specs + ": simulator spec validation did not run"
			if os.Getenv("CI") == "true" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("spectest: no go.mod above " + wd)
		}
	}
}

// Load reads an OpenAPI 3 document, or a Swagger 2.0 one converted to 3,
// and points its servers at base (the simulator's URL with the path prefix
// the spec's operations hang under).
func Load(t testing.TB, path, base string) *openapi3.T {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc *openapi3.T
	if bytes.Contains(raw[:min(len(raw), 200)], []byte(`"swagger"`)) {
		var v2 openapi2.T
		if err := json.Unmarshal(raw, &v2); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if doc, err = openapi2conv.ToV3(&v2); err != nil {
			t.Fatalf("%s: convert to OpenAPI 3: %v", path, err)
		}
	} else {
		loader := openapi3.NewLoader()
		if doc, err = loader.LoadFromData(raw); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	doc.Servers = openapi3.Servers{{URL: strings.TrimRight(base, "/")}}
	return doc
}

// Checker wraps a simulator handler and validates every exchange.
type Checker struct {
	t       testing.TB
	docs    []*openapi3.T
	routers []routers.Router
	next    http.Handler
	// Skip, when set, exempts requests that are not part of the spec's
	// surface (e.g. the token endpoint described in another document).
	Skip func(r *http.Request) bool

	mu       sync.Mutex
	checked  map[string]int // "GET /odata/Jobs" → count
	failures []string
}

// New checks next against docs (tried in order: the first with a route
// for the request validates it).
func New(t testing.TB, next http.Handler, docs ...*openapi3.T) *Checker {
	t.Helper()
	c := &Checker{t: t, docs: docs, next: next, checked: map[string]int{}}
	for _, d := range docs {
		r, err := legacy.NewRouter(d)
		if err != nil {
			t.Fatalf("spectest router: %v", err)
		}
		c.routers = append(c.routers, r)
	}
	return c
}

func (c *Checker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if c.Skip != nil && c.Skip(r) {
		c.next.ServeHTTP(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	c.next.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
	c.check(r, body, rec)
}

func (c *Checker) check(r *http.Request, body []byte, rec *httptest.ResponseRecorder) {
	// The router matches against the full URL the spec's server names.
	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	vr := r.Clone(context.Background())
	vr.URL = &u
	vr.Body = io.NopCloser(bytes.NewReader(body))
	name := r.Method + " " + r.URL.Path
	for _, router := range c.routers {
		route, params, err := router.FindRoute(vr)
		if err != nil {
			continue
		}
		opts := &openapi3filter.Options{
			AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
			IncludeResponseStatus: true,
			MultiError:            true,
		}
		in := &openapi3filter.RequestValidationInput{Request: vr, PathParams: params, Route: route, Options: opts}
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			c.fail("%s: request does not match the spec: %v", name, err)
		}
		out := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
			Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())), Options: opts,
		}
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			c.fail("%s → %d: response does not match the spec: %v\nbody: %.400s", name, rec.Code, err, rec.Body.String())
		}
		c.mu.Lock()
		c.checked[route.Method+" "+route.Path]++
		c.mu.Unlock()
		return
	}
	c.fail("%s: not an operation of the spec", name)
}

func (c *Checker) fail(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failures = append(c.failures, fmt.Sprintf(format, args...))
}

// Failures returns every mismatch seen so far.
func (c *Checker) Failures() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.failures...)
}

// Checked returns the spec operations exercised, with counts.
func (c *Checker) Checked() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.checked))
	for k, v := range c.checked {
		out[k] = v
	}
	return out
}

// Report fails t with every mismatch.
func (c *Checker) Report() {
	c.t.Helper()
	for _, f := range c.Failures() {
		c.t.Error(f)
	}
}

// BaseURL joins a server URL and a path prefix.
func BaseURL(server, prefix string) string {
	u, err := url.JoinPath(server, prefix)
	if err != nil {
		return server + prefix
	}
	return u
}
