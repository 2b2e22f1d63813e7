package server

import (
	"bytes"
	"strings"

	"github.com/gofiber/fiber/v2"

	"bureau/apikey"
)

const localAPIKey = "api_key"

// keyParams are query parameters a client might put a key in. A key there
// ends up in proxy logs and browser history, so it is refused (KEY-05).
var keyParams = map[string]bool{"api_key": true, "apikey": true, "key": true, "token": true, "access_token": true}

// authenticateKey is the gate of the APIKey routes. Only
// "Authorization: Bearer <key>" authenticates; a session cookie never does.
// Every failure is the same 401 (KEY-04); the account is the key's
// (KEY-03); each key has its own rate budget, so one client cannot starve
// another. Neither the key nor the query string is logged: the access log
// records the path only.
func (s *Server) authenticateKey(c *fiber.Ctx) error {
	c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="bureau-ingest"`)
	if keyOutsideHeader(c) {
		return apikey.ErrInvalid()
	}
	token, ok := bearer(c.Get(fiber.HeaderAuthorization))
	if !ok {
		return apikey.ErrInvalid()
	}
	k, err := s.APIKeys.Authenticate(c.UserContext(), token, c.IP())
	if err != nil {
		return err
	}
	if err := s.APIKeys.Allow(k); err != nil {
		return err
	}
	c.Locals(localAPIKey, k)
	return c.Next()
}

func bearer(h string) (string, bool) {
	const scheme = "Bearer "
	if !hasPrefixFold(h, scheme) {
		return "", false
	}
	token := strings.TrimSpace(h[len(scheme):])
	return token, token != ""
}

// keyOutsideHeader reports a key (or a key parameter) in the query string
// or a key anywhere in the body (KEY-05).
func keyOutsideHeader(c *fiber.Ctx) bool {
	found := false
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		if keyParams[strings.ToLower(string(k))] || bytes.Contains(v, []byte("bur_")) {
			found = true
		}
	})
	body := c.Body()
	return found || (bytes.Contains(body, []byte("bur_")) && apikey.Pattern.Match(body))
}

func (s *Server) ingest(c *fiber.Ctx, kind string) error {
	k, _ := c.Locals(localAPIKey).(apikey.Key)
	if k.AccountID == "" {
		return apikey.ErrInvalid()
	}
	res, err := s.APIKeys.Ingest(c.UserContext(), k, kind, c.Body())
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (s *Server) ingestProcesses(c *fiber.Ctx) error { return s.ingest(c, apikey.KindProcesses) }
func (s *Server) ingestRobots(c *fiber.Ctx) error    { return s.ingest(c, apikey.KindRobots) }
func (s *Server) ingestJobs(c *fiber.Ctx) error      { return s.ingest(c, apikey.KindJobs) }
