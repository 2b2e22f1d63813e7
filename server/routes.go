package server

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"
)

// Permission markers that are not policy permissions.
const (
	Public   = "public"    // anyone, signed in or not
	SignedIn = "signed_in" // any valid session, with or without a role
	APIKey   = "api_key"   // an account's ingest key, never a cookie
)

// Route is one line of the route table.
type Route struct {
	Method  string
	Path    string
	Perm    string
	Handler fiber.Handler
	Summary string // one line for the OpenAPI document
}

// routes is THE route table: every API route, with the permission it needs.
// A path with :account is resolved inside the active tenant before the
// permission is checked.
func (s *Server) routes() []Route {
	return []Route{
		{"GET", "/api/v1/setup", Public, s.getSetup, "Whether the installation still needs setup"},
		{"POST", "/api/v1/setup", Public, s.postSetup, "Create the first tenant, account and owner; signs the owner in"},
		{"GET", "/api/v1/auth/csrf", Public, s.getCSRF, "The CSRF token for the current session"},
		{"POST", "/api/v1/auth/login", Public, s.login, "Sign in with email and password"},
		{"POST", "/api/v1/auth/logout", SignedIn, s.logout, "Sign out of this session"},
		{"GET", "/api/v1/auth/oidc/:tenant/login", Public, s.oidcLogin, "Staff single sign-on: redirect to the firm's identity provider (PKCE, state, nonce)"},
		{"GET", "/api/v1/auth/oidc/:tenant/callback", Public, s.oidcCallback, "Staff single sign-on: the provider's redirect back; signs in and goes to /"},
		{"POST", "/api/v1/auth/password-reset", Public, s.requestPasswordReset, "Email a password reset link (202 whether or not the address is known)"},
		{"POST", "/api/v1/auth/password-reset/:token", Public, s.completePasswordReset, "Set a new password with a reset link; ends every session"},
		{"GET", "/api/v1/me", SignedIn, s.me, "The caller: user, tenant, membership and permissions"},
		{"POST", "/api/v1/me/tenant", SignedIn, s.switchTenant, "Switch the session to another tenant of the caller"},
		{"GET", "/api/v1/me/sessions", SignedIn, s.mySessions, "The caller's sessions"},
		{"DELETE", "/api/v1/me/sessions/:id", SignedIn, s.endMySession, "End one of the caller's sessions"},
		{"POST", "/api/v1/me/password", SignedIn, s.changePassword, "Change the caller's password; ends their other sessions"},
		{"GET", "/api/v1/invitations/:token", Public, s.getInvitation, "What an invitation link is for: tenant branding, account, email"},
		{"POST", "/api/v1/invitations/:token/accept", Public, s.acceptInvitation, "Accept an invitation (name and password) and sign in"},
		{"GET", "/api/v1/openapi.json", Public, s.openAPI, "This document"},

		{"GET", "/api/v1/tenant", "tenant:read", s.getTenant, "The active tenant"},
		{"PATCH", "/api/v1/tenant", "tenant:update", s.patchTenant, "Rename the firm, change its branding or turn staff passwords off (after an SSO sign-in)"},
		{"GET", "/api/v1/tenant/license", "tenant:license", s.getLicense, "The license and the effective plan"},
		{"PUT", "/api/v1/tenant/license", "tenant:license", s.putLicense, "Upload a signed license"},
		{"GET", "/api/v1/tenant/usage", "tenant:usage", s.getUsage, "Accounts, people and storage against the plan"},
		{"GET", "/api/v1/tenant/sso", "tenant:sso", s.getSSO, "Staff single sign-on settings (the client secret is never returned)"},
		{"PUT", "/api/v1/tenant/sso", "tenant:sso", s.putSSO, "Replace the staff single sign-on settings"},
		{"GET", "/api/v1/tenant/sso/tests/:id", "tenant:sso", s.getSSOTest, "What a test sign-in received (claims, groups) and the role it maps to"},
		{"GET", "/api/v1/tenant/outbox", "tenant:outbox", s.getOutbox, "Mail that was not sent, with its links"},
		{"GET", "/api/v1/tenant/staff", "staff:manage", s.listStaff, "Staff and pending staff invitations"},
		{"POST", "/api/v1/tenant/staff", "staff:manage", s.inviteStaff, "Invite staff (1 to 20 addresses)"},
		{"PATCH", "/api/v1/tenant/staff/:user", "staff:manage", s.patchStaff, "Change a staff member's role"},
		{"DELETE", "/api/v1/tenant/staff/:user", "staff:manage", s.deleteStaff, "Remove a staff member; their sessions end"},
		{"POST", "/api/v1/tenant/staff/invitations/:id/resend", "staff:manage", s.resendStaffInvitation, "Send a staff invitation again with a new link"},
		{"DELETE", "/api/v1/tenant/staff/invitations/:id", "staff:manage", s.revokeStaffInvitation, "Withdraw a staff invitation"},

		{"GET", "/api/v1/overview", "overview:read", s.getOverview, "Every account's health for staff: last sync, failures in 24 h, 7-day success rate, robots offline (?sort=)"},
		{"GET", "/api/v1/accounts", "accounts:list", s.listAccounts, "Client accounts with counts (staff: all; others: their own)"},
		{"POST", "/api/v1/accounts", "accounts:create", s.createAccount, "Create a client account"},
		{"GET", "/api/v1/accounts/slug-availability", "accounts:create", s.slugAvailability, "Whether a slug can be used for a new account"},
		{"GET", "/api/v1/accounts/:account", "account:read", s.getAccount, "One client account"},
		{"PATCH", "/api/v1/accounts/:account", "account:update", s.patchAccount, "Rename (Tenant Admin) or change contact, external reference and notes"},
		{"DELETE", "/api/v1/accounts/:account", "account:lifecycle", s.deleteAccount, "Delete a deactivated account, confirmed by its exact name"},
		{"POST", "/api/v1/accounts/:account/deactivate", "account:lifecycle", s.deactivateAccount, "Deactivate: members lose access, history is kept"},
		{"POST", "/api/v1/accounts/:account/reactivate", "account:lifecycle", s.reactivateAccount, "Reactivate, within the plan limit"},
		{"GET", "/api/v1/accounts/:account/settings", "settings:read", s.getSettings, "Account settings"},
		{"PATCH", "/api/v1/accounts/:account/settings", "settings:update", s.patchSettings, "Change account settings"},
		{"GET", "/api/v1/accounts/:account/members", "members:manage", s.listMembers, "Members and pending invitations of the account"},
		{"PATCH", "/api/v1/accounts/:account/members/:user", "members:manage", s.patchMember, "Change a member's role or groups"},
		{"DELETE", "/api/v1/accounts/:account/members/:user", "members:manage", s.deleteMember, "Remove a member; their sessions end"},
		{"POST", "/api/v1/accounts/:account/members/remove", "members:manage", s.removeMembers, "Remove several members at once"},
		{"POST", "/api/v1/accounts/:account/invitations", "members:manage", s.inviteMembers, "Invite 1 to 20 people with a role and groups"},
		{"POST", "/api/v1/accounts/:account/invitations/import", "members:manage", s.importInvitations, "Invite everyone in a CSV file (text/csv, up to 1000 rows)"},
		{"POST", "/api/v1/accounts/:account/invitations/:id/resend", "members:manage", s.resendInvitation, "Send an invitation again with a new link"},
		{"DELETE", "/api/v1/accounts/:account/invitations/:id", "members:manage", s.revokeInvitation, "Withdraw an invitation"},
		{"GET", "/api/v1/connectors", SignedIn, s.listConnectors, "The RPA providers Bureau connects to, with each one's settings and where to find them"},
		{"GET", "/api/v1/accounts/:account/connection", "connection:read", s.getConnection, "The account's RPA connection (secrets: only whether each is set)"},
		{"PUT", "/api/v1/accounts/:account/connection", "connection:update", s.putConnection, "Choose the provider and save its settings and secrets"},
		{"PUT", "/api/v1/accounts/:account/connection/secrets", "connection:rotate", s.putConnectionSecrets, "Replace secret fields only"},
		{"POST", "/api/v1/accounts/:account/connection/test", "connection:test", s.testConnection, "Test the saved connection against the vendor; reports the vendor's own error"},
		{"POST", "/api/v1/accounts/:account/sync", "sync:run", s.startSync, "Sync the account from its provider now (202 with the running sync; 409 sync_running)"},
		{"GET", "/api/v1/accounts/:account/sync-runs", "data:read", s.listSyncRuns, "The account's sync history, newest first"},
		{"GET", "/api/v1/accounts/:account/processes", "data:read", s.listProcesses, "Processes by name with their last job and 7-day runs and failures (?q=); an Account User sees only assigned ones"},
		{"GET", "/api/v1/accounts/:account/processes/:id", "data:read", s.getProcess, "One process; assignees only for those who may assign"},
		{"PUT", "/api/v1/accounts/:account/processes/:id/assignments", "processes:assign", s.putAssignments, "Replace the people and groups a process is assigned to ({user_ids, group_ids}; 422 per bad entry)"},
		{"GET", "/api/v1/accounts/:account/jobs", "data:read", s.listJobs, "Jobs newest first (?state=a,b&process=&robot=&from=&to=); ?format=csv exports them, formula-safe"},
		{"GET", "/api/v1/accounts/:account/jobs/:id", "data:read", s.getJob, "One job with the vendor's raw record"},
		{"GET", "/api/v1/accounts/:account/robots", "data:read", s.listRobots, "Robots by name with their status"},
		{"GET", "/api/v1/accounts/:account/schedules", "data:read", s.listSchedules, "Schedules by name, each with its process when known"},
		{"GET", "/api/v1/accounts/:account/dashboard", "dashboard:read", s.getDashboard, "KPIs over 7 or 30 days (?days=): totals, daily series, top failing processes, robots, last sync"},
		{"GET", "/api/v1/accounts/:account/groups", "members:manage", s.listGroups, "The account's groups"},
		{"POST", "/api/v1/accounts/:account/groups", "members:manage", s.createGroup, "Create a group"},
		{"PATCH", "/api/v1/accounts/:account/groups/:id", "members:manage", s.patchGroup, "Rename a group, change its role or members"},
		{"DELETE", "/api/v1/accounts/:account/groups/:id", "members:manage", s.deleteGroup, "Delete a custom group"},
		{"POST", "/api/v1/accounts/:account/processes/:id/runs", "runs:start", s.startRun, "Start a process now (201 job), or ask for approval when the account requires it (202 run request)"},
		{"GET", "/api/v1/accounts/:account/run-requests", "data:read", s.listRunRequests, "Run requests, newest first (?status=)"},
		{"POST", "/api/v1/accounts/:account/run-requests/:id/approve", "runs:approve", s.approveRunRequest, "Approve a pending run request and start its job"},
		{"POST", "/api/v1/accounts/:account/run-requests/:id/reject", "runs:approve", s.rejectRunRequest, "Reject a pending run request, with an optional reason"},
		{"GET", "/api/v1/accounts/:account/api-keys", "apikeys:manage", s.listAPIKeys, "The account's ingestion API keys (never the keys themselves)"},
		{"POST", "/api/v1/accounts/:account/api-keys", "apikeys:manage", s.createAPIKey, "Create an ingestion API key; the key is shown in this answer only"},
		{"DELETE", "/api/v1/accounts/:account/api-keys/:id", "apikeys:manage", s.deactivateAPIKey, "Deactivate an API key"},
		{"POST", "/api/v1/ingest/processes", APIKey, s.ingestProcesses, "Ingest up to 1000 processes into the key's account (Authorization: Bearer)"},
		{"POST", "/api/v1/ingest/robots", APIKey, s.ingestRobots, "Ingest up to 1000 robots into the key's account (Authorization: Bearer)"},
		{"POST", "/api/v1/ingest/jobs", APIKey, s.ingestJobs, "Ingest up to 1000 jobs into the key's account (Authorization: Bearer)"},
	}
}

// Routes exposes the table to tests.
func (s *Server) Routes() []Route { return s.routes() }

// register adds routes to api behind the authorization gate. It refuses a
// route without a permission, with an unknown one, or declared twice.
func (s *Server) register(api fiber.Router, routes []Route) error {
	seen := map[string]bool{}
	tokens := tokenLimiter() // one budget per IP across the token routes
	for _, r := range routes {
		key := r.Method + " " + r.Path
		switch {
		case seen[key]:
			return fmt.Errorf("route %s is declared twice", key)
		case r.Perm == "":
			return fmt.Errorf("route %s declares no permission", key)
		case r.Perm != Public && r.Perm != SignedIn && r.Perm != APIKey && !s.Policy.Known(r.Perm):
			return fmt.Errorf("route %s names unknown permission %q", key, r.Perm)
		case !strings.HasPrefix(r.Path, "/api/"):
			return fmt.Errorf("route %s is outside /api", key)
		}
		seen[key] = true
		handlers := []fiber.Handler{s.authorize(r)}
		if r.Path == "/api/v1/setup" && r.Method == "POST" {
			handlers = append(handlers, s.setupLimiter())
		}
		if strings.Contains(r.Path, ":token") {
			handlers = append(handlers, tokens)
		}
		if r.Handler == nil {
			return fmt.Errorf("route %s has no handler", key)
		}
		api.Add(r.Method, strings.TrimPrefix(r.Path, "/api"), append(handlers, r.Handler)...)
	}
	return nil
}

// tokenLimiter bounds guessing at emailed links (INV-06): 60 lookups a
// minute per client IP across every route that takes a link token. The
// tokens hold 256 bits, so this is about noise and cost, not odds.
func tokenLimiter() fiber.Handler {
	return limiter.New(limiter.Config{Max: 60, LimitReached: func(c *fiber.Ctx) error {
		return rateLimitedErr(60)
	}})
}

// setupLimiter bounds the unauthenticated, Argon2-hashing setup endpoint.
func (s *Server) setupLimiter() fiber.Handler {
	return limiter.New(limiter.Config{Max: 20, LimitReached: func(c *fiber.Ctx) error {
		return rateLimitedErr(60)
	}})
}
