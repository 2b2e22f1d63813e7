package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultsRunWithNoConfiguration(t *testing.T) {
	t.Chdir(t.TempDir())
	cfg, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != ":8080" || cfg.DataDir != "./data" || cfg.BaseURL != "http://localhost:8080" {
		t.Fatalf("defaults: %+v", cfg)
	}
	if cfg.Secure() {
		t.Error("http base URL is not secure")
	}
}

func TestFileThenEnvironment(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bureau.yaml")
	if err := os.WriteFile(path, []byte("listen: 127.0.0.1:9000\nsession:\n  idle_timeout: 45m\nhttp:\n  trusted_proxies: [10.0.0.1]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load([]string{
		"BUREAU_CONFIG=" + path,
		"BUREAU_BASE_URL=https://bureau.example.com/",
		"BUREAU_DATA_DIR=/var/lib/bureau",
		"BUREAU_SESSION_ABSOLUTE_TIMEOUT=8h",
		"BUREAU_HTTP_TRUSTED_PROXIES=192.0.2.1, 192.0.2.2",
		"BUREAU_DATABASE_READERS=8",
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "127.0.0.1:9000" || cfg.Session.IdleTimeout != 45*time.Minute {
		t.Errorf("file values: %+v", cfg)
	}
	if cfg.BaseURL != "https://bureau.example.com" || !cfg.Secure() || cfg.DataDir != "/var/lib/bureau" {
		t.Errorf("env values: %+v", cfg)
	}
	if cfg.Session.AbsoluteTimeout != 8*time.Hour || cfg.Database.Readers != 8 {
		t.Errorf("nested env values: %+v", cfg)
	}
	if strings.Join(cfg.HTTP.TrustedProxies, ",") != "192.0.2.1,192.0.2.2" {
		t.Errorf("list from env: %v", cfg.HTTP.TrustedProxies)
	}
}

func TestBaseURLFollowsListen(t *testing.T) {
	t.Chdir(t.TempDir())
	cfg, err := Load([]string{"BUREAU_LISTEN=127.0.0.1:18080"})
	if err != nil || cfg.BaseURL != "http://127.0.0.1:18080" {
		t.Fatalf("%q %v", cfg.BaseURL, err)
	}
}

func TestInvalidConfiguration(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, env := range [][]string{
		{"BUREAU_BASE_URL=ftp://x"},
		{"BUREAU_BASE_URL=https://x.example/bureau"},
		{"BUREAU_SESSION_IDLE_TIMEOUT=soon"},
		{"BUREAU_SESSION_IDLE_TIMEOUT=2h", "BUREAU_SESSION_ABSOLUTE_TIMEOUT=1h"},
		{"BUREAU_DATABASE_SYNCHRONOUS=OFF"},
		{"BUREAU_LOG_LEVEL=loud"},
		{"BUREAU_CONFIG=/does/not/exist.yaml"},
	} {
		if _, err := Load(env); err == nil {
			t.Errorf("%v accepted", env)
		}
	}
	path := filepath.Join(t.TempDir(), "c.yaml")
	_ = os.WriteFile(path, []byte("lisen: :80\n"), 0o600)
	if _, err := Load([]string{"BUREAU_CONFIG=" + path}); err == nil || !strings.Contains(err.Error(), "lisen") {
		t.Errorf("a misspelt key is accepted: %v", err)
	}
}

// The example file documents every key with its default value.
func TestExampleFileMatchesDefaults(t *testing.T) {
	cfg, err := Load([]string{"BUREAU_CONFIG=../config.example.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	want := Defaults()
	want.BaseURL = cfg.BaseURL
	if cfg.YAML() != want.YAML() {
		t.Fatalf("config.example.yaml differs from the defaults:\n%s\nvs\n%s", cfg.YAML(), want.YAML())
	}
}
