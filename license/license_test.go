package license

import (
	"bytes"
	"crypto/ed25519"
	"strings"
	"testing"
	"time"
)

var (
	testKey  = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	otherKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32))
	pub      = testKey.Public().(ed25519.PublicKey)
	day      = func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	now      = day("2026-11-24").Add(15 * time.Hour)
)

func consulting(expires string) License {
	return License{Tenant: "northwind", Plan: "consulting", MaxAccounts: 40, Issued: day("2026-11-01"), Expires: day(expires)}
}

func TestValidLicense(t *testing.T) {
	text := Sign(consulting("2027-12-31"), testKey)
	l, err := Verify(text, pub)
	if err != nil || l.MaxAccounts != 40 || l.Plan != "consulting" {
		t.Fatalf("%+v %v", l, err)
	}
	st := Resolve("trial", text, "northwind", now, pub)
	if st.State != "valid" || st.Plan != "consulting" || st.Limit != 40 {
		t.Fatalf("%+v", st)
	}
	// Windows line endings and surrounding blank lines still verify.
	if _, err := Verify("\r\n"+strings.ReplaceAll(text, "\n", "\r\n")+"\r\n", pub); err != nil {
		t.Fatalf("CRLF: %v", err)
	}
}

func TestTamperedLicense(t *testing.T) {
	text := Sign(consulting("2027-12-31"), testKey)
	for name, bad := range map[string]string{
		"more accounts":  strings.Replace(text, "max_accounts: 40", "max_accounts: 400", 1),
		"later expiry":   strings.Replace(text, "expires: 2027-12-31", "expires: 2099-12-31", 1),
		"other tenant":   strings.Replace(text, "tenant: northwind", "tenant: southwind", 1),
		"other key":      Sign(consulting("2027-12-31"), otherKey),
		"no signature":   text[:strings.Index(text, "signature:")],
		"garbage":        "hello",
		"extra line":     strings.Replace(text, "plan:", "note: hi\nplan:", 1),
		"bad sig base64": strings.Replace(text, "signature: ", "signature: !!", 1),
	} {
		if _, err := Verify(bad, pub); err == nil {
			t.Errorf("%s: verified", name)
		}
		if st := Resolve("trial", bad, "northwind", now, pub); st.State != "invalid" || st.Limit != 1 || st.Message == "" {
			t.Errorf("%s: %+v", name, st)
		}
	}
}

func TestExpiredLicenseFallsBackToStarter(t *testing.T) {
	text := Sign(consulting("2026-11-23"), testKey)
	st := Resolve("consulting", text, "northwind", now, pub)
	if st.State != "expired" || st.Plan != "starter" || st.Limit != 1 || !strings.Contains(st.Message, "2026-11-23") {
		t.Fatalf("%+v", st)
	}
	// The last day itself is still valid.
	if st := Resolve("consulting", Sign(consulting("2026-11-24"), testKey), "northwind", now, pub); st.State != "valid" {
		t.Fatalf("on its last day: %+v", st)
	}
}

func TestLicenseOfAnotherTenant(t *testing.T) {
	st := Resolve("trial", Sign(consulting("2027-12-31"), testKey), "southwind", now, pub)
	if st.State != "invalid" || st.Limit != 1 {
		t.Fatalf("%+v", st)
	}
}

func TestPlansWithoutLicense(t *testing.T) {
	for plan, want := range map[string]int{"trial": 10, "starter": 1, "growth": 5, "scale": 25, "consulting": 1, "platinum": 1, "": 1} {
		if st := Resolve(plan, "", "x", now, pub); st.Limit != want {
			t.Errorf("%q: limit %d, want %d", plan, st.Limit, want)
		}
	}
}

func TestBuiltInPublicKeyLoads(t *testing.T) {
	if len(PublicKey()) != ed25519.PublicKeySize {
		t.Fatal("license/publickey.txt is not an Ed25519 public key")
	}
}

// FUZZ-01: the parser never panics and never accepts an unsigned file.
func FuzzVerify(f *testing.F) {
	f.Add(Sign(consulting("2027-12-31"), testKey))
	f.Add("Bureau license\ntenant: a\nplan: trial\nmax_accounts: 1\nissued: 2026-01-01\nexpires: 2027-01-01\nsignature: AAAA\n")
	f.Fuzz(func(t *testing.T, text string) {
		l, err := Verify(text, pub)
		if err == nil && !strings.Contains(text, "signature:") {
			t.Fatalf("accepted %q as %+v", text, l)
		}
	})
}
