package aasim

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// record is one list item as the API returns it.
type record = map[string]any

// kind says how a field compares.
type kind int

const (
	text kind = iota
	number
	date
)

// schema lists the fields an endpoint filters and sorts on. Assumption:
// an unknown field is refused with 400, as a strict API would, rather
// than ignored.
type schema map[string]kind

// defaultLength is the Control Room's page length when none is given.
const defaultLength = 100

type listBody struct {
	Filter *node      `json:"filter"`
	Sort   []sortKey  `json:"sort"`
	Fields []string   `json:"fields"`
	Page   *pageParam `json:"page"`
}

type pageParam struct {
	Offset int `json:"offset"`
	Length int `json:"length"`
}

type sortKey struct {
	Field     string `json:"field"`
	Direction string `json:"direction"`
}

// node is a filter: {operator, field, value} or {operator, operands}.
type node struct {
	Operator string `json:"operator"`
	Field    string `json:"field"`
	Value    any    `json:"value"`
	Operands []node `json:"operands"`
}

// list answers a list request over records: filter, sort, then page, in
// the {page:{offset,total,totalFilter}, list} envelope.
func list(w http.ResponseWriter, r *http.Request, records []record, sch schema) {
	var body listBody
	if e := decodeBody(r, &body); e != nil {
		writeError(w, e)
		return
	}
	out, e := query(records, body, sch)
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func query(records []record, body listBody, sch schema) (map[string]any, *apiError) {
	if body.Filter != nil {
		if e := check(*body.Filter, sch); e != nil {
			return nil, e
		}
	}
	if e := checkSort(body.Sort, sch); e != nil {
		return nil, e
	}
	offset, length := 0, defaultLength
	if p := body.Page; p != nil {
		if p.Offset < 0 || p.Length < 0 {
			return nil, errorf(http.StatusBadRequest, "invalid.page", "Page offset and length must not be negative")
		}
		offset = p.Offset
		if p.Length > 0 {
			length = p.Length
		}
	}
	var matched []record
	for _, rec := range records {
		if body.Filter == nil || match(*body.Filter, rec, sch) {
			matched = append(matched, rec)
		}
	}
	sortRecords(matched, body.Sort, sch)
	from, to := min(offset, len(matched)), min(offset+length, len(matched))
	return map[string]any{
		"page": map[string]int{"offset": offset, "total": len(records), "totalFilter": len(matched)},
		"list": append([]record{}, matched[from:to]...),
	}, nil
}

func badFilter(format string, args ...any) *apiError {
	return errorf(http.StatusBadRequest, "invalid.filter", format, args...)
}

func check(n node, sch schema) *apiError {
	switch op := strings.ToLower(n.Operator); op {
	case "":
		if n.Field != "" || len(n.Operands) > 0 {
			return badFilter("Filter operator is required")
		}
		return nil // {} is no filter
	case "and", "or", "not":
		if op == "not" && len(n.Operands) != 1 {
			return badFilter("Operator 'not' needs exactly one operand")
		}
		if len(n.Operands) == 0 {
			return badFilter("Operator '%s' needs operands", op)
		}
		for _, o := range n.Operands {
			if e := check(o, sch); e != nil {
				return e
			}
		}
		return nil
	case "eq", "ne", "lt", "le", "gt", "ge", "substring":
		k, ok := sch[n.Field]
		if !ok {
			return badFilter("Field '%s' cannot be used in a filter", n.Field)
		}
		v, ok := scalar(n.Value)
		if !ok {
			return badFilter("Filter on '%s' needs a value", n.Field)
		}
		if op != "substring" && !parses(k, v) {
			return badFilter("Value '%s' is not valid for field '%s'", v, n.Field)
		}
		return nil
	default:
		return badFilter("Unknown filter operator '%s'", n.Operator)
	}
}

func checkSort(keys []sortKey, sch schema) *apiError {
	for _, k := range keys {
		if _, ok := sch[k.Field]; !ok {
			return errorf(http.StatusBadRequest, "invalid.sort", "Field '%s' cannot be used to sort", k.Field)
		}
		if d := strings.ToLower(k.Direction); d != "asc" && d != "desc" {
			return errorf(http.StatusBadRequest, "invalid.sort", "Sort direction must be asc or desc")
		}
	}
	return nil
}

func match(n node, rec record, sch schema) bool {
	switch op := strings.ToLower(n.Operator); op {
	case "":
		return true
	case "and":
		for _, o := range n.Operands {
			if !match(o, rec, sch) {
				return false
			}
		}
		return true
	case "or":
		for _, o := range n.Operands {
			if match(o, rec, sch) {
				return true
			}
		}
		return false
	case "not":
		return !match(n.Operands[0], rec, sch)
	default:
		want, _ := scalar(n.Value)
		got, ok := scalar(rec[n.Field])
		if !ok {
			return op == "ne" // a missing value equals nothing
		}
		if op == "substring" {
			return strings.Contains(strings.ToLower(got), strings.ToLower(want))
		}
		c, ok := compare(sch[n.Field], got, want)
		return ok && holds(op, c)
	}
}

func holds(op string, c int) bool {
	switch op {
	case "eq":
		return c == 0
	case "ne":
		return c != 0
	case "lt":
		return c < 0
	case "le":
		return c <= 0
	case "gt":
		return c > 0
	default: // ge
		return c >= 0
	}
}

// sortRecords orders by the requested keys, then by id ascending so
// pages stay stable; with no keys, by id descending, the documented
// default.
func sortRecords(recs []record, keys []sortKey, sch schema) {
	if len(keys) == 0 {
		keys = []sortKey{{Field: "id", Direction: "desc"}}
	}
	keys = append(slices.Clone(keys), sortKey{Field: "id", Direction: "asc"})
	slices.SortStableFunc(recs, func(a, b record) int {
		for _, k := range keys {
			c := compareField(sch[k.Field], a[k.Field], b[k.Field])
			if strings.EqualFold(k.Direction, "desc") {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
}

// compareField puts missing values first.
func compareField(k kind, a, b any) int {
	x, okA := scalar(a)
	y, okB := scalar(b)
	if !okA || !okB {
		return cmp.Compare(boolInt(okA), boolInt(okB))
	}
	if c, ok := compare(k, x, y); ok {
		return c
	}
	return strings.Compare(x, y)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func compare(k kind, a, b string) (int, bool) {
	switch k {
	case number:
		x, err1 := strconv.ParseFloat(a, 64)
		y, err2 := strconv.ParseFloat(b, 64)
		return cmp.Compare(x, y), err1 == nil && err2 == nil
	case date:
		x, err1 := time.Parse(time.RFC3339Nano, a)
		y, err2 := time.Parse(time.RFC3339Nano, b)
		return x.Compare(y), err1 == nil && err2 == nil
	default:
		return strings.Compare(a, b), true
	}
}

func parses(k kind, v string) bool {
	_, ok := compare(k, v, v)
	return ok
}

// scalar is a JSON value as the text it compares by; false for a missing
// or null value, or an object.
func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case int:
		return strconv.Itoa(x), true
	case bool:
		return strconv.FormatBool(x), true
	default:
		return "", false
	}
}
