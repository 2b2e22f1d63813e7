package pasim

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"bureau/connector/simkit"
)

// token is Entra ID's v2.0 token endpoint for the client-credentials grant.
func (s *Sim) token(w http.ResponseWriter, r *http.Request) {
	tenant := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), "/oauth2/v2.0/token")
	if r.Method != http.MethodPost {
		s.entraError(w, http.StatusMethodNotAllowed, "invalid_request", 900561,
			"AADSTS900561: The endpoint only accepts POST requests. Received a "+r.Method+" request.")
		return
	}
	if tenant != Tenant {
		s.entraError(w, http.StatusBadRequest, "invalid_request", 90002, fmt.Sprintf(
			"AADSTS90002: Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", tenant))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.entraError(w, http.StatusBadRequest, "invalid_request", 900144,
			"AADSTS900144: The request body must contain the following parameter: 'grant_type'.")
		return
	}
	if status, code, n, msg := checkClient(r.PostForm, r.Host); status != 0 {
		s.entraError(w, status, code, n, msg)
		return
	}
	tok, secs := s.tokens.Issue()
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type": "Bearer", "expires_in": secs, "ext_expires_in": secs, "access_token": tok,
	})
}

// checkClient validates the grant in Entra ID's order: grant type, app,
// secret, then the scope, which must be this environment's /.default.
func checkClient(form url.Values, host string) (status int, code string, n int, msg string) {
	id, secret, scope := form.Get("client_id"), form.Get("client_secret"), form.Get("scope")
	switch {
	case form.Get("grant_type") != "client_credentials":
		return 400, "unsupported_grant_type", 70003,
			fmt.Sprintf("AADSTS70003: The app requested an unsupported grant type '%s'.", form.Get("grant_type"))
	case id != ClientID:
		return 400, "unauthorized_client", 700016, fmt.Sprintf("AADSTS700016: Application with identifier '%s' was not found in the directory '%s'. "+
			"This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. "+
			"You may have sent your authentication request to the wrong tenant.", id, Tenant)
	case secret == "":
		return 401, "invalid_client", 7000218,
			"AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
	case secret != ClientSecret:
		return 401, "invalid_client", 7000215, fmt.Sprintf("AADSTS7000215: Invalid client secret provided. "+
			"Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", id)
	case !strings.HasSuffix(scope, "/.default"):
		return 400, "invalid_scope", 1002012, fmt.Sprintf("AADSTS1002012: The provided value for scope %s is not valid. "+
			"Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", scope)
	}
	resource, err := url.Parse(strings.TrimSuffix(scope, "/.default"))
	if err != nil || !strings.EqualFold(resource.Host, host) || strings.Trim(resource.Path, "/") != "" {
		return 400, "invalid_resource", 500011, fmt.Sprintf("AADSTS500011: The resource principal named %s was not found in the tenant named %s. "+
			"This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. "+
			"You might have sent your authentication request to the wrong tenant.", strings.TrimSuffix(scope, "/.default"), Tenant)
	}
	return 0, "", 0, ""
}

// entraError writes Entra ID's OAuth error body; the description carries
// trace and correlation ids on further lines, as the real one does.
func (s *Sim) entraError(w http.ResponseWriter, status int, code string, n int, description string) {
	s.mu.Lock()
	trace, corr := s.guid(), s.guid()
	s.mu.Unlock()
	stamp := s.now().Format("2006-01-02 15:04:05Z")
	writeJSON(w, status, map[string]any{
		"error":             code,
		"error_description": fmt.Sprintf("%s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s", description, trace, corr, stamp),
		"error_codes":       []int{n},
		"timestamp":         stamp,
		"trace_id":          trace,
		"correlation_id":    corr,
		"error_uri":         fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", n),
	})
}

// entraFault answers an injected fault from the token endpoint
// (assumption: Entra's throttling and transient-error codes).
func (s *Sim) entraFault(w http.ResponseWriter, f simkit.Fault, retryAfter time.Duration) {
	if f == simkit.TooManyRequests {
		retryAfterHeader(w, retryAfter)
		s.entraError(w, http.StatusTooManyRequests, "temporarily_unavailable", 90055,
			"AADSTS90055: TenantThrottlingError - There are too many incoming requests.")
		return
	}
	s.entraError(w, http.StatusServiceUnavailable, "temporarily_unavailable", 90033,
		"AADSTS90033: A transient error has occurred. Please try again.")
}
