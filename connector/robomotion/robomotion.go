// Package robomotion connects Bureau to Robomotion's RPC-style API
// (https://api.robomotion.io/v1/<resource>.<verb>, docs.robomotion.io).
//
// Robomotion is the least documented vendor Bureau supports. What the
// public docs confirm: a static API token sent as a bearer token (401 when
// invalid), GET lists taking page and size and answering
// {ok, <items>, total}, and errors as {ok:false, error:"<code>"} — which
// may arrive with HTTP 200, so every answer's ok is checked. Everything
// else is marked "assumption" where it is used.
package robomotion

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"bureau/connector"
)

// DefaultPageSize is used when the config sets none. Robomotion documents
// no maximum (assumption: 100 is accepted).
const DefaultPageSize = 100

func init() {
	connector.Register(connector.Spec{
		Name:   "robomotion",
		Label:  "Robomotion",
		Vendor: "Robomotion",
		Help: "In Robomotion's Admin Console open API (left navigation) and create a token. " +
			"A Read token lets Bureau sync flows, jobs, robots and schedules; starting runs from Bureau needs a Write token.",
		Fields: []connector.Field{
			{Key: "url", Label: "API URL", Kind: connector.FieldURL, Required: true, Default: "https://api.robomotion.io",
				Help: "https://api.robomotion.io for Robomotion Cloud; for a self-hosted installation, the address of its API server."},
			{Key: "api_token", Label: "API token", Kind: connector.FieldText, Secret: true, Required: true,
				Help: "Admin Console → API → create a token with Read access (Write to start runs from Bureau). It is shown once when created."},
			{Key: "robot_id", Label: "Default robot ID", Kind: connector.FieldText,
				Help: "Optional: the robot that runs flows started from Bureau. Admin Console → Robots → open the robot; the ID is in its details and its page address. Empty means the first production robot."},
			{Key: "ca_cert", Label: "CA certificate (PEM)", Kind: connector.FieldPEM,
				Help: "Only for a self-hosted server whose certificate is signed by your own CA: paste that CA's certificate."},
			{Key: "insecure_skip_verify", Label: "Skip TLS verification", Kind: connector.FieldBool, Default: "false",
				Help: "Only for testing against a self-hosted server with a self-signed certificate."},
		},
		New: New,
	})
}

// Provider is one Robomotion workspace, seen through one API token.
type Provider struct {
	cfg      connector.Config
	base     string
	pageSize int
	caller   *connector.Caller
}

// New builds the provider from validated settings.
func New(cfg connector.Config) (connector.Provider, error) {
	if cfg.Secrets["api_token"] == "" {
		return nil, connector.Errorf(connector.KindConfig, "connect", "the API token is missing")
	}
	size := cfg.PageSize
	if size <= 0 {
		size = DefaultPageSize
	}
	p := &Provider{
		cfg:      cfg,
		base:     cfg.Setting("url", "https://api.robomotion.io"),
		pageSize: size,
	}
	// Authorize stays nil on purpose: the token is static, so when it is
	// refused a "refresh" would only send the same refused request again.
	// The token goes in each request's header instead (see header).
	p.caller = &connector.Caller{Config: cfg, ParseError: parseError}
	return p, nil
}

func (p *Provider) header() http.Header {
	// Trimmed: a token pasted with a trailing newline is an invalid header.
	return http.Header{"Authorization": {"Bearer " + strings.TrimSpace(p.cfg.Secrets["api_token"])}}
}

// fields is a decoded answer's top level, after its ok was checked.
type fields map[string]json.RawMessage

// call makes one RPC and checks its envelope: a 2xx answer whose ok is
// false is an error like any other.
func (p *Provider) call(ctx context.Context, op, method, rpc string, q url.Values, body any) (fields, error) {
	u := connector.JoinURL(p.base, "/v1/"+rpc)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var raw []byte
	_, err := p.caller.Do(ctx, connector.Request{Op: op, Method: method, URL: u, Header: p.header(), Body: body}, &raw)
	if err != nil {
		return nil, err
	}
	var f fields
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, &connector.Error{Kind: connector.KindUnavailable, Op: op, Message: "the answer is not the expected JSON: " + err.Error(), Err: err}
	}
	if e := envelopeError(op, http.StatusOK, raw); e != nil {
		e.Message = connector.Redact(e.Message, p.cfg.Secrets)
		return nil, e
	}
	return f, nil
}

// errStop ends a listing early without an error.
var errStop = errors.New("stop listing")

// list pages through a list RPC: page is 1-based (assumption: the docs
// only say "used for pagination"; the community client starts at 1), and
// the listing goes on while fewer than total items have come. Counting
// items rather than multiplying page by size stays right when the server
// serves smaller pages than asked. fn gets each page's raw items;
// returning errStop ends the listing.
func (p *Provider) list(ctx context.Context, op, rpc, key string, fn func([]json.RawMessage) error) error {
	seen := 0
	for page := 1; ; page++ {
		q := url.Values{"page": {strconv.Itoa(page)}, "size": {strconv.Itoa(p.pageSize)}}
		f, err := p.call(ctx, op, http.MethodGet, rpc, q, nil)
		if err != nil {
			return err
		}
		var items []json.RawMessage
		total := -1 // absent: go on while pages are full
		if err := unmarshalField(f, key, &items); err != nil {
			return connector.Errorf(connector.KindUnavailable, op, "%v", err)
		}
		if err := unmarshalField(f, "total", &total); err != nil {
			return connector.Errorf(connector.KindUnavailable, op, "%v", err)
		}
		if len(items) > 0 {
			if err := fn(items); err != nil {
				if err == errStop {
					return nil
				}
				return err
			}
		}
		seen += len(items)
		if len(items) == 0 || (total >= 0 && seen >= total) || (total < 0 && len(items) < p.pageSize) {
			return nil
		}
	}
}

func unmarshalField(f fields, key string, out any) error {
	raw, ok := f[key]
	if !ok || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("unexpected %q in the answer: %v", key, err)
	}
	return nil
}

// Test proves the token works and counts the flows it can see.
func (p *Provider) Test(ctx context.Context) (connector.TestResult, error) {
	if _, err := p.call(ctx, "test connection", http.MethodGet, "auth.check", nil, nil); err != nil {
		return connector.TestResult{}, err
	}
	q := url.Values{"page": {"1"}, "size": {"1"}}
	f, err := p.call(ctx, "count flows", http.MethodGet, "flows.list", q, nil)
	if err != nil {
		return connector.TestResult{}, err
	}
	var total int
	_ = unmarshalField(f, "total", &total)
	return connector.TestResult{Details: "Connected: " + strconv.Itoa(total) + " flows"}, nil
}

// epoch reads a Robomotion timestamp. The unit is not documented
// (assumption: milliseconds); a value too small to be milliseconds since
// 1973 is read as seconds, so either unit lands on the right date.
func epoch(v int64) *time.Time {
	if v <= 0 {
		return nil
	}
	var t time.Time
	if v < 1e11 {
		t = time.Unix(v, 0).UTC()
	} else {
		t = time.UnixMilli(v).UTC()
	}
	return &t
}
