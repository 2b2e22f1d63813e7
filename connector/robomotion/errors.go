package robomotion

import (
	"encoding/json"
	"net/http"
	"strings"

	"bureau/connector"
)

// errorBody is Robomotion's error shape: {"ok":false,"error":"flow_not_found"}.
// A human "message" beside the code is not documented (assumption); it is
// used when present.
type errorBody struct {
	OK      *bool  `json:"ok"`
	Error   string `json:"error"`
	Message string `json:"message"`
}

// parseError reads a non-2xx answer.
func parseError(op string, resp *http.Response, body []byte) *connector.Error {
	var b errorBody
	if json.Unmarshal(body, &b) != nil || (b.Error == "" && b.Message == "") {
		return nil // not Robomotion's shape: the caller shows the body's text
	}
	return newError(op, resp.StatusCode, b)
}

// envelopeError returns the error a 2xx answer carries, or nil.
func envelopeError(op string, status int, body []byte) *connector.Error {
	var b errorBody
	if json.Unmarshal(body, &b) != nil {
		return nil
	}
	if b.OK == nil || *b.OK {
		if b.OK == nil && b.Error != "" {
			return newError(op, status, b) // no ok but an error code: still an error
		}
		return nil
	}
	return newError(op, status, b)
}

func newError(op string, status int, b errorBody) *connector.Error {
	msg := b.Message
	if msg == "" {
		msg = humanise(b.Error)
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	return &connector.Error{Kind: kindOf(status, b.Error), Status: status, Message: msg, Code: b.Error, Op: op}
}

// kindOf maps Robomotion's error code, and the status it came with, to a
// kind. Only invalid_token (401) and flow_not_found (200) are seen in
// public material; the other codes follow the Slack-style vocabulary the
// API's shape suggests (assumption), and anything unknown is invalid.
func kindOf(status int, code string) connector.Kind {
	switch {
	case status == http.StatusTooManyRequests || status >= 500:
		return connector.KindForStatus(status)
	case code == "not_found" || strings.HasSuffix(code, "_not_found"):
		return connector.KindNotFound
	}
	switch code {
	case "invalid_token", "invalid_auth", "not_authed", "unauthorized", "token_expired", "token_revoked", "account_inactive":
		return connector.KindAuth
	case "permission_denied", "forbidden", "not_allowed", "no_permission", "missing_scope":
		return connector.KindForbidden
	case "rate_limited", "ratelimited", "too_many_requests":
		return connector.KindRateLimited
	case "internal_error", "service_unavailable", "fatal_error":
		return connector.KindUnavailable
	}
	if status >= 200 && status < 300 {
		return connector.KindInvalid
	}
	return connector.KindForStatus(status)
}

// humanise turns "flow_not_found" into "Flow not found".
func humanise(code string) string {
	s := strings.TrimSpace(strings.ReplaceAll(code, "_", " "))
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
