package store

import (
	"database/sql"
	"testing"
)

func TestScanPage(t *testing.T) {
	db := open(t)
	page := func(limit int) ([]string, string) {
		t.Helper()
		rows, err := db.R.Query(`SELECT value FROM json_each('["a","b","c"]') ORDER BY value LIMIT ?`, limit+1)
		if err != nil {
			t.Fatal(err)
		}
		out, next, err := ScanPage(rows, limit, func(r *sql.Rows) (string, error) {
			var v string
			return v, r.Scan(&v)
		}, func(v string) []string { return []string{v} })
		if err != nil {
			t.Fatal(err)
		}
		return out, next
	}
	if out, next := page(2); len(out) != 2 || out[1] != "b" || next != EncodeCursor("b") {
		t.Fatalf("a page of 2 of 3: %v %q", out, next)
	}
	if out, next := page(3); len(out) != 3 || next != "" {
		t.Fatalf("the last page: %v %q", out, next)
	}
}
