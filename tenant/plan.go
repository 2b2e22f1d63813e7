package tenant

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"bureau/apperr"
	"bureau/license"
	"bureau/store"
)

// PlanStatus resolves the tenant's effective plan and account cap from its
// stored plan and license.
// pub is the license-signing public key (license.PublicKey() in production).
func PlanStatus(ctx context.Context, q store.Querier, tenantID string, now time.Time, pub ed25519.PublicKey) (license.Status, error) {
	var plan, slug string
	var text sql.NullString
	err := q.QueryRowContext(ctx, `SELECT plan, slug, license FROM tenants WHERE id = ?`, tenantID).Scan(&plan, &slug, &text)
	if errors.Is(err, sql.ErrNoRows) {
		return license.Status{}, apperr.NotFound()
	}
	if err != nil {
		return license.Status{}, fmt.Errorf("tenant plan: %w", err)
	}
	return license.Resolve(plan, text.String, slug, now, pub), nil
}
