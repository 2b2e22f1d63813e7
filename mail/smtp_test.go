package mail

import (
	"context"
	"errors"
	"net"
	netmail "net/mail"
	"strings"
	"testing"
	"time"
)

// Delivery through a real server with STARTTLS and AUTH PLAIN: the server
// sees one recipient, our From, a Subject that decodes, both parts, and the
// link on its own line in the text part.
func TestSendStartTLSWithAuth(t *testing.T) {
	ts := startServer(t, modeStartTLS, nil)
	s := newSender(t, ts, nil)
	msg := invitation(t, "t1", "Northwind Consulting", "Acme")
	if err := s.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	got := ts.Received()
	if len(got) != 1 {
		t.Fatalf("server received %d messages", len(got))
	}
	r := got[0]
	if !r.TLS || r.User != testUser {
		t.Errorf("tls=%v user=%q, want TLS and AUTH as %q", r.TLS, r.User, testUser)
	}
	if r.From != "noreply@bureau.example" || len(r.Rcpts) != 1 || r.Rcpts[0] != "ada@client.example" {
		t.Errorf("envelope from %q rcpts %q", r.From, r.Rcpts)
	}
	p := parseMessage(t, r.Data)
	from, err := netmail.ParseAddress(p.Header.Get("From"))
	if err != nil || from.Address != "noreply@bureau.example" || from.Name != "Bureau" {
		t.Errorf("From header %q: %v", p.Header.Get("From"), err)
	}
	if p.Header.Get("To") != "ada@client.example" {
		t.Errorf("To header %q", p.Header.Get("To"))
	}
	if want := "Invitation to Acme on Northwind Consulting"; p.Subject != want {
		t.Errorf("subject %q, want %q", p.Subject, want)
	}
	if _, err := p.Header.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	if id := p.Header.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@bureau.example>") {
		t.Errorf("Message-ID %q", id)
	}
	if !hasLine(p.Text, msg.Link) {
		t.Errorf("the link is not on its own line in the text part:\n%s", p.Text)
	}
	if !strings.Contains(p.HTML, `href="`+msg.Link+`"`) {
		t.Errorf("the HTML part has no button to the link")
	}
}

func hasLine(text, line string) bool {
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if l == line {
			return true
		}
	}
	return false
}

func TestSendImplicitTLS(t *testing.T) {
	ts := startServer(t, modeImplicit, nil)
	s := newSender(t, ts, func(c *Config) { c.TLS = TLSImplicit })
	if err := s.Send(context.Background(), invitation(t, "t1", "Northwind", "")); err != nil {
		t.Fatal(err)
	}
	got := ts.Received()
	if len(got) != 1 || !got[0].TLS || got[0].User != testUser {
		t.Fatalf("received %+v", got)
	}
	if p := parseMessage(t, got[0].Data); p.Subject != "Invitation to join Northwind" {
		t.Errorf("subject %q", p.Subject)
	}
}

// An untrusted certificate is a permanent failure: retrying cannot fix it,
// and nothing is sent.
func TestSendRefusesUntrustedCertificate(t *testing.T) {
	ts := startServer(t, modeStartTLS, nil)
	s := newSender(t, ts, nil)
	s.tls.RootCAs = nil // system roots do not know our self-signed cert
	err := s.Send(context.Background(), invitation(t, "t1", "Northwind", ""))
	var se *SendError
	if !errors.As(err, &se) || se.Attempts != 1 || se.Temporary {
		t.Fatalf("err %v", err)
	}
	if got := Reason(err); got != "smtp server certificate not trusted" {
		t.Errorf("reason %q", got)
	}
	if len(ts.Received()) != 0 {
		t.Fatal("sent over an untrusted connection")
	}
}

// STARTTLS configured but not offered: refuse, never send (or AUTH) in clear.
func TestStartTLSRequired(t *testing.T) {
	ts := startServer(t, modePlain, nil)
	s := newSender(t, ts, nil)
	err := s.Send(context.Background(), invitation(t, "t1", "Northwind", ""))
	if !errors.Is(err, ErrStartTLSUnavailable) {
		t.Fatalf("err %v, want ErrStartTLSUnavailable", err)
	}
	var se *SendError
	if !errors.As(err, &se) || se.Attempts != 1 {
		t.Errorf("retried a permanent failure: %v", err)
	}
	if ts.Attempts() != 0 || len(ts.Received()) != 0 {
		t.Fatal("the message went out in clear text")
	}
}

// TLS "none" is for a local relay; AUTH is allowed there because it is loopback.
func TestSendPlainOnLoopback(t *testing.T) {
	ts := startServer(t, modePlain, nil)
	s := newSender(t, ts, func(c *Config) { c.TLS = TLSNone })
	if err := s.Send(context.Background(), invitation(t, "t1", "Northwind", "")); err != nil {
		t.Fatal(err)
	}
	if got := ts.Received(); len(got) != 1 || got[0].TLS || got[0].User != testUser {
		t.Fatalf("received %+v", got)
	}
}

// 451 twice, then accepted: delivered on the third attempt.
func TestRetryOnTemporaryFailure(t *testing.T) {
	ts := startServer(t, modeStartTLS, func(n int) error {
		if n <= 2 {
			return smtpReply(451, "try again later")
		}
		return nil
	})
	s := newSender(t, ts, nil)
	if err := s.Send(context.Background(), invitation(t, "t1", "Northwind", "")); err != nil {
		t.Fatal(err)
	}
	if n := ts.Attempts(); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
	if got := ts.Received(); len(got) != 1 || len(got[0].Rcpts) != 1 {
		t.Fatalf("received %+v", got)
	}
}

// Retries run out: the error says how many attempts were made.
func TestRetriesExhausted(t *testing.T) {
	ts := startServer(t, modeStartTLS, func(int) error { return smtpReply(451, "busy") })
	s := newSender(t, ts, func(c *Config) { c.Retries = 2 })
	err := s.Send(context.Background(), invitation(t, "t1", "Northwind", ""))
	var se *SendError
	if !errors.As(err, &se) || se.Attempts != 3 || !se.Temporary {
		t.Fatalf("err %v", err)
	}
	if ts.Attempts() != 3 {
		t.Errorf("server saw %d attempts", ts.Attempts())
	}
}

// 550 is final: one attempt only.
func TestNoRetryOnPermanentFailure(t *testing.T) {
	ts := startServer(t, modeStartTLS, func(int) error { return smtpReply(550, "mailbox unavailable") })
	s := newSender(t, ts, nil)
	err := s.Send(context.Background(), invitation(t, "t1", "Northwind", ""))
	var se *SendError
	if !errors.As(err, &se) || se.Attempts != 1 || se.Temporary {
		t.Fatalf("err %v", err)
	}
	if ts.Attempts() != 1 {
		t.Errorf("server saw %d attempts, want 1", ts.Attempts())
	}
	if got := Reason(err); !strings.Contains(got, "550") {
		t.Errorf("reason %q", got)
	}
}

// A server that accepts the connection and then says nothing: the attempt
// ends at the configured timeout, and counts as temporary.
func TestSendTimesOut(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // hold it open, silent
		}
	}()
	addr := l.Addr().(*net.TCPAddr)
	s, err := NewSMTPSender(Config{Host: "127.0.0.1", Port: addr.Port, From: "noreply@bureau.example",
		TLS: TLSNone, Timeout: 200 * time.Millisecond, Retries: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.baseDelay, s.maxDelay = time.Millisecond, time.Millisecond
	start := time.Now()
	err = s.Send(context.Background(), invitation(t, "t1", "Northwind", ""))
	var se *SendError
	if !errors.As(err, &se) || se.Attempts != 2 || !se.Temporary {
		t.Fatalf("err %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
	if got := Reason(err); got != "smtp server timed out" {
		t.Errorf("reason %q", got)
	}
}

// The caller's context bounds the whole exchange, retries included.
func TestSendStopsWhenContextEnds(t *testing.T) {
	ts := startServer(t, modeStartTLS, func(int) error { return smtpReply(451, "busy") })
	s := newSender(t, ts, func(c *Config) { c.Retries = 10 })
	s.baseDelay, s.maxDelay = time.Hour, time.Hour
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := s.Send(ctx, invitation(t, "t1", "Northwind", ""))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestBackoffIsCappedWithJitter(t *testing.T) {
	s := &SMTPSender{baseDelay: time.Second, maxDelay: 30 * time.Second}
	for _, tc := range []struct {
		n        int
		min, max time.Duration
	}{
		{1, 500 * time.Millisecond, time.Second},
		{2, time.Second, 2 * time.Second},
		{4, 4 * time.Second, 8 * time.Second},
		{6, 15 * time.Second, 30 * time.Second},
		{60, 15 * time.Second, 30 * time.Second}, // no overflow
	} {
		for i := 0; i < 50; i++ {
			if d := s.backoff(tc.n); d < tc.min || d > tc.max {
				t.Fatalf("backoff(%d) = %v, want %v..%v", tc.n, d, tc.min, tc.max)
			}
		}
	}
}
