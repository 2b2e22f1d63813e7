package aasim

import (
	"net/http"
	"time"
)

// schedule is a scheduled automation of /v1/schedule/automations/list.
type schedule struct {
	id, name, fileID, fileName string
	active                     bool
	kind                       string // DAILY, WEEKLY, MONTHLY
	interval                   int
	zone, startTime            string
	created                    time.Time
}

var scheduleSchema = schema{
	"id": number, "name": text, "fileId": number, "fileName": text, "status": text,
	"scheduleType": text, "zonedNextRunDateTime": date, "createdOn": date, "updatedOn": date,
}

func (s *Sim) listSchedules(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	now := s.now()
	recs := make([]record, len(s.schedules))
	for i, sc := range s.schedules {
		recs[i] = sc.view(now)
	}
	s.mu.Unlock()
	list(w, r, recs, scheduleSchema)
}

// view follows the documented example's fields. Assumption: a weekly
// schedule carries weeklyRecurrence {interval, daysOfWeek}.
func (sc *schedule) view(now time.Time) record {
	status := "INACTIVE"
	if sc.active {
		status = "ACTIVE"
	}
	rec := record{
		"id": sc.id, "name": sc.name, "fileId": sc.fileID, "fileName": sc.fileName, "status": status,
		"deviceIds": []string{}, "description": "", "rdpEnabled": false, "scheduleType": sc.kind,
		"timeZone": sc.zone, "startDate": sc.created.Format(time.DateOnly), "endDate": "", "startTime": sc.startTime,
		"repeatEnabled": false, "createdBy": "301", "createdOn": stamp(sc.created), "updatedBy": "301",
		"updatedOn": stamp(sc.created), "tenantId": "1",
	}
	switch sc.kind {
	case "DAILY":
		rec["dailyRecurrence"] = map[string]int{"interval": sc.interval}
	case "WEEKLY":
		rec["weeklyRecurrence"] = map[string]any{"interval": 1, "daysOfWeek": []string{"MON", "THU"}}
	}
	if sc.active {
		rec["zonedNextRunDateTime"] = stamp(sc.next(now))
	}
	return rec
}

// next is the next start at startTime in the schedule's zone (UTC when
// the zone database is missing), stepping by the schedule's period.
func (sc *schedule) next(now time.Time) time.Time {
	loc, err := time.LoadLocation(sc.zone)
	if err != nil {
		loc = time.UTC
	}
	at, _ := time.Parse("15:04", sc.startTime)
	local := now.In(loc)
	t := time.Date(local.Year(), local.Month(), local.Day(), at.Hour(), at.Minute(), 0, 0, loc)
	for !t.After(now) || (sc.kind == "WEEKLY" && t.Weekday() != time.Monday && t.Weekday() != time.Thursday) {
		switch sc.kind {
		case "MONTHLY":
			t = t.AddDate(0, 1, 0)
		case "DAILY":
			t = t.AddDate(0, 0, sc.interval)
		default:
			t = t.AddDate(0, 0, 1)
		}
	}
	return t.UTC()
}
