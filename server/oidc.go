package server

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"bureau/apperr"
)

// The OIDC binding cookie ties a sign-in's state to the browser that began
// it. It must come back on the provider's redirect, a cross-site top-level
// GET, so it is SameSite=Lax (the session cookie stays Strict).
func (s *Server) oidcCookieName() string {
	if s.Config.Secure() {
		return "__Host-bureau_oidc"
	}
	return "bureau_oidc"
}

func (s *Server) setOIDCCookie(c *fiber.Ctx, value string, maxAge int) {
	c.Cookie(&fiber.Cookie{Name: s.oidcCookieName(), Value: value, Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: s.Config.Secure(), MaxAge: maxAge,
		Expires: s.Now().Add(time.Duration(maxAge) * time.Second)})
}

// ssoFailed sends the browser back to the sign-in page with a code the web
// app explains; these routes are browser navigations, not API calls.
func (s *Server) ssoFailed(c *fiber.Ctx, err error) error {
	code := apperr.CodeOf(err)
	if code == "" {
		s.log.ErrorContext(c.UserContext(), "sso sign-in failed", "error", err.Error(), "request_id", requestID(c))
		code = "sso_failed"
	} else {
		s.log.InfoContext(c.UserContext(), "sso sign-in refused", "code", code, "request_id", requestID(c))
	}
	return c.Redirect("/login?sso_error="+url.QueryEscape(code)+"&tenant="+url.QueryEscape(c.Params("tenant")), fiber.StatusFound)
}

func (s *Server) oidcLogin(c *fiber.Ctx) error {
	// ?test=1 is a Tenant Admin's test sign-in from the SSO settings page;
	// it signs nobody in, so it needs no more than the state binding.
	test := c.Query("test") == "1"
	redirect, binding, err := s.Flow.Begin(c.UserContext(), c.Params("tenant"), test)
	if err != nil && test {
		// The admin is signed in: show why on the settings page, not the sign-in page.
		if id, ferr := s.Flow.FailedTest(c.UserContext(), c.Params("tenant"), err); ferr == nil {
			return c.Redirect("/settings/sso?test="+url.QueryEscape(id), fiber.StatusFound)
		}
	}
	if err != nil {
		return s.ssoFailed(c, err)
	}
	s.setOIDCCookie(c, binding, 600)
	return c.Redirect(redirect, fiber.StatusFound)
}

func (s *Server) oidcCallback(c *fiber.Ctx) error {
	binding := c.Cookies(s.oidcCookieName())
	s.setOIDCCookie(c, "", -1)
	if c.Query("error") != "" {
		return s.ssoFailed(c, apperr.New(apperr.KindForbidden, "sso_cancelled", "The identity provider did not sign you in."))
	}
	res, err := s.Flow.Finish(c.UserContext(), c.Params("tenant"), c.Query("state"), c.Query("code"), binding, reqMeta(c))
	if err != nil {
		return s.ssoFailed(c, err)
	}
	if res.TestID != "" {
		return c.Redirect("/settings/sso?test="+url.QueryEscape(res.TestID), fiber.StatusFound)
	}
	session, err := s.Auth.StartSession(c.UserContext(), res.UserID, res.TenantID, "oidc", reqMeta(c))
	if err != nil {
		return s.ssoFailed(c, err)
	}
	if old := c.Cookies(s.cookieName()); old != "" {
		if err := s.Auth.Sessions.Delete(c.UserContext(), old); err != nil {
			return err
		}
	}
	s.setSessionCookie(c, session.Token)
	return c.Redirect("/", fiber.StatusFound)
}

// getSSOTest shows a test sign-in's result to the tenant's admins.
func (s *Server) getSSOTest(c *fiber.Ctx) error {
	r, err := s.Flow.TestResult(c.UserContext(), principalOf(c).TenantID, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(r)
}
