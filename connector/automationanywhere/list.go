package automationanywhere

import (
	"context"
	"encoding/json"
	"strconv"
)

// filter is the Control Room's filter grammar: a comparison
// {operator, field, value} or a combination {operator: and|or|not, operands}.
type filter struct {
	Operator string   `json:"operator"`
	Field    string   `json:"field,omitempty"`
	Value    string   `json:"value,omitempty"`
	Operands []filter `json:"operands,omitempty"`
}

func eq(field, value string) *filter { return &filter{Operator: "eq", Field: field, Value: value} }

type sortBy struct {
	Field     string `json:"field"`
	Direction string `json:"direction"`
}

type page struct {
	Offset int `json:"offset"`
	Length int `json:"length"`
}

type listRequest struct {
	Filter *filter  `json:"filter,omitempty"`
	Sort   []sortBy `json:"sort,omitempty"`
	Page   page     `json:"page"`
}

type listPage struct {
	Page struct {
		Offset      int `json:"offset"`
		Total       int `json:"total"`
		TotalFilter int `json:"totalFilter"`
	} `json:"page"`
	List []json.RawMessage `json:"list"`
}

// list pages through a Control Room list, converting each item and
// handing fn one page at a time, until offset reaches totalFilter.
func list[T, R any](ctx context.Context, p *provider, op, path string, req listRequest, conv func(T, json.RawMessage) R, fn func([]R) error) error {
	for offset := 0; ; {
		req.Page = page{Offset: offset, Length: p.pageSize()}
		var out listPage
		if _, err := p.post(ctx, op, path, req, &out); err != nil {
			return err
		}
		items, err := convert(op, out.List, conv)
		if err != nil {
			return err
		}
		if len(items) > 0 {
			if err := fn(items); err != nil {
				return err
			}
		}
		offset += len(out.List)
		if len(out.List) == 0 || offset >= out.Page.TotalFilter {
			return nil
		}
	}
}

func convert[T, R any](op string, raws []json.RawMessage, conv func(T, json.RawMessage) R) ([]R, error) {
	out := make([]R, 0, len(raws))
	for _, raw := range raws {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, unexpected(op, err)
		}
		out = append(out, conv(v, raw))
	}
	return out, nil
}

// id is a Control Room id: documented as a numeric string, accepted as a
// bare number too, since older releases sent some ids that way.
type id string

func (i *id) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*i = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*i = id(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*i = id(n.String())
	return nil
}

func numeric(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}
