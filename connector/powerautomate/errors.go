package powerautomate

import (
	"encoding/json"
	"net/http"
	"strings"

	"bureau/connector"
)

// errorBody holds both error shapes we meet: Dataverse's
// {"error":{"code":"0x80040217","message":"…"}} and Entra ID's
// {"error":"invalid_client","error_description":"AADSTS7000215: …"}.
type errorBody struct {
	Error       json.RawMessage `json:"error"`
	Description string          `json:"error_description"`
}

type dataverseError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func parseError(op string, resp *http.Response, body []byte) *connector.Error {
	var b errorBody
	if json.Unmarshal(body, &b) != nil || len(b.Error) == 0 {
		return connector.HTTPError(op, resp, plainMessage(resp, body), "")
	}
	var dv dataverseError
	if json.Unmarshal(b.Error, &dv) == nil && dv.Message != "" {
		return connector.HTTPError(op, resp, dv.Message, dv.Code)
	}
	var code string
	if json.Unmarshal(b.Error, &code) == nil {
		return entraError(op, resp, code, b.Description)
	}
	return connector.HTTPError(op, resp, plainMessage(resp, body), "")
}

// entraError: the sign-in refusals (unknown tenant or app, wrong secret,
// wrong scope) come as 400 or 401 and all mean "these credentials do not
// get a token", which is what a person has to fix.
func entraError(op string, resp *http.Response, code, description string) *connector.Error {
	msg := description
	// The description goes on with "\r\nTrace ID: …\r\nCorrelation ID: …".
	if i := strings.IndexAny(msg, "\r\n"); i >= 0 {
		msg = msg[:i]
	}
	if msg == "" {
		msg = code
	}
	e := connector.HTTPError(op, resp, strings.TrimSpace(msg), code)
	if resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized {
		e.Kind = connector.KindAuth
	}
	return e
}

// plainMessage is for answers without a JSON error: Dataverse's 401 has an
// empty body, gateways answer 5xx in HTML.
func plainMessage(resp *http.Response, body []byte) string {
	text := strings.TrimSpace(string(body))
	if resp.StatusCode == http.StatusUnauthorized {
		return "Dataverse refused the access token; check that the app registration is an application user of this environment"
	}
	if text == "" || strings.HasPrefix(text, "<") {
		return http.StatusText(resp.StatusCode)
	}
	return text
}
