// Package connection keeps each account's connection to its RPA tool: the
// provider, its settings, and its secrets sealed with secret.Box, bound to
// tenant, account and field (SEC-02), so a sealed value copied anywhere else
// does not open. Secrets are write-only: the API learns only that a field
// is set, when, and whether it can still be read.
package connection

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/connector"
	"bureau/secret"
	"bureau/store"
)

// Service reads, writes and tests connections.
type Service struct {
	DB  *store.DB
	Box *secret.Box
	Now func() time.Time
	// TestTimeout bounds a whole Test Connection (default 30 s).
	TestTimeout time.Duration
	// HTTP, when set, is the client every provider uses (tests).
	HTTP *http.Client
}

// View is a connection as the API shows it. Secret values never appear.
type View struct {
	Provider   *string                `json:"provider"`
	Settings   map[string]string      `json:"settings"`
	Secrets    map[string]SecretState `json:"secrets"`
	SecretsSet []string               `json:"secrets_set"`
	UpdatedAt  *time.Time             `json:"updated_at"`
	LastTest   *TestOutcome           `json:"last_test"`
}

// SecretState says a secret is stored, since when, and whether this
// installation can still read it.
type SecretState struct {
	Configured   bool      `json:"configured"`
	UpdatedAt    time.Time `json:"updated_at"`
	NeedsReentry bool      `json:"needs_reentry"`
}

// TestOutcome is the result of Test Connection.
type TestOutcome struct {
	At      time.Time  `json:"at"`
	OK      bool       `json:"ok"`
	Details string     `json:"details"`
	Error   *TestError `json:"error,omitempty"`
}

// TestError is why a test failed: a connector.Kind code (or
// secret_needs_reentry) and the vendor's own message.
type TestError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Input replaces a connection. A secret omitted or empty keeps the stored
// value when the provider stays the same.
type Input struct {
	Provider string            `json:"provider"`
	Settings map[string]string `json:"settings"`
	Secrets  map[string]string `json:"secrets"`
}

// secretAAD binds a sealed secret to its place (SEC-02). The account is the
// connection: an account has exactly one.
func secretAAD(tenantID, accountID, field string) string {
	return "bureau/v1/connection-secret|" + tenantID + "|" + accountID + "|" + accountID + "|" + field
}

// ErrMissing is returned when the account has no connection yet.
var ErrMissing = apperr.Conflict("connection_missing", "This account has no connection yet. Choose a provider and save its settings first.")

type stored struct {
	provider string
	settings map[string]string
	secrets  map[string]storedSecret
	updated  time.Time
	lastTest *TestOutcome
}

type storedSecret struct {
	sealed  string
	updated time.Time
}

func (s *Service) load(ctx context.Context, q store.Querier, tenantID, accountID string) (*stored, error) {
	var (
		st                     stored
		settings, updated      string
		testAt                 *string
		testOK                 *int
		details, code, message string
	)
	err := q.QueryRowContext(ctx, `SELECT provider, settings, updated_at, last_test_at, last_test_ok,
			last_test_details, last_test_code, last_test_message
		FROM connections WHERE tenant_id = ? AND account_id = ?`, tenantID, accountID).Scan(
		&st.provider, &settings, &updated, &testAt, &testOK, &details, &code, &message)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load connection: %w", err)
	}
	if err := json.Unmarshal([]byte(settings), &st.settings); err != nil {
		return nil, fmt.Errorf("load connection settings: %w", err)
	}
	st.updated = store.MustTime(updated)
	if testAt != nil && testOK != nil {
		st.lastTest = &TestOutcome{At: store.MustTime(*testAt), OK: *testOK == 1, Details: details}
		if code != "" {
			st.lastTest.Error = &TestError{Code: code, Message: message}
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT field, sealed, updated_at FROM connection_secrets
		WHERE tenant_id = ? AND account_id = ? ORDER BY field`, tenantID, accountID)
	if err != nil {
		return nil, fmt.Errorf("load connection secrets: %w", err)
	}
	defer rows.Close()
	st.secrets = map[string]storedSecret{}
	for rows.Next() {
		var field, sealed, at string
		if err := rows.Scan(&field, &sealed, &at); err != nil {
			return nil, fmt.Errorf("load connection secrets: %w", err)
		}
		st.secrets[field] = storedSecret{sealed: sealed, updated: store.MustTime(at)}
	}
	return &st, rows.Err()
}

// Get returns the account's connection; Provider is nil when there is none.
func (s *Service) Get(ctx context.Context, q store.Querier, tenantID, accountID string) (View, error) {
	st, err := s.load(ctx, q, tenantID, accountID)
	if err != nil || st == nil {
		return View{Settings: map[string]string{}, Secrets: map[string]SecretState{}, SecretsSet: []string{}}, err
	}
	v := View{Provider: &st.provider, Settings: st.settings, Secrets: map[string]SecretState{}, SecretsSet: []string{},
		UpdatedAt: &st.updated, LastTest: st.lastTest}
	for field, sec := range st.secrets {
		_, openErr := s.Box.Open(sec.sealed, secretAAD(tenantID, accountID, field))
		v.Secrets[field] = SecretState{Configured: true, UpdatedAt: sec.updated, NeedsReentry: openErr != nil}
		v.SecretsSet = append(v.SecretsSet, field)
	}
	slices.Sort(v.SecretsSet)
	return v, nil
}

// Put replaces the account's connection.
func (s *Service) Put(ctx context.Context, actor audit.Actor, tenantID, accountID string, in Input) (View, error) {
	spec, ok := connector.Lookup(in.Provider)
	if !ok {
		var f apperr.Fields
		f.Add("provider", "provider_invalid", "Choose one of the providers Bureau supports.")
		return View{}, f.Err()
	}
	settings := spec.WithDefaults(trimmed(in.Settings))
	newSecrets := trimmed(in.Secrets)
	var out View
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		old, err := s.load(ctx, tx, tenantID, accountID)
		if err != nil {
			return err
		}
		keep := map[string]storedSecret{}
		if old != nil && old.provider == in.Provider {
			keep = old.secrets
		}
		if err := validate(spec, settings, newSecrets, keep); err != nil {
			return err
		}
		raw, _ := json.Marshal(settings)
		now := store.Time(s.Now())
		// Any change makes the last test stale: it described another setup.
		if _, err := tx.ExecContext(ctx, `INSERT INTO connections (account_id, tenant_id, provider, settings, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (account_id) DO UPDATE SET provider = excluded.provider, settings = excluded.settings,
				updated_at = excluded.updated_at, last_test_at = NULL, last_test_ok = NULL,
				last_test_details = '', last_test_code = '', last_test_message = ''`,
			accountID, tenantID, in.Provider, string(raw), now, now); err != nil {
			return fmt.Errorf("save connection: %w", err)
		}
		if old != nil && old.provider != in.Provider {
			if _, err := tx.ExecContext(ctx, `DELETE FROM connection_secrets WHERE tenant_id = ? AND account_id = ?`,
				tenantID, accountID); err != nil {
				return fmt.Errorf("drop old secrets: %w", err)
			}
		}
		changed, err := s.sealAll(ctx, tx, tenantID, accountID, newSecrets)
		if err != nil {
			return err
		}
		// Settings are not secret; secret values never reach the audit log,
		// only which fields changed (SEC-07).
		if err := audit.Append(ctx, tx, actor.Event(tenantID, accountID, "connection.update", "connection", accountID,
			map[string]any{"provider": in.Provider, "settings": settings, "secrets_changed": changed}, s.Now())); err != nil {
			return err
		}
		out, err = s.Get(ctx, tx, tenantID, accountID)
		return err
	})
	return out, err
}

// RotateSecrets replaces secret fields only, keeping provider and settings.
func (s *Service) RotateSecrets(ctx context.Context, actor audit.Actor, tenantID, accountID string, secrets map[string]string) (View, error) {
	var out View
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		old, err := s.load(ctx, tx, tenantID, accountID)
		if err != nil {
			return err
		}
		if old == nil {
			return ErrMissing
		}
		spec, ok := connector.Lookup(old.provider)
		if !ok {
			return fmt.Errorf("rotate secrets: provider %q is not built in", old.provider)
		}
		var f apperr.Fields
		if len(secrets) == 0 {
			f.Add("secrets", "secrets_required", "Enter at least one new secret.")
		}
		for k, v := range secrets {
			field, ok := spec.Field(k)
			switch {
			case !ok || !field.Secret:
				f.Add("secrets."+k, "unknown_field", "Not a secret of "+spec.Label+".")
			case strings.TrimSpace(v) == "":
				f.Add("secrets."+k, "required", field.Label+" is required.")
			}
		}
		if err := sortedErr(f); err != nil {
			return err
		}
		changed, err := s.sealAll(ctx, tx, tenantID, accountID, trimmed(secrets))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE connections SET updated_at = ?, last_test_at = NULL, last_test_ok = NULL,
				last_test_details = '', last_test_code = '', last_test_message = ''
			WHERE tenant_id = ? AND account_id = ?`, store.Time(s.Now()), tenantID, accountID); err != nil {
			return fmt.Errorf("rotate secrets: %w", err)
		}
		if err := audit.Append(ctx, tx, actor.Event(tenantID, accountID, "connection.secrets_rotate", "connection", accountID,
			map[string]any{"fields": changed}, s.Now())); err != nil {
			return err
		}
		out, err = s.Get(ctx, tx, tenantID, accountID)
		return err
	})
	return out, err
}

// sealAll seals and stores each secret, each with a fresh data key.
func (s *Service) sealAll(ctx context.Context, tx *sql.Tx, tenantID, accountID string, secrets map[string]string) ([]string, error) {
	changed := make([]string, 0, len(secrets))
	now := store.Time(s.Now())
	for field, value := range secrets {
		sealed, err := s.Box.Seal([]byte(value), secretAAD(tenantID, accountID, field))
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO connection_secrets (account_id, tenant_id, field, sealed, updated_at)
				VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (account_id, field) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
			accountID, tenantID, field, sealed, now); err != nil {
			return nil, fmt.Errorf("store secret %s: %w", field, err)
		}
		changed = append(changed, field)
	}
	slices.Sort(changed)
	return changed, nil
}

func validate(spec connector.Spec, settings, newSecrets map[string]string, keep map[string]storedSecret) error {
	present := map[string]string{}
	for k := range keep {
		present[k] = "stored"
	}
	for k, v := range newSecrets {
		present[k] = v
	}
	var f apperr.Fields
	for _, e := range spec.Validate(settings, present) {
		prefix := "settings."
		if e.Secret {
			prefix = "secrets."
		}
		// A secret stored for a field this provider no longer has is not
		// the caller's doing: only new values are checked for that.
		if e.Code == "unknown_field" && e.Secret && newSecrets[e.Key] == "" {
			continue
		}
		f.Add(prefix+e.Key, e.Code, e.Message+".")
	}
	return sortedErr(f)
}

func sortedErr(f apperr.Fields) error {
	slices.SortFunc(f, func(a, b apperr.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return f.Err()
}

// trimmed drops empty values and surrounding space (a PEM keeps its lines).
func trimmed(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if v = strings.TrimSpace(v); v != "" {
			out[k] = v
		}
	}
	return out
}
