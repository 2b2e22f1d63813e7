package server

import (
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"bureau/apperr"
	"bureau/tenant"
)

// FUZZ-01, OPS-01: decoding any body either fills the struct or gives a 400
// problem; it never panics and never yields an untyped error (a 500).
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{`{}`, `{"tenant_name":"x"}`, `[`, `{"tenant_name":1}`, `{"x":1}`, `{} {}`, "\x00", `{"owner_password":"\ud800"}`} {
		f.Add([]byte(seed))
	}
	app := fiber.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		var rc fasthttp.RequestCtx
		rc.Request.SetBody(body)
		c := app.AcquireCtx(&rc)
		defer app.ReleaseCtx(c)
		var in tenant.SetupInput
		err := decode(c, &in)
		if err == nil {
			return
		}
		if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindBadRequest || e.Code == "" {
			t.Fatalf("body %q: %v", body, err)
		}
	})
}

func TestDecodeSeeds(t *testing.T) {
	app := fiber.New()
	for body, code := range map[string]string{`{"tenant_name":"x"}`: "", `{"nope":1}`: "unknown_field", `[]`: "invalid_json", ``: "invalid_json"} {
		var rc fasthttp.RequestCtx
		rc.Request.SetBody([]byte(body))
		c := app.AcquireCtx(&rc)
		var in tenant.SetupInput
		if got := apperr.CodeOf(decode(c, &in)); got != code {
			t.Errorf("%q: %q, want %q", body, got, code)
		}
		app.ReleaseCtx(c)
	}
}
