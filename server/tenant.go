package server

import (
	"bureau/sso"
	"bureau/tenant"
	"github.com/gofiber/fiber/v2"
)

func (s *Server) getTenant(c *fiber.Ctx) error {
	t, err := s.Tenants.Get(c.UserContext(), principalOf(c).TenantID)
	if err != nil {
		return err
	}
	return c.JSON(t)
}

func (s *Server) patchTenant(c *fiber.Ctx) error {
	var in tenant.Patch
	if err := decode(c, &in); err != nil {
		return err
	}
	t, err := s.Tenants.Update(c.UserContext(), actorOf(c), principalOf(c).TenantID, in)
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

// ssoJSON adds what the provider needs from us: the redirect URI to
// register for the tenant.
func (s *Server) ssoJSON(c *fiber.Ctx, st sso.Settings) fiber.Map {
	return fiber.Map{"configured": st.Configured, "issuer": st.Issuer, "client_id": st.ClientID,
		"client_secret_set": st.ClientSecretSet, "allowed_domains": st.AllowedDomains, "groups_claim": st.GroupsClaim,
		"group_roles": st.GroupRoles, "entra_tenant_ids": st.EntraTenantIDs, "last_success_at": st.LastSuccessAt,
		"updated_at":   st.UpdatedAt,
		"redirect_uri": s.Config.BaseURL + "/api/v1/auth/oidc/" + principalOf(c).TenantSlug + "/callback"}
}

func (s *Server) getSSO(c *fiber.Ctx) error {
	st, err := s.SSO.Get(c.UserContext(), s.DB.R, principalOf(c).TenantID)
	if err != nil {
		return err
	}
	return c.JSON(s.ssoJSON(c, st))
}

func (s *Server) putSSO(c *fiber.Ctx) error {
	var in sso.Input
	if err := decode(c, &in); err != nil {
		return err
	}
	st, err := s.SSO.Put(c.UserContext(), actorOf(c), principalOf(c).TenantID, in)
	if err != nil {
		return err
	}
	return c.JSON(s.ssoJSON(c, st))
}
