package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"mime"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"bureau/apperr"
)

func csrfRejected() error {
	return apperr.Forbidden("csrf_rejected",
		"This request did not come from Bureau's own pages. Reload the page and try again.")
}

// checkOrigin refuses state-changing requests from other sites: the
// algorithm of Go's http.CrossOriginProtection, for fasthttp (CSRF-01,
// CSRF-04). Sec-Fetch-Site decides when the browser sends it; otherwise the
// Origin must be Bureau's own; a request with neither is refused. Ingestion
// is exempt: it authenticates with a bearer key and never with a cookie.
func (s *Server) checkOrigin(c *fiber.Ctx) error {
	if isSafeMethod(c.Method()) || strings.HasPrefix(c.Path(), "/api/v1/ingest/") {
		return c.Next()
	}
	switch c.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return c.Next()
	case "":
	default:
		return csrfRejected()
	}
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" || !s.sameOrigin(c, origin) {
		return csrfRejected()
	}
	return c.Next()
}

// sameOrigin accepts the configured base URL's origin, and the origin the
// request itself was addressed to (what Go's CrossOriginProtection compares),
// so an install reached by IP as well as by name keeps working.
func (s *Server) sameOrigin(c *fiber.Ctx, origin string) bool {
	o, err := url.Parse(origin)
	if err != nil || o.Host == "" {
		return false
	}
	base, err := url.Parse(s.Config.BaseURL)
	if err == nil && strings.EqualFold(o.Scheme, base.Scheme) && strings.EqualFold(o.Host, base.Host) {
		return true
	}
	return strings.EqualFold(o.Host, c.Hostname()) && strings.EqualFold(o.Scheme, c.Protocol())
}

// checkContentType makes every request body JSON (CSRF-02): a cross-site form
// or text/plain post cannot reach a handler. Routes that take another type
// (CSV import) are listed in bodyTypes.
func (s *Server) checkContentType(c *fiber.Ctx) error {
	if isSafeMethod(c.Method()) || len(c.Body()) == 0 {
		return c.Next()
	}
	mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	want := bodyTypeOf(c.Path())
	if err == nil && mt == want {
		return c.Next()
	}
	return apperr.New(apperr.KindUnsupportedType, "unsupported_media_type", "Send the request body as "+want+".")
}

// bodyTypeOf is the one media type a path accepts: JSON, except the few
// uploads listed by path suffix.
func bodyTypeOf(path string) string {
	if strings.HasSuffix(path, "/invitations/import") {
		return "text/csv"
	}
	return fiber.MIMEApplicationJSON
}

// checkCSRFToken requires, on every state-changing request made with a
// session, the X-CSRF-Token header bound to that session.
func (s *Server) checkCSRFToken(c *fiber.Ctx) error {
	p := principalOf(c)
	if isSafeMethod(c.Method()) || p == nil {
		return c.Next()
	}
	got := c.Get("X-CSRF-Token")
	if got == "" || !hmac.Equal([]byte(got), []byte(s.csrfToken(p.SessionID))) {
		return csrfRejected()
	}
	return c.Next()
}

// csrfToken is an HMAC of the session id under a key kept outside the
// database: only Bureau can mint it, and it dies with the session.
func (s *Server) csrfToken(sessionID string) string {
	m := hmac.New(sha256.New, s.CSRFKey)
	m.Write([]byte("csrf:" + sessionID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
