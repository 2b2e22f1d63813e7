package syncer

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"bureau/connector"
	"bureau/connector/simkit"
)

// benchJobs is the size of the estate the benchmarks sync.
const benchJobs = 100_000

// heapPeak samples the heap while a benchmark iteration runs: HeapInuse at
// its highest, and bytes allocated.
type heapPeak struct {
	stop     chan struct{}
	done     sync.WaitGroup
	peak     uint64
	before   runtime.MemStats
	baseline uint64
}

func watchHeap() *heapPeak {
	runtime.GC()
	h := &heapPeak{stop: make(chan struct{})}
	runtime.ReadMemStats(&h.before)
	h.baseline, h.peak = h.before.HeapInuse, h.before.HeapInuse
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				runtime.ReadMemStats(&m)
				h.peak = max(h.peak, m.HeapInuse)
			}
		}
	}()
	return h
}

// end stops sampling and returns peak HeapInuse above the baseline and
// the bytes allocated meanwhile.
func (h *heapPeak) end() (peakAbove, allocated uint64) {
	close(h.stop)
	h.done.Wait()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	h.peak = max(h.peak, m.HeapInuse)
	return h.peak - h.baseline, m.TotalAlloc - h.before.TotalAlloc
}

type benchTotals struct{ peak, alloc uint64 }

func (t *benchTotals) add(h *heapPeak) {
	p, a := h.end()
	t.peak = max(t.peak, p)
	t.alloc += a
}

func (t *benchTotals) report(b *testing.B) {
	b.ReportMetric(float64(t.peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(t.alloc)/float64(b.N)/(1<<20), "alloc-MB/op")
	b.ReportMetric(float64(benchJobs)*float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
}

// BenchmarkSync100kJobs is a first, full sync of 100,000 jobs from the
// UiPath Automation Cloud simulator (pages of 1000, served over HTTP by
// httptest in this process) into a fresh SQLite database: every page
// upserted in its own transaction. peak-heap-MB is the highest HeapInuse
// above the baseline while it runs (the simulator shares the heap);
// compare with BenchmarkPage100kJobs for what the storing costs.
//
//	go test -run '^$' -bench 100k -benchtime 1x ./syncer
func BenchmarkSync100kJobs(b *testing.B) {
	u := newUiPath(b, simkit.Options{Clock: simkit.NewClock(t0)}, 1000)
	u.sim.Scale(benchJobs)
	var totals benchTotals
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		db := openDB(b)
		s := &Syncer{DB: db, Now: u.clock.Now, Log: quietLog(), NewProvider: only(u.provider), Timeout: 30 * time.Minute}
		h := watchHeap()
		b.StartTimer()
		run, err := s.Run(context.Background(), "t1", "a1", TriggerCron, "")
		b.StopTimer()
		totals.add(h)
		if err != nil || run.Status != StatusSucceeded || run.Counts.Jobs != benchJobs {
			b.Fatalf("sync: %+v %v", run, err)
		}
		if n := count(b, db, `SELECT COUNT(*) FROM jobs WHERE account_id = 'a1'`); n != benchJobs {
			b.Fatalf("%d jobs stored", n)
		}
		db.Close()
		b.StartTimer()
	}
	totals.report(b)
}

// BenchmarkPage100kJobs pages the same 100,000 jobs through the same
// connector and writes nothing: the floor the sync is measured against.
func BenchmarkPage100kJobs(b *testing.B) {
	u := newUiPath(b, simkit.Options{Clock: simkit.NewClock(t0)}, 1000)
	u.sim.Scale(benchJobs)
	var totals benchTotals
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		h := watchHeap()
		b.StartTimer()
		n := 0
		err := u.provider.Jobs(context.Background(), time.Time{}, func(page []connector.Job) error {
			n += len(page)
			return nil
		})
		b.StopTimer()
		totals.add(h)
		if err != nil || n != benchJobs {
			b.Fatalf("paged %d jobs: %v", n, err)
		}
		b.StartTimer()
	}
	totals.report(b)
}
