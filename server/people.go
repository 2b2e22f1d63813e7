package server

import (
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"

	"bureau/apperr"
	"bureau/people"
)

// accountScope is the account of an /accounts/:account/... route.
func accountScope(c *fiber.Ctx) people.Scope {
	return people.Scope{TenantID: principalOf(c).TenantID, AccountID: accountOf(c).ID}
}

// staffScope is the tenant's staff.
func staffScope(c *fiber.Ctx) people.Scope {
	return people.Scope{TenantID: principalOf(c).TenantID}
}

func (s *Server) listPeople(c *fiber.Ctx, sc people.Scope) error {
	page, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := s.People.List(c.UserContext(), sc, people.Page{Limit: page.Limit, Cursor: page.Cursor})
	if err != nil {
		return err
	}
	return listPage(c, items, next)
}

type inviteBody struct {
	Invites []people.InviteInput `json:"invites"`
}

func (s *Server) invitePeople(c *fiber.Ctx, sc people.Scope) error {
	var in inviteBody
	if err := decode(c, &in); err != nil {
		return err
	}
	invited, err := s.People.Invite(c.UserContext(), actorOf(c), sc, in.Invites)
	if err != nil {
		return err
	}
	return s.invitedResponse(c, sc, invited)
}

// invitedResponse mails the new links (after the commit: never inside the
// transaction) and answers with the invitees and how their mail went.
func (s *Server) invitedResponse(c *fiber.Ctx, sc people.Scope, invited []people.Invited) error {
	emailed, kept := s.mailInvitations(c, sc, invited)
	items := make([]people.Member, len(invited))
	for i, inv := range invited {
		items[i] = inv.Member
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"items": items, "emailed": emailed, "outbox": kept})
}

func (s *Server) resendPeople(c *fiber.Ctx, sc people.Scope) error {
	inv, err := s.People.Resend(c.UserContext(), actorOf(c), sc, c.Params("id"))
	if err != nil {
		return err
	}
	s.mailInvitations(c, sc, []people.Invited{inv})
	return c.JSON(inv.Member)
}

func (s *Server) revokePeople(c *fiber.Ctx, sc people.Scope) error {
	if err := s.People.Revoke(c.UserContext(), actorOf(c), sc, c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// memberBody is a member PATCH. email is here only to be refused: an email
// is never edited (SPEC §2).
type memberBody struct {
	Role   *string   `json:"role"`
	Groups *[]string `json:"groups"`
	Email  *string   `json:"email"`
}

func (s *Server) patchPeople(c *fiber.Ctx, sc people.Scope) error {
	var in memberBody
	if err := decode(c, &in); err != nil {
		return err
	}
	if in.Email != nil {
		return apperr.Fields{{Field: "email", Code: "email_immutable",
			Message: "An email address cannot be changed. Invite the new address and remove the old one."}}.Err()
	}
	m, err := s.People.Update(c.UserContext(), actorOf(c), sc, c.Params("user"), people.MemberPatch{Role: in.Role, Groups: in.Groups})
	if err != nil {
		return err
	}
	return c.JSON(m)
}

func (s *Server) deletePeople(c *fiber.Ctx, sc people.Scope) error {
	if _, err := s.People.Remove(c.UserContext(), actorOf(c), sc, []string{c.Params("user")}); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// Account members.

func (s *Server) listMembers(c *fiber.Ctx) error { return s.listPeople(c, accountScope(c)) }
func (s *Server) inviteMembers(c *fiber.Ctx) error {
	if err := activeAccount(c); err != nil {
		return err
	}
	return s.invitePeople(c, accountScope(c))
}

// activeAccount refuses to invite into a deactivated account: the link
// would be dead on arrival.
func activeAccount(c *fiber.Ctx) error {
	if accountOf(c).Status != "active" {
		return apperr.Conflict("account_deactivated", "This client account is deactivated. Reactivate it before inviting people.")
	}
	return nil
}
func (s *Server) resendInvitation(c *fiber.Ctx) error {
	return s.resendPeople(c, accountScope(c))
}
func (s *Server) revokeInvitation(c *fiber.Ctx) error { return s.revokePeople(c, accountScope(c)) }
func (s *Server) patchMember(c *fiber.Ctx) error      { return s.patchPeople(c, accountScope(c)) }
func (s *Server) deleteMember(c *fiber.Ctx) error     { return s.deletePeople(c, accountScope(c)) }

func (s *Server) removeMembers(c *fiber.Ctx) error {
	var in struct {
		UserIDs []string `json:"user_ids"`
	}
	if err := decode(c, &in); err != nil {
		return err
	}
	n, err := s.People.Remove(c.UserContext(), actorOf(c), accountScope(c), in.UserIDs)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"removed": n})
}

// importInvitations invites everyone in an uploaded CSV file.
func (s *Server) importInvitations(c *fiber.Ctx) error {
	if err := activeAccount(c); err != nil {
		return err
	}
	role := c.Query("role", "account_user")
	sc := accountScope(c)
	invited, err := s.People.ImportCSV(c.UserContext(), actorOf(c), sc, c.Body(), role)
	if err != nil {
		return err
	}
	return s.invitedResponse(c, sc, invited)
}

// Staff.

func (s *Server) listStaff(c *fiber.Ctx) error   { return s.listPeople(c, staffScope(c)) }
func (s *Server) inviteStaff(c *fiber.Ctx) error { return s.invitePeople(c, staffScope(c)) }
func (s *Server) resendStaffInvitation(c *fiber.Ctx) error {
	return s.resendPeople(c, staffScope(c))
}
func (s *Server) revokeStaffInvitation(c *fiber.Ctx) error { return s.revokePeople(c, staffScope(c)) }
func (s *Server) patchStaff(c *fiber.Ctx) error            { return s.patchPeople(c, staffScope(c)) }
func (s *Server) deleteStaff(c *fiber.Ctx) error           { return s.deletePeople(c, staffScope(c)) }

// Groups.

func (s *Server) listGroups(c *fiber.Ctx) error {
	groups, err := s.People.Groups(c.UserContext(), accountScope(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": groups, "next_cursor": nil})
}

func (s *Server) createGroup(c *fiber.Ctx) error {
	var in people.GroupInput
	if err := decode(c, &in); err != nil {
		return err
	}
	g, err := s.People.CreateGroup(c.UserContext(), actorOf(c), accountScope(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(g)
}

// groupBody tells `"role": null` (clear it) from no role key at all.
type groupBody struct {
	Name    *string         `json:"name"`
	Role    json.RawMessage `json:"role"`
	Members *[]string       `json:"members"`
}

func (s *Server) patchGroup(c *fiber.Ctx) error {
	var in groupBody
	if err := decode(c, &in); err != nil {
		return err
	}
	p := people.GroupPatch{Name: in.Name, Members: in.Members}
	if len(in.Role) > 0 {
		p.RoleSet = true
		if string(in.Role) != "null" {
			var role string
			if err := json.Unmarshal(in.Role, &role); err != nil {
				return apperr.Fields{{Field: "role", Code: "role_invalid", Message: "role is a string or null."}}.Err()
			}
			p.Role = &role
		}
	}
	g, err := s.People.UpdateGroup(c.UserContext(), actorOf(c), accountScope(c), c.Params("id"), p)
	if err != nil {
		return err
	}
	return c.JSON(g)
}

func (s *Server) deleteGroup(c *fiber.Ctx) error {
	if err := s.People.DeleteGroup(c.UserContext(), actorOf(c), accountScope(c), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// Invitations, from the invitee's side.

func (s *Server) getInvitation(c *fiber.Ctx) error {
	inv, err := s.People.Lookup(c.UserContext(), s.DB.R, c.Params("token"))
	if err != nil {
		return err
	}
	var account any
	if inv.AccountName != "" {
		account = fiber.Map{"name": inv.AccountName}
	}
	var b brandingJSON
	_ = json.Unmarshal([]byte(inv.Branding), &b) // ours; an empty object at worst
	if b.DisplayName == "" {
		b.DisplayName = inv.TenantName
	}
	sso, err := s.SSO.Get(c.UserContext(), s.DB.R, inv.TenantID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{
		"email": inv.Email, "role": inv.Role, "account": account,
		// Staff may accept by signing in with SSO: the page offers it.
		"sso":                     account == nil && sso.Configured,
		"staff_passwords_enabled": !inv.StaffNoPw,
		"tenant":                  fiber.Map{"name": inv.TenantName, "slug": inv.TenantSlug, "branding": b},
		"expires_at":              inv.ExpiresAt.UTC().Format(timeFormat), "existing_user": inv.ExistingUser,
	})
}

func (s *Server) acceptInvitation(c *fiber.Ctx) error {
	var in people.AcceptInput
	if err := decode(c, &in); err != nil {
		return err
	}
	inv, err := s.People.Accept(c.UserContext(), c.Params("token"), in, reqMeta(c))
	if err != nil {
		return err
	}
	if !inv.ExistingUser {
		s.mailWelcome(c, inv, strings.TrimSpace(in.Name))
	}
	return s.signIn(c, inv.UserID, inv.TenantID, "password", fiber.StatusOK)
}

// getOutbox lists the tenant's unsent mail, newest first.
func (s *Server) getOutbox(c *fiber.Ctx) error {
	page, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := s.Mailer.Outbox.Page(c.UserContext(), principalOf(c).TenantID, page.Limit, page.Cursor)
	if err != nil {
		return err
	}
	return listPage(c, items, next)
}
