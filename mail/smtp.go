package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"regexp"
	"strconv"
	"syscall"
	"time"
)

// Sender sends one message. Mailer uses it; tests may fake it.
type Sender interface {
	Send(ctx context.Context, msg Message) error
}

// ErrStartTLSUnavailable: TLS is "starttls" and the server did not offer it.
// We refuse rather than fall back to clear text, because an attacker on the
// path can strip STARTTLS from the EHLO reply.
var ErrStartTLSUnavailable = errors.New("smtp server does not offer STARTTLS")

// ErrAuthUnavailable: a username is configured and the server offers no AUTH.
var ErrAuthUnavailable = errors.New("smtp server does not offer AUTH")

// SMTPSender sends over SMTP with net/smtp, one connection per attempt,
// retrying temporary failures (network errors, 4xx replies) with capped
// exponential backoff and jitter. 5xx replies are final.
type SMTPSender struct {
	cfg  Config
	tls  *tls.Config
	helo string
	now  func() time.Time

	baseDelay, maxDelay time.Duration // backoff; tests shorten them
}

// NewSMTPSender checks cfg and returns a sender. tlsConfig may be nil (system
// roots); tests pass one with their own RootCAs. ServerName is set to the
// configured host when empty, so the certificate is always verified.
func NewSMTPSender(cfg Config, tlsConfig *tls.Config) (*SMTPSender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	var tc *tls.Config
	if tlsConfig != nil {
		tc = tlsConfig.Clone()
	} else {
		tc = &tls.Config{}
	}
	if tc.ServerName == "" {
		tc.ServerName = cfg.Host
	}
	if tc.MinVersion < tls.VersionTLS12 {
		tc.MinVersion = tls.VersionTLS12
	}
	return &SMTPSender{cfg: cfg, tls: tc, helo: heloName(), now: time.Now,
		baseDelay: time.Second, maxDelay: 30 * time.Second}, nil
}

var hostnameRE = regexp.MustCompile(`^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$`)

// heloName is this machine's name when it looks like a domain, else
// "localhost" (what net/smtp says by default): container hostnames are bare
// hex ids, and some relays refuse a non-FQDN.
func heloName() string {
	if h, err := os.Hostname(); err == nil && hostnameRE.MatchString(h) {
		return h
	}
	return "localhost"
}

// SendError is a failed send: the last attempt's error and how many were made.
type SendError struct {
	Kind      string
	Attempts  int
	Temporary bool // the last failure was temporary; the retries ran out
	Err       error
}

func (e *SendError) Error() string {
	return fmt.Sprintf("send %s (%d attempt(s)): %v", e.Kind, e.Attempts, e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// Send delivers msg to its one recipient. The message is composed once, so
// every retry carries the same Message-ID and Date.
func (s *SMTPSender) Send(ctx context.Context, msg Message) error {
	raw, err := msg.compose(sender{Address: s.cfg.From, Name: s.cfg.FromName}, s.now())
	if err != nil {
		return fmt.Errorf("send %s: %w", msg.Kind, err)
	}
	attempts := 0
	for {
		attempts++
		err = s.attempt(ctx, msg.To, raw)
		if err == nil {
			return nil
		}
		temp := temporary(err)
		if !temp || attempts > s.cfg.Retries || ctx.Err() != nil {
			return &SendError{Kind: msg.Kind, Attempts: attempts, Temporary: temp, Err: err}
		}
		if werr := sleep(ctx, s.backoff(attempts)); werr != nil {
			return &SendError{Kind: msg.Kind, Attempts: attempts, Temporary: temp, Err: fmt.Errorf("%w (then %w)", err, werr)}
		}
	}
}

// backoff is the wait after the n-th failed attempt: base·2^(n-1), capped,
// with "equal jitter" (half fixed, half random) so that many senders failing
// together do not retry in lockstep.
func (s *SMTPSender) backoff(n int) time.Duration {
	d := s.maxDelay
	if n-1 < 30 {
		if e := s.baseDelay << (n - 1); e > 0 && e < d {
			d = e
		}
	}
	half := d / 2
	return half + rand.N(half+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// attempt is one connection: dial, (START)TLS, AUTH, MAIL, RCPT, DATA. It is
// bounded by the configured timeout, through the context and the conn's
// deadline both; cancelling ctx closes the connection.
func (s *SMTPSender) attempt(ctx context.Context, to string, raw []byte) (err error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	defer func() {
		// A read blocked on a closed conn reports "use of closed network
		// connection"; say why it was closed.
		if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("%w: %w", ctx.Err(), err)
		}
	}()

	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	dialer := &net.Dialer{Timeout: min(s.cfg.Timeout, 10*time.Second)}
	var conn net.Conn
	if s.cfg.TLS == TLSImplicit {
		conn, err = (&tls.Dialer{NetDialer: dialer, Config: s.tls}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("dial: %w", err)
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	// NewClient marks a *tls.Conn as TLS, which PlainAuth checks.
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	defer c.Close()
	if err := c.Hello(s.helo); err != nil {
		return fmt.Errorf("ehlo: %w", err)
	}
	if s.cfg.TLS == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return ErrStartTLSUnavailable
		}
		if err := c.StartTLS(s.tls); err != nil {
			return fmt.Errorf("starttls: %w", err)
		}
	}
	if s.cfg.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return ErrAuthUnavailable
		}
		// PlainAuth itself refuses to send the password unless the
		// connection is TLS or the host is localhost; Validate already
		// allows clear text only on loopback.
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)); err != nil {
			return fmt.Errorf("auth: %w", err)
		}
	}
	if err := c.Mail(s.cfg.From); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("rcpt to: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if _, err := w.Write(raw); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if err := w.Close(); err != nil { // the server's verdict on the message
		return fmt.Errorf("data: %w", err)
	}
	// The message is accepted; a failed QUIT must not cause a resend.
	_ = c.Quit()
	return nil
}

// temporary reports whether a retry may succeed: 4xx replies and network
// trouble yes; 5xx replies, TLS verification, a missing STARTTLS or AUTH,
// and protocol confusion no.
func temporary(err error) bool {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code >= 400 && tp.Code < 500
	}
	var (
		verify     *tls.CertificateVerificationError
		record     tls.RecordHeaderError
		unknownCA  x509.UnknownAuthorityError
		hostname   x509.HostnameError
		invalidCrt x509.CertificateInvalidError
	)
	switch {
	case errors.Is(err, ErrStartTLSUnavailable), errors.Is(err, ErrAuthUnavailable),
		errors.Is(err, context.Canceled),
		errors.As(err, &verify), errors.As(err, &record), errors.As(err, &unknownCA),
		errors.As(err, &hostname), errors.As(err, &invalidCrt):
		return false
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, io.EOF),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNREFUSED):
		return true
	}
	var ne net.Error
	return errors.As(err, &ne)
}
