// Command load measures Bureau over real HTTP on this machine: it starts the
// binary on a loopback port with a fresh data directory, sets up a firm,
// signs in, and drives a fixed number of concurrent clients at a few API
// reads for a bounded time. It reports requests per second, latency
// percentiles and the server's memory. Loopback only; it stops by itself.
//
//	go run ./bench/load -bin bin/bureau -duration 10s -clients 32
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	bin := flag.String("bin", "bin/bureau", "the bureau binary")
	duration := flag.Duration("duration", 10*time.Second, "how long to drive load (at most 2m)")
	clients := flag.Int("clients", 32, "concurrent clients (at most 256)")
	accounts := flag.Int("accounts", 9, "client accounts to create before the run (trial plan: at most 9 more)")
	flag.Parse()
	if err := run(*bin, min(*duration, 2*time.Minute), min(max(*clients, 1), 256), *accounts); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(bin string, duration time.Duration, clients, accounts int) error {
	dir, err := os.MkdirTemp("", "bureau-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	base := "http://" + addr
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "BUREAU_DATA_DIR="+dir, "BUREAU_LISTEN="+addr, "BUREAU_BASE_URL="+base,
		"BUREAU_LOG_LEVEL=warn")
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", bin, err)
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}()
	if err := waitReady(base); err != nil {
		return err
	}
	idle := rss(cmd.Process.Pid)
	c, _, err := setUp(base, accounts)
	if err != nil {
		return err
	}
	paths := []string{"/api/v1/me", "/api/v1/accounts", "/api/v1/accounts/acme", "/api/v1/accounts/acme/settings"}
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	failures := 0
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for n := 0; ctx.Err() == nil; n++ {
				t0 := time.Now()
				res, err := c.Get(base + paths[(i+n)%len(paths)])
				if err != nil {
					if ctx.Err() == nil {
						bad++
					}
					continue
				}
				_, _ = bytes.NewBuffer(nil).ReadFrom(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					bad++
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			failures += bad
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))]
	}
	fmt.Printf("bureau load: %d clients for %s over %s (GET %s)\n", clients, elapsed.Round(time.Millisecond), base,
		strings.Join(paths, ", "))
	fmt.Printf("  requests  %d ok, %d failed, %.0f req/s\n", len(lat), failures, float64(len(lat))/elapsed.Seconds())
	fmt.Printf("  latency   p50 %s  p90 %s  p99 %s  max %s\n", pct(0.50), pct(0.90), pct(0.99), pct(1))
	fmt.Printf("  server    RSS %s idle, %s after the run\n", idle, rss(cmd.Process.Pid))
	if failures > 0 {
		return fmt.Errorf("%d requests failed", failures)
	}
	return nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitReady(base string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("server not ready after 30 s")
}

// setUp creates the firm (signed in as its owner) and some accounts, and
// returns a client carrying the session cookie.
func setUp(base string, accounts int) (*http.Client, string, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 10 * time.Second}
	body := map[string]any{"tenant_name": "Load Test Firm", "tenant_slug": "load-test", "owner_name": "Load Owner",
		"owner_email": "owner@load.example", "owner_password": "quartz lantern meadow ferry",
		"account_name": "Acme Corporation", "account_slug": "acme"}
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	if err := post(c, base, "/api/v1/setup", "", body, &out); err != nil {
		return nil, "", err
	}
	for i := 0; i < min(accounts, 9); i++ {
		acc := map[string]any{"name": fmt.Sprintf("Client %02d", i), "slug": fmt.Sprintf("client-%02d", i)}
		if err := post(c, base, "/api/v1/accounts", out.CSRF, acc, nil); err != nil {
			return nil, "", err
		}
	}
	return c, out.CSRF, nil
}

func post(c *http.Client, base, path, csrf string, body, out any) error {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", base+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", base)
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode >= 300 {
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(res.Body)
		return fmt.Errorf("POST %s: %d %s", path, res.StatusCode, buf.String())
	}
	if out != nil {
		return json.NewDecoder(res.Body).Decode(out)
	}
	return nil
}

// rss reads the process's resident memory from /proc (Linux), or "?".
func rss(pid int) string {
	raw, err := os.ReadFile(filepath.Join("/proc", fmt.Sprint(pid), "status"))
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}
