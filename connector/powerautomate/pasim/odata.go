package pasim

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// odataQuery is the subset of OData system query options the simulator
// understands.
type odataQuery struct {
	selects   []string
	filter    []cond
	orderby   []order
	top       int
	skiptoken string
}

type cond struct {
	col, op string
	val     any
}

type order struct {
	col  string
	desc bool
}

var allowedOptions = map[string]bool{"$select": true, "$filter": true, "$orderby": true, "$top": true, "$skiptoken": true}

// parseQuery reads and checks the query options against t's columns.
func parseQuery(v url.Values, t *table) (odataQuery, error) {
	var q odataQuery
	for name, vals := range v {
		if !strings.HasPrefix(name, "$") {
			continue
		}
		if name == "$skip" {
			// Dataverse pages only through $skiptoken (assumption: wording).
			return q, fmt.Errorf("The query parameter $skip is not supported.")
		}
		if !allowedOptions[name] {
			return q, fmt.Errorf("The query parameter %s is not supported.", name)
		}
		if len(vals) > 1 {
			return q, fmt.Errorf("Query option '%s' was specified more than once, but it must be specified at most once.", name)
		}
	}
	var err error
	if s := v.Get("$select"); s != "" {
		if q.selects, err = parseSelect(s, t); err != nil {
			return q, err
		}
	}
	if f := v.Get("$filter"); f != "" {
		if q.filter, err = parseFilter(f, t); err != nil {
			return q, err
		}
	}
	if o := v.Get("$orderby"); o != "" {
		if q.orderby, err = parseOrderBy(o, t); err != nil {
			return q, err
		}
	}
	if top := v.Get("$top"); top != "" {
		if q.top, err = strconv.Atoi(top); err != nil || q.top < 0 {
			return q, fmt.Errorf("Invalid value '%s' for $top query option found.", top)
		}
	}
	q.skiptoken = v.Get("$skiptoken")
	return q, nil
}

func noProperty(col string, t *table) error {
	return fmt.Errorf("Could not find a property named '%s' on type 'Microsoft.Dynamics.CRM.%s'.", col, t.entity)
}

func parseSelect(s string, t *table) ([]string, error) {
	cols := strings.Split(s, ",")
	for i, c := range cols {
		cols[i] = strings.TrimSpace(c)
		if _, ok := t.cols[cols[i]]; !ok {
			return nil, noProperty(cols[i], t)
		}
	}
	return cols, nil
}

func parseOrderBy(s string, t *table) ([]order, error) {
	var out []order
	for _, part := range strings.Split(s, ",") {
		f := strings.Fields(part)
		if len(f) == 0 || len(f) > 2 || (len(f) == 2 && f[1] != "asc" && f[1] != "desc") {
			return nil, fmt.Errorf("Syntax error in $orderby: '%s'.", s)
		}
		if _, ok := t.cols[f[0]]; !ok {
			return nil, noProperty(f[0], t)
		}
		out = append(out, order{col: f[0], desc: len(f) == 2 && f[1] == "desc"})
	}
	return out, nil
}

var operatorKinds = map[string]string{
	"eq": "Equal", "ne": "NotEqual", "gt": "GreaterThan", "ge": "GreaterThanOrEqual", "lt": "LessThan", "le": "LessThanOrEqual",
}

// parseFilter reads comparisons joined by "and": the subset Bureau needs.
// Parentheses, "or", "not" and functions are refused rather than
// misread (the real service accepts them).
func parseFilter(s string, t *table) ([]cond, error) {
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	if len(toks)%4 != 3 {
		return nil, fmt.Errorf("Syntax error at position %d in '%s'.", len(s), s)
	}
	var out []cond
	for i := 0; i < len(toks); i += 4 {
		if i > 0 && toks[i-1] != "and" {
			return nil, fmt.Errorf("Syntax error: '%s' is not supported in '%s'.", toks[i-1], s)
		}
		c, err := parseCond(toks[i], toks[i+1], toks[i+2], t)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func parseCond(col, op, lit string, t *table) (cond, error) {
	k, ok := t.cols[col]
	if !ok {
		return cond{}, noProperty(col, t)
	}
	if _, ok := operatorKinds[op]; !ok {
		return cond{}, fmt.Errorf("Syntax error: '%s' is not a comparison operator.", op)
	}
	if lit == "null" {
		if op != "eq" && op != "ne" {
			return cond{}, fmt.Errorf("The operator '%s' cannot compare with null.", op)
		}
		return cond{col: col, op: op}, nil
	}
	litKind, val, known := literal(lit)
	if !known {
		return cond{}, noProperty(lit, t) // an unquoted word is read as a property
	}
	if litKind != k {
		return cond{}, fmt.Errorf("A binary operator with incompatible types was detected. Found operand types '%s' and '%s' for operator kind '%s'.",
			edmNames[k], edmNames[litKind], operatorKinds[op])
	}
	return cond{col: col, op: op, val: val}, nil
}

var guidPattern = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)

// literal types a filter literal; tokenize marks string literals with a
// leading quote.
func literal(lit string) (kind, any, bool) {
	if strings.HasPrefix(lit, "'") {
		return kString, lit[1:], true
	}
	if n, err := strconv.Atoi(lit); err == nil {
		return kInt, n, true
	}
	if guidPattern.MatchString(lit) {
		return kGUID, strings.ToLower(lit), true
	}
	if t, err := time.Parse(time.RFC3339Nano, lit); err == nil {
		return kTime, t.UTC(), true
	}
	return 0, nil, false
}

// tokenize splits a filter on spaces, keeping 'quoted strings' (with ”
// escapes) whole, returned with one leading quote as a marker.
func tokenize(s string) ([]string, error) {
	var out []string
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ':
			i++
		case c == '(' || c == ')':
			return nil, fmt.Errorf("Syntax error: parentheses and functions are not supported in '%s'.", s)
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for ; ; j++ {
				if j >= len(s) {
					return nil, fmt.Errorf("There is an unterminated string literal at position %d in '%s'.", i, s)
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j++
						continue
					}
					break
				}
				b.WriteByte(s[j])
			}
			out = append(out, "'"+b.String())
			i = j + 1
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '(' && s[j] != ')' {
				j++
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out, nil
}

// matches applies the filter to one row.
func (q odataQuery) matches(r row) bool {
	for _, c := range q.filter {
		v := r[c.col]
		if c.val == nil || v == nil {
			// OData: null equals only null and orders with nothing.
			same := c.val == nil && v == nil
			if (c.op != "eq" && c.op != "ne") || (c.op == "eq") != same {
				return false
			}
			continue
		}
		n := compare(v, c.val)
		ok := map[string]bool{"eq": n == 0, "ne": n != 0, "gt": n > 0, "ge": n >= 0, "lt": n < 0, "le": n <= 0}[c.op]
		if !ok {
			return false
		}
	}
	return true
}

// compare orders two values of one column; text compares without case,
// as Dataverse's collation does. nil sorts first.
func compare(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	switch x := a.(type) {
	case int:
		return x - b.(int)
	case time.Time:
		return x.Compare(b.(time.Time))
	case string:
		return strings.Compare(strings.ToLower(x), strings.ToLower(b.(string)))
	}
	return 0
}

// apply filters and sorts rows: by $orderby, then by primary key, which
// is also Dataverse's order when none is asked.
func (q odataQuery) apply(rows []row, key string) []row {
	out := slices.DeleteFunc(rows, func(r row) bool { return !q.matches(r) })
	slices.SortStableFunc(out, func(a, b row) int {
		for _, o := range q.orderby {
			if n := compare(a[o.col], b[o.col]); n != 0 {
				if o.desc {
					return -n
				}
				return n
			}
		}
		return compare(a[key], b[key])
	})
	if q.top > 0 && len(out) > q.top {
		out = out[:q.top]
	}
	return out
}

// render shapes a row for the response: the selected columns (all when
// none), always the primary key and an etag; times in ISO 8601 UTC.
func render(r row, selects []string, t *table) map[string]any {
	out := map[string]any{"@odata.etag": fmt.Sprintf(`W/"%d"`, r["modifiedon"].(time.Time).Unix()%100000000)}
	cols := selects
	if len(cols) == 0 {
		for c := range t.cols {
			cols = append(cols, c)
		}
	}
	for _, c := range append(cols, t.key) {
		v := r[c]
		if tm, ok := v.(time.Time); ok {
			v = tm.Format("2006-01-02T15:04:05Z")
		}
		out[c] = v
	}
	return out
}
