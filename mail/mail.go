// Package mail builds and delivers Bureau's transactional email: invitations,
// password resets and welcomes. A Message is checked before it is turned into
// bytes, so no header can be injected (INJ-06): header values with CR/LF are
// refused, addresses must be bare, and the Subject and display names are
// Q-encoded. Mail that cannot be sent (no SMTP configured, or the send failed
// after its retries) lands in the tenant's outbox instead (SPEC §3).
package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kinds of message; the outbox table's CHECK constraint lists the same ones.
const (
	KindInvitation = "invitation"
	KindReset      = "reset"
	KindWelcome    = "welcome"
)

func validKind(k string) bool {
	return k == KindInvitation || k == KindReset || k == KindWelcome
}

// TLS modes of Config.TLS.
const (
	TLSStartTLS = "starttls"
	TLSImplicit = "implicit"
	TLSNone     = "none"
)

// Config is the installation's SMTP server. It is not per tenant: every
// tenant's mail leaves through the same relay.
type Config struct {
	Host     string
	Port     int // 0: 587 for starttls, 465 for implicit, 25 for none
	Username string
	Password string
	From     string // bare address, e.g. noreply@bureau.example
	FromName string // display name, e.g. Bureau
	// TLS is "starttls" (the default; refused if the server does not offer
	// it, so a stripped EHLO cannot downgrade us), "implicit" (TLS from the
	// first byte, usually port 465) or "none" (loopback hosts only).
	TLS     string
	Timeout time.Duration // per attempt, dial and whole exchange; 0: 30s
	Retries int           // extra attempts after a temporary failure
}

// String leaves the password out, so a config printed by mistake does not
// leak it.
func (c Config) String() string {
	c = c.withDefaults()
	user := ""
	if c.Username != "" {
		user = c.Username + ":***@"
	}
	return fmt.Sprintf("smtp://%s%s (tls=%s, from=%s, timeout=%s, retries=%d)",
		user, net.JoinHostPort(c.Host, strconv.Itoa(c.Port)), c.TLS, c.From, c.Timeout, c.Retries)
}

// LogValue is String for slog.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Enabled reports whether an SMTP server is configured at all.
func (c Config) Enabled() bool { return c.Host != "" }

const (
	defaultTimeout = 30 * time.Second
	maxRetries     = 10
)

// withDefaults fills the zero fields.
func (c Config) withDefaults() Config {
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	if c.Port == 0 {
		switch c.TLS {
		case TLSImplicit:
			c.Port = 465
		case TLSNone:
			c.Port = 25
		default:
			c.Port = 587
		}
	}
	if c.Timeout == 0 {
		c.Timeout = defaultTimeout
	}
	return c
}

// Validate checks an enabled configuration, with defaults applied.
func (c Config) Validate() error {
	c = c.withDefaults()
	if c.Host == "" {
		return errors.New("smtp config: host is empty")
	}
	if strings.ContainsFunc(c.Host, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '/' }) {
		return errors.New("smtp config: host contains spaces, control characters or a slash")
	}
	if c.Port < 1 || c.Port > 65535 {
		return fmt.Errorf("smtp config: port %d out of range", c.Port)
	}
	switch c.TLS {
	case TLSStartTLS, TLSImplicit:
	case TLSNone:
		// Plain SMTP crosses the network in clear text, credentials and
		// invitation links alike; only a relay on this machine is safe.
		if !isLoopback(c.Host) {
			return fmt.Errorf("smtp config: tls %q is only allowed for a loopback host (localhost, 127.0.0.1, ::1), not %q; use starttls or implicit", TLSNone, c.Host)
		}
	default:
		return fmt.Errorf("smtp config: tls %q is not one of starttls, implicit, none", c.TLS)
	}
	if err := checkAddress("from", c.From); err != nil {
		return fmt.Errorf("smtp config: %w", err)
	}
	if c.FromName != "" {
		if err := checkHeaderValue("from name", c.FromName); err != nil {
			return fmt.Errorf("smtp config: %w", err)
		}
	}
	if c.Timeout < 0 {
		return errors.New("smtp config: timeout is negative")
	}
	if c.Retries < 0 || c.Retries > maxRetries {
		return fmt.Errorf("smtp config: retries %d not in 0..%d", c.Retries, maxRetries)
	}
	return nil
}

// isLoopback reports whether host is this machine by name or address. Only
// the literal name "localhost" counts; other names could resolve anywhere.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Message is one email to one recipient. Build it with Invitation,
// PasswordReset or Welcome; a hand-built one is checked by Validate before
// it is sent or stored.
type Message struct {
	TenantID string
	Kind     string // KindInvitation, KindReset or KindWelcome
	To       string // bare address
	Subject  string
	Text     string // plain-text part
	HTML     string // HTML part; empty sends text/plain only
	Link     string // the action link, also in the bodies; shown in the outbox
}

// ErrInvalidHeader matches every *HeaderError with errors.Is.
var ErrInvalidHeader = errors.New("mail: invalid header value")

// HeaderError says which header value was refused and why. It never quotes
// the value: it may be long, or crafted to confuse whoever reads the log.
type HeaderError struct {
	Field  string // "to", "from", "from name", "subject", "link", ...
	Reason string
}

func (e *HeaderError) Error() string { return "mail: invalid " + e.Field + ": " + e.Reason }

// Is makes errors.Is(err, ErrInvalidHeader) true.
func (e *HeaderError) Is(target error) bool { return target == ErrInvalidHeader }

// maxHeaderValue bounds a raw header value. Q-encoding at most triples it,
// which keeps the encoded line under the 998-octet limit of RFC 5322 with no
// folding needed.
const maxHeaderValue = 255

// checkHeaderValue refuses what could end a header line early or confuse a
// parser: CR, LF, NUL and other control characters (tab is allowed), and
// invalid UTF-8, so the encoded-word we produce is well-formed.
func checkHeaderValue(field, v string) error {
	switch {
	case !utf8.ValidString(v):
		return &HeaderError{field, "not valid UTF-8"}
	case strings.ContainsAny(v, "\r\n"):
		return &HeaderError{field, "contains a line break (CR or LF)"}
	case strings.ContainsFunc(v, func(r rune) bool { return (r < ' ' && r != '\t') || r == 0x7f }):
		return &HeaderError{field, "contains a control character"}
	case len(v) > maxHeaderValue:
		return &HeaderError{field, fmt.Sprintf("longer than %d bytes", maxHeaderValue)}
	}
	return nil
}

// checkAddress accepts a bare ASCII address only ("a@b.example", never
// "Name <a@b.example>"): net/mail.Address.String does not strip CR/LF from
// the address part, and the same string goes to RCPT TO. Non-ASCII
// addresses would need SMTPUTF8 end to end, which we do not promise.
func checkAddress(field, addr string) error {
	if err := checkHeaderValue(field, addr); err != nil {
		return err
	}
	a, err := netmail.ParseAddress(addr)
	if err != nil {
		return &HeaderError{field, "not a valid email address"}
	}
	if a.Name != "" || a.Address != addr {
		return &HeaderError{field, "must be a bare address like name@example.com"}
	}
	for i := 0; i < len(addr); i++ {
		if addr[i] <= ' ' || addr[i] > '~' {
			return &HeaderError{field, "must be ASCII without spaces"}
		}
	}
	return nil
}

// checkLink accepts an absolute http(s) URL without whitespace or control
// characters; html/template would neuter anything else in href anyway, but
// the text part and the outbox show it raw.
func checkLink(link string) error {
	if len(link) > 2048 {
		return &HeaderError{"link", "longer than 2048 bytes"}
	}
	if strings.ContainsFunc(link, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return &HeaderError{"link", "contains whitespace or control characters"}
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return &HeaderError{"link", "must be an absolute http or https URL"}
	}
	return nil
}

// Validate checks everything that ends up in a header or the envelope.
func (m Message) Validate() error {
	if m.TenantID == "" {
		return errors.New("mail: message has no tenant")
	}
	if !validKind(m.Kind) {
		return fmt.Errorf("mail: unknown message kind %q", m.Kind)
	}
	if err := checkAddress("to", m.To); err != nil {
		return err
	}
	if strings.TrimSpace(m.Subject) == "" {
		return &HeaderError{"subject", "is empty"}
	}
	if err := checkHeaderValue("subject", m.Subject); err != nil {
		return err
	}
	if m.Text == "" {
		return errors.New("mail: message has no text part")
	}
	if m.Link != "" {
		if err := checkLink(m.Link); err != nil {
			return err
		}
	}
	return nil
}

// sender is the From of every message.
type sender struct {
	Address string
	Name    string
}

func (s sender) header() string {
	// Address.String Q-encodes a non-ASCII name and quotes an ASCII one with
	// specials; both checks above ran first, so neither part holds CR/LF.
	return (&netmail.Address{Name: s.Name, Address: s.Address}).String()
}

// compose renders m as an RFC 5322 message with CRLF line endings. It runs
// Validate first, so nothing unchecked reaches a header.
func (m Message) compose(from sender, now time.Time) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if err := checkAddress("from", from.Address); err != nil {
		return nil, err
	}
	if err := checkHeaderValue("from name", from.Name); err != nil {
		return nil, err
	}
	id, err := messageID(from.Address)
	if err != nil {
		return nil, err
	}

	var body bytes.Buffer
	var contentType string
	if m.HTML == "" {
		contentType = "text/plain; charset=utf-8"
		if err := writeQP(&body, m.Text); err != nil {
			return nil, err
		}
	} else {
		mw := multipart.NewWriter(&body) // random boundary: a body cannot guess it
		contentType = mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()})
		for _, part := range []struct{ typ, content string }{
			{"text/plain; charset=utf-8", m.Text}, // least preferred first (RFC 2046 §5.1.4)
			{"text/html; charset=utf-8", m.HTML},
		} {
			w, err := mw.CreatePart(textproto.MIMEHeader{
				"Content-Type":              {part.typ},
				"Content-Transfer-Encoding": {"quoted-printable"},
			})
			if err != nil {
				return nil, fmt.Errorf("compose: %w", err)
			}
			if err := writeQP(w, part.content); err != nil {
				return nil, err
			}
		}
		if err := mw.Close(); err != nil {
			return nil, fmt.Errorf("compose: %w", err)
		}
	}

	var out bytes.Buffer
	header := func(k, v string) { out.WriteString(k + ": " + v + "\r\n") }
	header("Date", now.Format(time.RFC1123Z))
	header("From", from.header())
	header("To", m.To)
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	header("Message-ID", id)
	header("MIME-Version", "1.0")
	// RFC 3834: tells vacation responders not to answer a machine.
	header("Auto-Submitted", "auto-generated")
	header("Content-Type", contentType)
	if m.HTML == "" {
		header("Content-Transfer-Encoding", "quoted-printable")
	}
	out.WriteString("\r\n")
	out.Write(body.Bytes())
	return out.Bytes(), nil
}

// writeQP writes s quoted-printable. Line breaks are normalised to LF first;
// the encoder then writes each as CRLF, and keeps lines under 76 octets.
func writeQP(w interface{ Write([]byte) (int, error) }, s string) error {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(s)); err != nil {
		return fmt.Errorf("compose: %w", err)
	}
	if err := qp.Close(); err != nil {
		return fmt.Errorf("compose: %w", err)
	}
	return nil
}

// messageID is a random id in the From domain, which we are entitled to use.
func messageID(from string) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("message id: %w", err)
	}
	return "<" + hex.EncodeToString(b[:]) + "@" + domainOf(from) + ">", nil
}

// domainOf is the part after the last @, or "" when there is none.
func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return ""
}
