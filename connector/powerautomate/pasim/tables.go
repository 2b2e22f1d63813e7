package pasim

import (
	"time"
)

// kind is a column's OData type, which decides how $filter literals parse.
type kind int

const (
	kString kind = iota
	kInt
	kTime
	kGUID
)

var edmNames = map[kind]string{kString: "Edm.String", kInt: "Edm.Int32", kTime: "Edm.DateTimeOffset", kGUID: "Edm.Guid"}

// row is one record: string, int, time.Time or nil values by column.
type row map[string]any

// table is an entity set: its columns and how to read its rows at a time.
type table struct {
	set, entity, key string
	cols             map[string]kind
	rows             func(s *Sim, now time.Time) []row
}

var tables = map[string]*table{
	"workflows": {set: "workflows", entity: "workflow", key: "workflowid",
		cols: map[string]kind{"workflowid": kGUID, "name": kString, "category": kInt, "statecode": kInt, "statuscode": kInt,
			"type": kInt, "description": kString, "createdon": kTime, "modifiedon": kTime, "clientdata": kString, "primaryentity": kString},
		rows: func(s *Sim, _ time.Time) []row { return rowsOf(s.workflows, (*workflow).row) }},
	"flowsessions": {set: "flowsessions", entity: "flowsession", key: "flowsessionid",
		cols: map[string]kind{"flowsessionid": kGUID, "name": kString, "statecode": kInt, "statuscode": kInt,
			"createdon": kTime, "startedon": kTime, "completedon": kTime, "modifiedon": kTime,
			"_regardingobjectid_value": kGUID, "_machineid_value": kGUID, "errorcode": kString, "errormessage": kString,
			"runmode": kInt, "triggertype": kInt, "connectionid": kString},
		rows: func(s *Sim, now time.Time) []row {
			return rowsOf(s.sessions, func(x *session) row { return x.row(s.opts, now) })
		}},
	"flowruns": {set: "flowruns", entity: "flowrun", key: "flowrunid",
		cols: map[string]kind{"flowrunid": kGUID, "name": kString, "status": kString, "starttime": kTime, "endtime": kTime,
			"duration": kInt, "createdon": kTime, "modifiedon": kTime, "_workflow_value": kGUID, "workflowid": kString,
			"workflowname": kString, "triggertype": kString, "errorcode": kString, "errormessage": kString, "ttlinseconds": kInt},
		rows: func(s *Sim, _ time.Time) []row { return rowsOf(s.runs, (*flowRun).row) }},
	"flowmachines": {set: "flowmachines", entity: "flowmachine", key: "flowmachineid",
		cols: map[string]kind{"flowmachineid": kGUID, "name": kString, "statecode": kInt, "statuscode": kInt,
			"lastheartbeatdate": kTime, "agentversion": kString, "hostingtype": kInt, "sessioncapacity": kInt,
			"_flowmachinegroupid_value": kGUID, "createdon": kTime, "modifiedon": kTime},
		rows: func(s *Sim, now time.Time) []row {
			return rowsOf(s.machines, func(m *machine) row { return m.row(now) })
		}},
}

func rowsOf[T any](xs []T, fn func(T) row) []row {
	out := make([]row, len(xs))
	for i, x := range xs {
		out[i] = fn(x)
	}
	return out
}

// dvTime is a time as Dataverse keeps it: UTC, to the second.
func dvTime(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// opt is a nullable time column.
func opt(t *time.Time) any {
	if t == nil {
		return nil
	}
	return dvTime(*t)
}

// optString is a nullable text column.
func optString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
