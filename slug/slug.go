// Package slug holds the rules for tenant and account slugs (SPEC §1).
package slug

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"bureau/apperr"
)

var pattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Reserved are the words the web app's own top-level routes and the server's
// paths use; an account at /{slug} must never shadow them.
var Reserved = []string{
	"about", "account", "accounts", "admin", "api", "app", "assets", "audit", "auth", "billing",
	"dashboard", "docs", "favicon-ico", "forgot-password", "health", "healthz", "help", "home", "invitations", "invite",
	"license", "login", "logout", "me", "metrics", "new", "outbox", "overview", "portal", "profile",
	"projects", "r", "readyz", "register", "reports", "reset", "reset-password", "settings", "setup", "signin",
	"signout", "slug-availability", "sso", "staff", "static", "static-files", "status", "support", "system", "tenant",
	"tenants", "usage",
}

var reserved = func() map[string]bool {
	m := make(map[string]bool, len(Reserved))
	for _, s := range Reserved {
		m[s] = true
	}
	return m
}()

// IsReserved reports whether s is one of the reserved words.
func IsReserved(s string) bool { return reserved[s] }

// Validate checks s and returns a typed error with code slug_invalid or
// slug_reserved, naming field in the error list.
func Validate(field, s string) *apperr.FieldError {
	switch {
	case len(s) < 2 || len(s) > 50 || !pattern.MatchString(s):
		return &apperr.FieldError{Field: field, Code: "slug_invalid",
			Message: "Use 2–50 lower-case letters, digits and single hyphens, not starting or ending with a hyphen."}
	case IsReserved(s):
		return &apperr.FieldError{Field: field, Code: "slug_reserved",
			Message: "“" + s + "” is reserved by Bureau. Choose another slug."}
	}
	return nil
}

// ValidName checks a display name: 1–100 characters after trimming, no
// control characters. It returns the trimmed name.
func ValidName(field, name string) (string, *apperr.FieldError) {
	name = strings.TrimSpace(name)
	n := utf8.RuneCountInString(name)
	bad := n < 1 || n > 100 || !utf8.ValidString(name) || strings.ContainsFunc(name, func(r rune) bool {
		return r < 0x20 || r == 0x7f
	})
	if bad {
		return name, &apperr.FieldError{Field: field, Code: "name_invalid",
			Message: "Enter a name of 1 to 100 characters."}
	}
	return name, nil
}
