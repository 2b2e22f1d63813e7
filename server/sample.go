package server

import (
	"context"
	"errors"
	"fmt"

	"bureau/account"
	"bureau/apperr"
	"bureau/audit"
	"bureau/connection"
	"bureau/syncer"
	"bureau/tenant"
)

// sampleClients are the demo accounts a trial's "Add sample data" creates
// (SPEC §1): each runs the built-in demo estate, so dashboards fill within
// the first sync.
var sampleClients = []struct{ Name, Slug, Notes string }{
	{"Contoso Logistics", "contoso-demo", "Sample client on the demo estate. Delete it once you have real clients."},
	{"Fabrikam Insurance", "fabrikam-demo", "Sample client on the demo estate. Delete it once you have real clients."},
	{"Tailspin Retail", "tailspin-demo", "Sample client on the demo estate. Delete it once you have real clients."},
}

// addSampleData creates the demo clients, connects each to the demo estate
// and starts its first sync. It runs after setup has committed: a failure
// here leaves a working firm without (some) sample data, which is logged,
// never a failed setup.
func (s *Server) addSampleData(ctx context.Context, created tenant.Created) {
	actor := audit.Actor{Kind: audit.ActorUser, ID: created.UserID, Email: created.UserEmail}
	for _, c := range sampleClients {
		if err := s.addSampleClient(ctx, actor, created, c.Name, c.Slug, c.Notes); err != nil {
			s.log.Warn("sample data", "account", c.Slug, "error", err)
		}
	}
}

func (s *Server) addSampleClient(ctx context.Context, actor audit.Actor, created tenant.Created, name, slug, notes string) error {
	if slug == created.AccountSlug {
		slug += "-2"
	}
	a, err := s.Accounts.Create(ctx, actor, created.TenantID, account.CreateInput{Name: name, Slug: slug, Notes: notes})
	if err != nil {
		return fmt.Errorf("create %s: %w", slug, err)
	}
	if _, err := s.Connections.Put(ctx, actor, created.TenantID, a.ID, connection.Input{Provider: "demo"}); err != nil {
		return fmt.Errorf("connect %s: %w", slug, err)
	}
	return s.startFirstSync(ctx, created.TenantID, a.ID, created.UserID)
}

// startFirstSync starts a sync right away when a connection is made, so a
// person sees data without waiting for the account's schedule. A sync
// already running is fine.
func (s *Server) startFirstSync(ctx context.Context, tenantID, accountID, userID string) error {
	if s.Syncer == nil {
		return nil
	}
	_, err := s.Syncer.Start(context.WithoutCancel(ctx), tenantID, accountID, syncer.TriggerSetup, userID)
	if e, ok := apperr.As(err); ok && e.Code == "sync_running" {
		return nil
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("first sync: %w", err)
	}
	return nil
}
