package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/textproto"
	"strings"
	"time"

	"bureau/config"
	"bureau/store"
)

// ReasonNotConfigured is the outbox reason when no SMTP host is set.
const ReasonNotConfigured = "smtp not configured"

// Mailer sends a message, or keeps it in the outbox when it cannot.
type Mailer struct {
	Sender Sender // nil when SMTP is not configured
	Outbox *Outbox
	Log    *slog.Logger
}

// New returns the installation's mailer: with an SMTPSender when cfg is
// enabled (and valid), without one otherwise. tlsConfig may be nil.
func New(cfg Config, tlsConfig *tls.Config, db *store.DB, log *slog.Logger) (*Mailer, error) {
	m := &Mailer{Outbox: NewOutbox(db), Log: log}
	if cfg.Enabled() {
		s, err := NewSMTPSender(cfg, tlsConfig)
		if err != nil {
			return nil, err
		}
		m.Sender = s // assigned only when non-nil: a typed nil would not be == nil
	}
	return m, nil
}

// Deliver sends msg, or saves it to the outbox when there is no sender or
// the send failed after its retries. Either way an evaluator can go on, so a
// failed send is sent=false with err=nil; err is for a message that is
// itself invalid, or an outbox that cannot be written.
//
// Deliver talks to the network: never call it inside a write transaction
// (DB-04).
func (m *Mailer) Deliver(ctx context.Context, msg Message) (sent bool, err error) {
	if err := msg.Validate(); err != nil {
		return false, fmt.Errorf("deliver %s: %w", msg.Kind, err)
	}
	if m.Outbox == nil {
		return false, fmt.Errorf("deliver %s: mailer has no outbox", msg.Kind)
	}
	log := m.logger().With("kind", msg.Kind, "tenant_id", msg.TenantID, "to_domain", domainOf(msg.To))

	reason := ReasonNotConfigured
	if m.Sender != nil {
		serr := m.Sender.Send(ctx, msg)
		if serr == nil {
			log.InfoContext(ctx, "mail sent")
			return true, nil
		}
		if errors.Is(serr, ErrInvalidHeader) {
			return false, fmt.Errorf("deliver %s: %w", msg.Kind, serr)
		}
		reason = Reason(serr)
		// The error names the relay and its reply, never the body, so the
		// link's token cannot reach the log through it; a reply that echoes
		// the recipient ("<ada@x>: unknown user") is masked.
		log.WarnContext(ctx, "mail not sent, kept in the outbox",
			"reason", maskAddr(reason, msg.To), "error", maskAddr(serr.Error(), msg.To))
	} else {
		log.InfoContext(ctx, "smtp not configured, mail kept in the outbox")
	}

	// The request may be gone (client hung up, deadline spent on retries);
	// the outbox row must still be written.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := m.Outbox.Save(sctx, forOutbox(msg), reason); err != nil {
		log.ErrorContext(ctx, "mail lost: outbox save failed", "error", err.Error())
		return false, fmt.Errorf("deliver %s: %w", msg.Kind, err)
	}
	return false, nil
}

// Keep puts msg in the outbox without trying to send it, with reason.
func (m *Mailer) Keep(ctx context.Context, msg Message, reason string) error {
	if err := msg.Validate(); err != nil {
		return fmt.Errorf("keep %s: %w", msg.Kind, err)
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := m.Outbox.Save(sctx, forOutbox(msg), reason); err != nil {
		return fmt.Errorf("keep %s: %w", msg.Kind, err)
	}
	return nil
}

// FromConfig turns the configuration file's smtp section into a Config.
func FromConfig(c config.SMTP) Config {
	return Config{Host: c.Host, Port: c.Port, Username: c.Username, Password: c.Password, From: c.From,
		FromName: c.FromName, TLS: c.TLS, Timeout: c.Timeout, Retries: c.Retries}
}

// maskAddr replaces addr in s, in any case, by "<recipient>".
func maskAddr(s, addr string) string {
	if addr == "" {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i+len(addr) <= len(s) && strings.EqualFold(s[i:i+len(addr)], addr) {
			b.WriteString("<recipient>")
			i += len(addr)
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func (m *Mailer) logger() *slog.Logger {
	if m.Log != nil {
		return m.Log
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// resetWithheld replaces the body of a password reset in the outbox.
const resetWithheld = "A password reset link was requested for this address but could not be emailed. " +
	"It is not kept in the outbox: a user is global, so whoever read the link here could set the " +
	"password of an account that may also belong to other tenants. Configure SMTP, or ask the " +
	"operator to reset the password from the command line."

// forOutbox drops what must not be readable by Tenant Admins. Invitations
// and welcomes are kept whole (that is what the outbox is for); a password
// reset link would let an admin take over the user, in this tenant and in
// every other one the user belongs to, so only the fact is kept.
func forOutbox(msg Message) Message {
	if msg.Kind == KindReset {
		msg.Text, msg.HTML, msg.Link = resetWithheld, "", ""
	}
	return msg
}

const maxReason = 200

// Reason turns a send error into the short text stored in the outbox and
// shown to Tenant Admins: what went wrong, without the relay's address or
// credentials, on one line.
func Reason(err error) string {
	if err == nil {
		return ""
	}
	var tp *textproto.Error
	var ne net.Error
	var verify *tls.CertificateVerificationError
	switch {
	case errors.Is(err, ErrStartTLSUnavailable):
		return "smtp server does not offer STARTTLS"
	case errors.Is(err, ErrAuthUnavailable):
		return "smtp server does not offer AUTH"
	case errors.Is(err, ErrInvalidHeader):
		return sanitize("invalid message: "+strings.TrimPrefix(err.Error(), "mail: invalid "), maxReason)
	case errors.As(err, &tp):
		return sanitize(fmt.Sprintf("smtp server replied %d %s", tp.Code, tp.Msg), maxReason)
	case errors.As(err, &verify):
		return "smtp server certificate not trusted"
	case errors.Is(err, context.Canceled):
		return "send cancelled"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "smtp server timed out"
	case errors.As(err, &ne), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "smtp server unreachable or closed the connection"
	}
	if strings.Contains(err.Error(), "unencrypted connection") {
		return "smtp auth refused over an unencrypted connection"
	}
	return "smtp send failed"
}

// sanitize makes s one printable line of at most max bytes, for the outbox.
func sanitize(s string, max int) string { return oneLine(s, max, "") }
