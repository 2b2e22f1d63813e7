package connection

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/connector"
	"bureau/secret"
	"bureau/store"
	"bureau/store/storetest"
)

// fakeProvider stands in for a vendor here: these tests are about storing
// and opening secrets, not about any vendor's API (the connector packages
// test those against their simulators).
type fakeProvider struct{ cfg connector.Config }

const goodSecret = "correct-horse-battery-staple"

func (f fakeProvider) Test(context.Context) (connector.TestResult, error) {
	if f.cfg.Secrets["client_secret"] != goodSecret {
		// A careless vendor that echoes the credential back (SEC-07).
		msg := connector.Redact("invalid_client: secret "+f.cfg.Secrets["client_secret"]+" is wrong", f.cfg.Secrets)
		return connector.TestResult{}, &connector.Error{Kind: connector.KindAuth, Status: 401, Message: msg, Code: "invalid_client"}
	}
	return connector.TestResult{Details: "Connected to " + f.cfg.Settings["url"]}, nil
}
func (fakeProvider) Processes(context.Context, func([]connector.Process) error) error { return nil }
func (fakeProvider) Jobs(context.Context, time.Time, func([]connector.Job) error) error {
	return nil
}
func (fakeProvider) Robots(context.Context, func([]connector.Robot) error) error       { return nil }
func (fakeProvider) Schedules(context.Context, func([]connector.Schedule) error) error { return nil }
func (fakeProvider) StartRun(context.Context, string, connector.RunInput) (connector.Job, error) {
	return connector.Job{}, nil
}
func (fakeProvider) Job(context.Context, string) (connector.Job, error) { return connector.Job{}, nil }

func init() {
	for _, name := range []string{"fake", "other-fake"} {
		connector.Register(connector.Spec{Name: name, Label: "Fake " + name, Fields: []connector.Field{
			{Key: "url", Label: "URL", Kind: connector.FieldURL, Required: true},
			{Key: "mode", Label: "Mode", Kind: connector.FieldSelect, Options: []string{"a", "b"}, Default: "a"},
			{Key: "client_id", Label: "Client ID", Kind: connector.FieldText, Required: true},
			{Key: "client_secret", Label: "Client secret", Kind: connector.FieldText, Secret: true, Required: true},
		}, New: func(cfg connector.Config) (connector.Provider, error) { return fakeProvider{cfg}, nil }})
	}
}

var actor = audit.Actor{Kind: audit.ActorUser, ID: "u1", Email: "ta@firm.example"}

func setup(t *testing.T) (*Service, *store.DB) {
	t.Helper()
	db := storetest.Open(t,
		`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ('t1','firm','Firm','',''), ('t2','other','Other','','')`,
		`INSERT INTO accounts (id, tenant_id, slug, name, created_at, updated_at) VALUES
			('a1','t1','acme','Acme','',''), ('a2','t1','beta','Beta','',''), ('b1','t2','zeta','Zeta','','')`)
	box, err := secret.NewBox(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	return &Service{DB: db, Box: box, Now: func() time.Time { return now }}, db
}

func goodInput() Input {
	return Input{Provider: "fake", Settings: map[string]string{"url": "https://vendor.example", "client_id": "bureau"},
		Secrets: map[string]string{"client_secret": goodSecret}}
}

func fieldCodes(t *testing.T, err error) map[string]string {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindInvalid {
		t.Fatalf("want a validation error, got %v", err)
	}
	out := map[string]string{}
	for _, f := range e.Fields {
		out[f.Field] = f.Code
	}
	return out
}

func TestPutValidates(t *testing.T) {
	s, _ := setup(t)
	ctx := context.Background()
	cases := map[string]struct {
		in   Input
		want map[string]string
	}{
		"unknown provider": {Input{Provider: "nope"}, map[string]string{"provider": "provider_invalid"}},
		"nothing filled": {Input{Provider: "fake"}, map[string]string{
			"settings.url": "required", "settings.client_id": "required", "secrets.client_secret": "required"}},
		"bad values": {Input{Provider: "fake", Settings: map[string]string{"url": "ftp://x", "mode": "c", "client_id": "x", "colour": "red"},
			Secrets: map[string]string{"client_secret": "s", "api_key": "k"}},
			map[string]string{"settings.url": "url_invalid", "settings.mode": "option_invalid", "settings.colour": "unknown_field", "secrets.api_key": "unknown_field"}},
		"a secret as a setting": {Input{Provider: "fake", Settings: map[string]string{"url": "https://v.example", "client_id": "x", "client_secret": "leak"},
			Secrets: map[string]string{"client_secret": "s"}}, map[string]string{"settings.client_secret": "unknown_field"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := s.Put(ctx, actor, "t1", "a1", c.in)
			got := fieldCodes(t, err)
			for f, code := range c.want {
				if got[f] != code {
					t.Errorf("%s: got %q, want %q (all: %v)", f, got[f], code, got)
				}
			}
			if len(got) != len(c.want) {
				t.Errorf("fields %v, want %v", got, c.want)
			}
		})
	}
	v, err := s.Get(ctx, s.DB.R, "t1", "a1")
	if err != nil || v.Provider != nil {
		t.Fatalf("a refused save stored something: %+v %v", v, err)
	}
}

// SEC-01/SEC-03: secrets are sealed at rest, never returned, never audited.
func TestSecretsAreWriteOnlyAndSealed(t *testing.T) {
	s, db := setup(t)
	ctx := context.Background()
	v, err := s.Put(ctx, actor, "t1", "a1", goodInput())
	if err != nil {
		t.Fatal(err)
	}
	if *v.Provider != "fake" || v.Settings["mode"] != "a" || !v.Secrets["client_secret"].Configured ||
		v.Secrets["client_secret"].NeedsReentry || strings.Join(v.SecretsSet, ",") != "client_secret" {
		t.Fatalf("view: %+v", v)
	}
	raw, _ := json.Marshal(v)
	if strings.Contains(string(raw), goodSecret) {
		t.Fatalf("the view shows the secret: %s", raw)
	}
	var events string
	_ = db.R.QueryRow(`SELECT group_concat(details, ' ') FROM audit_events WHERE action = 'connection.update'`).Scan(&events)
	if !strings.Contains(events, "client_secret") || strings.Contains(events, goodSecret) {
		t.Fatalf("audit: %s", events)
	}
	assertNotOnDisk(t, db, goodSecret)
}

// assertNotOnDisk searches the database file and its WAL for plain bytes.
func assertNotOnDisk(t *testing.T, db *store.DB, plain string) {
	t.Helper()
	if _, err := db.W.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(db.Path + "*")
	if len(files) == 0 {
		t.Fatal("no database files found")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(plain)) {
			t.Fatalf("%s holds the secret in clear", f)
		}
	}
}

func TestSavingAgainKeepsSecretsUnlessTheProviderChanges(t *testing.T) {
	s, _ := setup(t)
	ctx := context.Background()
	if _, err := s.Put(ctx, actor, "t1", "a1", goodInput()); err != nil {
		t.Fatal(err)
	}
	in := goodInput()
	in.Secrets = map[string]string{"client_secret": ""} // an untouched secret field
	in.Settings["mode"] = "b"
	if _, err := s.Put(ctx, actor, "t1", "a1", in); err != nil {
		t.Fatalf("save without re-entering the secret: %v", err)
	}
	out, err := s.Test(ctx, actor, "t1", "a1")
	if err != nil || !out.OK {
		t.Fatalf("the kept secret no longer works: %+v %v", out, err)
	}
	in.Provider = "other-fake"
	if got := fieldCodes(t, func() error { _, err := s.Put(ctx, actor, "t1", "a1", in); return err }()); got["secrets.client_secret"] != "required" {
		t.Fatalf("a new provider must not inherit secrets: %v", got)
	}
	in.Secrets = map[string]string{"client_secret": "new"}
	v, err := s.Put(ctx, actor, "t1", "a1", in)
	if err != nil || *v.Provider != "other-fake" || v.LastTest != nil {
		t.Fatalf("switch provider: %+v %v", v, err)
	}
}

func TestTestConnectionReportsTheVendorsWords(t *testing.T) {
	s, db := setup(t)
	ctx := context.Background()
	if _, err := s.Test(ctx, actor, "t1", "a1"); !errors.Is(err, ErrMissing) {
		t.Fatalf("no connection: %v", err)
	}
	if _, err := s.Put(ctx, actor, "t1", "a1", goodInput()); err != nil {
		t.Fatal(err)
	}
	out, err := s.Test(ctx, actor, "t1", "a1")
	if err != nil || !out.OK || out.Details != "Connected to https://vendor.example" {
		t.Fatalf("good secret: %+v %v", out, err)
	}
	const wrong = "wrong-secret-value-123"
	if _, err := s.RotateSecrets(ctx, actor, "t1", "a1", map[string]string{"client_secret": wrong}); err != nil {
		t.Fatal(err)
	}
	out, err = s.Test(ctx, actor, "t1", "a1")
	if err != nil || out.OK || out.Error == nil || out.Error.Code != "auth_failed" {
		t.Fatalf("wrong secret: %+v %v", out, err)
	}
	if !strings.Contains(out.Error.Message, "invalid_client") || strings.Contains(out.Error.Message, wrong) {
		t.Fatalf("message %q: want the vendor's words without the secret (SEC-07)", out.Error.Message)
	}
	v, _ := s.Get(ctx, db.R, "t1", "a1")
	if v.LastTest == nil || v.LastTest.OK || v.LastTest.Error.Code != "auth_failed" {
		t.Fatalf("last test not recorded: %+v", v.LastTest)
	}
	var leaked int
	_ = db.R.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE details LIKE ?`, "%"+wrong+"%").Scan(&leaked)
	if leaked != 0 {
		t.Fatal("the audit log holds the secret")
	}
}

func TestRotateSecrets(t *testing.T) {
	s, db := setup(t)
	ctx := context.Background()
	if _, err := s.RotateSecrets(ctx, actor, "t1", "a1", map[string]string{"client_secret": "x"}); !errors.Is(err, ErrMissing) {
		t.Fatalf("rotate without a connection: %v", err)
	}
	if _, err := s.Put(ctx, actor, "t1", "a1", goodInput()); err != nil {
		t.Fatal(err)
	}
	var before string
	_ = db.R.QueryRow(`SELECT sealed FROM connection_secrets WHERE account_id = 'a1'`).Scan(&before)
	got := fieldCodes(t, func() error {
		_, err := s.RotateSecrets(ctx, actor, "t1", "a1", map[string]string{"client_id": "x", "client_secret": " "})
		return err
	}())
	if got["secrets.client_id"] != "unknown_field" || got["secrets.client_secret"] != "required" {
		t.Fatalf("rotate checks: %v", got)
	}
	if _, err := s.RotateSecrets(ctx, actor, "t1", "a1", map[string]string{"client_secret": "rotated-secret-value"}); err != nil {
		t.Fatal(err)
	}
	var after string
	_ = db.R.QueryRow(`SELECT sealed FROM connection_secrets WHERE account_id = 'a1'`).Scan(&after)
	if after == before || secret.SealedKeyID(after) != s.Box.KeyID() {
		t.Fatal("rotation did not replace the sealed value with a fresh one")
	}
	assertNotOnDisk(t, db, "rotated-secret-value")
}

// SEC-02: a sealed secret copied to another account does not open there,
// and the API says to re-enter it instead of failing.
func TestCiphertextMovedToAnotherAccountNeedsReentry(t *testing.T) {
	s, db := setup(t)
	ctx := context.Background()
	for _, acc := range []string{"a1", "a2"} {
		in := goodInput()
		if acc == "a2" {
			in.Secrets["client_secret"] = "beta-own-secret"
		}
		if _, err := s.Put(ctx, actor, "t1", acc, in); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.W.Exec(`UPDATE connection_secrets SET sealed = (SELECT sealed FROM connection_secrets WHERE account_id = 'a1')
		WHERE account_id = 'a2'`); err != nil {
		t.Fatal(err)
	}
	v, err := s.Get(ctx, db.R, "t1", "a2")
	if err != nil || !v.Secrets["client_secret"].NeedsReentry {
		t.Fatalf("moved ciphertext: %+v %v", v.Secrets, err)
	}
	out, err := s.Test(ctx, actor, "t1", "a2")
	if err != nil || out.OK || out.Error.Code != "secret_needs_reentry" || !strings.Contains(out.Error.Message, "Re-enter") {
		t.Fatalf("test with a moved ciphertext: %+v %v", out, err)
	}
	if _, err := s.RotateSecrets(ctx, actor, "t1", "a2", map[string]string{"client_secret": goodSecret}); err != nil {
		t.Fatal(err)
	}
	if out, _ := s.Test(ctx, actor, "t1", "a2"); !out.OK {
		t.Fatalf("after re-entry: %+v", out)
	}
	// Another tenant's account never sees a1's connection.
	if v, _ := s.Get(ctx, db.R, "t2", "a1"); v.Provider != nil {
		t.Fatal("a connection read across tenants")
	}
}

// SEC-04: after a master-key rotation every secret opens under the new key.
func TestRewrapKeepsEverySecretReadable(t *testing.T) {
	s, db := setup(t)
	ctx := context.Background()
	for _, acc := range []string{"a1", "a2"} {
		if _, err := s.Put(ctx, actor, "t1", acc, goodInput()); err != nil {
			t.Fatal(err)
		}
	}
	next, _ := secret.NewBox(bytes.Repeat([]byte{8}, 32))
	var n, bad int
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		n, bad, err = Rewrap(ctx, tx, s.Box, next)
		return err
	})
	if err != nil || n != 2 || bad != 0 {
		t.Fatalf("rewrap: %d rewrapped, %d unreadable, %v", n, bad, err)
	}
	s.Box = next
	for _, acc := range []string{"a1", "a2"} {
		if out, err := s.Test(ctx, actor, "t1", acc); err != nil || !out.OK {
			t.Fatalf("%s after rotation: %+v %v", acc, out, err)
		}
	}
}
