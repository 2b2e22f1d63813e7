// Command bureau is the control plane of an automation consultancy: one
// binary serving the web app, the API and the sync scheduler on SQLite.
package main

import (
	"bufio"
	"bureau/connection"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"bureau/account"
	"bureau/apikey"
	"bureau/apperr"
	"bureau/audit"
	"bureau/auth"
	"bureau/config"
	"bureau/license"
	"bureau/mail"
	"bureau/people"
	"bureau/policy"
	"bureau/runs"
	"bureau/secret"
	"bureau/server"
	"bureau/sso"
	"bureau/store"
	"bureau/syncer"
	"bureau/tenant"
)

// version is set at build time: -ldflags "-X main.version=…".
var version = "dev"

const usage = `Bureau — the control plane of an automation consultancy.

Usage:
  bureau serve            run the web app, the API and the scheduler
  bureau setup [flags]    create the first tenant, account and owner (password on stdin)
  bureau tenant create    add a further tenant (firm) with its owner; see --help
  bureau migrate          apply database migrations and exit
  bureau backup [--out D] write a checked snapshot of the database (default: <data_dir>/backups)
  bureau restore FILE     put a backup in place as the database of an empty data dir
  bureau audit verify     check every tenant's audit hash chain
  bureau rotate-master-key
                          re-wrap every stored secret under a new master key (stop the server
                          first; with BUREAU_MASTER_KEY, pipe the new key in or use the printed one)
  bureau user set-password EMAIL
                          set a person's password (on stdin) and end their sessions
  bureau config           print the effective configuration
  bureau healthcheck      exit 0 when the local server answers /healthz (for containers)
  bureau version          print the version
  bureau help             this text

Configuration: config.yaml in the working directory (or BUREAU_CONFIG), and
BUREAU_* environment variables for any key (see config.example.yaml).
`

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, stderr)
	case "setup":
		err = setup(ctx, args, stdin, stdout)
	case "tenant":
		if len(args) == 0 || args[0] != "create" {
			fmt.Fprint(stderr, "usage: bureau tenant create --name N --slug S --plan P --owner-email E --owner-name N --owner-password-stdin\n")
			return 2
		}
		err = tenantCreate(ctx, args[1:], stdin, stdout)
	case "user":
		if len(args) < 2 || args[0] != "set-password" {
			fmt.Fprint(stderr, "usage: bureau user set-password EMAIL  (the new password on standard input)\n")
			return 2
		}
		err = userSetPassword(ctx, args[1], stdin, stdout)
	case "migrate":
		err = migrate(ctx, stdout)
	case "backup":
		err = backup(ctx, args, stdout)
	case "restore":
		err = restore(ctx, args, stdout)
	case "audit":
		if len(args) == 0 || args[0] != "verify" {
			fmt.Fprint(stderr, "usage: bureau audit verify\n")
			return 2
		}
		err = auditVerify(ctx, stdout)
	case "rotate-master-key":
		err = rotateMasterKey(ctx, stdin, stdout)
	case "config":
		var cfg config.Config
		if cfg, err = config.Load(os.Environ()); err == nil {
			fmt.Fprint(stdout, cfg.YAML())
		}
	case "healthcheck":
		err = healthcheck(ctx)
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "bureau %s\n", version)
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "bureau: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "bureau %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

// openDB loads the configuration, opens the database, checks it and applies
// pending migrations.
func openDB(ctx context.Context) (config.Config, *store.DB, error) {
	cfg, err := config.Load(os.Environ())
	if err != nil {
		return cfg, nil, fmt.Errorf("config: %w", err)
	}
	db, err := store.Open(ctx, cfg.DatabasePath(), store.Options{Synchronous: cfg.Database.Synchronous, Readers: cfg.Database.Readers})
	if err != nil {
		return cfg, nil, err
	}
	if err := db.QuickCheck(ctx); err != nil {
		db.Close()
		return cfg, nil, fmt.Errorf("%w; restore the latest backup into %s", err, cfg.DataDir)
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return cfg, nil, err
	}
	return cfg, db, nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func serve(ctx context.Context, logOut io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	cfg, db, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	log := newLogger(cfg, logOut)
	slog.SetDefault(log)
	master, err := secret.MasterKey(cfg.MasterKey, cfg.DataDir)
	if err != nil {
		return err
	}
	pol, err := policy.New()
	if err != nil {
		return err
	}
	sessions := &auth.Sessions{DB: db, Now: time.Now, Idle: cfg.Session.IdleTimeout, Absolute: cfg.Session.AbsoluteTimeout}
	authSvc := &auth.Service{DB: db, Hasher: auth.NewHasher(auth.DefaultParams, 0), Limiter: auth.NewLimiter(), ResetLimiter: auth.NewResetLimiter(),
		Sessions: sessions, Now: time.Now}
	accounts := &account.Service{DB: db, Now: time.Now, LicenseKey: license.PublicKey()}
	tenants := &tenant.Service{DB: db, Now: time.Now, LicenseKey: license.PublicKey()}
	mailer, err := mail.New(mail.FromConfig(cfg.SMTP), nil, db, log)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	if mailer.Sender == nil {
		log.Info("smtp not configured: mail goes to each tenant's outbox")
	}
	pending, err := secret.PendingKeys(cfg.DataDir)
	if err != nil {
		return err
	}
	box, err := secret.NewBox(master, pending...)
	if err != nil {
		return err
	}
	ssoSvc := &sso.Service{DB: db, Box: box, Now: time.Now}
	connections := &connection.Service{DB: db, Box: box, Now: time.Now}
	peopleSvc := &people.Service{DB: db, Hasher: authSvc.Hasher, Limiter: authSvc.Limiter, Now: time.Now}
	// Started runs are followed until they end; the watch ends with ctx.
	runsSvc := &runs.Service{DB: db, Connections: connections, Now: time.Now,
		Watcher: &runs.Watcher{Root: ctx, Every: 3 * time.Second, Log: log}}
	keys := &apikey.Service{DB: db, Now: time.Now}
	syncSvc := &syncer.Syncer{DB: db, Connections: connections, Now: time.Now, Log: log,
		Timeout: cfg.Sync.Timeout, MaxRereads: cfg.Sync.Rereads}
	srv, err := server.New(server.Deps{Syncer: syncSvc, Runs: runsSvc, APIKeys: keys, Config: cfg, DB: db, Policy: pol, Auth: authSvc, Accounts: accounts,
		Tenants: tenants, People: peopleSvc, SSO: ssoSvc, Connections: connections, Flow: &sso.Flow{Settings: ssoSvc, BaseURL: cfg.BaseURL}, Mailer: mailer, Web: webFS(), Log: log,
		Now: time.Now, CSRFKey: secret.Derive(master, "csrf"), Version: version})
	if err != nil {
		return err
	}
	// The scheduler marks syncs a dead process left running as interrupted
	// (SYNC-07), then fires each connected account's sync on its interval.
	sched := &syncer.Scheduler{Syncer: syncSvc, Log: log}
	if err := sched.Start(ctx); err != nil {
		return err
	}
	go sessions.PurgeExpiredEvery(ctx, 10*time.Minute, log)
	go runsSvc.ExpireEvery(ctx, time.Minute, log.Warn)
	go keys.SweepEvery(ctx, time.Minute, log.Warn)

	listenErr := make(chan error, 1)
	go func() { listenErr <- srv.App.Listen(cfg.Listen) }()
	log.Info("bureau started", "version", version, "listen", cfg.Listen, "base_url", cfg.BaseURL, "data_dir", cfg.DataDir)
	select {
	case err := <-listenErr:
		return fmt.Errorf("listen %s: %w", cfg.Listen, err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "deadline", cfg.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	httpErr := srv.Shutdown(shutdownCtx)
	// Syncs get what is left of the deadline, then are cancelled (their
	// records say so); either way they end before the database closes.
	if err := sched.Stop(shutdownCtx); err != nil {
		log.Warn("syncs still running at the shutdown deadline were cancelled", "error", err)
	}
	runsSvc.Watcher.Wait()
	if httpErr != nil {
		return httpErr
	}
	log.Info("stopped")
	return nil
}

func setup(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("setup", flag.ContinueOnError)
	var in tenant.SetupInput
	fs.StringVar(&in.TenantName, "tenant-name", "", "the firm's name (required)")
	fs.StringVar(&in.TenantSlug, "tenant-slug", "", "the firm's slug (required)")
	fs.StringVar(&in.OwnerName, "owner-name", "", "the owner's name (required)")
	fs.StringVar(&in.OwnerEmail, "owner-email", "", "the owner's email (required)")
	fs.StringVar(&in.AccountName, "account-name", "", "the first client account's name (default: the firm's)")
	fs.StringVar(&in.AccountSlug, "account-slug", "", "the first client account's slug")
	passwordStdin := fs.Bool("password-stdin", false, "read the owner's password from the first line of standard input (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*passwordStdin {
		return errors.New("--password-stdin is required: pass the owner's password on standard input, never as an argument")
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	in.OwnerPassword = password
	_, db, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	hasher := auth.NewHasher(auth.DefaultParams, 0)
	created, err := tenant.Setup(ctx, db, hasher, time.Now(), license.PublicKey(), in, auth.Request{UserAgent: "bureau setup"})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "Created tenant %q (%s), account %q (%s) and owner %s. Sign in with `bureau serve`.\n",
		created.TenantName, created.TenantSlug, created.AccountName, created.AccountSlug, created.UserEmail)
	return nil
}

// userSetPassword is the operator's way to help someone locked out when no
// SMTP server is configured: reset links are never kept in the outbox.
func userSetPassword(ctx context.Context, email string, stdin io.Reader, stdout io.Writer) error {
	_, db, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	svc := &auth.Service{DB: db, Hasher: auth.NewHasher(auth.DefaultParams, 0), Now: time.Now}
	if err := svc.SetPassword(ctx, email, password); err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "Password set for %s; their sessions have ended.\n", strings.ToLower(strings.TrimSpace(email)))
	return nil
}

func tenantCreate(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("tenant create", flag.ContinueOnError)
	var in tenant.CreateInput
	fs.StringVar(&in.Name, "name", "", "the firm's name (required)")
	fs.StringVar(&in.Slug, "slug", "", "the firm's slug, unique in this installation (required)")
	fs.StringVar(&in.Plan, "plan", "trial", "trial | starter | growth | scale | consulting")
	licenseFile := fs.String("license-file", "", "a signed license file; its plan wins")
	fs.StringVar(&in.OwnerName, "owner-name", "", "the owner's name (required)")
	fs.StringVar(&in.OwnerEmail, "owner-email", "", "the owner's email (required)")
	passwordStdin := fs.Bool("owner-password-stdin", false, "read the owner's password from standard input (required for a new person)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *passwordStdin {
		password, err := readPassword(stdin)
		if err != nil {
			return err
		}
		in.OwnerPassword = password
	}
	if *licenseFile != "" {
		raw, err := os.ReadFile(*licenseFile)
		if err != nil {
			return err
		}
		in.License = string(raw)
	}
	_, db, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	created, err := tenant.Create(ctx, db, auth.NewHasher(auth.DefaultParams, 0), time.Now(), license.PublicKey(), in)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "Created tenant %q (%s) on the %s plan; owner %s.\n", created.TenantName, created.TenantSlug,
		created.Plan, created.UserEmail)
	return nil
}

// readPassword takes the first line of stdin as it is: no trimming but the
// line ending (AUTH-05).
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"), nil
}

// describe spells out a validation error for the terminal.
func describe(err error) error {
	var b strings.Builder
	b.WriteString(err.Error())
	if e, ok := apperr.As(err); ok {
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "\n  %s: %s (%s)", f.Field, f.Message, f.Code)
		}
	}
	return errors.New(b.String())
}

func migrate(ctx context.Context, stdout io.Writer) error {
	_, db, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.Version(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database at schema version %d\n", v)
	return nil
}

func backup(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	out := fs.String("out", "", "directory for the snapshot (default: <data_dir>/backups)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, db, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if *out == "" {
		*out = filepath.Join(cfg.DataDir, "backups")
	}
	path, err := db.Backup(ctx, *out, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s (integrity checked). Keep %s too: it opens the stored secrets.\n",
		path, filepath.Join(cfg.DataDir, secret.MasterKeyFile))
	return nil
}

func restore(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: bureau restore FILE (into the configured data_dir, which must have no database yet)")
	}
	cfg, err := config.Load(os.Environ())
	if err != nil {
		return err
	}
	if err := store.Restore(ctx, args[0], cfg.DatabasePath()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s to %s; start Bureau with `bureau serve`.\n", args[0], cfg.DatabasePath())
	return nil
}

func auditVerify(ctx context.Context, stdout io.Writer) error {
	_, db, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	checked, problems, err := audit.Verify(ctx, db.R)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(stdout, "BROKEN", p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d audit chain(s) broken", len(problems))
	}
	fmt.Fprintf(stdout, "audit log intact: %d events verified\n", checked)
	return nil
}

// healthcheck asks the local server's /healthz, for container runtimes that
// have no curl.
func healthcheck(ctx context.Context) error {
	cfg, err := config.Load(os.Environ())
	if err != nil {
		return err
	}
	_, port, _ := strings.Cut(cfg.Listen, ":")
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:"+port+"/healthz", nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz answered %s", res.Status)
	}
	return nil
}
