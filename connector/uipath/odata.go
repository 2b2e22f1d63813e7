package uipath

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"bureau/connector"
)

// maxTop is Orchestrator's largest $top.
const maxTop = 1000

// encodeQuery writes OData options with their $ intact and spaces as %20:
// '+' for a space is a form convention OData parsers need not honour.
func encodeQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(k + "=" + strings.ReplaceAll(url.QueryEscape(v), "+", "%20"))
		}
	}
	return b.String()
}

// folderHeader is the folder context of a folder-scoped call; 0 means none.
func folderHeader(folderID int64) http.Header {
	h := http.Header{}
	if folderID != 0 {
		h.Set("X-UIPATH-OrganizationUnitId", strconv.FormatInt(folderID, 10))
	}
	return h
}

func (c *client) get(ctx context.Context, op string, folderID int64, path string, q url.Values, out any) error {
	u := c.set.base + path
	if len(q) > 0 {
		u += "?" + encodeQuery(q)
	}
	_, err := c.call.Do(ctx, connector.Request{Op: op, Method: http.MethodGet, URL: u, Header: folderHeader(folderID)}, out)
	return err
}

type collection struct {
	Count *int              `json:"@odata.count"`
	Value []json.RawMessage `json:"value"`
}

// list pages through a collection with $top/$skip, calling fn once per
// non-empty page. Ordering by Id keeps pages stable while new rows arrive.
func (c *client) list(ctx context.Context, op string, folderID int64, path string, q url.Values, fn func([]json.RawMessage) error) error {
	q.Set("$top", strconv.Itoa(c.pageSize))
	q.Set("$count", "true")
	if q.Get("$orderby") == "" {
		q.Set("$orderby", "Id asc")
	}
	for skip := 0; ; skip += c.pageSize {
		q.Set("$skip", strconv.Itoa(skip))
		var page collection
		if err := c.get(ctx, op, folderID, path, q, &page); err != nil {
			return err
		}
		if len(page.Value) > 0 {
			if err := fn(page.Value); err != nil {
				return err
			}
		}
		seen := skip + len(page.Value)
		if len(page.Value) < c.pageSize || (page.Count != nil && seen >= *page.Count) {
			return nil
		}
	}
}

// decodeAll decodes each raw row into T and maps it, keeping the raw row.
func decodeAll[T, R any](op string, rows []json.RawMessage, conv func(T, json.RawMessage) R) ([]R, error) {
	out := make([]R, 0, len(rows))
	for _, raw := range rows {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, &connector.Error{Kind: connector.KindUnavailable, Op: op, Message: "the answer is not the expected JSON: " + err.Error(), Err: err}
		}
		out = append(out, conv(v, raw))
	}
	return out, nil
}

// eachFolder calls fn for every folder the account syncs: all it can see,
// or those under the configured paths.
func (c *client) eachFolder(ctx context.Context, fn func(folderDTO) error) error {
	return c.list(ctx, "list folders", 0, "odata/Folders", url.Values{}, func(rows []json.RawMessage) error {
		folders, err := decodeAll("list folders", rows, func(f folderDTO, _ json.RawMessage) folderDTO { return f })
		if err != nil {
			return err
		}
		for _, f := range folders {
			if !c.wanted(f.FullyQualifiedName) {
				continue
			}
			if err := fn(f); err != nil {
				return err
			}
		}
		return nil
	})
}

// wanted reports whether a folder is one of the configured paths or below one.
func (c *client) wanted(path string) bool {
	if len(c.set.folders) == 0 {
		return true
	}
	for _, p := range c.set.folders {
		if strings.EqualFold(path, p) || (len(path) > len(p) && strings.EqualFold(path[:len(p)+1], p+"/")) {
			return true
		}
	}
	return false
}
