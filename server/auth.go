package server

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"bureau/apperr"
	"bureau/auth"
)

// cookieName has the __Host- prefix on https installs (SES-02): no Domain,
// Path=/, Secure. Plain-http installs (localhost, labs) drop the prefix.
func (s *Server) cookieName() string {
	if s.Config.Secure() {
		return "__Host-bureau_session"
	}
	return "bureau_session"
}

func (s *Server) setSessionCookie(c *fiber.Ctx, token string) {
	c.Cookie(&fiber.Cookie{
		Name: s.cookieName(), Value: token, Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode,
		Secure: s.Config.Secure(), Expires: s.Now().Add(s.Config.Session.AbsoluteTimeout),
	})
}

func (s *Server) clearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{
		Name: s.cookieName(), Value: "", Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode,
		Secure: s.Config.Secure(), Expires: time.Unix(0, 0), MaxAge: -1,
	})
}

// loadPrincipal resolves the session cookie, if any, into the principal for
// this request. A stale cookie is cleared and the request goes on anonymous.
func (s *Server) loadPrincipal(c *fiber.Ctx) error {
	token := c.Cookies(s.cookieName())
	if token == "" {
		return c.Next()
	}
	p, err := s.Auth.Sessions.Resolve(c.UserContext(), token)
	if errors.Is(err, auth.ErrNoSession) {
		s.clearSessionCookie(c)
		return c.Next()
	}
	if err != nil {
		return err
	}
	c.Locals(localPrincipal, p)
	c.Locals(localToken, token)
	return c.Next()
}

func principalOf(c *fiber.Ctx) *auth.Principal {
	p, _ := c.Locals(localPrincipal).(*auth.Principal)
	return p
}

// authorize is the gate every route passes: it needs the principal the route
// requires, resolves {account} within the active tenant (an invisible account
// is 404, like a missing one: ISO-04) and asks the policy (403).
func (s *Server) authorize(r Route) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if r.Perm == Public {
			return c.Next()
		}
		if r.Perm == APIKey {
			return s.authenticateKey(c) // a bearer key, never the session (KEY-03)
		}
		p := principalOf(c)
		if p == nil {
			return auth.ErrNoSession
		}
		if r.Perm == SignedIn {
			return c.Next()
		}
		if strings.Contains(r.Path, ":account") {
			a, err := s.visibleAccount(c, p, c.Params("account"))
			if err != nil {
				return err
			}
			c.Locals(localAccount, a)
		}
		if !s.Policy.AllowedAny(p.Roles, r.Perm) {
			s.log.WarnContext(c.UserContext(), "permission denied", "request_id", requestID(c), "user_id", p.UserID,
				"tenant_id", p.TenantID, "roles", p.Roles, "permission", r.Perm, "method", c.Method(), "path", c.Path())
			return apperr.Forbidden("permission_denied", "Your role does not allow this.")
		}
		return c.Next()
	}
}
