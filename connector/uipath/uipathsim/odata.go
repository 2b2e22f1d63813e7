package uipathsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxTop is Orchestrator's largest $top.
const maxTop = 1000

type kind int

const (
	kTime kind = iota + 1
	kString
	kEnum
	kInt
	kBool
)

var edmNames = map[kind]string{kTime: "Edm.DateTimeOffset", kString: "Edm.String", kEnum: "Enum", kInt: "Edm.Int64", kBool: "Edm.Boolean"}
var litEdm = map[litKind]string{litTime: "Edm.DateTimeOffset", litString: "Edm.String", litEnum: "Enum", litInt: "Edm.Int64", litBool: "Edm.Boolean"}

// value is one property of one row; null for a missing time or number.
type value struct {
	t    time.Time
	s    string
	n    int64
	b    bool
	null bool
}

func timeValue(t time.Time) value {
	if t.IsZero() {
		return value{null: true}
	}
	return value{t: t}
}

type field[T any] struct {
	kind kind
	get  func(T) value
}

// schema is what $filter, $orderby and $expand may name on an entity set.
type schema[T any] struct {
	typeName string // for error messages, as OData names the type
	fields   map[string]field[T]
	navs     []string
	// natural are the fields the rows are already sorted by, ascending.
	natural []string
}

type order struct {
	prop string
	desc bool
}

type query[T any] struct {
	ast    *node
	filter func(T) bool
	order  []order
	top    int
	skip   int
	count  bool
	expand map[string]bool
	sel    []string
}

// queryError is a 400 ErrorResult for invalid query options.
type queryError struct{ msg string }

func (e queryError) Error() string { return e.msg }

var queryOptions = []string{"$filter", "$orderby", "$top", "$skip", "$count", "$expand", "$select"}

func parseQuery[T any](v url.Values, sc schema[T]) (query[T], error) {
	q := query[T]{top: maxTop, expand: map[string]bool{}}
	for k := range v {
		if strings.HasPrefix(k, "$") && !slices.Contains(queryOptions, k) {
			return q, queryError{fmt.Sprintf("The query parameter '%s' is not supported.", k)}
		}
	}
	var err error
	if s := v.Get("$top"); s != "" {
		if q.top, err = nonNegative("$top", s); err != nil {
			return q, err
		}
		if q.top > maxTop {
			return q, queryError{fmt.Sprintf("The limit of '%d' for Top query has been exceeded. The value from the incoming request is '%d'.", maxTop, q.top)}
		}
	}
	if s := v.Get("$skip"); s != "" {
		if q.skip, err = nonNegative("$skip", s); err != nil {
			return q, err
		}
	}
	switch v.Get("$count") {
	case "", "false":
	case "true":
		q.count = true
	default:
		return q, queryError{"'" + v.Get("$count") + "' is not a valid count option."}
	}
	if s := v.Get("$filter"); s != "" {
		if q.ast, err = parseFilter(s); err != nil {
			return q, queryError{err.Error()}
		}
		if q.filter, err = compile(q.ast, sc); err != nil {
			return q, err
		}
	}
	if q.order, err = parseOrder(v.Get("$orderby"), sc); err != nil {
		return q, err
	}
	if err := q.parseExpand(v.Get("$expand"), sc); err != nil {
		return q, err
	}
	for _, p := range splitList(v.Get("$select")) {
		q.sel = append(q.sel, p)
	}
	return q, nil
}

func nonNegative(name, s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, queryError{fmt.Sprintf("Invalid value '%s' for %s query option found.", s, name)}
	}
	return n, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func noProperty(name, typeName string) error {
	return queryError{fmt.Sprintf("The query specified in the URI is not valid. Could not find a property named '%s' on type '%s'.", name, typeName)}
}

func (q *query[T]) parseExpand(s string, sc schema[T]) error {
	for _, p := range splitList(s) {
		name, _, _ := strings.Cut(p, "(") // nested options are accepted and ignored
		if !slices.Contains(sc.navs, name) {
			return noProperty(name, sc.typeName)
		}
		q.expand[name] = true
	}
	return nil
}

func parseOrder[T any](s string, sc schema[T]) ([]order, error) {
	items := splitList(s)
	if len(items) > 5 {
		return nil, queryError{"The number of clauses in $orderby query option exceeded the maximum number 5 allowed."}
	}
	var out []order
	for _, it := range items {
		f := strings.Fields(it)
		if len(f) > 2 || (len(f) == 2 && f[1] != "asc" && f[1] != "desc") {
			return nil, queryError{fmt.Sprintf("The query specified in the URI is not valid. Syntax error in '$orderby=%s'.", s)}
		}
		if _, ok := sc.fields[f[0]]; !ok {
			return nil, noProperty(f[0], sc.typeName)
		}
		out = append(out, order{prop: f[0], desc: len(f) == 2 && f[1] == "desc"})
	}
	return out, nil
}

// apply filters, orders and pages rows; count is the number matching.
func apply[T any](rows []T, q query[T], sc schema[T]) (page []T, count int) {
	matched := rows
	if q.filter != nil {
		matched = nil
		for _, r := range rows {
			if q.filter(r) {
				matched = append(matched, r)
			}
		}
	}
	if !naturalOrder(q.order, sc) {
		if q.filter == nil {
			matched = slices.Clone(matched)
		}
		slices.SortStableFunc(matched, func(a, b T) int {
			for _, o := range q.order {
				f := sc.fields[o.prop]
				c := compareValues(f.kind, f.get(a), f.get(b))
				if o.desc {
					c = -c
				}
				if c != 0 {
					return c
				}
			}
			return 0
		})
	}
	count = len(matched)
	start := min(q.skip, count)
	end := min(start+q.top, count)
	return matched[start:end], count
}

func naturalOrder[T any](o []order, sc schema[T]) bool {
	return len(o) == 0 || (len(o) == 1 && !o[0].desc && slices.Contains(sc.natural, o[0].prop))
}

// envelope is OData's collection answer.
type envelope struct {
	Context string `json:"@odata.context"`
	Count   *int   `json:"@odata.count,omitempty"`
	Value   []any  `json:"value"`
}

func (s *Sim) writeCollection(w http.ResponseWriter, r *http.Request, set string, items []any, count int, withCount bool, sel []string, expand map[string]bool) {
	env := envelope{Context: s.metadataURL(r) + "#" + set, Value: items}
	if withCount {
		env.Count = &count
	}
	if len(sel) > 0 {
		for i, it := range items {
			env.Value[i] = project(it, sel, expand)
		}
	}
	if env.Value == nil {
		env.Value = []any{}
	}
	writeJSON(w, http.StatusOK, env)
}

// project keeps the $select-ed properties and the expanded navigations.
func project(item any, sel []string, expand map[string]bool) any {
	raw, _ := json.Marshal(item)
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return item
	}
	out := map[string]json.RawMessage{}
	for k, v := range m {
		if slices.Contains(sel, k) || expand[k] {
			out[k] = v
		}
	}
	return out
}

func (s *Sim) metadataURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	base := scheme + "://" + r.Host + "/"
	if s.mode == cloud {
		base += Organization + "/" + s.tenant + "/orchestrator_/"
	}
	return base + "odata/$metadata"
}

// odataTime renders times as Orchestrator does: UTC, milliseconds, Z.
type odataTime time.Time

func (t odataTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format("2006-01-02T15:04:05.000Z") + `"`), nil
}

// ts is a nullable time: absent when zero. The real server writes null;
// the published schemas do not allow null, and readers treat both alike.
func ts(t time.Time) *odataTime {
	if t.IsZero() {
		return nil
	}
	v := odataTime(t)
	return &v
}
