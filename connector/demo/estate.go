package demo

import (
	"fmt"
	"hash/fnv"
	"time"
)

// processDef is one automation of the estate. Its timetable and failure
// rate come from the seed; the rest is fixed.
type processDef struct {
	key, name, folder, description string
	// intervals the seed picks from: each divides an hour or a day, so
	// the timetable is a plain cron.
	intervals      []time.Duration
	minDur, maxDur time.Duration
	trigger        string // schedule or queue
	// steady processes (long batch reports) fail less often.
	steady bool
	errors []string
}

var processDefs = []processDef{
	{
		key: "invoice-processing", name: "Invoice processing", folder: "Finance/Accounts Payable",
		description: "Reads supplier invoices from the AP mailbox and posts them in SAP.",
		intervals:   []time.Duration{10 * time.Minute, 12 * time.Minute, 15 * time.Minute, 20 * time.Minute},
		minDur:      2 * time.Minute, maxDur: 7 * time.Minute, trigger: "schedule",
		errors: []string{"Selector not found: Save button", "Timeout waiting for SAP login", "Input file missing: /invoices/%s/batch-%02d.csv"},
	},
	{
		key: "claims-intake", name: "Claims intake", folder: "Insurance/Claims",
		description: "Registers new claims from the web portal queue in the policy system.",
		intervals:   []time.Duration{15 * time.Minute, 20 * time.Minute, 30 * time.Minute},
		minDur:      time.Minute, maxDur: 5 * time.Minute, trigger: "queue",
		errors: []string{"Selector not found: Policy number field", "Document classification confidence 0.41 below threshold 0.80", "Portal returned HTTP 503 during upload"},
	},
	{
		key: "vendor-onboarding", name: "Vendor onboarding", folder: "Procurement",
		description: "Creates approved vendors in SAP and checks their VAT numbers.",
		intervals:   []time.Duration{time.Hour, 2 * time.Hour},
		minDur:      5 * time.Minute, maxDur: 14 * time.Minute, trigger: "queue",
		errors: []string{"Business exception: VAT number failed validation", "Timeout waiting for SAP login", "Duplicate vendor record found in SAP"},
	},
	{
		key: "payroll-reconciliation", name: "Payroll reconciliation", folder: "HR/Payroll",
		description: "Compares the payroll export with the general ledger and reports differences.",
		intervals:   []time.Duration{3 * time.Hour, 4 * time.Hour, 6 * time.Hour},
		minDur:      12 * time.Minute, maxDur: 30 * time.Minute, trigger: "schedule", steady: true,
		errors: []string{"Totals mismatch: ledger differs from payroll export by 1,204.50 EUR", "Excel file locked by another user: payroll_export.xlsx", "Timeout waiting for Workday report"},
	},
	{
		key: "monthly-close-report", name: "Monthly close report", folder: "Finance/Controlling",
		description: "Builds the month-to-date close pack from the BI warehouse.",
		intervals:   []time.Duration{12 * time.Hour, 24 * time.Hour},
		minDur:      20 * time.Minute, maxDur: 45 * time.Minute, trigger: "schedule", steady: true,
		errors: []string{"Selector not found: Export to PDF", "Query timeout in BI warehouse after 600 s", "Input file missing: /close/%s/trial_balance_%02d.xlsx"},
	},
}

type robotDef struct {
	ref, name, machine string
	offline            bool
}

// robots: three unattended production robots and one developer robot
// that is switched off. Jobs run on the first three only.
var robots = []robotDef{
	{"robot-1", "RPA-PROD-01", "VM-RPA-01", false},
	{"robot-2", "RPA-PROD-02", "VM-RPA-02", false},
	{"robot-3", "RPA-PROD-03", "VM-RPA-03", false},
	{"robot-4", "RPA-DEV-01", "LAPTOP-DEV-17", true},
}

const workingRobots = 3

// process is a processDef with the seed's choices.
type process struct {
	*processDef
	index    int
	interval time.Duration
	offset   time.Duration // from midnight UTC, whole minutes, < interval
	failRate uint64        // per mille
}

// estate is the seed's estate. It holds no jobs: they are computed.
type estate struct {
	seed      uint64
	processes []process
}

func newEstate(seed string) *estate {
	h := fnv.New64a()
	_, _ = h.Write([]byte(seed))
	e := &estate{seed: h.Sum64()}
	// The worse process is one of the first three, which run often, so
	// that it shows.
	worst := int(mix(e.seed) % 3)
	for i := range processDefs {
		d := &processDefs[i]
		p := process{processDef: d, index: i}
		p.interval = d.intervals[e.hash(i, -1, 1)%uint64(len(d.intervals))]
		p.offset = time.Duration(e.hash(i, -1, 2)%uint64(p.interval/time.Minute)) * time.Minute
		// 6.5–8% of runs fail, 3–5% of steady ones, and one frequent
		// process is worse: 13–17%.
		p.failRate = 65 + e.hash(i, -1, 3)%16
		if d.steady {
			p.failRate = 30 + e.hash(i, -1, 3)%21
		}
		if i == worst {
			p.failRate = 130 + e.hash(i, -1, 4)%41
		}
		e.processes = append(e.processes, p)
	}
	return e
}

func (e *estate) process(key string) (process, bool) {
	for _, p := range e.processes {
		if p.key == key {
			return p, true
		}
	}
	return process{}, false
}

// hash is a deterministic 64-bit value for (seed, process, slot, salt).
func (e *estate) hash(p int, slot int64, salt uint64) uint64 {
	return mix(e.seed ^ mix(uint64(slot)*0x9e3779b97f4a7c15+uint64(p)<<56+salt))
}

// mix is splitmix64's finaliser: every input bit moves every output bit.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// cron is the process's timetable as a six-field cron (seconds first).
func (p process) cron() string {
	m := int(p.offset / time.Minute)
	if p.interval < time.Hour {
		return fmt.Sprintf("0 %d/%d * * * *", m, int(p.interval/time.Minute))
	}
	hours := int(p.interval / time.Hour)
	if hours == 24 {
		return fmt.Sprintf("0 %d %d * * *", m%60, m/60)
	}
	return fmt.Sprintf("0 %d %d/%d * * *", m%60, m/60, hours)
}

// summary says the timetable in words (times in UTC).
func (p process) summary() string {
	m := int(p.offset / time.Minute)
	switch hours := int(p.interval / time.Hour); {
	case p.interval < time.Hour:
		return fmt.Sprintf("Every %d minutes", int(p.interval/time.Minute))
	case hours == 24:
		return fmt.Sprintf("Every day at %02d:%02d", m/60, m%60)
	case hours == 1:
		return fmt.Sprintf("Every hour at :%02d", m%60)
	default:
		return fmt.Sprintf("Every %d hours from %02d:%02d", hours, m/60, m%60)
	}
}

// slotStart is when slot k of the timetable begins; slots count from
// the Unix epoch, so they line up with the cron.
func (p process) slotStart(k int64) time.Time {
	return time.Unix(k*int64(p.interval/time.Second)+int64(p.offset/time.Second), 0).UTC()
}

// slotAt is the last slot beginning at or before t.
func (p process) slotAt(t time.Time) int64 {
	d := t.Unix() - int64(p.offset/time.Second)
	n := int64(p.interval / time.Second)
	k := d / n
	if d%n < 0 {
		k--
	}
	return k
}
