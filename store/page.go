package store

import "database/sql"

// ScanPage reads the rows of a page query run with LIMIT limit+1: at most
// limit items, each read by scan, and — when one more row came back — the
// cursor of the last item kept, from its sort key. It closes rows.
func ScanPage[T any](rows *sql.Rows, limit int, scan func(*sql.Rows) (T, error), key func(T) []string) ([]T, string, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		item, err := scan(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, item)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(out) <= limit {
		return out, "", nil
	}
	out = out[:limit]
	return out, EncodeCursor(key(out[limit-1])...), nil
}
