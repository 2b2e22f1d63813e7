package blueprism

import (
	"net/http"
	"testing"
	"time"

	"bureau/connector"
)

func TestParseError(t *testing.T) {
	for _, tt := range []struct {
		name       string
		status     int
		body       string
		kind       connector.Kind
		msg, code  string
		retryAfter time.Duration
	}{
		{"401 bare string", 401, `"The authentication token was either missing or invalid."`, connector.KindAuth, "The authentication token was either missing or invalid.", "", 0},
		{"403 bare string", 403, `"The user does not have permission to perform this action."`, connector.KindForbidden, "The user does not have permission to perform this action.", "", 0},
		{"404 bare string", 404, `"Session not found."`, connector.KindNotFound, "Session not found.", "", 0},
		{"400 validation", 400, `{"invalidField":"resourceId","message":"The resource is Offline."}`, connector.KindInvalid, "resourceId: The resource is Offline.", "", 0},
		{"400 url parameter", 400, `{"message":"The value supplied for 'sortBy' is invalid.","messageDetail":"Use StartTimeAsc."}`, connector.KindInvalid, "The value supplied for 'sortBy' is invalid. Use StartTimeAsc.", "", 0},
		{"403 session forbidden", 403, `{"errorMessage":"The number of sessions permitted by the license would be exceeded."}`, connector.KindForbidden, "The number of sessions permitted by the license would be exceeded.", "", 0},
		{"500 general", 500, `{"errorMessage":"An unexpected error occurred."}`, connector.KindUnavailable, "An unexpected error occurred.", "", 0},
		{"429", 429, `{"errorMessage":"Too many requests."}`, connector.KindRateLimited, "Too many requests.", "", 7 * time.Second},
		{"oauth invalid_client", 400, `{"error":"invalid_client"}`, connector.KindAuth, "the Authentication Server refused the client ID or secret", "invalid_client", 0},
		{"oauth with description", 400, `{"error":"invalid_scope","error_description":"scope bp-api not allowed"}`, connector.KindAuth, "scope bp-api not allowed", "invalid_scope", 0},
		{"problem details", 400, `{"title":"One or more validation errors occurred.","status":400}`, connector.KindInvalid, "One or more validation errors occurred.", "", 0},
		{"empty 404", 404, ``, connector.KindNotFound, "Not Found", "", 0},
		{"html from a proxy", 502, `<html>Bad Gateway</html>`, connector.KindUnavailable, "<html>Bad Gateway</html>", "", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tt.status, Header: http.Header{}}
			if tt.status == 429 {
				resp.Header.Set("Retry-After", "7")
			}
			e := parseError("op", resp, []byte(tt.body))
			if e.Kind != tt.kind || e.Message != tt.msg || e.Code != tt.code || e.Status != tt.status || e.RetryAfter != tt.retryAfter {
				t.Errorf("got %+v", e)
			}
		})
	}
}
