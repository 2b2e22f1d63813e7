package blueprism

import (
	"bytes"
	"encoding/json"
	"time"
)

// bpTime reads the API's date-times: ISO 8601 with an offset, and, to be
// safe with servers that send .NET DateTimes of unspecified kind, without
// one (taken as UTC).
type bpTime struct{ time.Time }

var localLayouts = []string{"2006-01-02T15:04:05.9999999", "2006-01-02 15:04:05.9999999"}

func (t *bpTime) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		return nil
	}
	if v, err := time.Parse(time.RFC3339Nano, s); err == nil {
		t.Time = v
		return nil
	}
	var err error
	for _, layout := range localLayouts {
		var v time.Time
		if v, err = time.Parse(layout, s); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	return err
}

// ptr is the time as an optional field.
func (t bpTime) ptr() *time.Time {
	if t.IsZero() {
		return nil
	}
	v := t.UTC()
	return &v
}

// formatFilter writes a time for a deepObject date filter. Whole seconds,
// rounded down, so the filter never skips the boundary.
func formatFilter(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z")
}
