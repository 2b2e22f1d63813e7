// Package blueprism connects Bureau to Blue Prism v7 Enterprise through the
// Blue Prism API (/api/v7), authenticating with a Hub service account
// against the separate Blue Prism Authentication Server.
package blueprism

import (
	"strings"

	"bureau/connector"
)

// Provider is the registered name of this connector.
const Provider = "blue-prism"

// defaultPageSize is what we ask for when the caller sets none. The spec
// gives itemsPerPage a minimum of 1 and no maximum; 1000 keeps a large
// estate to few calls (assumption: a server that caps it lower still
// answers with a paging token).
const defaultPageSize = 1000

func init() {
	connector.Register(connector.Spec{
		Name:   Provider,
		Label:  "Blue Prism v7 Enterprise",
		Vendor: "Blue Prism",
		Help: "Create a service account in Blue Prism Hub (profile icon → Settings → Service accounts → Add account) " +
			"with the Blue Prism API permission, then give that account's Blue Prism user a role that can view and " +
			"execute processes and view and control resources. Bureau reads processes, sessions, resources and " +
			"schedules through the Blue Prism API and starts sessions on idle resources.",
		Fields: []connector.Field{
			{
				Key: "url", Label: "Blue Prism API URL", Kind: connector.FieldURL, Required: true,
				Placeholder: "https://bp-api.example.com",
				Help: "The address of the Blue Prism API website installed with Blue Prism 7, without /api/v7: " +
					"on the API server, IIS Manager → Sites → the Blue Prism API site → Bindings.",
			},
			{
				Key: "auth_url", Label: "Authentication Server URL", Kind: connector.FieldURL, Required: true,
				Placeholder: "https://authentication.example.com",
				Help: "The Blue Prism Authentication Server installed with Hub: the address you are sent to when you sign in " +
					"to Hub, without /connect/token. It is usually a different host from the API.",
			},
			{
				Key: "client_id", Label: "Client ID", Kind: connector.FieldText, Required: true,
				Help: "Hub → profile icon → Settings → Service accounts: the ID you entered when you added the account.",
			},
			{
				Key: "client_secret", Label: "Client secret", Kind: connector.FieldText, Secret: true, Required: true,
				Help: "The secret Hub showed when you created the service account (Service accounts → the account → " +
					"Regenerate secret if it was lost).",
			},
			{
				Key: "scope", Label: "Scope", Kind: connector.FieldText, Default: defaultScope,
				Help: "OAuth scopes to ask for. Leave \"bp-api bpserver\" unless your Authentication Server is set up differently.",
			},
			{
				Key: "ca_cert", Label: "CA certificate (PEM)", Kind: connector.FieldPEM,
				Help: "Only for servers whose HTTPS certificate comes from your own certificate authority: paste that CA's certificate.",
			},
			{
				Key: "insecure_skip_verify", Label: "Skip TLS verification", Kind: connector.FieldBool, Default: "false",
				Help: "Accept any HTTPS certificate. Only for a test server with a self-signed certificate.",
			},
		},
		New: New,
	})
}

const defaultScope = "bp-api bpserver"

// Client is one Blue Prism account.
type Client struct {
	cfg      connector.Config
	apiURL   string // ends in /api/v7
	tokenURL string
	clientID string
	call     *connector.Caller
	token    *connector.Token
}

// New builds a client from validated settings.
func New(cfg connector.Config) (connector.Provider, error) {
	c := &Client{
		cfg:      cfg,
		apiURL:   apiBase(cfg.Settings["url"]),
		tokenURL: tokenURL(cfg.Settings["auth_url"]),
		clientID: cfg.Settings["client_id"],
	}
	if c.clientID == "" || cfg.Secrets["client_secret"] == "" {
		return nil, connector.Errorf(connector.KindConfig, "connect", "client ID and client secret are required")
	}
	c.token = &connector.Token{Fetch: c.fetchToken, Now: cfg.Now}
	c.call = &connector.Caller{Config: cfg, Authorize: c.authorize, ParseError: parseError}
	return c, nil
}

// apiBase accepts the host with or without the /api/v7 people often paste.
func apiBase(raw string) string {
	base := strings.TrimRight(raw, "/")
	base = strings.TrimSuffix(base, "/api/v7")
	return base + "/api/v7"
}

// tokenURL accepts the server's address with or without /connect/token.
func tokenURL(raw string) string {
	base := strings.TrimRight(raw, "/")
	base = strings.TrimSuffix(base, "/connect/token")
	return base + "/connect/token"
}

func (c *Client) pageSize() int {
	if c.cfg.PageSize > 0 {
		return c.cfg.PageSize
	}
	return defaultPageSize
}

var _ connector.Provider = (*Client)(nil)
