package server

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"
)

var pathParam = regexp.MustCompile(`:(\w+)`)

// openAPIDoc describes the routes of routes.go, so the served document and
// the routes cannot drift apart: each operation names its permission.
var paramDescriptions = map[string]string{
	"account": "the account's slug in the active tenant",
	"user":    "a person's user id",
	"id":      "the object's id",
	"token":   "the token from an emailed link",
}

func (s *Server) openAPIDoc() map[string]any {
	problem := map[string]any{
		"description": "An error, as application/problem+json with a stable code",
		"content": map[string]any{"application/problem+json": map[string]any{
			"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}},
	}
	paths := map[string]any{}
	for _, r := range s.routes() {
		p := pathParam.ReplaceAllString(r.Path, "{$1}")
		item, _ := paths[p].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[p] = item
		}
		op := map[string]any{
			"summary":      r.Summary,
			"operationId":  strings.ToLower(r.Method) + strings.NewReplacer("/api/v1", "", "/", "_", ":", "", "-", "_", ".", "_").Replace(r.Path),
			"x-permission": r.Perm,
			"responses":    map[string]any{"2XX": map[string]any{"description": "Success"}, "default": problem},
		}
		if r.Perm == APIKey {
			op["security"] = []any{map[string]any{"apiKey": []any{}}}
		} else if r.Perm != Public {
			op["security"] = []any{map[string]any{"session": []any{}}}
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(r.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true,
				"description": paramDescriptions[m[1]], "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if r.Method == "POST" || r.Method == "PUT" || r.Method == "PATCH" {
			mt, schema := bodyTypeOf(r.Path), map[string]any{"type": "object"}
			if mt != "application/json" {
				schema = map[string]any{"type": "string"}
			}
			op["requestBody"] = map[string]any{"content": map[string]any{mt: map[string]any{"schema": schema}}}
		}
		item[strings.ToLower(r.Method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Bureau API", "version": s.Version,
			"description": "State-changing requests made with the session cookie must be same-origin and carry X-CSRF-Token (GET /api/v1/auth/csrf)."},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"session": map[string]any{"type": "apiKey", "in": "cookie", "name": s.cookieName()},
				"apiKey": map[string]any{"type": "http", "scheme": "bearer", "description": "An account's ingestion key, bur_…"}},
			"schemas": map[string]any{"Problem": map[string]any{
				"type":     "object",
				"required": []string{"status", "title", "code"},
				"properties": map[string]any{
					"type": map[string]any{"type": "string"}, "title": map[string]any{"type": "string"},
					"status": map[string]any{"type": "integer"}, "detail": map[string]any{"type": "string"},
					"code": map[string]any{"type": "string"},
					"errors": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
						"field": map[string]any{"type": "string"}, "code": map[string]any{"type": "string"},
						"message": map[string]any{"type": "string"}}}},
				},
			}},
		},
	}
}

func (s *Server) openAPI(c *fiber.Ctx) error {
	raw, err := json.Marshal(s.openAPIDoc())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(raw)
}
