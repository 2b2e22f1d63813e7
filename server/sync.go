package server

import (
	"github.com/gofiber/fiber/v2"

	"bureau/syncer"
)

// startSync answers 202 with the running sync; the sync goes on after the
// response. 409 sync_running, connection_missing or account_deactivated
// come from the syncer's claim.
func (s *Server) startSync(c *fiber.Ctx) error {
	a := accountOf(c)
	run, err := s.Syncer.StartBy(c.UserContext(), actorOf(c), a.TenantID, a.ID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(run)
}

// listSyncRuns is the account's sync history, newest first.
func (s *Server) listSyncRuns(c *fiber.Ctx) error {
	page, err := pageOf(c)
	if err != nil {
		return err
	}
	runs, next, err := syncer.List(c.UserContext(), s.DB.R, accountOf(c).ID, syncer.Page{Limit: page.Limit, Cursor: page.Cursor})
	if err != nil {
		return err
	}
	return listPage(c, runs, next)
}
