package blueprism

import (
	"strconv"
	"strings"
)

var units = map[string]string{"Minute": "minute", "Hour": "hour", "Day": "day", "Week": "week", "Month": "month", "Year": "year"}

// summary says in words when a schedule runs, from its interval type,
// period and start date, e.g. "Every 2 hours from 2026-10-01 09:00 UTC".
func summary(s schedule) string {
	var b strings.Builder
	unit, ok := units[s.IntervalType]
	switch {
	case s.IntervalType == "Once":
		b.WriteString("Once")
	case !ok:
		return s.IntervalType
	case s.TimePeriod > 1:
		b.WriteString("Every " + strconv.Itoa(s.TimePeriod) + " " + unit + "s")
	default:
		b.WriteString("Every " + unit)
	}
	if s.IntervalType == "Week" && s.DayOfWeek != "" {
		b.WriteString(" on " + s.DayOfWeek)
	}
	if !s.StartDate.IsZero() {
		verb := " from "
		if s.IntervalType == "Once" {
			verb = " at "
		}
		b.WriteString(verb + s.StartDate.Format("2006-01-02 15:04 MST"))
	}
	if !s.EndDate.IsZero() && s.IntervalType != "Once" {
		b.WriteString(" until " + s.EndDate.Format("2006-01-02"))
	}
	return b.String()
}
