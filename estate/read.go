package estate

import (
	"database/sql"
	"strings"
	"time"

	"bureau/apperr"
	"bureau/store"
)

// Page asks for one page of a list: at most Limit rows after Cursor.
type Page struct {
	Limit  int
	Cursor string
}

// limit is the page size, defaulted and capped, so a caller cannot ask the
// database for an unbounded page.
func (p Page) limit() int {
	switch {
	case p.Limit <= 0:
		return 50
	case p.Limit > 500:
		return 500
	}
	return p.Limit
}

// cursorKey unpacks p's cursor into n parts; nil for the first page.
func (p Page) cursorKey(n int) ([]string, error) {
	if p.Cursor == "" {
		return nil, nil
	}
	key, err := store.DecodeCursor(p.Cursor, n)
	if err != nil {
		return nil, apperr.New(apperr.KindBadRequest, "cursor_invalid", "The cursor is not one this server made; start from the first page.")
	}
	return key, nil
}

// filterInvalid is the 400 for a query parameter the lists cannot use.
func filterInvalid(field, message string) error {
	e := apperr.New(apperr.KindBadRequest, "filter_invalid", message)
	e.Fields = []apperr.FieldError{{Field: field, Code: "filter_invalid", Message: message}}
	return e
}

// timeOf reads a stored time column; NULL or empty is nil.
func timeOf(s sql.NullString) *time.Time {
	if !s.Valid || s.String == "" {
		return nil
	}
	t := store.MustTime(s.String)
	return &t
}

// likePattern matches q anywhere, with LIKE's wildcards in q taken literally
// (used with ESCAPE '\').
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(q) + "%"
}

// inTenant holds when the account (first argument) belongs to the tenant
// (second). It is evaluated once per query, not per row: jobs are scoped by
// their account_id (ids are unique across tenants), so the covering indexes
// on (account_id, created_at, …) answer without reading each job's row,
// while the tenant is still checked in SQL.
const inTenant = "EXISTS (SELECT 1 FROM accounts ta WHERE ta.id = ? AND ta.tenant_id = ?)"

// day is the length the 24 h and n-day windows are counted in.
const day = 24 * time.Hour
