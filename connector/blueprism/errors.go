package blueprism

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"bureau/connector"
)

// errorBody holds every error shape the Blue Prism API and its
// Authentication Server answer with:
//   - {"errorMessage": …}                  general errors, 403 SessionForbidden
//   - {"invalidField": …, "message": …}    400 validation errors
//   - {"message": …, "messageDetail": …}   400 URL parameter errors
//   - {"error": …, "error_description": …} OAuth errors from /connect/token
//   - {"title": …, "detail": …}            ASP.NET problem details
//
// and 401/403/404 answer a bare JSON string.
type errorBody struct {
	ErrorMessage     string `json:"errorMessage"`
	InvalidField     string `json:"invalidField"`
	Message          string `json:"message"`
	MessageDetail    string `json:"messageDetail"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	Title            string `json:"title"`
	Detail           string `json:"detail"`
}

// oauthMessages explain the OAuth error codes a person meets most.
var oauthMessages = map[string]string{
	"invalid_client":         "the Authentication Server refused the client ID or secret",
	"unauthorized_client":    "this service account may not use the client-credentials grant",
	"invalid_scope":          "the service account is not granted the requested scope (check the Blue Prism API permission in Hub)",
	"unsupported_grant_type": "the Authentication Server does not accept the client-credentials grant",
}

func parseError(op string, resp *http.Response, body []byte) *connector.Error {
	raw := bytes.TrimSpace(body)
	switch {
	case len(raw) == 0:
		return connector.HTTPError(op, resp, "", "")
	case raw[0] == '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return connector.HTTPError(op, resp, s, "")
		}
	case raw[0] == '{':
		var b errorBody
		if json.Unmarshal(raw, &b) == nil {
			return fromBody(op, resp, b, string(raw))
		}
	}
	return connector.HTTPError(op, resp, string(raw), "")
}

func fromBody(op string, resp *http.Response, b errorBody, raw string) *connector.Error {
	if b.Error != "" {
		msg := b.ErrorDescription
		if msg == "" {
			msg = oauthMessages[b.Error]
		}
		if msg == "" {
			msg = b.Error
		}
		e := connector.HTTPError(op, resp, msg, b.Error)
		if resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized {
			e.Kind = connector.KindAuth // the token request was refused
		}
		return e
	}
	return connector.HTTPError(op, resp, message(b, raw), "")
}

func message(b errorBody, raw string) string {
	switch {
	case b.ErrorMessage != "":
		return b.ErrorMessage
	case b.InvalidField != "" && b.Message != "":
		return b.InvalidField + ": " + b.Message
	case b.Message != "" && b.MessageDetail != "":
		return b.Message + " " + strings.TrimSpace(b.MessageDetail)
	case b.Message != "":
		return b.Message
	case b.Title != "" && b.Detail != "":
		return b.Title + " " + b.Detail
	case b.Title != "":
		return b.Title
	}
	return raw
}
