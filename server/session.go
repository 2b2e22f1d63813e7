package server

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"bureau/apperr"
	"bureau/auth"
	"bureau/tenant"
)

func reqMeta(c *fiber.Ctx) auth.Request {
	ua := c.Get(fiber.HeaderUserAgent)
	if len(ua) > 512 {
		ua = ua[:512]
	}
	return auth.Request{IP: c.IP(), UserAgent: ua, RequestID: requestID(c)}
}

func rateLimitedErr(seconds int) error {
	e := apperr.New(apperr.KindRateLimited, "rate_limited", "Too many requests. Wait a moment and try again.")
	e.RetryAfter = seconds
	return e
}

type userJSON struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

type tenantJSON struct {
	ID       string       `json:"id"`
	Slug     string       `json:"slug"`
	Name     string       `json:"name"`
	Plan     string       `json:"plan"`
	Branding brandingJSON `json:"branding"`
}

type brandingJSON struct {
	DisplayName  string `json:"display_name"`
	Logo         string `json:"logo"`
	Color        string `json:"color"`
	SupportEmail string `json:"support_email"`
}

func (s *Server) getSetup(c *fiber.Ctx) error {
	needed, err := tenant.Needed(c.UserContext(), s.DB)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"needed": needed})
}

// postSetup creates the tenant, first account and owner, and signs the owner in.
func (s *Server) postSetup(c *fiber.Ctx) error {
	var in tenant.SetupInput
	if err := decode(c, &in); err != nil {
		return err
	}
	created, err := tenant.Setup(c.UserContext(), s.DB, s.Auth.Hasher, s.Now(), s.Tenants.LicenseKey, in, reqMeta(c))
	if err != nil {
		return err
	}
	res, err := s.Auth.StartSession(c.UserContext(), created.UserID, created.TenantID, "password", reqMeta(c))
	if err != nil {
		return err
	}
	s.setSessionCookie(c, res.Token)
	if in.SampleData {
		s.addSampleData(c.UserContext(), created)
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{
		"tenant":     fiber.Map{"id": created.TenantID, "slug": created.TenantSlug, "name": created.TenantName, "plan": created.Plan},
		"account":    fiber.Map{"id": created.AccountID, "slug": created.AccountSlug, "name": created.AccountName, "status": "active"},
		"user":       userJSON{ID: created.UserID, Email: created.UserEmail, Name: created.UserName},
		"csrf_token": s.csrfToken(res.SessionID),
	})
}

// getCSRF returns the token for the current session. Requests without a
// session need none (the origin check guards them), so they get a token
// that is only a placeholder.
func (s *Server) getCSRF(c *fiber.Ctx) error {
	if p := principalOf(c); p != nil {
		return c.JSON(fiber.Map{"token": s.csrfToken(p.SessionID)})
	}
	return c.JSON(fiber.Map{"token": s.csrfToken("anonymous")})
}

type loginBody struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Tenant   string `json:"tenant"`
}

func (s *Server) login(c *fiber.Ctx) error {
	var in loginBody
	if err := decode(c, &in); err != nil {
		return err
	}
	res, err := s.Auth.Login(c.UserContext(), auth.LoginInput{Email: in.Email, Password: in.Password, Tenant: in.Tenant}, reqMeta(c))
	if err != nil {
		s.log.InfoContext(c.UserContext(), "sign-in refused", "code", apperr.CodeOf(err), "ip", c.IP(),
			"request_id", requestID(c))
		return err
	}
	return s.answerSignIn(c, res, fiber.StatusOK)
}

// signIn starts a session for a person who just proved who they are some
// other way than the login form (an accepted invitation).
func (s *Server) signIn(c *fiber.Ctx, userID, tenantID, method string, status int) error {
	res, err := s.Auth.StartSession(c.UserContext(), userID, tenantID, method, reqMeta(c))
	if err != nil {
		return err
	}
	return s.answerSignIn(c, res, status)
}

// answerSignIn sets the new session's cookie and answers with who is signed
// in. A new token on every sign-in; the one the browser had is dead (SES-03).
func (s *Server) answerSignIn(c *fiber.Ctx, res auth.LoginResult, status int) error {
	if old := c.Cookies(s.cookieName()); old != "" {
		if err := s.Auth.Sessions.Delete(c.UserContext(), old); err != nil {
			return err
		}
	}
	s.setSessionCookie(c, res.Token)
	p, err := s.Auth.Sessions.Resolve(c.UserContext(), res.Token)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(fiber.Map{
		"user":       userJSON{ID: p.UserID, Email: p.Email, Name: p.Name},
		"tenant":     tenantOf(p),
		"csrf_token": s.csrfToken(p.SessionID),
	})
}

func (s *Server) logout(c *fiber.Ctx) error {
	token, _ := c.Locals(localToken).(string)
	if err := s.Auth.Logout(c.UserContext(), token, principalOf(c), reqMeta(c)); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	c.Set("Clear-Site-Data", `"cookies", "storage"`)
	// RP-initiated logout: a session from SSO also ends at the provider,
	// when it says how.
	if p := principalOf(c); p.AuthMethod == "oidc" {
		if end := s.Flow.EndSessionURL(c.UserContext(), p.TenantID); end != "" {
			return c.JSON(fiber.Map{"end_session_url": end})
		}
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func tenantOf(p *auth.Principal) tenantJSON {
	var b brandingJSON
	_ = json.Unmarshal([]byte(p.Branding), &b) // stored by us; an empty object at worst
	return tenantJSON{ID: p.TenantID, Slug: p.TenantSlug, Name: p.TenantName, Plan: p.Plan, Branding: b}
}

// me is who the caller is, in which tenant, with which roles and
// permissions: the web app shows or hides actions from this list.
func (s *Server) me(c *fiber.Ctx) error {
	return s.answerMe(c, principalOf(c))
}

func (s *Server) answerMe(c *fiber.Ctx, p *auth.Principal) error {
	var role, account any
	if p.Role != "" {
		role = p.Role
	}
	if p.AccountID != "" {
		account = fiber.Map{"slug": p.AccountSlug, "name": p.AccountName}
	}
	roles := p.Roles
	if roles == nil {
		roles = []string{}
	}
	t := tenantOf(p)
	// The plan in force: an expired or invalid license means starter.
	st, err := tenant.PlanStatus(c.UserContext(), s.DB.R, p.TenantID, s.Now(), s.Tenants.LicenseKey)
	if err != nil {
		return err
	}
	t.Plan = st.Plan
	tenants, err := s.Auth.Sessions.Tenants(c.UserContext(), p.UserID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{
		"user":         userJSON{ID: p.UserID, Email: p.Email, Name: p.Name},
		"tenant":       t,
		"membership":   fiber.Map{"role": role, "roles": roles, "account": account},
		"permissions":  s.Policy.PermissionsOf(roles),
		"auth_method":  p.AuthMethod,
		"has_password": p.HasPassword,
		"tenants":      tenants,
	})
}

// switchTenant moves the session to another tenant of the caller.
func (s *Server) switchTenant(c *fiber.Ctx) error {
	var in struct {
		Tenant string `json:"tenant"`
	}
	if err := decode(c, &in); err != nil {
		return err
	}
	p := principalOf(c)
	if err := s.Auth.Sessions.SwitchTenant(c.UserContext(), p, in.Tenant); err != nil {
		return err
	}
	token, _ := c.Locals(localToken).(string)
	np, err := s.Auth.Sessions.Resolve(c.UserContext(), token)
	if err != nil {
		return err
	}
	return s.answerMe(c, np)
}

func (s *Server) mySessions(c *fiber.Ctx) error {
	items, err := s.Auth.Sessions.List(c.UserContext(), principalOf(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": items, "next_cursor": nil})
}

func (s *Server) endMySession(c *fiber.Ctx) error {
	p := principalOf(c)
	if err := s.Auth.Sessions.End(c.UserContext(), p, c.Params("id")); err != nil {
		return err
	}
	if c.Params("id") == p.SessionID {
		s.clearSessionCookie(c)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) changePassword(c *fiber.Ctx) error {
	var in struct {
		Current string `json:"current_password"`
		New     string `json:"new_password"`
	}
	if err := decode(c, &in); err != nil {
		return err
	}
	if err := s.Auth.ChangePassword(c.UserContext(), principalOf(c), in.Current, in.New, reqMeta(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// requestPasswordReset answers 202 whether or not the email is known; the
// mail, if any, leaves in the background so timing tells nothing either.
func (s *Server) requestPasswordReset(c *fiber.Ctx) error {
	var in struct {
		Email  string `json:"email"`
		Tenant string `json:"tenant"`
	}
	if err := decode(c, &in); err != nil {
		return err
	}
	r, err := s.Auth.RequestReset(c.UserContext(), in.Email, in.Tenant, reqMeta(c))
	if err != nil {
		return err
	}
	if r != nil {
		s.mailReset(c, r)
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{})
}

func (s *Server) completePasswordReset(c *fiber.Ctx) error {
	var in struct {
		Password string `json:"password"`
	}
	if err := decode(c, &in); err != nil {
		return err
	}
	if err := s.Auth.CompleteReset(c.UserContext(), c.Params("token"), in.Password, reqMeta(c)); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return c.SendStatus(fiber.StatusNoContent)
}
