package uipathsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// Orchestrator error codes used here (docs.uipath.com "Response Codes").
const (
	codeInvalidRequest   = 1000 // invalid OData query options, bad credentials
	codeItemNotFound     = 1002
	codeFolderNotFound   = 1100 // assumption: the folder codes are cited, not documented
	codeFolderIsRequired = 1101 // "An organization unit is required for this action."
)

var traceSeq atomic.Uint64

// errorResult is Orchestrator's error body. The real server writes it in
// camelCase (forum captures), though the published schema spells it
// ErrorResult{Message, ErrorCode, TraceId}; JSON readers match either.
type errorResult struct {
	Message     string  `json:"message"`
	ErrorCode   int     `json:"errorCode"`
	TraceID     string  `json:"traceId"`
	ResourceIDs []int64 `json:"resourceIds,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, errorResult{Message: msg, ErrorCode: code, TraceID: traceID()})
}

// writeRateLimited answers 429. Whether Automation Cloud sends Retry-After
// is unverified (rpa-apis §8); the simulator sends it when the fault has a
// duration, so both paths of the client are exercised.
func writeRateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
	}
	writeError(w, http.StatusTooManyRequests, 0, "Too many requests. The rate limit for this endpoint has been reached; retry later.")
}

// writeNotAuthenticated is the ABP envelope Orchestrator answers a missing,
// expired or revoked bearer token with (forum capture, 2020).
func writeNotAuthenticated(w http.ResponseWriter) {
	writeJSON(w, http.StatusUnauthorized, map[string]any{
		"message":   "You are not authenticated!",
		"errorCode": 0,
		"success":   false,
		"error": map[string]any{
			"code":    0,
			"message": "You are not authenticated!",
			"details": "You should be authenticated (sign in) in order to perform this operation.",
		},
		"unAuthorizedRequest": false, // sic: the capture says false on a 401
		"__abp":               true,
	})
}

// writeOAuthError is the identity server's token error: RFC 6749 §5.2,
// status 400, usually without error_description (IdentityServer).
func writeOAuthError(w http.ResponseWriter, code string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": code})
}

func traceID() string {
	n := traceSeq.Add(1)
	return fmt.Sprintf("00-%032x-%016x-00", n, n)
}
