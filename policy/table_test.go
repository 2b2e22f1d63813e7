package policy

import (
	"slices"
	"strings"
	"testing"
)

// parseCommentTable reads the "# permission  TA  C  AA  AU  CL" block: each
// x sits under its column's header.
func parseCommentTable(t *testing.T, csv string) map[string][]string {
	t.Helper()
	var header string
	out := map[string][]string{}
	cols := []string{"TA", "C", "AA", "AU", "CL"}
	for _, line := range strings.Split(csv, "\n") {
		if !strings.HasPrefix(line, "# ") {
			continue
		}
		body := strings.TrimPrefix(line, "# ")
		if strings.HasPrefix(body, "permission") {
			header = body
			continue
		}
		if header == "" || !strings.Contains(body, ":") || strings.HasPrefix(body, "Roles") || strings.HasPrefix(body, " ") {
			continue
		}
		perm := strings.Fields(body)[0]
		for i, col := range cols {
			pos := strings.Index(header, " "+col+" ")
			if col == "CL" {
				pos = strings.LastIndex(header, " CL")
			}
			if pos < 0 {
				t.Fatalf("header lacks %s", col)
			}
			if pos+1 < len(body) && body[pos+1] == 'x' {
				out[Roles[i]] = append(out[Roles[i]], perm)
			}
		}
	}
	for r := range out {
		slices.Sort(out[r])
	}
	return out
}
