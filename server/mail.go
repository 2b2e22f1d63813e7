package server

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"

	"github.com/gofiber/fiber/v2"

	"bureau/auth"
	"bureau/mail"
	"bureau/people"
)

// timeFormat is RFC 3339 in UTC, to the second: how the API writes times.
const timeFormat = "2006-01-02T15:04:05Z07:00"

// roleLabels name roles in mail, the way people say them.
var roleLabels = map[string]string{
	"tenant_admin": "Tenant admin", "consultant": "Consultant",
	"account_admin": "Account admin", "account_user": "Account user", "client": "Client",
}

// brandOf is the tenant's name and colour as mail shows them.
func brandOf(tenantName, branding string) (name, color string) {
	var b brandingJSON
	_ = json.Unmarshal([]byte(branding), &b) // ours; an empty object at worst
	if b.DisplayName == "" {
		b.DisplayName = tenantName
	}
	return b.DisplayName, mail.BrandColor(b.Color)
}

// mailWorkers is how many messages of one batch are sent at once.
const mailWorkers = 4

// mailInvitations sends one invitation per invitee and reports how many
// were emailed and how many landed in the outbox. Once the relay has
// failed (after its retries) the rest of the batch goes straight to the
// outbox: a dead relay must not hold a 1000-row import for hours.
func (s *Server) mailInvitations(c *fiber.Ctx, sc people.Scope, invited []people.Invited) (emailed, kept int) {
	p := principalOf(c)
	tenantName, color := brandOf(p.TenantName, p.Branding)
	accountName := ""
	if !sc.Staff() {
		accountName = accountOf(c).Name
	}
	msgs := make([]mail.Message, 0, len(invited))
	for _, inv := range invited {
		msg, err := mail.Invitation(mail.InvitationData{
			TenantID: p.TenantID, TenantDisplayName: tenantName, BrandColor: color, To: inv.Member.Email,
			AccountName: accountName, InviterName: p.Name, Role: roleLabels[inv.Member.Role],
			Link: s.Config.BaseURL + "/invite/" + inv.Token, ExpiresAt: inv.ExpiresAt,
		})
		if err != nil {
			s.log.ErrorContext(c.UserContext(), "invitation mail not built", "error", err.Error(), "request_id", requestID(c))
			continue
		}
		msgs = append(msgs, msg)
	}
	sent := s.deliverAll(context.WithoutCancel(c.UserContext()), msgs)
	return sent, len(invited) - sent
}

// deliverAll sends msgs a few at a time and returns how many were sent;
// the others are in the outbox (or logged, when even that failed).
func (s *Server) deliverAll(ctx context.Context, msgs []mail.Message) int {
	var sent atomic.Int64
	var relayDown atomic.Bool
	work := make(chan mail.Message)
	var wg sync.WaitGroup
	for range min(mailWorkers, len(msgs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for msg := range work {
				if relayDown.Load() {
					if err := s.Mailer.Keep(ctx, msg, "not sent: the smtp server failed earlier in the same batch"); err != nil {
						s.log.ErrorContext(ctx, "mail lost", "kind", msg.Kind, "error", err.Error())
					}
					continue
				}
				ok, err := s.Mailer.Deliver(ctx, msg)
				switch {
				case err != nil:
					s.log.ErrorContext(ctx, "mail lost", "kind", msg.Kind, "error", err.Error())
				case ok:
					sent.Add(1)
				case s.Mailer.Sender != nil:
					relayDown.Store(true)
				}
			}
		}()
	}
	for _, m := range msgs {
		work <- m
	}
	close(work)
	wg.Wait()
	return int(sent.Load())
}

// deliverLater sends one message in the background, so a response does not
// wait for the relay (and its timing says nothing about the recipient).
func (s *Server) deliverLater(ctx context.Context, msg mail.Message) {
	ctx = context.WithoutCancel(ctx)
	go func() {
		if _, err := s.Mailer.Deliver(ctx, msg); err != nil {
			s.log.ErrorContext(ctx, "mail lost", "kind", msg.Kind, "error", err.Error())
		}
	}()
}

// mailWelcome greets a person who has just set up their sign-in.
func (s *Server) mailWelcome(c *fiber.Ctx, inv people.Invitation, name string) {
	tenantName, color := brandOf(inv.TenantName, inv.Branding)
	msg, err := mail.Welcome(mail.WelcomeData{TenantID: inv.TenantID, TenantDisplayName: tenantName, BrandColor: color,
		To: inv.Email, Name: name, Link: s.Config.BaseURL + "/login"})
	if err != nil {
		s.log.ErrorContext(c.UserContext(), "welcome mail not built", "error", err.Error())
		return
	}
	s.deliverLater(c.UserContext(), msg)
}

// mailReset sends a password reset link.
func (s *Server) mailReset(c *fiber.Ctx, r *auth.ResetRequest) {
	tenantName, color := brandOf(r.TenantName, r.Branding)
	msg, err := mail.PasswordReset(mail.ResetData{TenantID: r.TenantID, TenantDisplayName: tenantName, BrandColor: color,
		To: r.Email, Name: r.Name, Link: s.Config.BaseURL + "/reset-password/" + r.Token, ExpiresIn: "1 hour"})
	if err != nil {
		s.log.ErrorContext(c.UserContext(), "reset mail not built", "error", err.Error())
		return
	}
	s.deliverLater(c.UserContext(), msg)
}
