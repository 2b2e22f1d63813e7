package server

import (
	"github.com/gofiber/fiber/v2"

	"bureau/apikey"
)

func (s *Server) listAPIKeys(c *fiber.Ctx) error {
	page, err := pageOf(c)
	if err != nil {
		return err
	}
	list, next, err := s.APIKeys.List(c.UserContext(), accountOf(c).ID, page.Limit, page.Cursor)
	if err != nil {
		return err
	}
	return listPage(c, list, next)
}

// createAPIKey answers 201 with the key: the only time it is ever shown.
func (s *Server) createAPIKey(c *fiber.Ctx) error {
	var in apikey.CreateInput
	if err := decode(c, &in); err != nil {
		return err
	}
	a := accountOf(c)
	created, err := s.APIKeys.Create(c.UserContext(), actorOf(c), a.TenantID, a.ID, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(created)
}

func (s *Server) deactivateAPIKey(c *fiber.Ctx) error {
	a := accountOf(c)
	v, err := s.APIKeys.Deactivate(c.UserContext(), actorOf(c), a.TenantID, a.ID, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(v)
}
