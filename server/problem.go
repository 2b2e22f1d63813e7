package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"bureau/apperr"
)

// Problem is an RFC 9457 problem document with Bureau's stable code.
type Problem struct {
	Type   string              `json:"type"`
	Title  string              `json:"title"`
	Status int                 `json:"status"`
	Detail string              `json:"detail"`
	Code   string              `json:"code"`
	Errors []apperr.FieldError `json:"errors,omitempty"`
	extra  map[string]any
}

// MarshalJSON adds the extension members (RFC 9457 §3.2) beside the
// standard ones; they can never replace them.
func (p Problem) MarshalJSON() ([]byte, error) {
	type plain Problem
	raw, err := json.Marshal(plain(p))
	if err != nil || len(p.extra) == 0 {
		return raw, err
	}
	m := map[string]any{}
	for k, v := range p.extra {
		m[k] = v
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return json.Marshal(m)
}

var kindStatus = map[apperr.Kind]int{
	apperr.KindInternal:        http.StatusInternalServerError,
	apperr.KindBadRequest:      http.StatusBadRequest,
	apperr.KindUnauthenticated: http.StatusUnauthorized,
	apperr.KindForbidden:       http.StatusForbidden,
	apperr.KindNotFound:        http.StatusNotFound,
	apperr.KindConflict:        http.StatusConflict,
	apperr.KindGone:            http.StatusGone,
	apperr.KindUnsupportedType: http.StatusUnsupportedMediaType,
	apperr.KindInvalid:         http.StatusUnprocessableEntity,
	apperr.KindRateLimited:     http.StatusTooManyRequests,
	apperr.KindBadGateway:      http.StatusBadGateway,
}

// fiberCodes name the errors the router itself raises.
var fiberCodes = map[int]string{
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "body_too_large",
	http.StatusRequestTimeout:        "request_timeout",
	http.StatusBadRequest:            "bad_request",
}

// errorHandler turns every error into problem+json. Domain errors carry their
// kind and code; anything untyped is a 500 whose details stay in the log.
func (s *Server) errorHandler(c *fiber.Ctx, err error) error {
	p := Problem{Type: "about:blank"}
	var fe *fiber.Error
	if ae, ok := apperr.As(err); ok && ae.Kind != apperr.KindInternal {
		p.Status, p.Code, p.Detail, p.Errors, p.extra = kindStatus[ae.Kind], ae.Code, ae.Message, ae.Fields, ae.Extra
		if ae.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(ae.RetryAfter))
		}
	} else if errors.As(err, &fe) && fe.Code < 500 {
		p.Status, p.Code, p.Detail = fe.Code, fiberCodes[fe.Code], fe.Message
		if p.Code == "" {
			p.Code = "bad_request"
		}
		if fe.Code == http.StatusNotFound {
			p.Detail = apperr.NotFound().Message
		}
	} else {
		s.log.ErrorContext(c.UserContext(), "request failed", "err", err.Error(),
			"request_id", requestID(c), "method", c.Method(), "path", c.Path())
		p.Status, p.Code, p.Detail = http.StatusInternalServerError, "internal",
			"Something went wrong on our side. Try again; if it keeps happening, tell your administrator the request id "+requestID(c)+"."
	}
	p.Title = http.StatusText(p.Status)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(p.Status).JSON(p, "application/problem+json")
}
