package robomotion

import "testing"

func TestSummary(t *testing.T) {
	for cron, want := range map[string]string{
		"0 0/5 * * * *":      "Every 5 minutes",
		"0 */15 * * * *":     "Every 15 minutes",
		"0 * * * * *":        "Every minute",
		"*/30 * * * * *":     "Every 30 seconds",
		"0 5 * * * *":        "Every hour at :05",
		"0 10 0/2 * * *":     "Every 2 hours at :10",
		"0 0 9 * * *":        "Every day at 09:00",
		"0 0 9,17 * * *":     "Every day at 09:00 and 17:00",
		"0 30 8 * * 1-5":     "Weekdays at 08:30",
		"0 30 8 ? * MON-FRI": "Weekdays at 08:30",
		"0 0 6 * * 1":        "Every Monday at 06:00",
		"0 0 6 * * 0":        "Every Sunday at 06:00",
		"0 0 6 * * 1,3,5":    "Every Monday, Wednesday and Friday at 06:00",
		"0 0 6 * * SAT,SUN":  "Weekends at 06:00",
		"0 0 7 1 * *":        "Monthly on day 1 at 07:00",
		"0 9 * * *":          "Every day at 09:00",
		"0 0 7 L * *":        "Cron: 0 0 7 L * *",
		"0 0 7 1 1 *":        "Cron: 0 0 7 1 1 *",
		"nonsense":           "Cron: nonsense",
	} {
		if got := Summary(cron); got != want {
			t.Errorf("%q: %q, want %q", cron, got, want)
		}
	}
}
