// Package powerautomate connects Bureau to Microsoft Power Automate through
// the Dataverse Web API of one Power Platform environment
// (https://{org}.{region}.dynamics.com/api/data/v9.2/), signing in as an
// Entra ID app registration with the client-credentials grant.
//
// Dataverse sees only solution-aware flows: desktop flows (workflows of
// category 6, runs in flowsessions) and cloud flows (category 5, runs in
// flowruns). Machines are flowmachines; schedules are the Recurrence
// triggers inside cloud flows' definitions (workflows.clientdata). Only
// desktop flows can be started through Dataverse (RunDesktopFlow).
package powerautomate

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"bureau/connector"
)

// DefaultAuthority is Entra ID's global sign-in host.
const DefaultAuthority = "https://login.microsoftonline.com"

// Values of the flows setting.
const (
	FlowsDesktop = "desktop"
	FlowsCloud   = "cloud"
	FlowsBoth    = "both"
)

func init() {
	connector.Register(connector.Spec{
		Name:   "power-automate",
		Label:  "Microsoft Power Automate",
		Vendor: "Microsoft",
		Help: "Register an app in Microsoft Entra ID (App registrations → New registration) and give it a client secret. " +
			"Then add it to the Power Platform environment as an application user (Power Platform admin center → Environments → " +
			"your environment → Settings → Users + permissions → Application users → New app user) with a security role that can " +
			"read processes, flow sessions, flow runs and flow machines, and run desktop flows. Only flows inside solutions are visible through Dataverse.",
		Fields: []connector.Field{
			{Key: "environment_url", Label: "Environment URL", Kind: connector.FieldURL, Required: true,
				Placeholder: "https://contoso.crm4.dynamics.com",
				Help:        "Power Platform admin center → Environments → your environment → Environment URL. Also in Power Automate → Settings (gear) → Session details → Instance url."},
			{Key: "tenant_id", Label: "Directory (tenant) ID", Kind: connector.FieldText, Required: true,
				Placeholder: "00000000-0000-0000-0000-000000000000",
				Help:        "Entra admin center → App registrations → your app → Overview → Directory (tenant) ID."},
			{Key: "client_id", Label: "Application (client) ID", Kind: connector.FieldText, Required: true,
				Help: "Entra admin center → App registrations → your app → Overview → Application (client) ID."},
			{Key: "client_secret", Label: "Client secret", Kind: connector.FieldText, Secret: true, Required: true,
				Help: "Entra admin center → App registrations → your app → Certificates & secrets → Client secrets → New client secret. Copy the Value, not the Secret ID."},
			{Key: "authority", Label: "Sign-in authority", Kind: connector.FieldURL, Default: DefaultAuthority,
				Help: "Leave as is for the public cloud. Sovereign clouds: https://login.microsoftonline.us (US Government), https://login.chinacloudapi.cn (China)."},
			{Key: "flows", Label: "Flows to sync", Kind: connector.FieldSelect, Default: FlowsBoth,
				Options: []string{FlowsDesktop, FlowsCloud, FlowsBoth},
				Help:    "Desktop flows (RPA runs on your machines), cloud flows, or both."},
			{Key: "connection_name", Label: "Desktop flow connection", Kind: connector.FieldText,
				Help: "Needed only to start desktop flows from Bureau. Power Automate → Data → Connections → open the Desktop flows connection: " +
					"its name is the ID in the page address (…/connections/shared_uiflow/<name>/details). " +
					"Or a connection reference's logical name (Solutions → your solution → Connection references) with the connection type below set to connection_reference."},
			{Key: "connection_type", Label: "Connection type", Kind: connector.FieldSelect, Default: "connection",
				Options: []string{"connection", "connection_reference"},
				Help:    "Whether the desktop flow connection above is a connection name or a connection reference's logical name."},
			{Key: "run_mode", Label: "Run mode", Kind: connector.FieldSelect, Default: "unattended",
				Options: []string{"attended", "unattended"},
				Help:    "How desktop flows started from Bureau run: unattended (machine signs in by itself) or attended (in the signed-in user's session)."},
		},
		New: New,
	})
}

// Provider is one Power Platform environment seen through one app
// registration.
type Provider struct {
	cfg       connector.Config
	env       string // environment URL, no trailing slash
	api       string // env + "/api/data/v9.2/"
	authority string
	tenant    string
	flows     string
	pageSize  int
	caller    *connector.Caller
	token     *connector.Token
}

// tenantPattern accepts a directory GUID or a domain such as
// contoso.onmicrosoft.com; anything else could reshape the token URL.
var tenantPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]*$`)

// New builds the provider from validated settings.
func New(cfg connector.Config) (connector.Provider, error) {
	tenant := strings.TrimSpace(cfg.Settings["tenant_id"])
	if !tenantPattern.MatchString(tenant) {
		return nil, connector.Errorf(connector.KindConfig, "connect", "the directory (tenant) ID %q is not a GUID or domain name", tenant)
	}
	if cfg.Secrets["client_secret"] == "" {
		return nil, connector.Errorf(connector.KindConfig, "connect", "the client secret is missing")
	}
	if cfg.HTTP == nil {
		// Built once here: the Caller would build it lazily, and calls may
		// run concurrently.
		cfg.HTTP = connector.HTTPClient(cfg)
	}
	env := strings.TrimRight(cfg.Settings["environment_url"], "/")
	p := &Provider{
		cfg:       cfg,
		env:       env,
		api:       env + "/api/data/v9.2/",
		authority: strings.TrimRight(cfg.Setting("authority", DefaultAuthority), "/"),
		tenant:    tenant,
		flows:     cfg.Setting("flows", FlowsBoth),
		pageSize:  cfg.PageSize,
	}
	if p.pageSize <= 0 || p.pageSize > MaxPageSize {
		p.pageSize = MaxPageSize
	}
	p.caller = &connector.Caller{Config: cfg, ParseError: parseError, Authorize: p.authorize}
	p.token = &connector.Token{Fetch: p.fetchToken, Now: cfg.Now}
	return p, nil
}

func (p *Provider) desktop() bool { return p.flows != FlowsCloud }
func (p *Provider) cloud() bool   { return p.flows != FlowsDesktop }

type whoAmI struct {
	UserID         string `json:"UserId"`
	BusinessUnitID string `json:"BusinessUnitId"`
	OrganizationID string `json:"OrganizationId"`
}

// Test signs in and asks Dataverse who we are: that proves the tenant, the
// app's secret, the environment URL and the application user together.
func (p *Provider) Test(ctx context.Context) (connector.TestResult, error) {
	var who whoAmI
	if _, err := p.get(ctx, "test connection", p.api+"WhoAmI", &who); err != nil {
		return connector.TestResult{}, err
	}
	host := p.env
	if u, err := url.Parse(p.env); err == nil {
		host = u.Host
	}
	return connector.TestResult{Details: fmt.Sprintf("Connected to %s: user %s, organization %s",
		host, who.UserID, who.OrganizationID)}, nil
}
