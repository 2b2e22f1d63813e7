package tenant

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"strings"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/auth"
	"bureau/license"
	"bureau/store"
)

// CreateInput is `bureau tenant create`: a further firm on an installation
// that hosts several. Its operator may set any plan.
type CreateInput struct {
	Name          string
	Slug          string
	Plan          string
	License       string // optional signed license text
	OwnerName     string
	OwnerEmail    string
	OwnerPassword string
}

// Create adds a tenant with its owner (Tenant Admin) and no accounts yet.
// An owner whose email already exists joins with their current password.
func Create(ctx context.Context, db *store.DB, hasher *auth.Hasher, now time.Time, pub ed25519.PublicKey, in CreateInput) (Created, error) {
	var errs apperr.Fields
	c := validateFirm(&errs, "", in.Name, in.Slug, in.OwnerName, in.OwnerEmail)
	c.Plan = in.Plan
	if c.Plan == "" {
		c.Plan = "trial"
	}
	if _, ok := license.Plans[c.Plan]; !ok {
		errs.Add("plan", "plan_invalid", "Choose trial, starter, growth, scale or consulting.")
	}
	if in.License != "" {
		c.Plan = checkLicense(&errs, in.License, in.Slug, now, pub).Plan
		c.License = in.License
	}
	var exists int
	if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE email = ?`, c.UserEmail).Scan(&exists); err != nil {
		return c, err
	}
	if exists == 0 {
		local, _, _ := strings.Cut(c.UserEmail, "@")
		if fe := auth.CheckPassword("owner_password", in.OwnerPassword, c.TenantName, c.TenantSlug, c.UserName, local); fe != nil {
			errs = append(errs, *fe)
		}
	}
	if err := errs.Err(); err != nil {
		return c, err
	}
	hash := ""
	if exists == 0 {
		var err error
		if hash, err = hasher.Hash(in.OwnerPassword); err != nil {
			return c, err
		}
	}
	c.TenantID, c.UserID = store.NewID(), store.NewID()
	err := db.Write(ctx, func(tx *sql.Tx) error {
		return createTenant(ctx, tx, c, hash, now, audit.Event{ActorKind: audit.ActorCLI})
	})
	return c, err
}
