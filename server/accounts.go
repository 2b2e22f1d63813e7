package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"bureau/account"
	"bureau/apperr"
	"bureau/audit"
	"bureau/auth"
)

// accountOut renders an account for p. Agency-only fields (contact, external
// reference, notes) are left out, not nulled, for account-level people (ISO-13).
func accountOut(p *auth.Principal, a account.Account) fiber.Map {
	m := fiber.Map{
		"id": a.ID, "slug": a.Slug, "name": a.Name, "status": a.Status,
		"created_at": a.CreatedAt, "updated_at": a.UpdatedAt, "deactivated_at": a.DeactivatedAt,
	}
	if p.IsStaff() {
		m["contact_email"], m["external_ref"], m["notes"] = a.ContactEmail, a.ExternalRef, a.Notes
	}
	return m
}

// visibleAccount resolves slug inside the principal's tenant. Staff see every
// account; anyone else only their own. Invisible and missing answer alike.
func (s *Server) visibleAccount(c *fiber.Ctx, p *auth.Principal, slug string) (account.Account, error) {
	if p.Role == "" || (!p.IsStaff() && slug != p.AccountSlug) {
		return account.Account{}, apperr.NotFound()
	}
	return account.BySlug(c.UserContext(), s.DB.R, p.TenantID, slug)
}

func accountOf(c *fiber.Ctx) account.Account {
	a, _ := c.Locals(localAccount).(account.Account)
	return a
}

func actorOf(c *fiber.Ctx) audit.Actor {
	m := reqMeta(c)
	a := audit.Actor{Kind: audit.ActorUser, IP: m.IP, UserAgent: m.UserAgent, RequestID: m.RequestID}
	if p := principalOf(c); p != nil {
		a.ID, a.Email = p.UserID, p.Email
	}
	return a
}

// listPage answers a list in the API's shape: next_cursor is null on the
// last page.
func listPage(c *fiber.Ctx, items any, next string) error {
	var cursor any
	if next != "" {
		cursor = next
	}
	return c.JSON(fiber.Map{"items": items, "next_cursor": cursor})
}

// pageOf reads ?limit= (default 50, at most 500) and ?cursor=.
func pageOf(c *fiber.Ctx) (account.Page, error) {
	p := account.Page{Limit: 50, Cursor: c.Query("cursor")}
	if raw := c.Query("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 500 {
			return p, apperr.New(apperr.KindBadRequest, "limit_invalid", "limit must be a whole number from 1 to 500.")
		}
		p.Limit = n
	}
	return p, nil
}

func (s *Server) listAccounts(c *fiber.Ctx) error {
	p := principalOf(c)
	page, err := pageOf(c)
	if err != nil {
		return err
	}
	only := ""
	if !p.IsStaff() {
		only = p.AccountID
	}
	list, next, err := account.List(c.UserContext(), s.DB, p.TenantID, only, page)
	if err != nil {
		return err
	}
	items := make([]fiber.Map, 0, len(list))
	for _, a := range list {
		m := accountOut(p, a.Account)
		m["people"], m["clients"] = a.People, a.Clients
		m["last_activity"] = nil
		if a.LastActivity != "" {
			m["last_activity"] = a.LastActivity
		}
		items = append(items, m)
	}
	return listPage(c, items, next)
}

func (s *Server) createAccount(c *fiber.Ctx) error {
	var in account.CreateInput
	if err := decode(c, &in); err != nil {
		return err
	}
	p := principalOf(c)
	a, err := s.Accounts.Create(c.UserContext(), actorOf(c), p.TenantID, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(accountOut(p, a))
}

func (s *Server) slugAvailability(c *fiber.Ctx) error {
	ok, reason, err := s.Accounts.Availability(c.UserContext(), principalOf(c).TenantID, c.Query("slug"))
	if err != nil {
		return err
	}
	if ok {
		return c.JSON(fiber.Map{"available": true})
	}
	return c.JSON(fiber.Map{"available": false, "reason": reason})
}

func (s *Server) getAccount(c *fiber.Ctx) error {
	a := accountOf(c)
	people, clients, last, err := account.Counts(c.UserContext(), s.DB, a.TenantID, a.ID)
	if err != nil {
		return err
	}
	m := accountOut(principalOf(c), a)
	m["people"], m["clients"], m["last_activity"] = people, clients, nil
	if last != "" {
		m["last_activity"] = last
	}
	return c.JSON(m)
}

func (s *Server) patchAccount(c *fiber.Ctx) error {
	var in account.Patch
	if err := decode(c, &in); err != nil {
		return err
	}
	p := principalOf(c)
	a, err := s.Accounts.Update(c.UserContext(), actorOf(c), accountOf(c), in, s.Policy.AllowedAny(p.Roles, "account:rename"))
	if err != nil {
		return err
	}
	return c.JSON(accountOut(p, a))
}

func (s *Server) deactivateAccount(c *fiber.Ctx) error {
	a, err := s.Accounts.Deactivate(c.UserContext(), actorOf(c), accountOf(c))
	if err != nil {
		return err
	}
	return c.JSON(accountOut(principalOf(c), a))
}

func (s *Server) reactivateAccount(c *fiber.Ctx) error {
	a, err := s.Accounts.Reactivate(c.UserContext(), actorOf(c), accountOf(c))
	if err != nil {
		return err
	}
	return c.JSON(accountOut(principalOf(c), a))
}

type deleteBody struct {
	ConfirmName string `json:"confirm_name"`
}

func (s *Server) deleteAccount(c *fiber.Ctx) error {
	var in deleteBody
	if err := decode(c, &in); err != nil {
		return err
	}
	if err := s.Accounts.Delete(c.UserContext(), actorOf(c), accountOf(c), in.ConfirmName); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func settingsOut(a account.Account) fiber.Map {
	return fiber.Map{
		"beta_features":            a.Settings.BetaFeatures,
		"approval_timeout_seconds": a.Settings.ApprovalTimeoutSeconds,
		"require_run_approval":     a.Settings.RequireRunApproval,
		"sync_interval":            a.Settings.SyncInterval(),
	}
}

func (s *Server) getSettings(c *fiber.Ctx) error {
	return c.JSON(settingsOut(accountOf(c)))
}

func (s *Server) patchSettings(c *fiber.Ctx) error {
	var in account.SettingsPatch
	if err := decode(c, &in); err != nil {
		return err
	}
	a, err := s.Accounts.UpdateSettings(c.UserContext(), actorOf(c), accountOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(settingsOut(a))
}
