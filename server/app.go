// Package server is Bureau's HTTP layer: the Fiber app, its middleware, the
// route table and thin handlers. It decodes, authorizes and hands over to the
// domain packages; it holds no SQL and no business rules.
package server

import (
	"bureau/connection"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"bureau/account"
	"bureau/apikey"
	"bureau/auth"
	"bureau/config"
	"bureau/mail"
	"bureau/people"
	"bureau/policy"
	"bureau/runs"
	"bureau/sso"
	"bureau/store"
	"bureau/syncer"
	"bureau/tenant"
)

// Deps is everything the server needs, passed in explicitly.
type Deps struct {
	Config   config.Config
	DB       *store.DB
	Policy   *policy.Policy
	Auth     *auth.Service
	Accounts *account.Service
	Tenants  *tenant.Service
	People   *people.Service
	SSO      *sso.Service
	// Connections holds each account's RPA connection and its secrets.
	Connections *connection.Service
	// Syncer pulls each account's estate from its provider (POST …/sync).
	Syncer *syncer.Syncer
	// Runs starts processes and keeps run requests awaiting approval.
	Runs *runs.Service
	// APIKeys holds ingestion keys and ingests what they send.
	APIKeys *apikey.Service
	Flow    *sso.Flow
	Mailer  *mail.Mailer
	Web     fs.FS // the built web app; nil serves a note to build it
	Log     *slog.Logger
	Now     func() time.Time
	CSRFKey []byte
	Version string
}

// Server is the HTTP server.
type Server struct {
	Deps
	App      *fiber.App
	log      *slog.Logger
	draining atomic.Bool
	spa      *spa
}

// New builds the app with its middleware and every route of routes.go. It
// fails when a route declares no permission or an unknown one (ISO-01).
func New(d Deps) (*Server, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	s := &Server{Deps: d, log: d.Log}
	cfg := fiber.Config{
		Immutable:             true, // values from Ctx outlive the handler safely (OPS-04)
		AppName:               "",
		ServerHeader:          "",
		DisableStartupMessage: true,
		ReadTimeout:           d.Config.HTTP.ReadTimeout,
		WriteTimeout:          d.Config.HTTP.WriteTimeout,
		IdleTimeout:           d.Config.HTTP.IdleTimeout,
		BodyLimit:             d.Config.HTTP.BodyLimit,
		ErrorHandler:          s.errorHandler,
	}
	if len(d.Config.HTTP.TrustedProxies) > 0 {
		cfg.ProxyHeader = fiber.HeaderXForwardedFor
		cfg.EnableTrustedProxyCheck = true
		cfg.TrustedProxies = d.Config.HTTP.TrustedProxies
	}
	s.App = fiber.New(cfg)
	s.App.Use(recover.New())
	s.App.Use(s.requestID)
	s.App.Use(s.accessLog)
	s.App.Use(s.securityHeaders)
	s.App.Use(compress.New())

	s.App.Get("/healthz", s.healthz)
	s.App.Get("/readyz", s.readyz)

	api := s.App.Group("/api", s.apiHeaders, s.checkOrigin, s.checkContentType, s.loadPrincipal, s.checkCSRFToken)
	if err := s.register(api, s.routes()); err != nil {
		return nil, err
	}
	api.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound }) // /api/* is never HTML

	spa, err := newSPA(d.Web)
	if err != nil {
		return nil, err
	}
	s.spa = spa
	s.App.Use(s.spa.handle)
	return s, nil
}

// Shutdown stops accepting requests: /readyz turns 503 at once, then
// in-flight requests finish within ctx.
func (s *Server) Shutdown(ctx context.Context) error {
	s.draining.Store(true)
	if err := s.App.ShutdownWithContext(ctx); err != nil {
		return fmt.Errorf("http shutdown: %w", err)
	}
	return nil
}

func (s *Server) requestID(c *fiber.Ctx) error {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	c.Locals(localRequestID, id)
	c.Set("X-Request-ID", id)
	return c.Next()
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// accessLog writes one JSON line per request. The path is logged without
// its query string, so no token that might be there reaches the log (SES-08).
func (s *Server) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		if herr := s.App.ErrorHandler(c, err); herr != nil {
			return herr
		}
		status = c.Response().StatusCode()
	}
	if c.Path() == "/healthz" || c.Path() == "/readyz" {
		return nil
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	s.log.Log(c.UserContext(), level, "request", "request_id", requestID(c), "method", c.Method(),
		"path", c.Path(), "status", status, "duration_ms", time.Since(start).Milliseconds(), "ip", c.IP())
	return nil
}

// csp is satisfied by the built web app: no inline scripts; Mantine sets
// inline styles, the one documented exception (HDR-01).
const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

func (s *Server) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", csp)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Cross-Origin-Resource-Policy", "same-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	if s.Config.Secure() {
		c.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	return c.Next()
}

func (s *Server) apiHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

func (s *Server) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	problem := ""
	if s.draining.Load() {
		problem = "shutting down"
	} else if err := s.DB.R.PingContext(ctx); err != nil {
		problem = "database unreachable"
	} else if pending, err := s.DB.Pending(ctx); err != nil || pending {
		problem = "migrations not applied"
	}
	if problem != "" {
		return c.Status(fiber.StatusServiceUnavailable).JSON(Problem{Type: "about:blank", Title: "Service Unavailable",
			Status: fiber.StatusServiceUnavailable, Code: "not_ready", Detail: problem}, "application/problem+json")
	}
	return c.JSON(fiber.Map{"status": "ready"})
}

const (
	localRequestID = "request_id"
	localPrincipal = "principal"
	localAccount   = "account"
	localToken     = "session_token"
)

func isSafeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
