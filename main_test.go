package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func runCLI(t *testing.T, stdin string, args ...string) (code int, out, errOut string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &o, &e)
	return code, o.String(), e.String()
}

// AUTH-11: setup creates exactly the owner it is told to, and refuses a
// database that is already set up.
func TestSetupCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("BUREAU_DATA_DIR", dir)
	t.Chdir(dir)
	args := []string{"setup", "--tenant-name", "Northwind", "--tenant-slug", "northwind",
		"--owner-name", "Ann", "--owner-email", "ann@northwind.example", "--password-stdin"}

	if code, _, errOut := runCLI(t, "", args[:len(args)-1]...); code == 0 || !strings.Contains(errOut, "--password-stdin") {
		t.Fatalf("without --password-stdin: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "short\n", args...); code == 0 || !strings.Contains(errOut, "password_too_short") {
		t.Fatalf("short password: %d %s", code, errOut)
	}
	code, out, errOut := runCLI(t, "violet tractor mirrors seventeen\n", args...)
	if code != 0 || !strings.Contains(out, "Created tenant") {
		t.Fatalf("setup: %d %s %s", code, out, errOut)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "bureau.db"))
	args[4] = "other"
	code, _, errOut = runCLI(t, "violet tractor mirrors seventeen\n", args...)
	if code == 0 || !strings.Contains(errOut, "setup_done") {
		t.Fatalf("second setup: %d %s", code, errOut)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "bureau.db"))
	if !bytes.Equal(before, after) {
		t.Error("a refused setup changed the database file")
	}
	if code, out, _ := runCLI(t, "", "audit", "verify"); code != 0 || !strings.Contains(out, "3 events verified") {
		t.Fatalf("audit verify: %d %s", code, out)
	}
}

func TestMigrateVersionHelp(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("BUREAU_DATA_DIR", dir)
	t.Chdir(dir)
	if code, out, _ := runCLI(t, "", "migrate"); code != 0 || !strings.Contains(out, "schema version ") || strings.Contains(out, "version 0") {
		t.Fatalf("migrate: %d %s", code, out)
	}
	if code, out, _ := runCLI(t, "", "version"); code != 0 || !strings.HasPrefix(out, "bureau ") {
		t.Fatalf("version: %d %s", code, out)
	}
	if code, out, _ := runCLI(t, "", "help"); code != 0 || !strings.Contains(out, "bureau serve") {
		t.Fatalf("help: %d %s", code, out)
	}
	if code, _, errOut := runCLI(t, "", "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Fatalf("unknown: %d %s", code, errOut)
	}
	if code, out, _ := runCLI(t, "", "config"); code != 0 || !strings.Contains(out, "data_dir: "+dir) {
		t.Fatalf("config: %d %s", code, out)
	}
}

func TestTenantCreateCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("BUREAU_DATA_DIR", dir)
	t.Chdir(dir)
	pw := "violet tractor mirrors seventeen\n"
	if code, _, errOut := runCLI(t, pw, "setup", "--tenant-name", "Northwind", "--tenant-slug", "northwind",
		"--owner-name", "Ann", "--owner-email", "ann@northwind.example", "--account-name", "Acme", "--account-slug", "acme",
		"--password-stdin"); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := runCLI(t, pw, "tenant", "create", "--name", "Southwind", "--slug", "southwind", "--plan", "growth",
		"--owner-name", "Sam", "--owner-email", "sam@southwind.example", "--owner-password-stdin")
	if code != 0 || !strings.Contains(out, "growth plan") {
		t.Fatalf("tenant create: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, pw, "tenant", "create", "--name", "Again", "--slug", "southwind",
		"--owner-name", "X", "--owner-email", "x@x.example", "--owner-password-stdin"); code == 0 || !strings.Contains(errOut, "slug_taken") {
		t.Fatalf("duplicate tenant slug: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, pw, "tenant", "create", "--name", "P", "--slug", "plan-x", "--plan", "platinum",
		"--owner-name", "X", "--owner-email", "x@x.example", "--owner-password-stdin"); code == 0 || !strings.Contains(errOut, "plan_invalid") {
		t.Fatalf("unknown plan: %d %s", code, errOut)
	}
}

// The server answers, and on shutdown it drains and returns cleanly (LIFE-01).
func TestServeStartsAndStopsGracefully(t *testing.T) {
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	t.Setenv("BUREAU_DATA_DIR", dir)
	t.Setenv("BUREAU_LISTEN", addr)
	t.Chdir(dir)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var logs bytes.Buffer
	go func() { done <- run(ctx, []string{"serve"}, strings.NewReader(""), io.Discard, &syncWriter{w: &logs}) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if info, err := os.Stat(filepath.Join(dir, "master.key")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("master key: %v %v", info, err)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d", code)
		}
	case <-time.After(25 * time.Second):
		t.Fatal("serve did not stop")
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("BUREAU_DATA_DIR", dir)
	t.Chdir(dir)
	if code, _, errOut := runCLI(t, "violet tractor mirrors seventeen\n", "setup", "--tenant-name", "Northwind", "--tenant-slug", "northwind",
		"--owner-name", "Ann", "--owner-email", "ann@northwind.example", "--password-stdin"); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := runCLI(t, "", "backup", "--out", filepath.Join(dir, "snap"))
	if code != 0 || !strings.Contains(out, "integrity checked") {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "snap", "bureau-*.db"))
	if len(matches) != 1 {
		t.Fatalf("backups: %v", matches)
	}
	if code, _, errOut := runCLI(t, "", "restore", matches[0]); code == 0 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("restore over the live database: %d %s", code, errOut)
	}
	fresh := t.TempDir()
	t.Setenv("BUREAU_DATA_DIR", fresh)
	if code, _, errOut := runCLI(t, "", "restore", matches[0]); code != 0 {
		t.Fatalf("restore: %s", errOut)
	}
	if code, out, _ := runCLI(t, "", "audit", "verify"); code != 0 || !strings.Contains(out, "3 events verified") {
		t.Fatalf("audit verify after restore: %d %s", code, out)
	}
}

// The operator's reset: the only way back in without SMTP, since reset
// links are never kept in the outbox.
func TestUserSetPasswordCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("BUREAU_DATA_DIR", dir)
	t.Chdir(dir)
	if code, _, errOut := runCLI(t, "violet tractor mirrors seventeen\n", "setup", "--tenant-name", "Northwind", "--tenant-slug", "northwind",
		"--owner-name", "Ann", "--owner-email", "ann@northwind.example", "--password-stdin"); code != 0 {
		t.Fatalf("setup: %s", errOut)
	}
	if code, _, errOut := runCLI(t, "", "user", "set-password"); code != 2 || !strings.Contains(errOut, "usage") {
		t.Fatalf("no email: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "a long enough new password\n", "user", "set-password", "nobody@x.example"); code == 0 || !strings.Contains(errOut, "user_not_found") {
		t.Fatalf("unknown user: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "short\n", "user", "set-password", "ann@northwind.example"); code == 0 || !strings.Contains(errOut, "password_too_short") {
		t.Fatalf("short: %d %s", code, errOut)
	}
	code, out, errOut := runCLI(t, "copper kettles singing at noon\n", "user", "set-password", "ANN@northwind.example")
	if code != 0 || !strings.Contains(out, "Password set for ann@northwind.example") {
		t.Fatalf("set-password: %d %s %s", code, out, errOut)
	}
	if code, out, _ := runCLI(t, "", "audit", "verify"); code != 0 || !strings.Contains(out, "4 events verified") {
		t.Fatalf("audit verify: %d %s", code, out)
	}
}
