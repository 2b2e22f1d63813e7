package automationanywhere

import (
	"encoding/json"
	"net/http"
	"strings"

	"bureau/connector"
)

// vendorError is the Control Room's error body:
// {"code":"…","details":"…","message":"…"}.
type vendorError struct {
	Code    string `json:"code"`
	Details string `json:"details"`
	Message string `json:"message"`
}

// parseError turns a Control Room error body into *connector.Error; nil
// (the body's text) when the answer is not that shape, e.g. a proxy's
// HTML page.
func parseError(op string, resp *http.Response, body []byte) *connector.Error {
	var v vendorError
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	msg := strings.TrimSpace(v.Message)
	details := strings.TrimSpace(v.Details)
	switch {
	case msg == "":
		msg = details
	case details != "" && details != msg:
		msg += ": " + details
	}
	if msg == "" && v.Code == "" {
		return nil
	}
	return connector.HTTPError(op, resp, msg, v.Code)
}

func unexpected(op string, err error) *connector.Error {
	return &connector.Error{Kind: connector.KindUnavailable, Op: op, Message: "the answer is not the expected JSON: " + err.Error(), Err: err}
}
