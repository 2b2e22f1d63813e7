package bpsim

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Page sizes. The spec only says itemsPerPage ≥ 1; the default and the cap
// are assumptions.
const (
	defaultItemsPerPage = 10
	maxItemsPerPage     = 1000
)

// badQuery is a query parameter the API refuses (400 UrlParameterError).
type badQuery struct{ param, detail string }

func (e badQuery) Error() string { return e.param + ": " + e.detail }

func answerBadQuery(w http.ResponseWriter, err error) {
	if b, ok := err.(badQuery); ok {
		badParameter(w, fmt.Sprintf("The value supplied for '%s' is invalid.", b.param), b.detail)
		return
	}
	badParameter(w, "The request is invalid.", err.Error())
}

// pageToken is the opaque paging token: where the next page starts and a
// fingerprint of the filters it was issued for, so a token is not reused
// with other filters.
type pageToken struct {
	Offset int    `json:"o"`
	Filter string `json:"f"`
}

// fingerprint hashes the values of the parameters that shape a list.
// Unknown parameters are not part of it: the API ignores them.
func fingerprint(q url.Values, known []string) string {
	h := sha256.New()
	for _, k := range known {
		fmt.Fprintf(h, "%s=%s\n", k, strings.Join(q[k], ","))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// pageOf answers items[offset:offset+n] of a list with the next token.
func pageOf[T any](q url.Values, filter string, items []T) (map[string]any, error) {
	n, err := itemsPerPage(q)
	if err != nil {
		return nil, err
	}
	offset := 0
	if raw := q.Get("pagingToken"); raw != "" {
		if offset, err = readToken(raw, filter); err != nil {
			return nil, err
		}
	}
	offset = min(offset, len(items))
	end := min(offset+n, len(items))
	page := items[offset:end]
	if page == nil {
		page = []T{} // an empty list, never null
	}
	out := map[string]any{"items": page}
	// The last page carries no token. The real API may send null; the
	// 7.5.1 spec declares the token a non-nullable string, so it is left out.
	if end < len(items) {
		out["pagingToken"] = writeToken(pageToken{Offset: end, Filter: filter})
	}
	return out, nil
}

func itemsPerPage(q url.Values) (int, error) {
	raw := q.Get("itemsPerPage")
	if raw == "" {
		return defaultItemsPerPage, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, badQuery{"itemsPerPage", "itemsPerPage must be a whole number of at least 1."}
	}
	return min(n, maxItemsPerPage), nil
}

func writeToken(t pageToken) string {
	b, _ := json.Marshal(t)
	return base64.StdEncoding.EncodeToString(b)
}

func readToken(raw, filter string) (int, error) {
	var t pageToken
	b, err := base64.StdEncoding.DecodeString(raw)
	if err == nil {
		err = json.Unmarshal(b, &t)
	}
	switch {
	case err != nil || t.Offset < 0:
		return 0, badQuery{"pagingToken", "The paging token is not valid."}
	case t.Filter != filter:
		return 0, badQuery{"pagingToken", "The paging token does not match the filters of this request."}
	}
	return t.Offset, nil
}

// stringFilter reads a BasicStringFilter (name[eq], [strtw], [gte],
// [lte]). SQL Server compares without case, so does this.
func stringFilter(q url.Values, name string) func(string) bool {
	eq, strtw := q.Get(name+"[eq]"), q.Get(name+"[strtw]")
	gte, lte := q.Get(name+"[gte]"), q.Get(name+"[lte]")
	return func(v string) bool {
		lv := strings.ToLower(v)
		return (eq == "" || strings.EqualFold(v, eq)) &&
			(strtw == "" || strings.HasPrefix(lv, strings.ToLower(strtw))) &&
			(gte == "" || lv >= strings.ToLower(gte)) &&
			(lte == "" || lv <= strings.ToLower(lte))
	}
}

// timeFilter reads a RangeOrEqualFilter on a date-time (name[eq], [gte],
// [lte]). A missing time matches no bound.
func timeFilter(q url.Values, name string) (func(time.Time) bool, error) {
	var bounds [3]time.Time
	for i, op := range []string{"eq", "gte", "lte"} {
		raw := q.Get(name + "[" + op + "]")
		if raw == "" {
			continue
		}
		t, err := parseTime(raw)
		if err != nil {
			return nil, badQuery{name + "[" + op + "]", "Expected an ISO 8601 date and time, got '" + raw + "'."}
		}
		bounds[i] = t
	}
	eq, gte, lte := bounds[0], bounds[1], bounds[2]
	return func(t time.Time) bool {
		if eq.IsZero() && gte.IsZero() && lte.IsZero() {
			return true
		}
		return !t.IsZero() &&
			(eq.IsZero() || t.Equal(eq)) &&
			(gte.IsZero() || !t.Before(gte)) &&
			(lte.IsZero() || !t.After(lte))
	}, nil
}

func parseTime(raw string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, raw); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02T15:04:05", raw) // no offset: UTC
}

// listFilter reads a comma-separated enum list (form style, explode
// false); empty means no filter.
func listFilter(q url.Values, name string, allowed []string) (func(string) bool, error) {
	raw := q.Get(name)
	if raw == "" {
		return func(string) bool { return true }, nil
	}
	var want []string
	for _, v := range strings.Split(raw, ",") {
		i := slices.IndexFunc(allowed, func(a string) bool { return strings.EqualFold(a, strings.TrimSpace(v)) })
		if i < 0 {
			return nil, badQuery{name, fmt.Sprintf("'%s' is not one of %s.", v, strings.Join(allowed, ", "))}
		}
		want = append(want, allowed[i])
	}
	return func(v string) bool { return slices.Contains(want, v) }, nil
}

// sortOrder reads sortBy against the values a list accepts.
func sortOrder(q url.Values, def string, allowed []string) (string, error) {
	v := q.Get("sortBy")
	if v == "" {
		return def, nil
	}
	if !slices.Contains(allowed, v) {
		return "", badQuery{"sortBy", fmt.Sprintf("'%s' is not one of %s.", v, strings.Join(allowed, ", "))}
	}
	return v, nil
}

// filterParams lists every deepObject key of the named filters, for
// fingerprints.
func filterParams(names []string, plain ...string) []string {
	out := append([]string(nil), plain...)
	for _, n := range names {
		for _, op := range []string{"eq", "strtw", "gte", "lte"} {
			out = append(out, n+"["+op+"]")
		}
	}
	return out
}
