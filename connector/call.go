package connector

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Caller makes a vendor's HTTP calls the same way for every vendor: each
// attempt bounded by the timeout; 429 honoured (Retry-After, else
// exponential backoff) and retried; 5xx and network failures retried for
// reads; a 401 answered once by fetching a new token; other failures turned
// into *Error by the vendor's ParseError.
type Caller struct {
	Config Config
	// Authorize adds credentials to req; refresh asks for a new token
	// because the last one was refused.
	Authorize func(ctx context.Context, req *http.Request, refresh bool) error
	// ParseError reads the vendor's error body. nil means the body's text.
	ParseError func(op string, resp *http.Response, body []byte) *Error
	// MaxAttempts per call (default 4: the first try and three retries).
	MaxAttempts int
	// MaxWait is the longest Retry-After we sit through; longer asks are
	// returned as ErrRateLimited for the caller to schedule (default 60s).
	MaxWait time.Duration

	clientOnce sync.Once
	client     *http.Client
}

// Request describes one call. Body is JSON-encoded unless it is []byte or
// a string (a form's Encode(), say), sent as is with the Content-Type the
// Header names.
type Request struct {
	Op     string
	Method string
	URL    string
	Header http.Header
	Body   any
	// Retry allows retrying a non-GET after a 5xx or network error
	// (reads sent as POST, as Automation Anywhere's lists are).
	Retry bool
	// NoAuth skips Authorize (token requests themselves).
	NoAuth bool
}

// maxBody caps one response: a vendor page is far smaller; a runaway
// answer must not exhaust memory.
const maxBody = 64 << 20

// Do performs r and decodes a 2xx JSON answer into out (nil: discard;
// *[]byte: the raw body). It returns the final response's header.
func (c *Caller) Do(ctx context.Context, r Request, out any) (http.Header, error) {
	attempts := c.MaxAttempts
	if attempts == 0 {
		attempts = 4
	}
	refreshed := false
	for attempt := 1; ; attempt++ {
		status, header, body, err := c.once(ctx, r, refreshed)
		if err != nil {
			var ce *Error
			if errors.As(err, &ce) {
				return nil, err // our own config error, or auth failed
			}
			if ctx.Err() != nil {
				return nil, &Error{Kind: KindUnavailable, Op: r.Op, Message: ctx.Err().Error(), Err: ctx.Err()}
			}
			if (r.Method == http.MethodGet || r.Retry) && attempt < attempts {
				if err := c.sleep(ctx, backoff(attempt)); err != nil {
					return nil, err
				}
				continue
			}
			return nil, &Error{Kind: KindUnavailable, Op: r.Op, Message: unwrapNetError(err), Err: err}
		}
		resp := &http.Response{StatusCode: status, Header: header}
		switch {
		case status >= 200 && status < 300:
			return header, decode(r.Op, body, out)
		case status == http.StatusUnauthorized && !r.NoAuth && !refreshed && c.Authorize != nil:
			refreshed = true // the token expired or was revoked: one fresh token
			continue
		}
		verr := c.parseError(r.Op, resp, body)
		if verr.Kind == KindRateLimited && attempt < attempts {
			wait := verr.RetryAfter
			if wait == 0 {
				wait = backoff(attempt)
			}
			if wait <= c.maxWait() {
				if err := c.sleep(ctx, wait); err != nil {
					return nil, err
				}
				continue
			}
		}
		if verr.Kind == KindUnavailable && (r.Method == http.MethodGet || r.Retry) && attempt < attempts {
			if err := c.sleep(ctx, backoff(attempt)); err != nil {
				return nil, err
			}
			continue
		}
		return nil, verr
	}
}

func (c *Caller) once(ctx context.Context, r Request, refresh bool) (int, http.Header, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	var body io.Reader
	header := r.Header.Clone()
	if header == nil {
		header = http.Header{}
	}
	switch b := r.Body.(type) {
	case nil:
	case []byte:
		body = bytes.NewReader(b)
	case string:
		body = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return 0, nil, nil, Errorf(KindConfig, r.Op, "encode request: %v", err)
		}
		body = bytes.NewReader(raw)
		if header.Get("Content-Type") == "" {
			header.Set("Content-Type", "application/json")
		}
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return 0, nil, nil, Errorf(KindConfig, r.Op, "bad URL %q: %v", r.URL, err)
	}
	req.Header = header
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	if !r.NoAuth && c.Authorize != nil {
		if err := c.Authorize(ctx, req, refresh); err != nil {
			return 0, nil, nil, err
		}
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, raw, nil
}

func (c *Caller) parseError(op string, resp *http.Response, body []byte) *Error {
	var e *Error
	if c.ParseError != nil {
		e = c.ParseError(op, resp, body)
	}
	if e == nil {
		e = HTTPError(op, resp, strings.TrimSpace(string(body)), "")
	}
	if e.Kind == KindRateLimited && e.RetryAfter == 0 {
		e.RetryAfter = RetryAfter(resp.Header.Get("Retry-After"), c.Config.now())
	}
	if len(e.Message) > 500 {
		e.Message = e.Message[:500] + "…"
	}
	e.Message = Redact(e.Message, c.Config.Secrets)
	return e
}

func decode(op string, body []byte, out any) error {
	switch o := out.(type) {
	case nil:
		return nil
	case *[]byte:
		*o = body
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &Error{Kind: KindUnavailable, Op: op, Message: "the answer is not the expected JSON: " + err.Error(), Err: err}
	}
	return nil
}

func (c *Caller) timeout() time.Duration {
	if c.Config.Timeout > 0 {
		return c.Config.Timeout
	}
	return DefaultTimeout
}

func (c *Caller) maxWait() time.Duration {
	if c.MaxWait > 0 {
		return c.MaxWait
	}
	return time.Minute
}

func (c *Caller) sleep(ctx context.Context, d time.Duration) error {
	if c.Config.Sleep != nil {
		return c.Config.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return &Error{Kind: KindUnavailable, Message: ctx.Err().Error(), Err: ctx.Err()}
	case <-t.C:
		return nil
	}
}

func (c *Caller) httpClient() *http.Client {
	c.clientOnce.Do(func() { c.client = HTTPClient(c.Config) })
	return c.client
}

// backoff is 1s, 2s, 4s, … for attempt 1, 2, 3, …
func backoff(attempt int) time.Duration {
	return time.Second << (attempt - 1)
}

func unwrapNetError(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.Contains(msg, "dial tcp") {
		return "cannot reach the server: " + msg[i+2:]
	}
	return msg
}

// HTTPClient is the client a provider uses: cfg.HTTP when set, else one
// honouring the ca_cert (PEM) and insecure_skip_verify settings, for
// on-premises servers with their own CA. It follows no redirects to
// another host with our credentials: Go drops Authorization on a
// cross-host redirect already.
func HTTPClient(cfg Config) *http.Client {
	if cfg.HTTP != nil {
		return cfg.HTTP
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if pem := cfg.Settings["ca_cert"]; strings.TrimSpace(pem) != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		pool.AppendCertsFromPEM([]byte(pem))
		tlsCfg.RootCAs = pool
	}
	if cfg.Settings["insecure_skip_verify"] == "true" {
		tlsCfg.InsecureSkipVerify = true // the operator chose it for a self-signed on-prem server
	}
	tr.TLSClientConfig = tlsCfg
	return &http.Client{Transport: tr}
}

// ParseCA checks a PEM bundle holds at least one certificate.
func ParseCA(pem string) error {
	if !x509.NewCertPool().AppendCertsFromPEM([]byte(pem)) {
		return fmt.Errorf("no PEM certificate found")
	}
	return nil
}
