package server

import (
	"github.com/gofiber/fiber/v2"
)

func (s *Server) getTenant(c *fiber.Ctx) error {
	t, err := s.Tenants.Get(c.UserContext(), principalOf(c).TenantID)
	if err != nil {
		return err
	}
	return c.JSON(t)
}

func (s *Server) getLicense(c *fiber.Ctx) error {
	li, err := s.Tenants.License(c.UserContext(), principalOf(c).TenantID)
	if err != nil {
		return err
	}
	return c.JSON(li)
}

type licenseBody struct {
	License string `json:"license"`
}

func (s *Server) putLicense(c *fiber.Ctx) error {
	var in licenseBody
	if err := decode(c, &in); err != nil {
		return err
	}
	li, err := s.Tenants.SetLicense(c.UserContext(), actorOf(c), principalOf(c).TenantID, in.License)
	if err != nil {
		return err
	}
	return c.JSON(li)
}

func (s *Server) getUsage(c *fiber.Ctx) error {
	u, err := s.Tenants.Usage(c.UserContext(), principalOf(c).TenantID)
	if err != nil {
		return err
	}
	return c.JSON(u)
}
