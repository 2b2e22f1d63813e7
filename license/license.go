// Package license reads and verifies Bureau license files: a few readable
// "key: value" lines signed with Ed25519, checked offline against a public key
// built into the binary. The license decides a tenant's plan and how many
// active client accounts it may have.
package license

import (
	"crypto/ed25519"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Header is the first line of every license file.
const Header = "Bureau license"

// License is what a license file grants.
type License struct {
	Tenant      string    // tenant slug it was issued for
	Plan        string    // trial | starter | growth | scale | consulting
	MaxAccounts int       // the cap for consulting; informative otherwise
	Expires     time.Time // end of that day, UTC
	Issued      time.Time
}

//go:embed publickey.txt
var publicKeyFile string

// publicKeyHex may be replaced at build time:
// -ldflags "-X bureau/license.publicKeyHex=<64 hex digits>".
var publicKeyHex = strings.TrimSpace(publicKeyFile)

// PublicKey is the key licenses are verified against.
func PublicKey() ed25519.PublicKey {
	raw, err := hex.DecodeString(publicKeyHex)
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil
	}
	return raw
}

// ErrInvalid is any license that cannot be trusted: malformed, tampered or
// signed by another key.
var ErrInvalid = errors.New("license invalid")

// Plans caps active accounts per plan (SPEC §1); consulting takes its cap
// from the license.
var Plans = map[string]int{"trial": 10, "starter": 1, "growth": 5, "scale": 25, "consulting": 0}

// body renders the signed lines.
func (l License) body() string {
	return fmt.Sprintf("%s\ntenant: %s\nplan: %s\nmax_accounts: %d\nissued: %s\nexpires: %s\n",
		Header, l.Tenant, l.Plan, l.MaxAccounts, l.Issued.Format(time.DateOnly), l.Expires.Format(time.DateOnly))
}

// Sign returns the license file for l.
func Sign(l License, key ed25519.PrivateKey) string {
	body := l.body()
	sig := ed25519.Sign(key, []byte(body))
	return body + "signature: " + base64.StdEncoding.EncodeToString(sig) + "\n"
}

// Verify parses text and checks its signature against pub. It does not judge
// expiry: see Resolve.
func Verify(text string, pub ed25519.PublicKey) (License, error) {
	var l License
	if len(pub) != ed25519.PublicKeySize || len(text) > 8192 {
		return l, ErrInvalid
	}
	text = strings.ReplaceAll(strings.TrimSpace(text), "\r\n", "\n")
	lines := strings.Split(text, "\n")
	if len(lines) != 7 || strings.TrimSpace(lines[0]) != Header {
		return l, fmt.Errorf("%w: not a Bureau license file", ErrInvalid)
	}
	fields := map[string]string{}
	for _, line := range lines[1:] {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return l, fmt.Errorf("%w: line %q", ErrInvalid, line)
		}
		fields[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	var err error
	l.Tenant, l.Plan = fields["tenant"], fields["plan"]
	if l.MaxAccounts, err = strconv.Atoi(fields["max_accounts"]); err != nil || l.MaxAccounts < 0 {
		return l, fmt.Errorf("%w: max_accounts", ErrInvalid)
	}
	if l.Issued, err = time.Parse(time.DateOnly, fields["issued"]); err != nil {
		return l, fmt.Errorf("%w: issued", ErrInvalid)
	}
	if l.Expires, err = time.Parse(time.DateOnly, fields["expires"]); err != nil {
		return l, fmt.Errorf("%w: expires", ErrInvalid)
	}
	if _, ok := Plans[l.Plan]; !ok || l.Tenant == "" {
		return l, fmt.Errorf("%w: plan or tenant", ErrInvalid)
	}
	sig, err := base64.StdEncoding.DecodeString(fields["signature"])
	if err != nil || !ed25519.Verify(pub, []byte(l.body()), sig) {
		return l, fmt.Errorf("%w: signature does not match", ErrInvalid)
	}
	return l, nil
}

// Status is a tenant's effective plan.
type Status struct {
	Plan    string   `json:"plan"`
	Limit   int      `json:"accounts_limit"`
	State   string   `json:"state"` // none | valid | expired | invalid
	Message string   `json:"message,omitempty"`
	License *License `json:"-"`
}

// Resolve decides the plan and cap from the tenant's stored plan and license.
// A valid license wins; an expired or invalid one falls back to starter with
// a message saying why; a plan that cannot be resolved means 1 account.
func Resolve(plan, text, tenantSlug string, now time.Time, pub ed25519.PublicKey) Status {
	if strings.TrimSpace(text) == "" {
		if limit, ok := Plans[plan]; ok && plan != "consulting" {
			return Status{Plan: plan, Limit: limit, State: "none"}
		}
		return Status{Plan: plan, Limit: 1, State: "none",
			Message: "The " + plan + " plan needs a license; until one is uploaded the tenant may have 1 active account."}
	}
	l, err := Verify(text, pub)
	switch {
	case err != nil:
		return Status{Plan: "starter", Limit: Plans["starter"], State: "invalid",
			Message: "The license could not be verified, so the starter plan applies (1 active account). Upload a valid license."}
	case l.Tenant != tenantSlug:
		return Status{Plan: "starter", Limit: Plans["starter"], State: "invalid", License: &l,
			Message: "The license was issued for “" + l.Tenant + "”, not this tenant, so the starter plan applies."}
	case now.After(l.Expires.Add(24 * time.Hour)):
		return Status{Plan: "starter", Limit: Plans["starter"], State: "expired", License: &l,
			Message: "The license expired on " + l.Expires.Format(time.DateOnly) + ", so the starter plan applies (1 active account). Upload a renewed license."}
	}
	limit := Plans[l.Plan]
	if l.Plan == "consulting" {
		limit = l.MaxAccounts
	}
	return Status{Plan: l.Plan, Limit: limit, State: "valid", License: &l}
}
