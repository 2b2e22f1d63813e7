package tenant

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"bureau/apperr"
	"bureau/audit"
	"bureau/slug"
	"bureau/store"
)

// Branding is how the firm appears to its clients: in the portal, on the
// invitation page and in mail.
type Branding struct {
	DisplayName  string `json:"display_name"`
	Logo         string `json:"logo"` // a data: URI (the CSP allows no remote images)
	Color        string `json:"color"`
	SupportEmail string `json:"support_email"`
}

// Patch changes the tenant; nil fields stay as they are.
type Patch struct {
	Name                  *string   `json:"name"`
	Branding              *Branding `json:"branding"`
	StaffPasswordsEnabled *bool     `json:"staff_passwords_enabled"`
}

const maxLogoBytes = 200 << 10

var (
	colorPattern = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	logoPattern  = regexp.MustCompile(`^data:image/(png|jpeg|webp|svg\+xml);base64,([A-Za-z0-9+/]+={0,2})$`)
	emailPattern = regexp.MustCompile(`^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$`)
)

func (b *Branding) check() apperr.Fields {
	var errs apperr.Fields
	b.DisplayName = strings.TrimSpace(b.DisplayName)
	b.SupportEmail = strings.ToLower(strings.TrimSpace(b.SupportEmail))
	if b.DisplayName != "" {
		if _, fe := slug.ValidName("branding.display_name", b.DisplayName); fe != nil {
			errs = append(errs, *fe)
		}
	}
	if b.Color != "" && !colorPattern.MatchString(b.Color) {
		errs.Add("branding.color", "color_invalid", "Use a colour like #1f4e79.")
	}
	b.Color = strings.ToLower(b.Color)
	if b.Logo != "" {
		m := logoPattern.FindStringSubmatch(b.Logo)
		if m == nil {
			errs.Add("branding.logo", "logo_invalid", "Upload a PNG, JPEG, WebP or SVG image (it is stored inline, never fetched from elsewhere).")
		} else if raw, err := base64.StdEncoding.DecodeString(m[2]); err != nil || len(raw) > maxLogoBytes {
			errs.Add("branding.logo", "logo_too_large", "Use an image of at most 200 KB.")
		}
	}
	if b.SupportEmail != "" && (len(b.SupportEmail) > 254 || !emailPattern.MatchString(b.SupportEmail)) {
		errs.Add("branding.support_email", "email_invalid", "Enter an email address like support@consultancy.example.")
	}
	return errs
}

// Update changes the name, the branding or the staff-password switch.
// Staff passwords can be turned off only once a staff SSO sign-in has
// succeeded (so nobody locks the firm out), and turning them off ends every
// staff session that was started with a password (AUTH-12).
func (s *Service) Update(ctx context.Context, actor audit.Actor, tenantID string, p Patch) (Tenant, error) {
	var errs apperr.Fields
	var name string
	if p.Name != nil {
		var fe *apperr.FieldError
		if name, fe = slug.ValidName("name", *p.Name); fe != nil {
			errs = append(errs, *fe)
		}
	}
	if p.Branding != nil {
		errs = append(errs, p.Branding.check()...)
	}
	if err := errs.Err(); err != nil {
		return Tenant{}, err
	}
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		now := store.Time(s.Now())
		details := map[string]any{}
		if p.Name != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE tenants SET name = ?, updated_at = ? WHERE id = ?`, name, now, tenantID); err != nil {
				return fmt.Errorf("update tenant: %w", err)
			}
			details["name"] = name
		}
		if p.Branding != nil {
			raw, _ := json.Marshal(p.Branding)
			if _, err := tx.ExecContext(ctx, `UPDATE tenants SET branding = ?, updated_at = ? WHERE id = ?`, string(raw), now, tenantID); err != nil {
				return fmt.Errorf("update tenant: %w", err)
			}
			details["branding"] = map[string]any{"display_name": p.Branding.DisplayName, "color": p.Branding.Color,
				"support_email": p.Branding.SupportEmail, "logo_bytes": len(p.Branding.Logo)}
		}
		if p.StaffPasswordsEnabled != nil {
			if err := setStaffPasswords(ctx, tx, tenantID, *p.StaffPasswordsEnabled, now, details); err != nil {
				return err
			}
		}
		if len(details) == 0 {
			return nil
		}
		return audit.Append(ctx, tx, actor.Event(tenantID, "", "tenant.update", "tenant", tenantID, details, s.Now()))
	})
	if err != nil {
		return Tenant{}, err
	}
	return s.Get(ctx, tenantID)
}

func setStaffPasswords(ctx context.Context, tx *sql.Tx, tenantID string, on bool, now string, details map[string]any) error {
	if !on {
		var verified int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tenant_sso WHERE tenant_id = ? AND last_success_at IS NOT NULL`,
			tenantID).Scan(&verified); err != nil {
			return fmt.Errorf("staff passwords: %w", err)
		}
		if verified == 0 {
			return apperr.Conflict("sso_not_verified",
				"Set up single sign-on and sign in with it once before turning staff passwords off, so nobody is locked out.")
		}
	}
	flag := 0
	if on {
		flag = 1
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tenants SET staff_passwords_enabled = ?, updated_at = ? WHERE id = ?`, flag, now, tenantID); err != nil {
		return fmt.Errorf("staff passwords: %w", err)
	}
	details["staff_passwords_enabled"] = on
	if on {
		return nil
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE tenant_id = ? AND auth_method = 'password'
		AND user_id IN (SELECT user_id FROM memberships WHERE tenant_id = ? AND account_id IS NULL)`, tenantID, tenantID)
	if err != nil {
		return fmt.Errorf("end staff password sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	details["password_sessions_ended"] = n
	return nil
}
