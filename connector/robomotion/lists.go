package robomotion

import (
	"context"
	"encoding/json"
	"errors"

	"bureau/connector"
)

// flow is a flows.list item. Only id and name are documented.
type flow struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Description is not documented (assumption: present on some flows).
	Description string `json:"description"`
}

// Processes lists the flows the token's user can see. Public reports say
// flows.list is user-scoped, not workspace-scoped: flows owned by other
// users do not appear (their jobs still do).
func (p *Provider) Processes(ctx context.Context, fn func([]connector.Process) error) error {
	return p.list(ctx, "list flows", "flows.list", "flows", func(items []json.RawMessage) error {
		out := make([]connector.Process, 0, len(items))
		for _, raw := range items {
			var f flow
			if err := json.Unmarshal(raw, &f); err != nil {
				return connector.Errorf(connector.KindUnavailable, "list flows", "unexpected flow: %v", err)
			}
			out = append(out, connector.Process{Ref: f.ID, Name: f.Name, Description: f.Description, Raw: raw})
		}
		return fn(out)
	})
}

// robot is a robots.list item (documented: id, workspace_id, name, type
// development / ondemand / production). It carries no status.
type robot struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// Robots lists the workspace's robots. robots.list says nothing about
// whether a robot is online, so the robots users.robots.connected.list
// names are "connected" and the others "disconnected" (assumption: that
// list has robots.list's shape). A token not allowed to read it leaves
// every status unknown.
func (p *Provider) Robots(ctx context.Context, fn func([]connector.Robot) error) error {
	connected, err := p.connectedRobots(ctx)
	if err != nil {
		return err
	}
	return p.list(ctx, "list robots", "robots.list", "robots", func(items []json.RawMessage) error {
		out := make([]connector.Robot, 0, len(items))
		for _, raw := range items {
			var r robot
			if err := json.Unmarshal(raw, &r); err != nil {
				return connector.Errorf(connector.KindUnavailable, "list robots", "unexpected robot: %v", err)
			}
			out = append(out, toRobot(r, connected, raw))
		}
		return fn(out)
	})
}

func toRobot(r robot, connected map[string]bool, raw json.RawMessage) connector.Robot {
	out := connector.Robot{Ref: r.ID, Name: r.Name, Raw: raw, Status: connector.RobotUnknown, RawStatus: "unknown"}
	switch {
	case connected == nil:
	case connected[r.ID]:
		out.Status, out.RawStatus = connector.RobotAvailable, "connected"
	default:
		out.Status, out.RawStatus = connector.RobotOffline, "disconnected"
	}
	return out
}

// connectedRobots returns the ids of connected robots, or nil when the
// token may not read them. It holds ids only: a workspace has few robots.
func (p *Provider) connectedRobots(ctx context.Context) (map[string]bool, error) {
	ids := map[string]bool{}
	err := p.list(ctx, "list connected robots", "users.robots.connected.list", "robots", func(items []json.RawMessage) error {
		for _, raw := range items {
			var r robot
			if json.Unmarshal(raw, &r) == nil && r.ID != "" {
				ids[r.ID] = true
			}
		}
		return nil
	})
	var ce *connector.Error
	if errors.As(err, &ce) && (ce.Kind == connector.KindForbidden || ce.Kind == connector.KindNotFound || ce.Kind == connector.KindInvalid) {
		return nil, nil
	}
	return ids, err
}

// schedule is a schedules.list item, as documented.
type schedule struct {
	ID       string `json:"id"`
	RobotID  string `json:"robot_id"`
	FlowID   string `json:"flow_id"`
	Name     string `json:"name"`
	Cron     string `json:"cron"`
	Timezone string `json:"timezone"`
	Type     int    `json:"type"`
	Active   int    `json:"active"`
}

// Schedules lists the workspace's schedules. The cron has six fields
// (seconds first) and the time zone is a Windows display name such as
// "(UTC+03:00) Istanbul", kept as the vendor wrote it.
func (p *Provider) Schedules(ctx context.Context, fn func([]connector.Schedule) error) error {
	return p.list(ctx, "list schedules", "schedules.list", "schedules", func(items []json.RawMessage) error {
		out := make([]connector.Schedule, 0, len(items))
		for _, raw := range items {
			var s schedule
			if err := json.Unmarshal(raw, &s); err != nil {
				return connector.Errorf(connector.KindUnavailable, "list schedules", "unexpected schedule: %v", err)
			}
			out = append(out, connector.Schedule{
				Ref: s.ID, Name: s.Name, ProcessRef: s.FlowID, Enabled: s.Active == 1,
				Cron: s.Cron, Summary: Summary(s.Cron), Timezone: s.Timezone, Raw: raw,
			})
		}
		return fn(out)
	})
}
