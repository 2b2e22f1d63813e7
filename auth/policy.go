package auth

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"bureau/apperr"
)

// Password length rules (AUTH-04): passwords are the only factor for client
// people, so NIST SP 800-63B-4 asks for 15 characters; 1024 bytes is the cap.
const (
	MinPasswordRunes = 15
	MaxPasswordBytes = 1024
)

//go:embed common_passwords.txt
var commonPasswordsFile string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsFile, "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// CheckPassword applies the password policy: length in code points, no
// composition rules, no trimming (AUTH-05), and a blocklist that also catches
// long passwords glued from one or two common words or context words such as
// the product, tenant or account name and the email's local part (AUTH-06).
func CheckPassword(field, password string, context ...string) *apperr.FieldError {
	switch {
	case len(password) > MaxPasswordBytes:
		return &apperr.FieldError{Field: field, Code: "password_too_long",
			Message: "Use at most 1024 bytes."}
	case !utf8.ValidString(password) || utf8.RuneCountInString(password) < MinPasswordRunes:
		return &apperr.FieldError{Field: field, Code: "password_too_short",
			Message: "Use at least 15 characters. A few unrelated words make a good password."}
	case tooCommon(password, context):
		return &apperr.FieldError{Field: field, Code: "password_too_common",
			Message: "This password is too easy to guess: it is common or built from your name, email or firm. Add unrelated words."}
	}
	return nil
}

func tooCommon(password string, context []string) bool {
	lower := strings.ToLower(password)
	if commonPasswords[lower] {
		return true
	}
	// Few distinct characters: "aaaaaaaaaaaaaaa", "121212121212121".
	distinct := map[rune]bool{}
	for _, r := range lower {
		distinct[r] = true
	}
	if len(distinct) <= 3 {
		return true
	}
	letters := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return r
		}
		return -1
	}, lower)
	if letters == "" {
		return sequential(lower)
	}
	words := map[string]bool{"bureau": true}
	for _, c := range context {
		for _, w := range strings.FieldsFunc(strings.ToLower(c), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if utf8.RuneCountInString(w) >= 3 {
				words[w] = true
			}
		}
	}
	return fewestParts(letters, words) <= 2
}

// sequential reports a digits-and-symbols password that just counts, like
// 123456789012345.
func sequential(s string) bool {
	runs := 0
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1]+1 || (s[i] == '0' && s[i-1] == '9') {
			runs++
		}
	}
	return runs*10 >= (len(s)-1)*7
}

// fewestParts is the smallest number of pieces, each a common password or a
// context word, that s splits into; a large number when it cannot be split.
func fewestParts(s string, words map[string]bool) int {
	const none, maxPart = 1 << 20, 32
	rs := []rune(s)
	best := make([]int, len(rs)+1)
	for i := 1; i <= len(rs); i++ {
		best[i] = none
		for j := max(0, i-maxPart); j < i; j++ {
			if best[j] == none || best[j]+1 >= best[i] {
				continue
			}
			part := string(rs[j:i])
			if words[part] || commonPasswords[part] {
				best[i] = best[j] + 1
			}
		}
	}
	return best[len(rs)]
}
