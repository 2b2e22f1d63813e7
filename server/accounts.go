package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"bureau/account"
	"bureau/apperr"
	"bureau/auth"
)

type accountJSON struct {
	ID        string    `json:"id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

func accountOut(a account.Account) accountJSON {
	return accountJSON{ID: a.ID, Slug: a.Slug, Name: a.Name, Status: a.Status, CreatedAt: a.CreatedAt}
}

// visibleAccount resolves slug inside the principal's tenant. Staff see every
// account; anyone else only their own. Invisible and missing answer alike.
func (s *Server) visibleAccount(c *fiber.Ctx, p *auth.Principal, slug string) (account.Account, error) {
	if p.Role == "" || (!p.IsStaff() && slug != p.AccountSlug) {
		return account.Account{}, apperr.NotFound()
	}
	return account.BySlug(c.UserContext(), s.DB, p.TenantID, slug)
}

func accountOf(c *fiber.Ctx) account.Account {
	a, _ := c.Locals(localAccount).(account.Account)
	return a
}

func (s *Server) listAccounts(c *fiber.Ctx) error {
	p := principalOf(c)
	only := ""
	if !p.IsStaff() {
		only = p.AccountID
	}
	list, err := account.List(c.UserContext(), s.DB, p.TenantID, only)
	if err != nil {
		return err
	}
	items := make([]accountJSON, 0, len(list))
	for _, a := range list {
		items = append(items, accountOut(a))
	}
	return c.JSON(fiber.Map{"items": items, "next_cursor": nil})
}

func (s *Server) getAccount(c *fiber.Ctx) error {
	return c.JSON(accountOut(accountOf(c)))
}
