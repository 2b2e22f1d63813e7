package bpsim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// errorText answers the bare JSON string the API uses for 401, 403, 404
// and 409 (the spec's ErrorMessage).
func errorText(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, msg)
}

// generalError is the spec's Error: {"errorMessage": …}.
func generalError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"errorMessage": msg})
}

// invalidField is the spec's ValidationError.
func invalidField(w http.ResponseWriter, field, msg string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"invalidField": field, "message": msg})
}

// badParameter is the spec's UrlParameterError.
func badParameter(w http.ResponseWriter, msg, detail string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"message": msg, "messageDetail": detail})
}

// tooMany answers an injected rate limit. Blue Prism documents no rate
// limit (it is self-hosted); a gateway in front of it could, so this is an
// assumption in the API's general error shape.
func tooMany(w http.ResponseWriter, retryAfter time.Duration) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
	}
	generalError(w, http.StatusTooManyRequests, "Too many requests. Please try again later.")
}

// stamp writes a time the way the API does (ISO 8601, UTC, milliseconds).
func stamp(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format("2006-01-02T15:04:05.000Z")
	return &s
}

func ptr[T any](v T) *T { return &v }
