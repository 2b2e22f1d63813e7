// Package config loads Bureau's configuration: embedded defaults, then an
// optional YAML file, then BUREAU_* environment variables. Every key of the
// YAML file has an environment twin: the key path upper-cased, dots turned
// into underscores (session.idle_timeout → BUREAU_SESSION_IDLE_TIMEOUT).
package config

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Config is the whole configuration. The yaml tags are the key names of
// config.example.yaml and, through envName, of the environment variables.
type Config struct {
	Listen          string        `yaml:"listen"`
	BaseURL         string        `yaml:"base_url"`
	DataDir         string        `yaml:"data_dir"`
	MasterKey       string        `yaml:"master_key"`
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
	Log             Log           `yaml:"log"`
	HTTP            HTTP          `yaml:"http"`
	Session         Session       `yaml:"session"`
	Database        Database      `yaml:"database"`
	SMTP            SMTP          `yaml:"smtp"`
	Sync            Sync          `yaml:"sync"`
}

// Sync tunes the sync engine; each account's interval is an account setting.
type Sync struct {
	// Timeout bounds one whole sync of one account, retries included.
	Timeout time.Duration `yaml:"timeout"`
	// Rereads caps the open jobs re-read one by one per sync (the rest
	// wait for the next sync).
	Rereads int `yaml:"rereads"`
}

type Log struct {
	Level  string `yaml:"level"`
	Format string `yaml:"format"`
}

type HTTP struct {
	ReadTimeout    time.Duration `yaml:"read_timeout"`
	WriteTimeout   time.Duration `yaml:"write_timeout"`
	IdleTimeout    time.Duration `yaml:"idle_timeout"`
	BodyLimit      int           `yaml:"body_limit"`
	TrustedProxies []string      `yaml:"trusted_proxies"`
}

type Session struct {
	IdleTimeout     time.Duration `yaml:"idle_timeout"`
	AbsoluteTimeout time.Duration `yaml:"absolute_timeout"`
}

type Database struct {
	Synchronous string `yaml:"synchronous"`
	Readers     int    `yaml:"readers"`
}

// SMTP is the relay that invitation and password reset mail leaves
// through. With no host, mail lands in each tenant's outbox instead.
type SMTP struct {
	Host     string        `yaml:"host"`
	Port     int           `yaml:"port"` // 0: 587 for starttls, 465 for implicit, 25 for none
	Username string        `yaml:"username"`
	Password string        `yaml:"password"`
	From     string        `yaml:"from"`
	FromName string        `yaml:"from_name"`
	TLS      string        `yaml:"tls"` // starttls | implicit | none (loopback only)
	Timeout  time.Duration `yaml:"timeout"`
	Retries  int           `yaml:"retries"`
}

// Defaults are what `bureau serve` runs with when nothing is configured.
func Defaults() Config {
	return Config{
		Listen:          ":8080",
		BaseURL:         "",
		DataDir:         "./data",
		ShutdownTimeout: 20 * time.Second,
		Log:             Log{Level: "info", Format: "json"},
		HTTP: HTTP{
			ReadTimeout:  15 * time.Second,
			WriteTimeout: 60 * time.Second,
			IdleTimeout:  120 * time.Second,
			BodyLimit:    4 << 20,
		},
		Session:  Session{IdleTimeout: 30 * time.Minute, AbsoluteTimeout: 12 * time.Hour},
		Database: Database{Synchronous: "FULL", Readers: 4},
		SMTP:     SMTP{FromName: "Bureau", TLS: "starttls", Timeout: 30 * time.Second, Retries: 3},
		Sync:     Sync{Timeout: 2 * time.Minute, Rereads: 200},
	}
}

// Load builds the configuration from defaults, the file named by BUREAU_CONFIG
// (or ./config.yaml when it exists) and the environment.
func Load(environ []string) (Config, error) {
	cfg := Defaults()
	env := envMap(environ)
	path, explicit := env["BUREAU_CONFIG"], true
	if path == "" {
		path, explicit = "config.yaml", false
	}
	if err := loadFile(&cfg, path, explicit); err != nil {
		return cfg, err
	}
	if err := applyEnv(reflect.ValueOf(&cfg).Elem(), "BUREAU", env); err != nil {
		return cfg, err
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = defaultBaseURL(cfg.Listen)
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return cfg, cfg.Validate()
}

func loadFile(cfg *Config, path string, explicit bool) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) && !explicit {
		return nil
	}
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	return nil
}

func envMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// applyEnv walks the struct and sets every field whose environment twin is set.
func applyEnv(v reflect.Value, prefix string, env map[string]string) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		field, fv := t.Field(i), v.Field(i)
		name := prefix + "_" + strings.ToUpper(field.Tag.Get("yaml"))
		if fv.Kind() == reflect.Struct {
			if err := applyEnv(fv, name, env); err != nil {
				return err
			}
			continue
		}
		raw, ok := env[name]
		if !ok {
			continue
		}
		if err := setField(fv, raw); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func setField(fv reflect.Value, raw string) error {
	switch fv.Interface().(type) {
	case time.Duration:
		d, err := time.ParseDuration(raw)
		if err != nil {
			return err
		}
		fv.SetInt(int64(d))
	case string:
		fv.SetString(raw)
	case int:
		n, err := strconv.Atoi(raw)
		if err != nil {
			return err
		}
		fv.SetInt(int64(n))
	case bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return err
		}
		fv.SetBool(b)
	case []string:
		var items []string
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				items = append(items, s)
			}
		}
		fv.Set(reflect.ValueOf(items))
	default:
		return fmt.Errorf("unsupported type %s", fv.Type())
	}
	return nil
}

func defaultBaseURL(listen string) string {
	host, port, found := strings.Cut(listen, ":")
	if !found {
		return "http://localhost:8080"
	}
	if host == "" || host == "0.0.0.0" || host == "[::]" {
		host = "localhost"
	}
	return "http://" + host + ":" + port
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	u, err := url.Parse(c.BaseURL)
	switch {
	case c.Listen == "":
		return errors.New("listen must not be empty")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("base_url %q must be an absolute http(s) URL", c.BaseURL)
	case u.Path != "" && u.Path != "/":
		return fmt.Errorf("base_url %q must not have a path: Bureau is served at the root", c.BaseURL)
	case c.DataDir == "":
		return errors.New("data_dir must not be empty")
	case c.Session.IdleTimeout <= 0 || c.Session.AbsoluteTimeout < c.Session.IdleTimeout:
		return errors.New("session timeouts must be positive and absolute_timeout ≥ idle_timeout")
	case c.Database.Synchronous != "FULL" && c.Database.Synchronous != "NORMAL":
		return fmt.Errorf("database.synchronous must be FULL or NORMAL, not %q", c.Database.Synchronous)
	case c.Database.Readers < 1:
		return errors.New("database.readers must be at least 1")
	case c.HTTP.BodyLimit < 1024:
		return errors.New("http.body_limit must be at least 1024 bytes")
	case c.Sync.Timeout < 10*time.Second:
		return errors.New("sync.timeout must be at least 10s")
	case c.Sync.Rereads < 1:
		return errors.New("sync.rereads must be at least 1")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("log.level must be debug, info, warn or error, not %q", c.Log.Level)
	}
	switch c.SMTP.TLS {
	case "starttls", "implicit", "none":
	default:
		return fmt.Errorf("smtp.tls must be starttls, implicit or none, not %q", c.SMTP.TLS)
	}
	if c.SMTP.Host != "" && c.SMTP.From == "" {
		return errors.New("smtp.from must be set when smtp.host is: the address mail is sent from")
	}
	if c.Log.Format != "json" && c.Log.Format != "text" {
		return fmt.Errorf("log.format must be json or text, not %q", c.Log.Format)
	}
	return nil
}

// Secure reports whether the public URL is https, which decides the cookie
// prefix and the Secure flag.
func (c Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// DatabasePath is the SQLite file inside the data directory.
func (c Config) DatabasePath() string { return filepath.Join(c.DataDir, "bureau.db") }

// YAML renders the effective configuration, for `bureau config`.
func (c Config) YAML() string {
	if c.SMTP.Password != "" {
		c.SMTP.Password = "(set)" // printed configs end up in tickets
	}
	if c.MasterKey != "" {
		c.MasterKey = "(set)"
	}
	out, err := yaml.Marshal(c)
	if err != nil {
		return err.Error()
	}
	return string(out)
}
