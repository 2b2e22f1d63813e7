package robomotion

import (
	"fmt"
	"strconv"
	"strings"
)

// Summary says in words when a Robomotion cron runs. Robomotion's crons
// have six fields, seconds first ("0 0/5 * * * *"); a five-field one is
// read as if seconds were 0. Shapes it does not recognise are shown as
// the expression itself.
func Summary(expr string) string {
	f := strings.Fields(expr)
	if len(f) == 5 {
		f = append([]string{"0"}, f...)
	}
	if len(f) != 6 {
		return "Cron: " + expr
	}
	for i, v := range f {
		if v == "?" {
			f[i] = "*"
		}
	}
	if s := summarise(f[0], f[1], f[2], f[3], f[4], f[5]); s != "" {
		return s
	}
	return "Cron: " + expr
}

func summarise(sec, min, hour, dom, month, dow string) string {
	if month != "*" {
		return ""
	}
	if dom == "*" && dow == "*" {
		if s := repeating(sec, min, hour); s != "" {
			return s
		}
	}
	at := clock(sec, min, hour)
	if at == "" {
		return ""
	}
	switch {
	case dom == "*" && dow == "*":
		return "Every day at " + at
	case dom == "*":
		if days := weekdays(dow); days != "" {
			return days + " at " + at
		}
	case dow == "*":
		if d, err := strconv.Atoi(dom); err == nil {
			return fmt.Sprintf("Monthly on day %d at %s", d, at)
		}
	}
	return ""
}

// repeating handles "every N seconds / minutes / hours".
func repeating(sec, min, hour string) string {
	if n, ok := step(sec); ok && min == "*" && hour == "*" {
		return every(n, "second")
	}
	if sec != "0" {
		return ""
	}
	if n, ok := step(min); ok && hour == "*" {
		return every(n, "minute")
	}
	m, err := strconv.Atoi(min)
	if err != nil {
		return ""
	}
	if hour == "*" {
		return fmt.Sprintf("Every hour at :%02d", m)
	}
	if n, ok := step(hour); ok {
		return fmt.Sprintf("%s at :%02d", every(n, "hour"), m)
	}
	return ""
}

// step reads "*", "*/N" and "A/N" (the start is dropped from the words).
func step(v string) (int, bool) {
	if v == "*" {
		return 1, true
	}
	_, n, ok := strings.Cut(v, "/")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(n)
	return i, err == nil && i > 0
}

func every(n int, unit string) string {
	if n == 1 {
		return "Every " + unit
	}
	return fmt.Sprintf("Every %d %ss", n, unit)
}

// clock reads fixed times: "09:00", or "09:00 and 17:00" for an hour list.
func clock(sec, min, hour string) string {
	if sec != "0" {
		return ""
	}
	m, err := strconv.Atoi(min)
	if err != nil {
		return ""
	}
	var times []string
	for _, h := range strings.Split(hour, ",") {
		hh, err := strconv.Atoi(h)
		if err != nil || hh > 23 {
			return ""
		}
		times = append(times, fmt.Sprintf("%02d:%02d", hh, m))
	}
	return strings.Join(times, " and ")
}

var dayNames = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// weekdays reads a day-of-week field: numbers (0 or 7 Sunday) or names.
func weekdays(dow string) string {
	switch strings.ToUpper(dow) {
	case "1-5", "MON-FRI":
		return "Weekdays"
	case "0,6", "6,0", "SAT,SUN", "SUN,SAT":
		return "Weekends"
	}
	var names []string
	for _, d := range strings.Split(dow, ",") {
		i := dayIndex(d)
		if i < 0 {
			return ""
		}
		names = append(names, dayNames[i])
	}
	if len(names) == 1 {
		return "Every " + names[0]
	}
	return "Every " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func dayIndex(d string) int {
	if n, err := strconv.Atoi(d); err == nil && n >= 0 && n <= 7 {
		return n % 7
	}
	for i, name := range dayNames {
		if strings.EqualFold(d, name[:3]) {
			return i
		}
	}
	return -1
}
