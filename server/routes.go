package server

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"
)

// Permission markers that are not policy permissions.
const (
	Public   = "public"    // anyone, signed in or not
	SignedIn = "signed_in" // any valid session, with or without a role
	APIKey   = "api_key"   // an account's ingest key, never a cookie
)

// Route is one line of the route table.
type Route struct {
	Method  string
	Path    string
	Perm    string
	Handler fiber.Handler
}

// routes is THE route table: every API route, with the permission it needs.
// A path with :account is resolved inside the active tenant before the
// permission is checked.
func (s *Server) routes() []Route {
	return []Route{
		{"GET", "/api/v1/setup", Public, s.getSetup},
		{"POST", "/api/v1/setup", Public, s.postSetup},
		{"GET", "/api/v1/auth/csrf", Public, s.getCSRF},
		{"POST", "/api/v1/auth/login", Public, s.login},
		{"POST", "/api/v1/auth/logout", SignedIn, s.logout},
		{"GET", "/api/v1/me", SignedIn, s.me},

		{"GET", "/api/v1/tenant", "tenant:read", s.getTenant},
		{"GET", "/api/v1/tenant/license", "tenant:license", s.getLicense},
		{"PUT", "/api/v1/tenant/license", "tenant:license", s.putLicense},
		{"GET", "/api/v1/tenant/usage", "tenant:usage", s.getUsage},

		{"GET", "/api/v1/accounts", "accounts:list", s.listAccounts},
		{"POST", "/api/v1/accounts", "accounts:create", s.createAccount},
		{"GET", "/api/v1/accounts/slug-availability", "accounts:create", s.slugAvailability},
		{"GET", "/api/v1/accounts/:account", "account:read", s.getAccount},
		{"PATCH", "/api/v1/accounts/:account", "account:update", s.patchAccount},
		{"DELETE", "/api/v1/accounts/:account", "account:lifecycle", s.deleteAccount},
		{"POST", "/api/v1/accounts/:account/deactivate", "account:lifecycle", s.deactivateAccount},
		{"POST", "/api/v1/accounts/:account/reactivate", "account:lifecycle", s.reactivateAccount},
		{"GET", "/api/v1/accounts/:account/settings", "settings:read", s.getSettings},
		{"PATCH", "/api/v1/accounts/:account/settings", "settings:update", s.patchSettings},
	}
}

// Routes exposes the table to tests.
func (s *Server) Routes() []Route { return s.routes() }

// register adds routes to api behind the authorization gate. It refuses a
// route without a permission, with an unknown one, or declared twice.
func (s *Server) register(api fiber.Router, routes []Route) error {
	seen := map[string]bool{}
	for _, r := range routes {
		key := r.Method + " " + r.Path
		switch {
		case seen[key]:
			return fmt.Errorf("route %s is declared twice", key)
		case r.Perm == "":
			return fmt.Errorf("route %s declares no permission", key)
		case r.Perm != Public && r.Perm != SignedIn && r.Perm != APIKey && !s.Policy.Known(r.Perm):
			return fmt.Errorf("route %s names unknown permission %q", key, r.Perm)
		case !strings.HasPrefix(r.Path, "/api/"):
			return fmt.Errorf("route %s is outside /api", key)
		}
		seen[key] = true
		handlers := []fiber.Handler{s.authorize(r)}
		if r.Path == "/api/v1/setup" && r.Method == "POST" {
			handlers = append(handlers, s.setupLimiter())
		}
		if r.Handler == nil {
			return fmt.Errorf("route %s has no handler", key)
		}
		api.Add(r.Method, strings.TrimPrefix(r.Path, "/api"), append(handlers, r.Handler)...)
	}
	return nil
}

// setupLimiter bounds the unauthenticated, Argon2-hashing setup endpoint.
func (s *Server) setupLimiter() fiber.Handler {
	return limiter.New(limiter.Config{Max: 20, LimitReached: func(c *fiber.Ctx) error {
		return rateLimitedErr(60)
	}})
}
