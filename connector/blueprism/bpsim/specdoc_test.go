package bpsim_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"bureau/connector/simkit/spectest"
)

// loadSpec loads Blue Prism's 7.5.1 description with base as its server,
// after mending the published document's defects that keep kin-openapi
// from building a router or that no request could ever satisfy. None of
// them changes what a request or answer must look like:
//   - examples that contradict their schemas ("10" for an integer): dropped,
//     they are documentation only;
//   - WorkQueueItemSubscriptionCustomResponse.subscriptions written beside
//     "properties" instead of inside it: moved in;
//   - "nullable" on a query parameter object (resources' pagingToken):
//     dropped, it belongs to schemas;
//   - /workqueuegroups/{workQueueGroupId} clashing with
//     /workqueuegroups/{identifier}: the former (a work-queue-group DELETE
//     the simulator does not serve) dropped;
//   - two operations sharing the operationId stopSchedule: one renamed;
//   - RangeOrEqualFilter, BasicNumericFilter and the BadRequest answer are
//     oneOf over schemas that all accept any object, so startTime[gte]=…
//     and every 400 body matched "more than one"; anyOf is what the spec
//     means.
func loadSpec(t *testing.T, base string) *openapi3.T {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(spectest.Dir(t), "blue-prism", "openapi-7.5.1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	mend(doc)
	fixed, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "openapi-7.5.1-mended.json")
	if err := os.WriteFile(path, fixed, 0o600); err != nil {
		t.Fatal(err)
	}
	return spectest.Load(t, path, base)
}

func mend(doc map[string]any) {
	stripExamples(doc)
	schemas := obj(obj(doc, "components"), "schemas")
	sub := obj(schemas, "WorkQueueItemSubscriptionCustomResponse")
	obj(sub, "properties")["subscriptions"] = sub["subscriptions"]
	delete(sub, "subscriptions")
	for _, name := range []string{"RangeOrEqualFilter", "BasicNumericFilter"} {
		s := obj(schemas, name)
		s["anyOf"] = s["oneOf"]
		delete(s, "oneOf")
	}
	bad := obj(obj(obj(obj(obj(doc, "components"), "responses"), "BadRequest"), "content"), "application/json")
	badSchema := obj(bad, "schema")
	badSchema["anyOf"] = badSchema["oneOf"]
	delete(badSchema, "oneOf")
	paths := obj(doc, "paths")
	delete(paths, "/api/v7/workqueuegroups/{workQueueGroupId}")
	obj(obj(paths, "/api/v7/schedules/{scheduleId}/runs/active"), "delete")["operationId"] = "stopScheduleRuns"
}

func obj(m map[string]any, key string) map[string]any {
	v, _ := m[key].(map[string]any)
	return v
}

// stripExamples removes example/examples everywhere but inside a schema's
// properties (where a property may be called "example"), and "nullable"
// from parameter objects.
func stripExamples(v any) {
	switch x := v.(type) {
	case map[string]any:
		if _, isParam := x["in"]; isParam {
			delete(x, "nullable")
		}
		for k, c := range x {
			switch k {
			case "properties":
				for _, p := range c.(map[string]any) {
					stripExamples(p)
				}
			case "example", "examples":
				delete(x, k)
			default:
				stripExamples(c)
			}
		}
	case []any:
		for _, c := range x {
			stripExamples(c)
		}
	}
}
