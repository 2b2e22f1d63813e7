package uipath

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"bureau/connector"
)

// Test signs in and counts the folders: that proves the address, the
// organization and tenant, the credentials and the folder scope.
func (c *client) Test(ctx context.Context) (connector.TestResult, error) {
	var page struct {
		Count *int        `json:"@odata.count"`
		Value []folderDTO `json:"value"`
	}
	q := url.Values{"$top": {"1"}, "$count": {"true"}}
	if err := c.get(ctx, "test connection", 0, "odata/Folders", q, &page); err != nil {
		return connector.TestResult{}, err
	}
	n := len(page.Value)
	if page.Count != nil {
		n = *page.Count
	}
	noun := "folders"
	if n == 1 {
		noun = "folder"
	}
	if err := c.checkFolders(ctx); err != nil {
		return connector.TestResult{}, err
	}
	return connector.TestResult{Details: fmt.Sprintf("Connected to tenant %s: %d %s", c.set.tenant, n, noun)}, nil
}

// checkFolders reports a configured folder path the account cannot see,
// which would otherwise sync nothing without a word.
func (c *client) checkFolders(ctx context.Context) error {
	if len(c.set.folders) == 0 {
		return nil
	}
	missing := slices.Clone(c.set.folders)
	err := c.eachFolder(ctx, func(f folderDTO) error {
		missing = slices.DeleteFunc(missing, func(p string) bool { return strings.EqualFold(p, f.FullyQualifiedName) })
		return nil
	})
	if err != nil || len(missing) == 0 {
		return err
	}
	return connector.Errorf(connector.KindNotFound, "test connection", "folder %q does not exist or the account has no role in it", missing[0])
}

func (c *client) Processes(ctx context.Context, fn func([]connector.Process) error) error {
	const op = "list processes"
	return c.eachFolder(ctx, func(f folderDTO) error {
		return c.list(ctx, op, f.ID, "odata/Releases", url.Values{}, func(rows []json.RawMessage) error {
			ps, err := decodeAll(op, rows, func(r releaseDTO, raw json.RawMessage) connector.Process {
				c.places.setRelease(r.ID, releasePlace{key: r.Key, folder: f.ID})
				return r.process(f, raw)
			})
			if err != nil {
				return err
			}
			return fn(ps)
		})
	})
}

// Jobs lists, folder by folder in Id order, the jobs created or changed
// since the watermark.
func (c *client) Jobs(ctx context.Context, since time.Time, fn func([]connector.Job) error) error {
	return c.eachFolder(ctx, func(f folderDTO) error {
		err := c.jobsIn(ctx, f.ID, jobFilter(since, !c.noModTime.Load()), fn)
		if !since.IsZero() && !c.noModTime.Load() && modTimeUnsupported(err) {
			c.noModTime.Store(true) // the first page failed, nothing was yielded
			err = c.jobsIn(ctx, f.ID, jobFilter(since, false), fn)
		}
		return err
	})
}

func (c *client) jobsIn(ctx context.Context, folderID int64, filter string, fn func([]connector.Job) error) error {
	const op = "list jobs"
	q := url.Values{"$expand": {"Robot,Release"}}
	if filter != "" {
		q.Set("$filter", filter)
	}
	return c.list(ctx, op, folderID, "odata/Jobs", q, func(rows []json.RawMessage) error {
		js, err := decodeAll(op, rows, func(j jobDTO, raw json.RawMessage) connector.Job {
			c.places.setJob(j.ID, folderID)
			return j.job(raw)
		})
		if err != nil {
			return err
		}
		return fn(js)
	})
}

// jobFilter selects jobs created at or after since, or modified since:
// LastModificationTime where the server has it (API 17+), else a start or
// end since, which catches every change but a suspension.
func jobFilter(since time.Time, modTime bool) string {
	if since.IsZero() {
		return ""
	}
	t := since.UTC().Format("2006-01-02T15:04:05.000Z")
	if modTime {
		return fmt.Sprintf("(CreationTime ge %s) or (LastModificationTime ge %s)", t, t)
	}
	return fmt.Sprintf("(CreationTime ge %s) or (StartTime ge %s) or (EndTime ge %s)", t, t, t)
}

func modTimeUnsupported(err error) bool {
	var ce *connector.Error
	return errors.As(err, &ce) && ce.Kind == connector.KindInvalid && strings.Contains(ce.Message, "LastModificationTime")
}

// Robots lists the runtime sessions of each folder with their robots. A
// robot serving several folders is yielded once.
func (c *client) Robots(ctx context.Context, fn func([]connector.Robot) error) error {
	const op = "list robots"
	seen := map[string]bool{}
	return c.eachFolder(ctx, func(f folderDTO) error {
		q := url.Values{"$expand": {"Robot"}}
		return c.list(ctx, op, f.ID, "odata/Sessions", q, func(rows []json.RawMessage) error {
			rs, err := decodeAll(op, rows, func(s sessionDTO, raw json.RawMessage) connector.Robot { return s.robot(raw) })
			if err != nil {
				return err
			}
			fresh := rs[:0]
			for _, r := range rs {
				if !seen[r.Ref] {
					seen[r.Ref] = true
					fresh = append(fresh, r)
				}
			}
			if len(fresh) == 0 {
				return nil
			}
			return fn(fresh)
		})
	})
}

func (c *client) Schedules(ctx context.Context, fn func([]connector.Schedule) error) error {
	const op = "list schedules"
	return c.eachFolder(ctx, func(f folderDTO) error {
		return c.list(ctx, op, f.ID, "odata/ProcessSchedules", url.Values{}, func(rows []json.RawMessage) error {
			ss, err := decodeAll(op, rows, func(s scheduleDTO, raw json.RawMessage) connector.Schedule { return s.schedule(raw) })
			if err != nil {
				return err
			}
			return fn(ss)
		})
	})
}

// StartRun starts one job of the release in its folder. A robot ref pins
// the run to that robot (the Specific strategy); otherwise Orchestrator
// picks one (ModernJobsCount).
func (c *client) StartRun(ctx context.Context, processRef string, in connector.RunInput) (connector.Job, error) {
	const op = "start run"
	id, err := parseRef(op, "process", processRef)
	if err != nil {
		return connector.Job{}, err
	}
	rel, err := c.findRelease(ctx, id)
	if err != nil {
		return connector.Job{}, err
	}
	info, err := startInfo(op, rel.key, in)
	if err != nil {
		return connector.Job{}, err
	}
	var out struct {
		Value []json.RawMessage `json:"value"`
	}
	u := c.set.base + "odata/Jobs/UiPath.Server.Configuration.OData.StartJobs?" + encodeQuery(url.Values{"$expand": {"Robot,Release"}})
	if _, err := c.call.Do(ctx, connector.Request{
		Op: op, Method: http.MethodPost, URL: u, Header: folderHeader(rel.folder), Body: map[string]any{"startInfo": info},
	}, &out); err != nil {
		return connector.Job{}, err
	}
	if len(out.Value) == 0 {
		return connector.Job{}, connector.Errorf(connector.KindInvalid, op, "Orchestrator created no job (no robot can run this process?)")
	}
	jobs, err := decodeAll(op, out.Value[:1], func(j jobDTO, raw json.RawMessage) connector.Job {
		c.places.setJob(j.ID, rel.folder)
		return j.job(raw)
	})
	if err != nil {
		return connector.Job{}, err
	}
	return jobs[0], nil
}

func startInfo(op, releaseKey string, in connector.RunInput) (map[string]any, error) {
	info := map[string]any{"ReleaseKey": releaseKey, "Strategy": "ModernJobsCount", "JobsCount": 1, "Source": "Manual"}
	if len(in.Arguments) > 0 {
		args, err := json.Marshal(in.Arguments)
		if err != nil {
			return nil, connector.Errorf(connector.KindInvalid, op, "input arguments: %v", err)
		}
		info["InputArguments"] = string(args) // a JSON document inside a string
	}
	if in.RobotRef != "" {
		robot, err := parseRef(op, "robot", in.RobotRef)
		if err != nil {
			return nil, err
		}
		info["Strategy"], info["RobotIds"] = "Specific", []int64{robot}
		delete(info, "JobsCount")
	}
	return info, nil
}

// findRelease finds a release's key and folder: remembered from a listing,
// else by asking each folder in turn.
func (c *client) findRelease(ctx context.Context, id int64) (releasePlace, error) {
	if p, ok := c.places.release(id); ok {
		return p, nil
	}
	var found releasePlace
	err := c.probeFolders(ctx, "find process", func(folderID int64) error {
		var r releaseDTO
		if err := c.get(ctx, "find process", folderID, "odata/Releases("+ref(id)+")", nil, &r); err != nil {
			return err
		}
		found = releasePlace{key: r.Key, folder: folderID}
		c.places.setRelease(id, found)
		return nil
	})
	return found, err
}

// Job reads one job by Id, in the folder it was listed in or, when that is
// not known, in each folder until one has it.
func (c *client) Job(ctx context.Context, jobRef string) (connector.Job, error) {
	const op = "read job"
	id, err := parseRef(op, "job", jobRef)
	if err != nil {
		return connector.Job{}, err
	}
	var out connector.Job
	read := func(folderID int64) error {
		var raw json.RawMessage
		q := url.Values{"$expand": {"Robot,Release"}}
		if err := c.get(ctx, op, folderID, "odata/Jobs("+ref(id)+")", q, &raw); err != nil {
			return err
		}
		js, err := decodeAll(op, []json.RawMessage{raw}, func(j jobDTO, raw json.RawMessage) connector.Job { return j.job(raw) })
		if err != nil {
			return err
		}
		out = js[0]
		c.places.setJob(id, folderID)
		return nil
	}
	if folderID, ok := c.places.job(id); ok {
		err = read(folderID)
	} else {
		err = c.probeFolders(ctx, op, read)
	}
	return out, err
}

// probeFolders calls try for each synced folder until one does not answer
// not-found; when all do, the last not-found is returned.
func (c *client) probeFolders(ctx context.Context, op string, try func(folderID int64) error) error {
	errDone := errors.New("found")
	var last error
	err := c.eachFolder(ctx, func(f folderDTO) error {
		err := try(f.ID)
		switch {
		case err == nil:
			return errDone
		case errors.Is(err, connector.ErrNotFound):
			last = err
			return nil
		}
		return err
	})
	switch {
	case errors.Is(err, errDone):
		return nil
	case err != nil:
		return err
	case last != nil:
		return last
	}
	return connector.Errorf(connector.KindNotFound, op, "no folder is visible to this account")
}

func parseRef(op, what, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, connector.Errorf(connector.KindNotFound, op, "%q is not a UiPath %s Id", s, what)
	}
	return id, nil
}
