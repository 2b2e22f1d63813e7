package server

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"bureau/runs"
)

// runCaller is the principal as the runs package needs it. An Account User
// whose groups add no other role sees only assigned processes (ISO-12);
// anyone who may approve runs never waits for approval.
func (s *Server) runCaller(c *fiber.Ctx) runs.Caller {
	p := principalOf(c)
	restricted := len(p.Roles) > 0
	for _, r := range p.Roles {
		if r != "account_user" {
			restricted = false
		}
	}
	return runs.Caller{UserID: p.UserID, Restricted: restricted, CanApprove: s.Policy.AllowedAny(p.Roles, "runs:approve")}
}

// startRun answers 201 with the started job, or 202 with the run request
// when the account requires approval and the caller may not approve.
func (s *Server) startRun(c *fiber.Ctx) error {
	var in struct {
		Arguments map[string]any `json:"arguments"`
	}
	if len(bytes.TrimSpace(c.Body())) > 0 {
		if err := decode(c, &in); err != nil {
			return err
		}
	}
	a := accountOf(c)
	out, err := s.Runs.Start(c.UserContext(), actorOf(c), s.runCaller(c), a.TenantID, a.ID, c.Params("id"), in.Arguments)
	if err != nil {
		return err
	}
	if out.Request != nil {
		return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"run_request": out.Request})
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"job": out.Job})
}

func (s *Server) listRunRequests(c *fiber.Ctx) error {
	page, err := pageOf(c)
	if err != nil {
		return err
	}
	a := accountOf(c)
	list, next, err := s.Runs.List(c.UserContext(), s.runCaller(c), a.TenantID, a.ID,
		runs.Filter{Status: c.Query("status"), Limit: page.Limit, Cursor: page.Cursor})
	if err != nil {
		return err
	}
	return listPage(c, list, next)
}

func (s *Server) approveRunRequest(c *fiber.Ctx) error {
	a := accountOf(c)
	req, job, err := s.Runs.Approve(c.UserContext(), actorOf(c), s.runCaller(c), a.TenantID, a.ID, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"run_request": req, "job": job})
}

func (s *Server) rejectRunRequest(c *fiber.Ctx) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if len(bytes.TrimSpace(c.Body())) > 0 {
		if err := decode(c, &in); err != nil {
			return err
		}
	}
	a := accountOf(c)
	req, err := s.Runs.Reject(c.UserContext(), actorOf(c), s.runCaller(c), a.TenantID, a.ID, c.Params("id"), in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"run_request": req})
}
