package slug

import (
	"regexp"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := map[string]string{
		"acme": "", "acme-corp": "", "a1": "", "2024-client": "", strings.Repeat("a", 50): "",
		"a": "slug_invalid", strings.Repeat("a", 51): "slug_invalid", "Acme": "slug_invalid",
		"-acme": "slug_invalid", "acme-": "slug_invalid", "ac--me": "slug_invalid", "ac me": "slug_invalid",
		"acmé": "slug_invalid", "": "slug_invalid", "ac_me": "slug_invalid",
		"api": "slug_reserved", "login": "slug_reserved", "setup": "slug_reserved", "accounts": "slug_reserved",
		"portal": "slug_reserved", "settings": "slug_reserved", "assets": "slug_reserved", "auth": "slug_reserved",
	}
	for s, want := range tests {
		got := ""
		if fe := Validate("slug", s); fe != nil {
			got = fe.Code
		}
		if got != want {
			t.Errorf("%q: got %q, want %q", s, got, want)
		}
	}
}

func TestReservedSingleLetterRoute(t *testing.T) {
	// "r" is the shared-report route; it is too short to be a slug anyway.
	if fe := Validate("slug", "r"); fe == nil {
		t.Fatal("r accepted")
	}
}

func TestValidName(t *testing.T) {
	for name, ok := range map[string]bool{
		"Acme": true, "  Acme  ": true, "Ünïcødé GmbH": true, strings.Repeat("x", 100): true,
		"": false, "   ": false, strings.Repeat("x", 101): false, "Acme\r\nBcc: x": false, "tab\there": false,
	} {
		got, fe := ValidName("name", name)
		if (fe == nil) != ok {
			t.Errorf("%q: ok=%v", name, fe == nil)
		}
		if ok && got != strings.TrimSpace(name) {
			t.Errorf("%q not trimmed: %q", name, got)
		}
	}
}

var spec = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// FUZZ-01: anything accepted matches the spec's pattern and is not reserved.
func FuzzValidate(f *testing.F) {
	for _, s := range []string{"acme", "api", "a-b", "--", "Ab"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if Validate("slug", s) == nil && (!spec.MatchString(s) || len(s) < 2 || len(s) > 50 || IsReserved(s)) {
			t.Fatalf("accepted %q", s)
		}
	})
}
