package server

import (
	"bytes"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"bureau/apperr"
	"bureau/estate"
	"bureau/syncer"
)

// viewerOf is the caller as the estate's reads see them: an Account User
// whose groups add no wider role sees only their assigned processes
// (ISO-12), applied inside every query.
func viewerOf(c *fiber.Ctx) estate.Viewer {
	p := principalOf(c)
	return estate.ViewerFor(p.UserID, p.Roles)
}

func estatePage(c *fiber.Ctx) (estate.Page, error) {
	p, err := pageOf(c)
	return estate.Page{Limit: p.Limit, Cursor: p.Cursor}, err
}

func (s *Server) listProcesses(c *fiber.Ctx) error {
	page, err := estatePage(c)
	if err != nil {
		return err
	}
	a := accountOf(c)
	q := estate.ProcessQuery{Q: c.Query("q"), Page: page, WithAssignees: s.Policy.AllowedAny(principalOf(c).Roles, "processes:assign")}
	items, next, err := estate.ListProcesses(c.UserContext(), s.DB, a.TenantID, a.ID, viewerOf(c), q, s.Now())
	if err != nil {
		return err
	}
	return listPage(c, items, next)
}

func (s *Server) getProcess(c *fiber.Ctx) error {
	a := accountOf(c)
	withAssignees := s.Policy.AllowedAny(principalOf(c).Roles, "processes:assign")
	p, err := estate.GetProcess(c.UserContext(), s.DB.R, a.TenantID, a.ID, c.Params("id"), viewerOf(c), withAssignees, s.Now())
	if err != nil {
		return err
	}
	return c.JSON(p)
}

// putAssignments replaces who may see a process (the Account Users it is
// assigned to, directly or through groups); 422 names each bad entry.
func (s *Server) putAssignments(c *fiber.Ctx) error {
	var in estate.AssignInput
	if err := decode(c, &in); err != nil {
		return err
	}
	a := accountOf(c)
	p, err := estate.SetAssignments(c.UserContext(), s.DB, actorOf(c), a.TenantID, a.ID, c.Params("id"), in, s.Now())
	if err != nil {
		return err
	}
	return c.JSON(p)
}

// listJobs pages through the jobs newest first, or with ?format=csv
// exports every matching job (formula-safe cells) as one file.
func (s *Server) listJobs(c *fiber.Ctx) error {
	f, err := estate.ParseJobFilter(func(k string) string { return c.Query(k) })
	if err != nil {
		return err
	}
	a := accountOf(c)
	switch c.Query("format") {
	case "", "json":
	case "csv":
		return s.exportJobs(c, f)
	default:
		e := apperr.New(apperr.KindBadRequest, "filter_invalid", "format must be json or csv.")
		e.Fields = []apperr.FieldError{{Field: "format", Code: "filter_invalid", Message: "Use json or csv."}}
		return e
	}
	page, err := estatePage(c)
	if err != nil {
		return err
	}
	items, next, err := estate.ListJobs(c.UserContext(), s.DB, a.TenantID, a.ID, viewerOf(c), f, page)
	if err != nil {
		return err
	}
	return listPage(c, items, next)
}

// exportJobs writes the CSV into memory first, so a refusal (too many
// rows) is still a clean problem answer, not half a file.
func (s *Server) exportJobs(c *fiber.Ctx, f estate.JobFilter) error {
	a := accountOf(c)
	var buf bytes.Buffer
	if _, err := estate.ExportJobsCSV(c.UserContext(), s.DB, &buf, a.TenantID, a.ID, viewerOf(c), f); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="jobs-%s-%s.csv"`, a.Slug, s.Now().UTC().Format("20060102-1504")))
	return c.Send(buf.Bytes())
}

func (s *Server) getJob(c *fiber.Ctx) error {
	a := accountOf(c)
	j, err := estate.GetJob(c.UserContext(), s.DB, a.TenantID, a.ID, c.Params("id"), viewerOf(c))
	if err != nil {
		return err
	}
	return c.JSON(j)
}

func (s *Server) listRobots(c *fiber.Ctx) error {
	page, err := estatePage(c)
	if err != nil {
		return err
	}
	a := accountOf(c)
	items, next, err := estate.ListRobots(c.UserContext(), s.DB, a.TenantID, a.ID, viewerOf(c), page)
	if err != nil {
		return err
	}
	return listPage(c, items, next)
}

func (s *Server) listSchedules(c *fiber.Ctx) error {
	page, err := estatePage(c)
	if err != nil {
		return err
	}
	a := accountOf(c)
	items, next, err := estate.ListSchedules(c.UserContext(), s.DB, a.TenantID, a.ID, viewerOf(c), page)
	if err != nil {
		return err
	}
	return listPage(c, items, next)
}

// getDashboard is the account's KPIs; last_sync comes from the syncer (the
// estate package cannot import it: the syncer writes through estate).
func (s *Server) getDashboard(c *fiber.Ctx) error {
	days, err := estate.ParseDays(c.Query("days"))
	if err != nil {
		return err
	}
	a := accountOf(c)
	d, err := estate.GetDashboard(c.UserContext(), s.DB, a.TenantID, a.ID, viewerOf(c), days, s.Now())
	if err != nil {
		return err
	}
	last, err := syncer.Latest(c.UserContext(), s.DB.R, a.ID)
	if err != nil {
		return err
	}
	if last != nil {
		d.LastSync = last
	}
	conn, err := s.Connections.Get(c.UserContext(), s.DB.R, a.TenantID, a.ID)
	if err != nil {
		return err
	}
	d.Connected = conn.Provider != nil
	return c.JSON(d)
}

// getOverview is every account of the tenant with its health, for staff;
// ?sort=health|name|failures|success_rate|last_sync (default worst first).
func (s *Server) getOverview(c *fiber.Ctx) error {
	rows, err := estate.Overview(c.UserContext(), s.DB, principalOf(c).TenantID, s.Now(), c.Query("sort"))
	if err != nil {
		return err
	}
	return listPage(c, rows, "")
}
