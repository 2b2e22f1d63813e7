package powerautomate

import (
	"context"
	"encoding/json"
	"fmt"

	"bureau/connector"
)

// Workflow categories (workflows.category).
const (
	categoryCloud   = 5 // modern (cloud) flow
	categoryDesktop = 6 // desktop flow
)

// workflows.statecode: 0 Draft (off), 1 Activated (on), 2 Suspended.
const stateActivated = 1

// processColumns leaves out clientdata: it is the whole flow definition,
// far bigger than everything else and not needed for a process.
const processColumns = "workflowid,name,category,statecode,statuscode,description,modifiedon,createdon"

type workflow struct {
	ID          string  `json:"workflowid"`
	Name        string  `json:"name"`
	Category    int     `json:"category"`
	StateCode   int     `json:"statecode"`
	Description *string `json:"description"`
	ClientData  *string `json:"clientdata"`
}

func (w workflow) process(raw json.RawMessage) connector.Process {
	p := connector.Process{Ref: w.ID, Name: w.Name, Folder: categoryFolder(w.Category), Raw: raw}
	if w.Description != nil {
		p.Description = *w.Description
	}
	return p
}

func categoryFolder(c int) string {
	switch c {
	case categoryDesktop:
		return "Desktop flows"
	case categoryCloud:
		return "Cloud flows"
	}
	return ""
}

// categories lists the flow categories to sync, desktop flows first (they
// are the ones Bureau can start).
func (p *Provider) categories() []int {
	var out []int
	if p.desktop() {
		out = append(out, categoryDesktop)
	}
	if p.cloud() {
		out = append(out, categoryCloud)
	}
	return out
}

// Processes lists the environment's solution-aware flows, one category at a
// time.
func (p *Provider) Processes(ctx context.Context, fn func([]connector.Process) error) error {
	for _, c := range p.categories() {
		q := query("$select", processColumns, "$filter", fmt.Sprintf("category eq %d", c))
		err := p.list(ctx, "list flows", "workflows", q, func(raw []json.RawMessage) error {
			ps, err := decodeEach("list flows", raw, workflow.process)
			if err != nil {
				return err
			}
			return fn(ps)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Schedules are the Recurrence triggers of cloud flows. Dataverse has no
// schedule table: the trigger lives in the flow definition (clientdata),
// so cloud flows are read with it and parsed here.
func (p *Provider) Schedules(ctx context.Context, fn func([]connector.Schedule) error) error {
	if !p.cloud() {
		return nil // desktop flows have no triggers of their own
	}
	q := query("$select", "workflowid,name,statecode,clientdata", "$filter", fmt.Sprintf("category eq %d", categoryCloud))
	return p.list(ctx, "list schedules", "workflows", q, func(raw []json.RawMessage) error {
		ws, err := decodeEach("list schedules", raw, func(w workflow, _ json.RawMessage) workflow { return w })
		if err != nil {
			return err
		}
		var out []connector.Schedule
		for _, w := range ws {
			out = append(out, w.schedules()...)
		}
		if len(out) == 0 {
			return nil
		}
		return fn(out)
	})
}

func (w workflow) schedules() []connector.Schedule {
	if w.ClientData == nil {
		return nil
	}
	triggers, err := recurrenceTriggers(*w.ClientData)
	if err != nil {
		return nil // a definition we cannot read has no schedule we can show
	}
	out := make([]connector.Schedule, 0, len(triggers))
	for _, t := range triggers {
		ref := w.ID
		if len(triggers) > 1 {
			ref += "/" + t.Name
		}
		out = append(out, connector.Schedule{
			Ref:         ref,
			Name:        w.Name,
			ProcessRef:  w.ID,
			ProcessName: w.Name,
			Enabled:     w.StateCode == stateActivated,
			Summary:     t.Recurrence.Summary(),
			Timezone:    t.Recurrence.zone(),
			Raw:         t.Raw,
		})
	}
	return out
}
