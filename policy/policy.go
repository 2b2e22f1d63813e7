// Package policy answers one question: may this role use this permission?
// The matrix is policy.csv (embedded), enforced by a Casbin
// SyncedCachedEnforcer. It holds only that static matrix; memberships stay in
// SQL and are read per request, so nothing here needs invalidating.
package policy

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	stringadapter "github.com/casbin/casbin/v2/persist/string-adapter"
)

//go:embed model.conf
var modelText string

//go:embed policy.csv
var policyText string

// Roles, in the order the matrix lists them.
var Roles = []string{"tenant_admin", "consultant", "account_admin", "account_user", "client"}

// StaffRoles are tenant-wide.
var StaffRoles = []string{"tenant_admin", "consultant"}

// Policy is the loaded matrix.
type Policy struct {
	enforcer *casbin.SyncedCachedEnforcer
	byRole   map[string][]string
	known    map[string]bool
}

// New loads the embedded matrix.
func New() (*Policy, error) { return Load(modelText, policyText) }

// Load builds a policy from model and policy text (tests use it to break things).
func Load(modelConf, policyCSV string) (*Policy, error) {
	m, err := model.NewModelFromString(modelConf)
	if err != nil {
		return nil, fmt.Errorf("policy model: %w", err)
	}
	e, err := casbin.NewSyncedCachedEnforcer(m, stringadapter.NewAdapter(stripComments(policyCSV)))
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	rules, err := e.GetPolicy()
	if err != nil {
		return nil, fmt.Errorf("policy rules: %w", err)
	}
	p := &Policy{enforcer: e, byRole: map[string][]string{}, known: map[string]bool{}}
	for _, rule := range rules {
		if len(rule) != 2 {
			return nil, fmt.Errorf("policy: rule %v must be: p, role, permission", rule)
		}
		if !slices.Contains(Roles, rule[0]) {
			return nil, fmt.Errorf("policy: unknown role %q", rule[0])
		}
		p.byRole[rule[0]] = append(p.byRole[rule[0]], rule[1])
		p.known[rule[1]] = true
	}
	for _, perms := range p.byRole {
		slices.Sort(perms)
	}
	return p, nil
}

// stripComments keeps the csv's table-shaped comments out of Casbin's parser.
func stripComments(csv string) string {
	var b strings.Builder
	for _, line := range strings.Split(csv, "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			b.WriteString(t)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// Allowed reports whether role may use perm. Any error denies (ISO-10).
func (p *Policy) Allowed(role, perm string) bool {
	if p == nil || role == "" || perm == "" {
		return false
	}
	ok, err := p.enforcer.Enforce(role, perm)
	return err == nil && ok
}

// Permissions lists role's permissions, sorted.
func (p *Policy) Permissions(role string) []string {
	return slices.Clone(p.byRole[role])
}

// Known reports whether any role holds perm; a route naming an unknown
// permission is a typo that would deny everyone, so the server refuses it.
func (p *Policy) Known(perm string) bool { return p.known[perm] }

// AllowedAny reports whether any of roles has perm: a member's rights are
// the union of their own role and their groups' (SPEC §2).
func (p *Policy) AllowedAny(roles []string, perm string) bool {
	for _, r := range roles {
		if p.Allowed(r, perm) {
			return true
		}
	}
	return false
}

// PermissionsOf is the union of the permissions of roles, sorted.
func (p *Policy) PermissionsOf(roles []string) []string {
	set := map[string]bool{}
	for _, r := range roles {
		for _, perm := range p.Permissions(r) {
			set[perm] = true
		}
	}
	out := make([]string, 0, len(set))
	for perm := range set {
		out = append(out, perm)
	}
	slices.Sort(out)
	return out
}
