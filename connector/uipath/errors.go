package uipath

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"bureau/connector"
)

// Orchestrator error codes Bureau acts on (docs.uipath.com "Response Codes").
const codeFolderNotFound = "1100"

// errorBody reads every error shape UiPath answers with. Go matches JSON
// names case-insensitively, so Message/message, ErrorCode/errorCode and
// TraceId/traceId land in the same fields.
type errorBody struct {
	// Error is the OAuth error code (a string) from the identity server, or
	// the ABP envelope's error object from Orchestrator.
	Error       json.RawMessage `json:"error"`
	Description string          `json:"error_description"`
	Message     string          `json:"message"`
	ErrorCode   json.RawMessage `json:"errorCode"`
	TraceID     string          `json:"traceId"`
}

type abpError struct {
	Message string `json:"message"`
	Details string `json:"details"`
}

// parseError turns UiPath's error bodies into a *connector.Error: OAuth
// errors from the identity server ({"error":"invalid_client"}), ErrorResult
// from Orchestrator ({message, errorCode, traceId}) and the ABP envelope
// of Account/Authenticate and 401s ({message, error:{message, details}}).
func parseError(op string, resp *http.Response, body []byte) *connector.Error {
	var b errorBody
	if json.Unmarshal(body, &b) != nil {
		return nil // not JSON (a proxy's page): the Caller shows the text
	}
	oauthCode := jsonString(b.Error)
	var abp abpError
	if oauthCode == "" && len(b.Error) > 0 {
		_ = json.Unmarshal(b.Error, &abp)
	}
	msg := firstNonEmpty(b.Description, b.Message, abp.Message, oauthCode)
	code := firstNonEmpty(oauthCode, strings.Trim(string(b.ErrorCode), `"`))
	if code == "null" || code == "0" {
		code = ""
	}
	if b.TraceID != "" && msg != "" {
		msg += " (trace ID " + b.TraceID + ")"
	}
	e := connector.HTTPError(op, resp, msg, code)
	switch {
	case op == opToken || op == opSignIn:
		e.Kind = tokenErrorKind(oauthCode, resp.StatusCode)
	case code == codeFolderNotFound:
		e.Kind = connector.KindNotFound
	}
	return e
}

// tokenErrorKind: a refused sign-in is an auth failure, except a scope the
// application was not granted, which is a permission problem.
func tokenErrorKind(oauthCode string, status int) connector.Kind {
	switch {
	case oauthCode == "invalid_scope" || oauthCode == "unauthorized_client":
		return connector.KindForbidden
	case status == http.StatusBadRequest || status == http.StatusUnauthorized || status == http.StatusForbidden:
		return connector.KindAuth
	}
	return connector.KindForStatus(status)
}

func jsonString(raw json.RawMessage) string {
	var s string
	if len(raw) > 0 && bytes.HasPrefix(bytes.TrimSpace(raw), []byte(`"`)) && json.Unmarshal(raw, &s) == nil {
		return s
	}
	return ""
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
