package pasim

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

var (
	recordPath = regexp.MustCompile(`^([A-Za-z]+)\(([^)]*)\)$`)
	actionPath = regexp.MustCompile(`^workflows\(([^)]*)\)/Microsoft\.Dynamics\.CRM\.RunDesktopFlow$`)
)

// dataverse routes an authenticated Web API request.
func (s *Sim) dataverse(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, apiPrefix)
	if m := actionPath.FindStringSubmatch(rest); m != nil {
		if allow(w, r, http.MethodPost) {
			s.runDesktopFlow(w, r, m[1])
		}
		return
	}
	if !allow(w, r, http.MethodGet) {
		return
	}
	if rest == "WhoAmI" || rest == "WhoAmI()" {
		s.whoAmI(w, r)
		return
	}
	if m := recordPath.FindStringSubmatch(rest); m != nil && tables[m[1]] != nil {
		s.retrieve(w, r, tables[m[1]], m[2])
		return
	}
	if t := tables[rest]; t != nil {
		s.retrieveMultiple(w, r, t)
		return
	}
	segment, _, _ := strings.Cut(rest, "/")
	dvError(w, http.StatusNotFound, codeSegment, fmt.Sprintf("Resource not found for the segment '%s'.", segment))
}

func allow(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method {
		return true
	}
	dvError(w, http.StatusMethodNotAllowed, codeQuery, fmt.Sprintf("The requested resource does not support http method '%s'.", r.Method))
	return false
}

func (s *Sim) whoAmI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context": origin(r) + apiPrefix + "$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse",
		"BusinessUnitId": s.unit, "UserId": s.user, "OrganizationId": s.org,
	})
}

type collection struct {
	Context  string           `json:"@odata.context"`
	Value    []map[string]any `json:"value"`
	NextLink string           `json:"@odata.nextLink,omitempty"`
}

// retrieveMultiple answers GET /{set}: filtered, sorted, one page.
func (s *Sim) retrieveMultiple(w http.ResponseWriter, r *http.Request, t *table) {
	q, err := parseQuery(r.URL.Query(), t)
	if err != nil {
		dvError(w, http.StatusBadRequest, codeQuery, err.Error())
		return
	}
	s.mu.Lock()
	rows := q.apply(t.rows(s, s.now()), t.key)
	s.mu.Unlock()
	size, asked := pageSize(r)
	start, number := 0, 1
	if q.skiptoken != "" {
		if start, number, err = resume(rows, q.skiptoken, t.key); err != nil {
			dvError(w, http.StatusBadRequest, codeQuery, err.Error())
			return
		}
	}
	end := min(start+size, len(rows))
	body := collection{Context: contextURL(r, t, q.selects, false), Value: []map[string]any{}}
	for _, row := range rows[start:end] {
		body.Value = append(body.Value, render(row, q.selects, t))
	}
	if end < len(rows) {
		body.NextLink = nextLink(r, skiptoken(t.key, rows[start:end], number))
	}
	if asked {
		w.Header().Set("Preference-Applied", "odata.maxpagesize="+strconv.Itoa(size))
	}
	writeJSON(w, http.StatusOK, body)
}

// retrieve answers GET /{set}({id}).
func (s *Sim) retrieve(w http.ResponseWriter, r *http.Request, t *table, id string) {
	if !guidPattern.MatchString(id) {
		dvError(w, http.StatusBadRequest, codeQuery, "Bad Request - Error in query syntax.") // assumption: wording
		return
	}
	q, err := parseQuery(r.URL.Query(), t)
	if err == nil && (len(q.filter) > 0 || len(q.orderby) > 0 || q.top > 0 || q.skiptoken != "") {
		err = fmt.Errorf("Only $select is supported when retrieving one %s.", t.entity)
	}
	if err != nil {
		dvError(w, http.StatusBadRequest, codeQuery, err.Error())
		return
	}
	s.mu.Lock()
	rows := t.rows(s, s.now())
	s.mu.Unlock()
	for _, row := range rows {
		if strings.EqualFold(row[t.key].(string), id) {
			body := render(row, q.selects, t)
			body["@odata.context"] = contextURL(r, t, q.selects, true)
			writeJSON(w, http.StatusOK, body)
			return
		}
	}
	dvError(w, http.StatusNotFound, codeNotFound, fmt.Sprintf("%s With Id = %s Does Not Exist", t.entity, strings.ToLower(id)))
}

// contextURL is the @odata.context annotation for a set or one record.
func contextURL(r *http.Request, t *table, selects []string, entity bool) string {
	c := origin(r) + apiPrefix + "$metadata#" + t.set
	if len(selects) > 0 {
		c += "(" + strings.Join(selects, ",") + ")"
	}
	if entity {
		c += "/$entity"
	}
	return c
}
