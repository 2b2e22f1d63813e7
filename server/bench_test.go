package server

import (
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// serve runs one request through app's handler without a network, so the
// benchmark measures the middleware chain and handler, not sockets.
func serve(b *testing.B, h fasthttp.RequestHandler, path, cookie string) {
	var ctx fasthttp.RequestCtx
	ctx.Request.SetRequestURI(path)
	ctx.Request.Header.SetMethod("GET")
	if cookie != "" {
		ctx.Request.Header.SetCookie("bureau_session", cookie)
	}
	h(&ctx)
	if ctx.Response.StatusCode() != 200 {
		b.Fatalf("%s: %d %s", path, ctx.Response.StatusCode(), ctx.Response.Body())
	}
}

// BenchmarkBareHandler is the floor: the same Fiber config, one JSON handler.
func BenchmarkBareHandler(b *testing.B) {
	app := fiber.New(fiber.Config{Immutable: true, DisableStartupMessage: true})
	app.Get("/api/v1/accounts/acme", func(c *fiber.Ctx) error {
		return c.JSON(fiber.Map{"id": "01", "slug": "acme", "name": "Acme Corporation", "status": "active"})
	})
	h := app.Handler()
	for b.Loop() {
		serve(b, h, "/api/v1/accounts/acme", "")
	}
}

// BenchmarkAuthorizedRequest is a signed-in Tenant Admin reading an
// account's settings, a handler that only renders what the chain loaded:
// request id, headers, session lookup, account resolution and the policy
// check are what it measures.
func BenchmarkAuthorizedRequest(b *testing.B) {
	t := &testing.T{}
	e := newEnv(t)
	owner := e.setUp()
	h := e.srv.App.Handler()
	b.ResetTimer()
	for b.Loop() {
		serve(b, h, "/api/v1/accounts/acme/settings", owner.cookie)
	}
}
