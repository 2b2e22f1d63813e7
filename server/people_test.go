package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"bureau/people"
	"bureau/tenant"
)

const inviteePassword = "amber lantern quietly drifting"

func inv(email, role string, groups ...string) map[string]any {
	if groups == nil {
		groups = []string{}
	}
	return map[string]any{"email": email, "role": role, "groups": groups}
}

func (c *client) invite(account string, invites ...map[string]any) resp {
	c.e.t.Helper()
	return c.do("POST", "/api/v1/accounts/"+account+"/invitations", map[string]any{"invites": invites})
}

// outboxToken is the token of the newest outbox link mailed to email.
func (e *env) outboxToken(email string) string {
	e.t.Helper()
	var link string
	if err := e.db.R.QueryRow(`SELECT link FROM outbox WHERE to_addr = ? AND link != '' ORDER BY created_at DESC, id DESC LIMIT 1`,
		email).Scan(&link); err != nil {
		e.t.Fatalf("no outbox link for %s: %v", email, err)
	}
	return link[strings.LastIndexByte(link, '/')+1:]
}

// accept accepts an invitation in a fresh browser.
func (e *env) accept(token, name, password string) (*client, resp) {
	c := e.client()
	r := c.do("POST", "/api/v1/invitations/"+token+"/accept", map[string]string{"name": name, "password": password})
	return c, r
}

func memberByEmail(t *testing.T, list map[string]any, email string) map[string]any {
	t.Helper()
	for _, it := range list["items"].([]any) {
		m := it.(map[string]any)
		if m["email"] == email {
			return m
		}
	}
	return nil
}

func fieldCodes(t *testing.T, r resp) map[string]string {
	t.Helper()
	out := map[string]string{}
	errs, _ := r.json(t)["errors"].([]any)
	for _, e := range errs {
		fe := e.(map[string]any)
		key, _ := fe["field"].(string)
		if line, ok := fe["line"].(float64); ok {
			key = fmt.Sprintf("%d:%s", int(line), key)
		}
		out[key] = fe["code"].(string)
	}
	return out
}

func wantStatus(t *testing.T, r resp, status int, code string) {
	t.Helper()
	if r.StatusCode != status || (code != "" && r.code(t) != code) {
		t.Fatalf("got %d %s, want %d %s", r.StatusCode, r.body, status, code)
	}
}

// The whole path of SPEC §3: a Tenant Admin invites a client, the link is
// in the outbox (no SMTP configured), the client sets a name and password,
// is signed in and sees their account only.
func TestInviteAcceptClientSeesOnlyTheirAccount(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	wantStatus(t, owner.do("POST", "/api/v1/accounts", newAccount("Beta", "beta")), 201, "")
	r := owner.invite("acme", inv("Cleo@Client.example", "client"))
	wantStatus(t, r, 201, "")
	body := r.json(t)
	if body["emailed"].(float64) != 0 || body["outbox"].(float64) != 1 {
		t.Fatalf("without SMTP the mail lands in the outbox: %s", r.body)
	}
	item := body["items"].([]any)[0].(map[string]any)
	if item["email"] != "cleo@client.example" || item["status"] != "pending" || item["last_active"] != nil {
		t.Fatalf("invitee: %v", item)
	}
	box := owner.do("GET", "/api/v1/tenant/outbox", nil).json(t)["items"].([]any)
	mail := box[0].(map[string]any)
	if mail["to"] != "cleo@client.example" || !strings.Contains(mail["subject"].(string), "Acme Corporation") ||
		!strings.HasPrefix(mail["link"].(string), testBase+"/invite/") || !strings.Contains(mail["body"].(string), mail["link"].(string)) {
		t.Fatalf("outbox mail: %v", mail)
	}
	token := e.outboxToken("cleo@client.example")
	people := func() float64 {
		for _, a := range owner.do("GET", "/api/v1/accounts", nil).json(t)["items"].([]any) {
			if a.(map[string]any)["slug"] == "acme" {
				return a.(map[string]any)["people"].(float64)
			}
		}
		return -1
	}
	if people() != 0 {
		t.Fatal("a pending invitee counts as one of the account's people")
	}

	anon := e.client()
	view := anon.do("GET", "/api/v1/invitations/"+token, nil).json(t)
	if view["email"] != "cleo@client.example" || view["account"].(map[string]any)["name"] != "Acme Corporation" ||
		view["tenant"].(map[string]any)["branding"].(map[string]any)["display_name"] != "Northwind Automation" ||
		view["existing_user"] != false || view["role"] != "client" {
		t.Fatalf("invitation view: %v", view)
	}

	_, r = e.accept(token, "Cleo", "short")
	wantStatus(t, r, 422, "password_too_short")
	_, r = e.accept(token, "Cleo", "Acme Corporation 2026")
	wantStatus(t, r, 422, "password_too_common")
	_, r = e.accept(token, "", inviteePassword)
	wantStatus(t, r, 422, "name_invalid")

	cleo, r := e.accept(token, "Cleo Client", inviteePassword)
	wantStatus(t, r, 200, "")
	me := cleo.do("GET", "/api/v1/me", nil).json(t)
	ms := me["membership"].(map[string]any)
	if ms["role"] != "client" || ms["account"].(map[string]any)["slug"] != "acme" {
		t.Fatalf("me: %v", me)
	}
	list := cleo.do("GET", "/api/v1/accounts", nil).json(t)["items"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["slug"] != "acme" {
		t.Fatalf("a client lists their account only: %v", list)
	}
	if _, agency := list[0].(map[string]any)["notes"]; agency {
		t.Fatal("a client sees agency fields")
	}
	wantStatus(t, cleo.do("GET", "/api/v1/accounts/beta", nil), 404, "not_found")
	wantStatus(t, cleo.do("GET", "/api/v1/tenant", nil), 403, "permission_denied")

	// The link is used up; the member is active with a name and a last activity.
	_, r = e.accept(token, "Cleo again", inviteePassword)
	wantStatus(t, r, 410, "invitation_used")
	m := memberByEmail(t, owner.do("GET", "/api/v1/accounts/acme/members", nil).json(t), "cleo@client.example")
	if m["status"] != "active" || m["name"] != "Cleo Client" || m["last_active"] == nil || m["invitation_id"] != nil {
		t.Fatalf("member after accept: %v", m)
	}
	if people() != 1 {
		t.Fatal("the accepted member is not counted")
	}
	// And they can sign in with the password they chose.
	e.login("cleo@client.example", inviteePassword)
}

// Resend kills the old link and starts 7 days again; the expiry follows
// the injected clock to the second.
func TestInvitationResendAndExpiry(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	id := owner.invite("acme", inv("dan@client.example", "account_user")).json(t)["items"].([]any)[0].(map[string]any)["invitation_id"].(string)
	first := e.outboxToken("dan@client.example")

	e.clock.Advance(people.InvitationTTL - time.Second)
	wantStatus(t, e.client().do("GET", "/api/v1/invitations/"+first, nil), 200, "")
	e.clock.Advance(time.Second)
	wantStatus(t, e.client().do("GET", "/api/v1/invitations/"+first, nil), 410, "invitation_expired")
	_, r := e.accept(first, "Dan", inviteePassword)
	wantStatus(t, r, 410, "invitation_expired")
	owner = e.login("ann@northwind.example", ownerPassword) // a week later: a new session
	m := memberByEmail(t, owner.do("GET", "/api/v1/accounts/acme/members", nil).json(t), "dan@client.example")
	if m["status"] != "expired" {
		t.Fatalf("status after 7 days: %v", m)
	}

	r = owner.do("POST", "/api/v1/accounts/acme/invitations/"+id+"/resend", nil)
	wantStatus(t, r, 200, "")
	if r.json(t)["status"] != "pending" {
		t.Fatalf("after resend: %s", r.body)
	}
	second := e.outboxToken("dan@client.example")
	if second == first {
		t.Fatal("resend must issue a new link")
	}
	wantStatus(t, e.client().do("GET", "/api/v1/invitations/"+first, nil), 410, "invitation_revoked")
	e.clock.Advance(people.InvitationTTL - time.Second)
	_, r = e.accept(second, "Dan", inviteePassword)
	wantStatus(t, r, 200, "")
	owner = e.login("ann@northwind.example", ownerPassword)
	// An accepted invitation cannot be resent or revoked.
	wantStatus(t, owner.do("POST", "/api/v1/accounts/acme/invitations/"+id+"/resend", nil), 409, "invitation_used")
}

func TestRevokeInvitation(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	id := owner.invite("acme", inv("eve@client.example", "client")).json(t)["items"].([]any)[0].(map[string]any)["invitation_id"].(string)
	token := e.outboxToken("eve@client.example")
	wantStatus(t, owner.do("DELETE", "/api/v1/accounts/acme/invitations/"+id, nil), 204, "")
	wantStatus(t, e.client().do("GET", "/api/v1/invitations/"+token, nil), 410, "invitation_revoked")
	if memberByEmail(t, owner.do("GET", "/api/v1/accounts/acme/members", nil).json(t), "eve@client.example") != nil {
		t.Fatal("a revoked invitee stays in the list")
	}
	wantStatus(t, e.client().do("GET", "/api/v1/invitations/not-a-token", nil), 404, "not_found")
	// The address can be invited again.
	wantStatus(t, owner.invite("acme", inv("eve@client.example", "client")), 201, "")
}

// Accepting is one conditional update: of concurrent accepts one wins.
func TestConcurrentAcceptsGiveOneMembership(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	wantStatus(t, owner.invite("acme", inv("race@client.example", "client")), 201, "")
	token := e.outboxToken("race@client.example")
	const n = 8
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, r := e.accept(token, fmt.Sprintf("Racer %d", i), inviteePassword)
			codes[i] = r.StatusCode
		}()
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		switch c {
		case 200:
			ok++
		case 410:
		default:
			t.Fatalf("unexpected status %d in %v", c, codes)
		}
	}
	if ok != 1 || e.count(`SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'race@client.example' AND m.status = 'active'`) != 1 {
		t.Fatalf("accepts: %v", codes)
	}
}

func TestInviteValidationAndConflicts(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	wantStatus(t, owner.do("POST", "/api/v1/accounts", newAccount("Beta", "beta")), 201, "")
	var many []map[string]any
	for i := range people.MaxInvites + 1 {
		many = append(many, inv(fmt.Sprintf("p%d@client.example", i), "client"))
	}
	wantStatus(t, owner.invite("acme", many...), 422, "too_many_invites")
	wantStatus(t, owner.invite("acme", many[:people.MaxInvites]...), 201, "")
	wantStatus(t, owner.invite("acme"), 422, "invites_required")

	r := owner.invite("acme", inv("ok@client.example", "client"), inv("not-an-email", "client"),
		inv("OK@client.example", "client"), inv("x@client.example", "owner"), inv("y@client.example", "client", "no-such-group"))
	wantStatus(t, r, 422, "validation_failed")
	want := map[string]string{"invites[1].email": "email_invalid", "invites[2].email": "duplicate_email",
		"invites[3].role": "role_invalid", "invites[4].groups": "group_not_found"}
	if got := fieldCodes(t, r); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("field errors: %v", got)
	}

	e.addPerson("in-beta@client.example", "", "client", "beta")
	before := e.count(`SELECT COUNT(*) FROM memberships`)
	r = owner.invite("acme", inv("fresh@client.example", "client"), inv("ann@northwind.example", "client"),
		inv("p0@client.example", "client"), inv("in-beta@client.example", "client"))
	wantStatus(t, r, 409, "staff_client_conflict")
	want = map[string]string{"invites[1].email": "staff_client_conflict", "invites[2].email": "already_invited",
		"invites[3].email": "other_account_member"}
	if got := fieldCodes(t, r); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("conflicts: %v", got)
	}
	if e.count(`SELECT COUNT(*) FROM memberships`) != before || e.count(`SELECT COUNT(*) FROM users WHERE email = 'fresh@client.example'`) != 0 {
		t.Fatal("a refused batch wrote something")
	}

	// The staff-or-account rule holds for staff invitations too.
	r = owner.do("POST", "/api/v1/tenant/staff", map[string]any{"invites": []any{inv("in-beta@client.example", "consultant")}})
	wantStatus(t, r, 409, "staff_client_conflict")
	r = owner.do("POST", "/api/v1/tenant/staff", map[string]any{"invites": []any{inv("new-staff@northwind.example", "client")}})
	wantStatus(t, r, 422, "role_invalid")
	e.addPerson("member@client.example", "", "client", "acme")
	wantStatus(t, owner.invite("acme", inv("member@client.example", "client")), 409, "already_member")

	// A deactivated account takes no invitations: the link would be dead on arrival.
	wantStatus(t, owner.do("POST", "/api/v1/accounts/beta/deactivate", nil), 200, "")
	wantStatus(t, owner.invite("beta", inv("late@client.example", "client")), 409, "account_deactivated")
	wantStatus(t, csvPost(owner, "beta", "client", "email\nlate@client.example\n"), 409, "account_deactivated")
}

// Nobody changes their own role or groups or removes themselves; an email
// is never edited; removal ends the person's sessions at once.
func TestMemberRules(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	ownerID := e.userID("ann@northwind.example")
	aaID := e.addPerson("aa@client.example", "account admin long password", "account_admin", "acme")
	auID := e.addPerson("au@client.example", "account user long password 1", "account_user", "acme")
	aa := e.login("aa@client.example", "account admin long password")

	wantStatus(t, owner.do("PATCH", "/api/v1/tenant/staff/"+ownerID, map[string]string{"role": "consultant"}), 403, "self_role_change")
	wantStatus(t, owner.do("DELETE", "/api/v1/tenant/staff/"+ownerID, nil), 403, "self_delete")
	wantStatus(t, aa.do("PATCH", "/api/v1/accounts/acme/members/"+aaID, map[string]string{"role": "client"}), 403, "self_role_change")
	wantStatus(t, aa.do("PATCH", "/api/v1/accounts/acme/members/"+aaID, map[string]any{"groups": []string{}}), 403, "self_role_change")
	wantStatus(t, aa.do("POST", "/api/v1/accounts/acme/members/remove", map[string]any{"user_ids": []string{auID, aaID}}), 403, "self_delete")
	if e.count(`SELECT COUNT(*) FROM memberships WHERE user_id = ?`, auID) != 1 {
		t.Fatal("a refused bulk remove removed someone")
	}
	wantStatus(t, aa.do("PATCH", "/api/v1/accounts/acme/members/"+auID, map[string]string{"email": "new@client.example"}), 422, "email_immutable")
	wantStatus(t, aa.do("PATCH", "/api/v1/accounts/acme/members/"+auID, map[string]string{"role": "tenant_admin"}), 422, "role_invalid")
	r := aa.do("PATCH", "/api/v1/accounts/acme/members/"+auID, map[string]string{"role": "client"})
	wantStatus(t, r, 200, "")
	if r.json(t)["role"] != "client" {
		t.Fatalf("role change: %s", r.body)
	}

	au := e.login("au@client.example", "account user long password 1")
	wantStatus(t, au.do("GET", "/api/v1/me", nil), 200, "")
	r = aa.do("POST", "/api/v1/accounts/acme/members/remove", map[string]any{"user_ids": []string{auID}})
	wantStatus(t, r, 200, "")
	if r.json(t)["removed"].(float64) != 1 {
		t.Fatalf("remove: %s", r.body)
	}
	wantStatus(t, au.do("GET", "/api/v1/me", nil), 401, "unauthenticated")
	wantStatus(t, aa.do("DELETE", "/api/v1/accounts/acme/members/"+auID, nil), 404, "not_found")
	// Staff cannot be removed through an account's members.
	wantStatus(t, aa.do("DELETE", "/api/v1/accounts/acme/members/"+ownerID, nil), 404, "not_found")
}

// A member's rights are the union of their own role and their groups'.
func TestGroupRoleUnion(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	auID := e.addPerson("au@client.example", "account user long password 1", "account_user", "acme")
	au := e.login("au@client.example", "account user long password 1")
	wantStatus(t, au.do("GET", "/api/v1/accounts/acme/members", nil), 403, "permission_denied")

	groups := owner.do("GET", "/api/v1/accounts/acme/groups", nil).json(t)["items"].([]any)
	if len(groups) != 2 || groups[0].(map[string]any)["name"] != "Everyone" || groups[1].(map[string]any)["name"] != "Administrators" ||
		groups[1].(map[string]any)["role"] != "account_admin" || groups[0].(map[string]any)["role"] != nil {
		t.Fatalf("default groups: %v", groups)
	}
	admins := groups[1].(map[string]any)["id"].(string)
	wantStatus(t, owner.do("PATCH", "/api/v1/accounts/acme/members/"+auID, map[string]any{"groups": []string{admins}}), 200, "")
	wantStatus(t, au.do("GET", "/api/v1/accounts/acme/members", nil), 200, "")
	me := au.do("GET", "/api/v1/me", nil).json(t)
	if ms := me["membership"].(map[string]any); ms["role"] != "account_user" || fmt.Sprint(ms["roles"]) != "[account_admin account_user]" {
		t.Fatalf("roles: %v", ms)
	}
	if !strings.Contains(fmt.Sprint(me["permissions"]), "members:manage") {
		t.Fatalf("permissions: %v", me["permissions"])
	}
	// A custom group with a role grants it; deleting the group takes it away.
	g := owner.do("POST", "/api/v1/accounts/acme/groups", map[string]any{"name": "Ops", "role": "account_admin"}).json(t)
	wantStatus(t, owner.do("PATCH", "/api/v1/accounts/acme/members/"+auID, map[string]any{"groups": []string{g["id"].(string)}}), 200, "")
	wantStatus(t, au.do("GET", "/api/v1/accounts/acme/groups", nil), 200, "")
	wantStatus(t, owner.do("DELETE", "/api/v1/accounts/acme/groups/"+g["id"].(string), nil), 204, "")
	wantStatus(t, au.do("GET", "/api/v1/accounts/acme/groups", nil), 403, "permission_denied")
}

func TestGroupRules(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	auID := e.addPerson("au@client.example", "", "account_user", "acme")
	groups := owner.do("GET", "/api/v1/accounts/acme/groups", nil).json(t)["items"].([]any)
	everyone, admins := groups[0].(map[string]any)["id"].(string), groups[1].(map[string]any)["id"].(string)
	base := "/api/v1/accounts/acme/groups/"

	r := owner.do("POST", "/api/v1/accounts/acme/groups", map[string]any{"name": " Finance "})
	wantStatus(t, r, 201, "")
	fin := r.json(t)
	if fin["name"] != "Finance" || fin["role"] != nil || fin["builtin"] != nil {
		t.Fatalf("group: %s", r.body)
	}
	wantStatus(t, owner.do("POST", "/api/v1/accounts/acme/groups", map[string]any{"name": "FINANCE"}), 409, "group_name_taken")
	wantStatus(t, owner.do("POST", "/api/v1/accounts/acme/groups", map[string]any{"name": "everyone"}), 409, "group_name_taken")
	wantStatus(t, owner.do("POST", "/api/v1/accounts/acme/groups", map[string]any{"name": ""}), 422, "name_invalid")
	wantStatus(t, owner.do("POST", "/api/v1/accounts/acme/groups", map[string]any{"name": "X", "role": "consultant"}), 422, "role_invalid")
	wantStatus(t, owner.do("DELETE", base+everyone, nil), 409, "group_builtin")
	wantStatus(t, owner.do("DELETE", base+admins, nil), 409, "group_builtin")
	wantStatus(t, owner.do("PATCH", base+admins, map[string]any{"name": "Admins"}), 422, "group_builtin")
	wantStatus(t, owner.do("PATCH", base+everyone, map[string]any{"role": "client"}), 422, "group_builtin")
	wantStatus(t, owner.do("PATCH", base+everyone, map[string]any{"members": []string{auID}}), 422, "group_builtin")

	r = owner.do("PATCH", base+fin["id"].(string), map[string]any{"name": "Finance team", "role": "client", "members": []string{auID}})
	wantStatus(t, r, 200, "")
	if g := r.json(t); g["name"] != "Finance team" || g["role"] != "client" || g["member_count"].(float64) != 1 {
		t.Fatalf("patched group: %s", r.body)
	}
	r = owner.do("PATCH", base+fin["id"].(string), map[string]any{"role": nil})
	if r.json(t)["role"] != nil || r.json(t)["name"] != "Finance team" {
		t.Fatalf("role null clears it, name stays: %s", r.body)
	}
	wantStatus(t, owner.do("PATCH", base+fin["id"].(string), map[string]any{"members": []string{"nobody"}}), 422, "member_not_found")
	all := owner.do("GET", "/api/v1/accounts/acme/groups", nil).json(t)["items"].([]any)
	if all[0].(map[string]any)["member_count"].(float64) != 1 {
		t.Fatalf("Everyone holds every member: %v", all[0])
	}
	wantStatus(t, owner.do("DELETE", base+fin["id"].(string), nil), 204, "")
	if e.count(`SELECT COUNT(*) FROM memberships WHERE user_id = ?`, auID) != 1 {
		t.Fatal("deleting a group removed its members from the account")
	}
}

func csvPost(c *client, account, role, body string) resp {
	c.e.t.Helper()
	path := "/api/v1/accounts/" + account + "/invitations/import"
	if role != "" {
		path += "?role=" + role
	}
	return c.do("POST", path, body, header("Content-Type", "text/csv"))
}

func TestCSVImport(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	wantStatus(t, owner.do("POST", "/api/v1/accounts/acme/groups", map[string]any{"name": "Finance"}), 201, "")
	wantStatus(t, owner.do("POST", "/api/v1/accounts/acme/groups", map[string]any{"name": "Ops"}), 201, "")

	// Two bad rows: both reported with their line; nobody invited.
	bad := "email,group membership\nok@client.example,Finance\nnot-an-email,\nthird@client.example,Nope\n"
	r := csvPost(owner, "acme", "client", bad)
	wantStatus(t, r, 422, "csv_invalid")
	if got := fieldCodes(t, r); fmt.Sprint(got) != fmt.Sprint(map[string]string{"3:email": "email_invalid", "4:group membership": "group_not_found"}) {
		t.Fatalf("report: %v", got)
	}
	if e.count(`SELECT COUNT(*) FROM memberships WHERE status = 'pending'`) != 0 {
		t.Fatal("a refused file invited someone")
	}

	// BOM, CRLF, header case, extra columns, quoted cells with several groups.
	good := "\ufeffName,EMAIL,Group Membership\r\n\"Smith, Jo\",jo@client.example,\"finance, OPS\"\r\n,kim@client.example,\r\n\r\n"
	r = csvPost(owner, "acme", "account_user", good)
	wantStatus(t, r, 201, "")
	items := r.json(t)["items"].([]any)
	if len(items) != 2 {
		t.Fatalf("imported: %s", r.body)
	}
	jo := items[0].(map[string]any)
	if jo["email"] != "jo@client.example" || jo["role"] != "account_user" || len(jo["groups"].([]any)) != 2 {
		t.Fatalf("row with groups: %v", jo)
	}
	// Importing the same people again reports them, by line.
	r = csvPost(owner, "acme", "", good)
	wantStatus(t, r, 422, "csv_invalid")
	if got := fieldCodes(t, r); got["2:email"] != "already_invited" || got["3:email"] != "already_invited" {
		t.Fatalf("re-import: %v", got)
	}
	wantStatus(t, csvPost(owner, "acme", "tenant_admin", good), 422, "role_invalid")
	wantStatus(t, owner.do("POST", "/api/v1/accounts/acme/invitations/import", "email\nx@y.example\n"), 415, "unsupported_media_type")
}

func csvOf(n int) string {
	var b strings.Builder
	b.WriteString("email,group membership\n")
	for i := range n {
		fmt.Fprintf(&b, "person%04d@client.example,\n", i)
	}
	return b.String()
}

func TestCSVImportRowLimit(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	r := csvPost(owner, "acme", "client", csvOf(people.MaxCSVRows+1))
	wantStatus(t, r, 422, "csv_invalid")
	if got := fieldCodes(t, r); got["1002:file"] != "csv_too_many_rows" {
		t.Fatalf("1001 rows: %v", got)
	}
	r = csvPost(owner, "acme", "client", csvOf(people.MaxCSVRows))
	wantStatus(t, r, 201, "")
	if n := e.count(`SELECT COUNT(*) FROM memberships WHERE status = 'pending'`); n != people.MaxCSVRows {
		t.Fatalf("1000 rows: %d invited", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM outbox`); n != people.MaxCSVRows {
		t.Fatalf("1000 rows: %d mails in the outbox", n)
	}
}

// A person who already has a password (here: another tenant's owner)
// accepts with it; the link cannot replace it. Until then the pending
// membership grants nothing.
func TestExistingUserAcceptsWithTheirPassword(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	e.otherTenant() // sam@southwind.example
	wantStatus(t, owner.invite("acme", inv("sam@southwind.example", "account_admin")), 201, "")
	token := e.outboxToken("sam@southwind.example")
	if e.client().do("GET", "/api/v1/invitations/"+token, nil).json(t)["existing_user"] != true {
		t.Fatal("existing_user")
	}
	r := e.client().do("POST", "/api/v1/auth/login", map[string]string{"email": "sam@southwind.example",
		"password": southwindPassword, "tenant": "northwind"})
	wantStatus(t, r, 401, "invalid_credentials")
	_, r = e.accept(token, "Somebody Else", "a brand new password nobody knows")
	wantStatus(t, r, 401, "invalid_credentials")
	sam, r := e.accept(token, "", southwindPassword)
	wantStatus(t, r, 200, "")
	me := sam.do("GET", "/api/v1/me", nil).json(t)
	if me["tenant"].(map[string]any)["slug"] != "northwind" || len(me["tenants"].([]any)) != 2 {
		t.Fatalf("me after accepting: %v", me)
	}
	r = sam.do("POST", "/api/v1/me/tenant", map[string]string{"tenant": "southwind"})
	wantStatus(t, r, 200, "")
	if r.json(t)["tenant"].(map[string]any)["slug"] != "southwind" {
		t.Fatalf("switch: %s", r.body)
	}
	e.login("sam@southwind.example", southwindPassword)
}

func TestStaffInvitation(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	r := owner.do("POST", "/api/v1/tenant/staff", map[string]any{"invites": []any{inv("con@northwind.example", "consultant")}})
	wantStatus(t, r, 201, "")
	list := owner.do("GET", "/api/v1/tenant/staff", nil).json(t)
	if m := memberByEmail(t, list, "con@northwind.example"); m == nil || m["status"] != "pending" || m["role"] != "consultant" {
		t.Fatalf("staff list: %v", list)
	}
	token := e.outboxToken("con@northwind.example")
	if v := e.client().do("GET", "/api/v1/invitations/"+token, nil).json(t); v["account"] != nil {
		t.Fatalf("a staff invitation names no account: %v", v)
	}
	e.exec(`UPDATE tenants SET staff_passwords_enabled = 0`)
	_, r = e.accept(token, "Con", inviteePassword)
	wantStatus(t, r, 409, "sso_required")
	e.exec(`UPDATE tenants SET staff_passwords_enabled = 1`)
	con, r := e.accept(token, "Con Sultant", inviteePassword)
	wantStatus(t, r, 200, "")
	if con.do("GET", "/api/v1/me", nil).json(t)["membership"].(map[string]any)["role"] != "consultant" {
		t.Fatal("staff role")
	}
	wantStatus(t, con.do("GET", "/api/v1/tenant/staff", nil), 403, "permission_denied")
	conID := e.userID("con@northwind.example")
	wantStatus(t, owner.do("PATCH", "/api/v1/tenant/staff/"+conID, map[string]string{"role": "tenant_admin"}), 200, "")
	wantStatus(t, con.do("GET", "/api/v1/tenant/staff", nil), 200, "")
	wantStatus(t, owner.do("DELETE", "/api/v1/tenant/staff/"+conID, nil), 204, "")
	wantStatus(t, con.do("GET", "/api/v1/me", nil), 401, "unauthenticated")
}

func TestChangePasswordAndSessions(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	a := e.login("ann@northwind.example", ownerPassword)
	b := e.login("ann@northwind.example", ownerPassword)
	list := a.do("GET", "/api/v1/me/sessions", nil).json(t)["items"].([]any)
	if len(list) != 3 { // setup's, a's and b's
		t.Fatalf("sessions: %v", list)
	}
	current := 0
	for _, s := range list {
		if s.(map[string]any)["current"] == true {
			current++
		}
	}
	if current != 1 {
		t.Fatalf("exactly one current session: %v", list)
	}

	r := a.do("POST", "/api/v1/me/password", map[string]string{"current_password": "wrong", "new_password": inviteePassword})
	wantStatus(t, r, 422, "password_incorrect")
	r = a.do("POST", "/api/v1/me/password", map[string]string{"current_password": ownerPassword, "new_password": "short"})
	wantStatus(t, r, 422, "password_too_short")
	if fieldCodes(t, r)["new_password"] != "password_too_short" {
		t.Fatal("field")
	}
	wantStatus(t, a.do("POST", "/api/v1/me/password", map[string]string{"current_password": ownerPassword, "new_password": inviteePassword}), 204, "")
	wantStatus(t, a.do("GET", "/api/v1/me", nil), 200, "")
	wantStatus(t, b.do("GET", "/api/v1/me", nil), 401, "unauthenticated")
	wantStatus(t, e.client().do("POST", "/api/v1/auth/login", map[string]string{"email": "ann@northwind.example", "password": ownerPassword}), 401, "invalid_credentials")
	c := e.login("ann@northwind.example", inviteePassword)

	// Ending a session: one's own, by id; someone else's is 404.
	var cID string
	for _, s := range a.do("GET", "/api/v1/me/sessions", nil).json(t)["items"].([]any) {
		if s.(map[string]any)["current"] == false {
			cID = s.(map[string]any)["id"].(string)
		}
	}
	other := e.addPerson("other@client.example", "another long password 12", "client", "acme")
	_ = other
	o := e.login("other@client.example", "another long password 12")
	wantStatus(t, o.do("DELETE", "/api/v1/me/sessions/"+cID, nil), 404, "not_found")
	wantStatus(t, a.do("DELETE", "/api/v1/me/sessions/"+cID, nil), 204, "")
	wantStatus(t, c.do("GET", "/api/v1/me", nil), 401, "unauthenticated")
}

// Password reset by email, through a real SMTP server: one hour, single
// use, the same answer for unknown addresses, every session ends.
func TestPasswordResetBySMTP(t *testing.T) {
	sink := startSMTP(t)
	e := newEnv(t, withSMTP(sink))
	e.setUp()
	signedIn := e.login("ann@northwind.example", ownerPassword)

	wantStatus(t, e.client().do("POST", "/api/v1/auth/password-reset", map[string]string{"email": "nobody@x.example"}), 202, "")
	wantStatus(t, e.client().do("POST", "/api/v1/auth/password-reset", map[string]string{"email": "ANN@northwind.example"}), 202, "")
	mail := sink.waitFor(t, "ann@northwind.example", "/reset-password/")
	if !strings.Contains(mail.Data, "Subject: Reset your Northwind Automation password") {
		t.Fatalf("reset mail:\n%s", mail.Data)
	}
	link := linkIn(t, mail)
	token := link[strings.LastIndexByte(link, '/')+1:]
	if sink.count() != 1 {
		t.Fatalf("mails: %d (an unknown address gets none)", sink.count())
	}
	path := "/api/v1/auth/password-reset/" + token
	wantStatus(t, e.client().do("POST", path, map[string]string{"password": "short"}), 422, "password_too_short")
	wantStatus(t, e.client().do("POST", path, map[string]string{"password": inviteePassword}), 204, "")
	wantStatus(t, e.client().do("POST", path, map[string]string{"password": "yet another long password"}), 410, "reset_link_invalid")
	wantStatus(t, signedIn.do("GET", "/api/v1/me", nil), 401, "unauthenticated")
	e.login("ann@northwind.example", inviteePassword)

	// A second link expires after an hour.
	wantStatus(t, e.client().do("POST", "/api/v1/auth/password-reset", map[string]string{"email": "ann@northwind.example"}), 202, "")
	deadline := time.Now().Add(5 * time.Second)
	for sink.count() < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	sink.mu.Lock()
	second := linkIn(t, sink.msgs[1])
	sink.mu.Unlock()
	e.clock.Advance(time.Hour)
	wantStatus(t, e.client().do("POST", "/api/v1/auth/password-reset/"+second[strings.LastIndexByte(second, '/')+1:],
		map[string]string{"password": "yet another long password"}), 410, "reset_link_invalid")
}

// With SMTP configured invitations are mailed, not kept; when the relay
// is down they land in the outbox, with the reason.
func TestInvitationMailAndOutboxFallback(t *testing.T) {
	sink := startSMTP(t)
	e := newEnv(t, withSMTP(sink))
	owner := e.setUp()
	r := owner.invite("acme", inv("fay@client.example", "client"), inv("gus@client.example", "account_user"))
	wantStatus(t, r, 201, "")
	if b := r.json(t); b["emailed"].(float64) != 2 || b["outbox"].(float64) != 0 {
		t.Fatalf("mail counts: %s", r.body)
	}
	m := sink.waitFor(t, "fay@client.example", "/invite/")
	if !strings.Contains(m.Data, "Invitation to Acme Corporation on Northwind Automation") {
		t.Fatalf("invitation mail:\n%s", m.Data)
	}
	link := linkIn(t, m)
	if r := e.client().do("GET", "/api/v1/invitations/"+link[strings.LastIndexByte(link, '/')+1:], nil); r.StatusCode != http.StatusOK {
		t.Fatalf("mailed link: %d", r.StatusCode)
	}
	if e.count(`SELECT COUNT(*) FROM outbox`) != 0 {
		t.Fatal("sent mail also landed in the outbox")
	}

	sink.srv.Close()
	r = owner.invite("acme", inv("hal@client.example", "client"), inv("ivy@client.example", "client"))
	wantStatus(t, r, 201, "")
	if b := r.json(t); b["emailed"].(float64) != 0 || b["outbox"].(float64) != 2 {
		t.Fatalf("relay down: %s", r.body)
	}
	box := owner.do("GET", "/api/v1/tenant/outbox?limit=1", nil).json(t)
	items := box["items"].([]any)
	if len(items) != 1 || box["next_cursor"] == nil || items[0].(map[string]any)["reason"] == "" {
		t.Fatalf("outbox: %v", box)
	}
	next := owner.do("GET", "/api/v1/tenant/outbox?limit=1&cursor="+box["next_cursor"].(string), nil).json(t)
	if len(next["items"].([]any)) != 1 || next["next_cursor"] != nil ||
		next["items"].([]any)[0].(map[string]any)["id"] == items[0].(map[string]any)["id"] {
		t.Fatalf("outbox second page: %v", next)
	}
}

const southwindPassword = "southwind owner long password"

// otherTenant adds a second tenant, Southwind, owned by sam@southwind.example.
func (e *env) otherTenant() {
	e.t.Helper()
	_, err := tenant.Create(context.Background(), e.db, e.srv.Auth.Hasher, e.clock.Now(), nil, tenant.CreateInput{
		Name: "Southwind", Slug: "southwind", OwnerName: "Sam", OwnerEmail: "sam@southwind.example",
		OwnerPassword: southwindPassword})
	if err != nil {
		e.t.Fatal(err)
	}
}

// INV-01, INV-04, INV-05, INV-06: the link token is never stored, the
// acceptor cannot choose email or role, links come from base_url whatever
// the Host header says, and lookups are rate limited per IP.
func TestInvitationLinkHardening(t *testing.T) {
	e := newEnv(t)
	owner := e.setUp()
	r := owner.do("POST", "/api/v1/accounts/acme/invitations", map[string]any{"invites": []any{inv("ivo@client.example", "client")}},
		header("Host", "evil.example"), header("X-Forwarded-Host", "evil.example"))
	wantStatus(t, r, 201, "")
	var link string
	if err := e.db.R.QueryRow(`SELECT link FROM outbox WHERE to_addr = 'ivo@client.example'`).Scan(&link); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(link, testBase+"/invite/") {
		t.Fatalf("link not from base_url: %s", link)
	}
	token := link[strings.LastIndexByte(link, '/')+1:]
	if _, err := e.db.W.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	// The outbox holds the link on purpose (SPEC §3); the invitations table
	// must not: only its hash.
	if n := e.count(`SELECT COUNT(*) FROM invitations WHERE token_hash = ? OR token_hash LIKE ?`, token, "%"+token+"%"); n != 0 {
		t.Fatal("the invitation token is stored in clear")
	}
	r = e.client().do("POST", "/api/v1/invitations/"+token+"/accept", map[string]string{"name": "Ivo", "password": inviteePassword, "role": "account_admin"})
	wantStatus(t, r, 400, "unknown_field")
	_, r = e.accept(token, "Ivo", inviteePassword)
	wantStatus(t, r, 200, "")
	if m := memberByEmail(t, owner.do("GET", "/api/v1/accounts/acme/members", nil).json(t), "ivo@client.example"); m["role"] != "client" {
		t.Fatalf("role after accept: %v", m)
	}
	if ref := r.Header.Get("Referrer-Policy"); ref != "no-referrer" {
		t.Fatalf("Referrer-Policy %q", ref)
	}
	limited := false
	for range 80 {
		if e.client().do("GET", "/api/v1/invitations/guess-"+token[:10], nil).StatusCode == 429 {
			limited = true
			break
		}
	}
	if !limited {
		t.Fatal("token lookups are not rate limited")
	}
}
