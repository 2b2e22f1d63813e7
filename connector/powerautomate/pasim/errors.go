package pasim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"bureau/connector/simkit"
)

// Dataverse error codes (hex of the platform's int error codes).
const (
	codeNotFound        = "0x80040217" // record does not exist
	codeQuery           = "0x80060888" // OData URI / query not valid
	codeSegment         = "0x8006088a" // resource not found for the segment
	codeInvalidArgument = "0x80040203"
	codeUnexpected      = "0x80040216"
	codeRequestLimit    = "0x80072322" // service protection: number of requests
)

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; odata.metadata=minimal")
	w.Header().Set("OData-Version", "4.0")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// dvError writes Dataverse's error envelope.
func dvError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": message}})
}

func retryAfterHeader(w http.ResponseWriter, d time.Duration) {
	if d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(d.Round(time.Second)/time.Second)))
	}
}

// dataverseFault answers an injected fault the way Dataverse's service
// protection limits and platform errors do.
func dataverseFault(w http.ResponseWriter, f simkit.Fault, retryAfter time.Duration) {
	if f == simkit.TooManyRequests {
		retryAfterHeader(w, retryAfter)
		dvError(w, http.StatusTooManyRequests, codeRequestLimit,
			"Number of requests exceeded the limit of 6000 over time window of 300 seconds.")
		return
	}
	dvError(w, http.StatusInternalServerError, codeUnexpected, "An unexpected error occurred.")
}

// unauthorized is Dataverse's answer to a missing, expired or foreign
// token: 401 with a WWW-Authenticate challenge (assumption: empty body).
func unauthorized(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", "Bearer authorization_uri=https://login.microsoftonline.com/"+Tenant+
		"/oauth2/authorize, resource_id="+origin(r)+"/")
	w.WriteHeader(http.StatusUnauthorized)
}

// origin is the environment URL as the client reached it.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
