package powerautomate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// clientData is the part of a cloud flow's definition (workflows.clientdata,
// a JSON string) that holds its triggers.
type clientData struct {
	Properties struct {
		Definition struct {
			Triggers map[string]json.RawMessage `json:"triggers"`
		} `json:"definition"`
	} `json:"properties"`
}

type trigger struct {
	Type       string     `json:"type"`
	Recurrence Recurrence `json:"recurrence"`
}

// Recurrence is a Logic Apps / Power Automate recurrence trigger.
type Recurrence struct {
	Frequency string  `json:"frequency"` // Second, Minute, Hour, Day, Week, Month
	Interval  flexInt `json:"interval"`
	StartTime string  `json:"startTime"`
	TimeZone  string  `json:"timeZone"` // a Windows time zone name
	Schedule  struct {
		// The designer writes hours as strings (["9"]), hand-written
		// definitions as numbers: flexInt takes both.
		Hours     []flexInt `json:"hours"`
		Minutes   []flexInt `json:"minutes"`
		WeekDays  []string  `json:"weekDays"`
		MonthDays []flexInt `json:"monthDays"`
	} `json:"schedule"`
}

type namedRecurrence struct {
	Name       string
	Recurrence Recurrence
	Raw        json.RawMessage
}

// recurrenceTriggers returns the Recurrence triggers of a flow definition,
// by trigger name.
func recurrenceTriggers(data string) ([]namedRecurrence, error) {
	var cd clientData
	if err := json.Unmarshal([]byte(data), &cd); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(cd.Properties.Definition.Triggers))
	for name := range cd.Properties.Definition.Triggers {
		names = append(names, name)
	}
	slices.Sort(names)
	var out []namedRecurrence
	for _, name := range names {
		raw := cd.Properties.Definition.Triggers[name]
		var t trigger
		if json.Unmarshal(raw, &t) != nil || !strings.EqualFold(t.Type, "Recurrence") {
			continue
		}
		out = append(out, namedRecurrence{Name: name, Recurrence: t.Recurrence, Raw: raw})
	}
	return out, nil
}

var units = map[string]string{
	"second": "second", "minute": "minute", "hour": "hour",
	"day": "day", "week": "week", "month": "month",
}

// Summary says when the trigger fires: "Every day at 09:00",
// "Every 2 weeks on Monday, Friday at 07:30", "Every 15 minutes".
func (r Recurrence) Summary() string {
	unit, ok := units[strings.ToLower(r.Frequency)]
	if !ok {
		unit = strings.ToLower(r.Frequency)
	}
	s := "Every " + unit
	if r.Interval > 1 {
		s = fmt.Sprintf("Every %d %ss", r.Interval, unit)
	}
	if len(r.Schedule.WeekDays) > 0 {
		s += " on " + strings.Join(r.Schedule.WeekDays, ", ")
	}
	if len(r.Schedule.MonthDays) > 0 {
		s += " on day " + joinInts(r.Schedule.MonthDays)
	}
	if at := r.at(unit); at != "" {
		s += " " + at
	}
	return s
}

// at is the time-of-day part: the schedule's hours × minutes, or minutes
// past the hour, or else the start time's clock time for daily and longer
// recurrences (which fire at that time of day).
func (r Recurrence) at(unit string) string {
	hours, minutes := r.Schedule.Hours, r.Schedule.Minutes
	switch {
	case len(hours) > 0:
		if len(minutes) == 0 {
			minutes = []flexInt{0}
		}
		var times []string
		for _, h := range hours {
			for _, m := range minutes {
				times = append(times, fmt.Sprintf("%02d:%02d", h, m))
			}
		}
		return "at " + strings.Join(times, ", ")
	case len(minutes) > 0:
		return "at minute " + joinInts(minutes)
	case unit == "day" || unit == "week" || unit == "month":
		if t, ok := parseStart(r.StartTime); ok {
			return "at " + t.Format("15:04")
		}
	}
	return ""
}

// zone is the trigger's time zone; without one Power Automate uses UTC.
func (r Recurrence) zone() string {
	if r.TimeZone == "" {
		return "UTC"
	}
	return r.TimeZone
}

// parseStart reads a startTime, which may or may not carry a zone (without
// one it is wall time in the trigger's time zone; we only need the clock).
func parseStart(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func joinInts(ns []flexInt) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(int(n))
	}
	return strings.Join(parts, ", ")
}
