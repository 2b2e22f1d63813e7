package connection

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"bureau/audit"
	"bureau/connector"
	"bureau/secret"
	"bureau/store"
)

// NeedsReentryError says stored secrets cannot be opened: they were sealed
// for another account (copied in the database) or under a master key that is
// not loaded. The fix is to enter them again, never a 500.
type NeedsReentryError struct{ Fields []string }

func (e *NeedsReentryError) Error() string {
	return "re-enter the secret: " + strings.Join(e.Fields, ", ") + " cannot be read"
}

// Provider builds the account's provider with its secrets opened. Only the
// connector sees them in clear.
func (s *Service) Provider(ctx context.Context, tenantID, accountID string) (connector.Provider, string, error) {
	st, err := s.load(ctx, s.DB.R, tenantID, accountID)
	if err != nil {
		return nil, "", err
	}
	if st == nil {
		return nil, "", ErrMissing
	}
	secrets := map[string]string{}
	var unreadable []string
	for field, sec := range st.secrets {
		plain, err := s.Box.Open(sec.sealed, secretAAD(tenantID, accountID, field))
		if err != nil {
			unreadable = append(unreadable, field)
			continue
		}
		secrets[field] = string(plain)
	}
	if len(unreadable) > 0 {
		return nil, st.provider, &NeedsReentryError{Fields: unreadable}
	}
	p, err := connector.New(st.provider, connector.Config{Settings: st.settings, Secrets: secrets, HTTP: s.HTTP, Seed: accountID})
	return p, st.provider, err
}

// Test runs Test Connection on the saved connection and records the outcome.
// A vendor refusal is a result (ok false, the vendor's words), not an error.
func (s *Service) Test(ctx context.Context, actor audit.Actor, tenantID, accountID string) (TestOutcome, error) {
	out := TestOutcome{At: s.Now()}
	p, provider, err := s.Provider(ctx, tenantID, accountID)
	var reentry *NeedsReentryError
	switch {
	case errors.Is(err, ErrMissing):
		return out, err
	case errors.As(err, &reentry):
		out.Error = &TestError{Code: "secret_needs_reentry", Message: fmt.Sprintf(
			"The stored %s cannot be read: it was saved for another account or under a master key this server does not have. Re-enter it.",
			strings.Join(reentry.Fields, ", "))}
	case err != nil && connector.KindOf(err) == connector.KindConfig:
		out.Error = &TestError{Code: string(connector.KindConfig), Message: vendorMessage(err)}
	case err != nil:
		return out, err
	default:
		timeout := s.TestTimeout
		if timeout == 0 {
			timeout = 30 * time.Second
		}
		tctx, cancel := context.WithTimeout(ctx, timeout)
		res, terr := p.Test(tctx)
		cancel()
		out.At = s.Now()
		if terr != nil {
			out.Error = &TestError{Code: string(connector.KindOf(terr)), Message: vendorMessage(terr)}
		} else {
			out.OK, out.Details = true, res.Details
		}
	}
	return out, s.recordTest(ctx, actor, tenantID, accountID, provider, out)
}

func (s *Service) recordTest(ctx context.Context, actor audit.Actor, tenantID, accountID, provider string, out TestOutcome) error {
	code, message := "", ""
	if out.Error != nil {
		code, message = out.Error.Code, out.Error.Message
	}
	return s.DB.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE connections SET last_test_at = ?, last_test_ok = ?, last_test_details = ?,
				last_test_code = ?, last_test_message = ? WHERE tenant_id = ? AND account_id = ?`,
			store.Time(out.At), boolInt(out.OK), out.Details, code, message, tenantID, accountID); err != nil {
			return fmt.Errorf("record connection test: %w", err)
		}
		return audit.Append(ctx, tx, actor.Event(tenantID, accountID, "connection.test", "connection", accountID,
			map[string]any{"provider": provider, "ok": out.OK, "code": code}, s.Now()))
	})
}

// vendorMessage is what a person sees: the vendor's own words (already
// stripped of secrets by the connector), or the error text.
func vendorMessage(err error) string {
	var ce *connector.Error
	if errors.As(err, &ce) && ce.Message != "" {
		msg := ce.Message
		if ce.Status != 0 {
			msg = fmt.Sprintf("HTTP %d: %s", ce.Status, msg)
		}
		if ce.Code != "" && !strings.Contains(msg, ce.Code) {
			msg += " (" + ce.Code + ")"
		}
		return msg
	}
	return err.Error()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Rewrap re-seals every connection secret's data key under to (master-key
// rotation, SEC-04), inside the caller's transaction. A value that does not
// open is left alone and counted: it already needs re-entry.
func Rewrap(ctx context.Context, tx *sql.Tx, from, to *secret.Box) (rewrapped, unreadable int, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT tenant_id, account_id, field, sealed FROM connection_secrets`)
	if err != nil {
		return 0, 0, fmt.Errorf("rewrap connection secrets: %w", err)
	}
	type row struct{ tenant, account, field, sealed string }
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.tenant, &r.account, &r.field, &r.sealed); err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("rewrap connection secrets: %w", err)
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("rewrap connection secrets: %w", err)
	}
	for _, r := range all {
		re, err := from.Rewrap(r.sealed, secretAAD(r.tenant, r.account, r.field), to)
		if err != nil {
			unreadable++
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE connection_secrets SET sealed = ? WHERE tenant_id = ? AND account_id = ? AND field = ?`,
			re, r.tenant, r.account, r.field); err != nil {
			return 0, 0, fmt.Errorf("rewrap connection secret: %w", err)
		}
		rewrapped++
	}
	return rewrapped, unreadable, nil
}
