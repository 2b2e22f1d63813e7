package connector

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"":                              0,
		"7":                             7 * time.Second,
		"-1":                            0,
		"soon":                          0,
		"Tue, 24 Nov 2026 09:00:30 GMT": 30 * time.Second,
		"Tue, 24 Nov 2026 08:59:00 GMT": 0,
	}
	for in, want := range cases {
		if got := RetryAfter(in, now); got != want {
			t.Errorf("RetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestErrorKinds(t *testing.T) {
	for status, want := range map[int]Kind{401: KindAuth, 403: KindForbidden, 404: KindNotFound, 429: KindRateLimited,
		500: KindUnavailable, 503: KindUnavailable, 400: KindInvalid, 409: KindInvalid} {
		if got := KindForStatus(status); got != want {
			t.Errorf("%d → %s, want %s", status, got, want)
		}
	}
	err := error(&Error{Kind: KindAuth, Op: "token", Status: 401, Message: "invalid_client"})
	wrapped := errors.Join(errors.New("sync acme"), err)
	if !errors.Is(wrapped, ErrAuth) || errors.Is(wrapped, ErrForbidden) || KindOf(wrapped) != KindAuth {
		t.Fatalf("errors.Is through wrapping: %v", wrapped)
	}
	if KindOf(errors.New("dial tcp: refused")) != KindUnavailable || !Transient(&Error{Kind: KindRateLimited}) || Transient(err) {
		t.Fatal("KindOf/Transient")
	}
	if got := err.Error(); got != "token: auth_failed (HTTP 401): invalid_client" {
		t.Fatalf("message: %q", got)
	}
}

func TestRedact(t *testing.T) {
	got := Redact("bad secret s3cr3t-value for id", map[string]string{"client_secret": "s3cr3t-value", "pin": "12"})
	if strings.Contains(got, "s3cr3t") || got != "bad secret [redacted] for id" {
		t.Fatalf("redact: %q", got)
	}
}

func TestValidate(t *testing.T) {
	s := Spec{Label: "V", Fields: []Field{
		{Key: "url", Label: "URL", Kind: FieldURL, Required: true},
		{Key: "auth", Label: "Auth", Kind: FieldSelect, Options: []string{"key", "password"}, Default: "key"},
		{Key: "password", Label: "Password", Secret: true, RequiredWhen: map[string]string{"auth": "password"}},
		{Key: "skip", Label: "Skip", Kind: FieldBool},
		{Key: "ca", Label: "CA", Kind: FieldPEM},
	}}
	codes := func(settings, secrets map[string]string) string {
		var out []string
		for _, e := range s.Validate(s.WithDefaults(settings), secrets) {
			out = append(out, e.Key+"="+e.Code)
		}
		return strings.Join(out, " ")
	}
	cases := []struct {
		settings, secrets map[string]string
		want              string
	}{
		{map[string]string{"url": "https://x.example"}, nil, ""},
		{map[string]string{}, nil, "url=required"},
		{map[string]string{"url": "https://x.example", "auth": "password"}, nil, "password=required"},
		{map[string]string{"url": "https://x.example", "auth": "password"}, map[string]string{"password": "p"}, ""},
		{map[string]string{"url": "https://u:p@x.example"}, nil, "url=url_invalid"},
		{map[string]string{"url": "https://x.example/?a=1"}, nil, "url=url_invalid"},
		{map[string]string{"url": "x.example"}, nil, "url=url_invalid"},
		{map[string]string{"url": "https://x.example", "auth": "sso", "skip": "yes", "ca": "nope"}, nil,
			"auth=option_invalid ca=pem_invalid skip=option_invalid"},
		{map[string]string{"url": "https://x.example", "password": "p"}, map[string]string{"url": "u"}, "password=unknown_field url=unknown_field"},
	}
	for _, c := range cases {
		if got := codes(c.settings, c.secrets); got != c.want {
			t.Errorf("%v %v: got %q, want %q", c.settings, c.secrets, got, c.want)
		}
	}
}

func TestTokenIsCachedUntilShortlyBeforeExpiry(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	n := 0
	tok := &Token{Now: func() time.Time { return now }, Fetch: func(context.Context) (string, time.Duration, error) {
		n++
		return "t" + string(rune('0'+n)), time.Hour, nil
	}}
	ctx := context.Background()
	a, _ := tok.Get(ctx, false)
	now = now.Add(58 * time.Minute)
	b, _ := tok.Get(ctx, false)
	now = now.Add(90 * time.Second) // inside the last minute: renew
	c, _ := tok.Get(ctx, false)
	d, _ := tok.Get(ctx, true)
	if a != "t1" || b != "t1" || c != "t2" || d != "t3" || tok.Fetched() != 3 {
		t.Fatalf("tokens %s %s %s %s, fetched %d", a, b, c, d, tok.Fetched())
	}
}

// A POST that is not marked retryable is sent once even when the vendor
// fails: starting a run twice would start two jobs.
func TestCallerDoesNotRetryWrites(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	c := &Caller{Config: Config{Sleep: func(context.Context, time.Duration) error { return nil }}}
	_, err := c.Do(context.Background(), Request{Op: "start", Method: http.MethodPost, URL: srv.URL, Body: map[string]int{"a": 1}}, nil)
	if !errors.Is(err, ErrUnavailable) || calls.Load() != 1 {
		t.Fatalf("POST: %v after %d calls", err, calls.Load())
	}
	calls.Store(0)
	_, err = c.Do(context.Background(), Request{Op: "list", Method: http.MethodGet, URL: srv.URL}, nil)
	if !errors.Is(err, ErrUnavailable) || calls.Load() != 4 {
		t.Fatalf("GET: %v after %d calls", err, calls.Load())
	}
}

func TestCallerRefusesUnreachableServersClearly(t *testing.T) {
	c := &Caller{Config: Config{Sleep: func(context.Context, time.Duration) error { return nil }}}
	_, err := c.Do(context.Background(), Request{Op: "list", Method: http.MethodGet, URL: "http://127.0.0.1:1/x"}, nil)
	var ce *Error
	if !errors.As(err, &ce) || ce.Kind != KindUnavailable || !strings.Contains(ce.Message, "cannot reach") {
		t.Fatalf("unreachable: %v", err)
	}
}
