package powerautomate

import (
	"encoding/json"
	"testing"
)

func TestRecurrenceSummary(t *testing.T) {
	for _, c := range []struct{ json, want string }{
		{`{"frequency":"Day","interval":1,"schedule":{"hours":["9"],"minutes":[0]}}`, "Every day at 09:00"},
		{`{"frequency":"Day","interval":2,"schedule":{"hours":[9,17],"minutes":["0","30"]}}`, "Every 2 days at 09:00, 09:30, 17:00, 17:30"},
		{`{"frequency":"Week","interval":1,"schedule":{"weekDays":["Monday","Friday"],"hours":["7"],"minutes":[30]}}`,
			"Every week on Monday, Friday at 07:30"},
		{`{"frequency":"Hour","interval":4,"startTime":"2026-01-05T06:00:00Z"}`, "Every 4 hours"},
		{`{"frequency":"Hour","interval":1,"schedule":{"minutes":[15,45]}}`, "Every hour at minute 15, 45"},
		{`{"frequency":"Minute","interval":15}`, "Every 15 minutes"},
		{`{"frequency":"Day","interval":1,"startTime":"2026-01-05T06:30:00"}`, "Every day at 06:30"},
		{`{"frequency":"Month","interval":1,"startTime":"2026-01-01T08:00:00Z","schedule":{"monthDays":[1,15]}}`,
			"Every month on day 1, 15 at 08:00"},
		{`{"frequency":"month","interval":3}`, "Every 3 months"},
	} {
		var r Recurrence
		if err := json.Unmarshal([]byte(c.json), &r); err != nil {
			t.Fatalf("%s: %v", c.json, err)
		}
		if got := r.Summary(); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.json, got, c.want)
		}
	}
}

func TestSchedulesFromClientData(t *testing.T) {
	data := `{"properties":{"definition":{"triggers":{
		"Recurrence":{"type":"Recurrence","recurrence":{"frequency":"Day","interval":1,"timeZone":"W. Europe Standard Time","schedule":{"hours":["9"]}}},
		"Second":{"type":"recurrence","recurrence":{"frequency":"Hour","interval":2}}},
		"actions":{}}},"schemaVersion":"1.0.0.0"}`
	w := workflow{ID: "11111111-1111-4111-8111-111111111111", Name: "Daily", StateCode: 1, ClientData: &data}
	ss := w.schedules()
	if len(ss) != 2 {
		t.Fatalf("%d schedules, want 2", len(ss))
	}
	if ss[0].Ref != w.ID+"/Recurrence" || ss[0].Summary != "Every day at 09:00" || ss[0].Timezone != "W. Europe Standard Time" ||
		!ss[0].Enabled || ss[0].ProcessRef != w.ID {
		t.Errorf("first: %+v", ss[0])
	}
	if ss[1].Summary != "Every 2 hours" || ss[1].Timezone != "UTC" {
		t.Errorf("second: %+v", ss[1])
	}

	manual := `{"properties":{"definition":{"triggers":{"manual":{"type":"Request","kind":"Button"}}}}}`
	if ss := (workflow{ID: "x", ClientData: &manual}).schedules(); len(ss) != 0 {
		t.Errorf("a button flow has schedules: %+v", ss)
	}
	broken := `not json`
	if ss := (workflow{ID: "x", ClientData: &broken}).schedules(); len(ss) != 0 {
		t.Errorf("unreadable definition has schedules: %+v", ss)
	}
	one := `{"properties":{"definition":{"triggers":{"Recurrence":{"type":"Recurrence","recurrence":{"frequency":"Day","interval":1}}}}}}`
	if ss := (workflow{ID: "x", StateCode: 0, ClientData: &one}).schedules(); len(ss) != 1 || ss[0].Ref != "x" || ss[0].Enabled {
		t.Errorf("single trigger of a flow that is off: %+v", ss)
	}
}

func TestFlexInt(t *testing.T) {
	var v struct{ A, B, C flexInt }
	if err := json.Unmarshal([]byte(`{"A":"3599","B":7,"C":null}`), &v); err != nil || v.A != 3599 || v.B != 7 || v.C != 0 {
		t.Errorf("%+v %v", v, err)
	}
	if err := json.Unmarshal([]byte(`{"A":"soon"}`), &v); err == nil {
		t.Error("a word parsed as a number")
	}
}
