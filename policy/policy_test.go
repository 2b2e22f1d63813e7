package policy

import (
	"slices"
	"testing"
)

func TestMatrixSpotChecks(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		role, perm string
		want       bool
	}{
		{"tenant_admin", "accounts:create", true},
		{"consultant", "accounts:create", false},
		{"consultant", "account:rename", false},
		{"consultant", "account:update", true},
		{"consultant", "members:manage", true},
		{"consultant", "tenant:update", false},
		{"account_admin", "members:manage", true},
		{"account_admin", "account:lifecycle", false},
		{"account_admin", "tenant:read", false},
		{"account_user", "data:read", true},
		{"account_user", "connection:read", false},
		{"account_user", "runs:start", false},
		{"client", "runs:start", true},
		{"client", "connection:rotate", true},
		{"client", "connection:update", false},
		{"client", "members:manage", false},
		{"client", "runs:approve", false},
	}
	for _, tt := range tests {
		if got := p.Allowed(tt.role, tt.perm); got != tt.want {
			t.Errorf("%s %s: %v, want %v", tt.role, tt.perm, got, tt.want)
		}
	}
}

// ISO-10: unknown roles, empty input and an unloadable policy deny.
func TestDenyByDefault(t *testing.T) {
	p, _ := New()
	for _, c := range [][2]string{{"bogus", "account:read"}, {"", "account:read"}, {"tenant_admin", ""}, {"tenant_admin", "nope:nope"}} {
		if p.Allowed(c[0], c[1]) {
			t.Errorf("%v allowed", c)
		}
	}
	var nilPolicy *Policy
	if nilPolicy.Allowed("tenant_admin", "account:read") {
		t.Error("a nil policy allowed")
	}
	if _, err := Load(modelText, "p, superuser, account:read\n"); err == nil {
		t.Error("a policy with an unknown role loaded")
	}
	if _, err := Load("[broken", policyText); err == nil {
		t.Error("a broken model loaded")
	}
}

// The comment table at the top of policy.csv is the matrix a person reads;
// it must say exactly what the rules grant.
func TestCommentTableMatchesRules(t *testing.T) {
	p, _ := New()
	table := parseCommentTable(t, policyText)
	for _, role := range Roles {
		if got, want := p.Permissions(role), table[role]; !slices.Equal(got, want) {
			t.Errorf("%s: rules %v, table %v", role, got, want)
		}
	}
}

func TestStaffHoldEverythingAccountAdminsHold(t *testing.T) {
	p, _ := New()
	for _, perm := range p.Permissions("account_admin") {
		if !p.Allowed("consultant", perm) || !p.Allowed("tenant_admin", perm) {
			t.Errorf("%s: an Account Admin may, staff may not", perm)
		}
	}
}

func BenchmarkPolicyAllowed(b *testing.B) {
	p, _ := New()
	for b.Loop() {
		if !p.Allowed("consultant", "members:manage") {
			b.Fatal("denied")
		}
	}
}

func BenchmarkPolicyDenied(b *testing.B) {
	p, _ := New()
	for b.Loop() {
		if p.Allowed("client", "members:manage") {
			b.Fatal("allowed")
		}
	}
}
