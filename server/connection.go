package server

import (
	"github.com/gofiber/fiber/v2"

	"bureau/connection"
	"bureau/connector"
	_ "bureau/connector/all" // every provider the API offers
)

func (s *Server) listConnectors(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"items": connector.Specs()})
}

func (s *Server) getConnection(c *fiber.Ctx) error {
	a := accountOf(c)
	v, err := s.Connections.Get(c.UserContext(), s.DB.R, a.TenantID, a.ID)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *Server) putConnection(c *fiber.Ctx) error {
	var in connection.Input
	if err := decode(c, &in); err != nil {
		return err
	}
	a := accountOf(c)
	v, err := s.Connections.Put(c.UserContext(), actorOf(c), a.TenantID, a.ID, in)
	if err != nil {
		return err
	}
	// A new connection syncs at once rather than at its first scheduled
	// slot; a failure to start is logged, the save itself succeeded.
	if a.Status == "active" {
		if err := s.startFirstSync(c.UserContext(), a.TenantID, a.ID, principalOf(c).UserID); err != nil {
			s.log.Warn("first sync after saving a connection", "account", a.Slug, "error", err)
		}
	}
	return c.JSON(v)
}

func (s *Server) putConnectionSecrets(c *fiber.Ctx) error {
	var in struct {
		Secrets map[string]string `json:"secrets"`
	}
	if err := decode(c, &in); err != nil {
		return err
	}
	a := accountOf(c)
	v, err := s.Connections.RotateSecrets(c.UserContext(), actorOf(c), a.TenantID, a.ID, in.Secrets)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// testConnection answers 200 whether the vendor accepted or refused: a
// refusal is the result the person asked for, in the vendor's own words.
func (s *Server) testConnection(c *fiber.Ctx) error {
	a := accountOf(c)
	out, err := s.Connections.Test(c.UserContext(), actorOf(c), a.TenantID, a.ID)
	if err != nil {
		return err
	}
	return c.JSON(out)
}
