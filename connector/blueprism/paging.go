package blueprism

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"bureau/connector"
)

// page is the envelope of every Blue Prism list: the items and an opaque
// token for the next page, null or absent on the last one.
type page struct {
	Items       []json.RawMessage `json:"items"`
	PagingToken *string           `json:"pagingToken"`
}

// get reads path (below /api/v7) with query q into out.
func (c *Client) get(ctx context.Context, op, path string, q url.Values, out any) error {
	u := connector.JoinURL(c.apiURL, path)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	_, err := c.call.Do(ctx, connector.Request{Op: op, Method: http.MethodGet, URL: u}, out)
	return err
}

// eachPage walks a token-paged list, calling fn once per page with the
// page's raw items.
func (c *Client) eachPage(ctx context.Context, op, path string, q url.Values, fn func([]json.RawMessage) error) error {
	q = cloneValues(q)
	q.Set("itemsPerPage", strconv.Itoa(c.pageSize()))
	seen := map[string]bool{}
	for {
		var p page
		if err := c.get(ctx, op, path, q, &p); err != nil {
			return err
		}
		if err := fn(p.Items); err != nil {
			return err
		}
		if p.PagingToken == nil || *p.PagingToken == "" {
			return nil
		}
		if seen[*p.PagingToken] {
			return connector.Errorf(connector.KindUnavailable, op, "the server repeated a paging token; stopping to avoid a loop")
		}
		seen[*p.PagingToken] = true
		q.Set("pagingToken", *p.PagingToken)
	}
}

// decodeEach turns raw items into records, keeping each item's JSON.
func decodeEach[V any, R any](op string, items []json.RawMessage, conv func(V, json.RawMessage) R) ([]R, error) {
	out := make([]R, 0, len(items))
	for _, raw := range items {
		var v V
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, connector.Errorf(connector.KindUnavailable, op, "unexpected item in the answer: %v", err)
		}
		out = append(out, conv(v, raw))
	}
	return out, nil
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}
