// Package automationanywhere connects Bureau to an Automation Anywhere
// Automation 360 Control Room: bots are processes, activities are jobs,
// devices are robots, scheduled automations are schedules.
package automationanywhere

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"bureau/connector"
)

// Name is the provider's registry name.
const Name = "automation-anywhere"

// defaultPageSize is the Control Room's own default page length.
const defaultPageSize = 100

func init() {
	connector.Register(connector.Spec{
		Name:   Name,
		Label:  "Automation Anywhere Automation 360",
		Vendor: "Automation Anywhere",
		Help: "Create (or pick) a Control Room user for Bureau whose role can view bots, activities, " +
			"devices and schedules, and run bots. Give its role the \"Generate API-Key\" permission, then " +
			"sign in as that user and generate a key under My settings → API key; or use its password.",
		Fields: fields,
		New:    New,
	})
}

var fields = []connector.Field{
	{Key: "url", Label: "Control Room URL", Kind: connector.FieldURL, Required: true,
		Placeholder: "https://example.my.automationanywhere.digital",
		Help:        "The address you open the Control Room at, without any path."},
	{Key: "username", Label: "Username", Kind: connector.FieldText, Required: true,
		Help: "The Control Room user Bureau signs in as (Administration → Users → Username)."},
	{Key: "auth", Label: "Sign in with", Kind: connector.FieldSelect, Options: []string{"api_key", "password"}, Default: "api_key",
		Help: "An API key (recommended) or the user's password."},
	{Key: "api_key", Label: "API key", Kind: connector.FieldText, Secret: true,
		RequiredWhen: map[string]string{"auth": "api_key"}, ShownWhen: map[string]string{"auth": "api_key"},
		Help: "Signed in as the user: My settings (profile menu) → API key → Generate API key. Needs a role with \"Generate API-Key\"."},
	{Key: "password", Label: "Password", Kind: connector.FieldText, Secret: true,
		RequiredWhen: map[string]string{"auth": "password"}, ShownWhen: map[string]string{"auth": "password"},
		Help: "The user's Control Room password."},
	{Key: "run_as_user_id", Label: "Run-as user id", Kind: connector.FieldText,
		Help: "Needed to start bots: the numeric id of the unattended Bot Runner user that runs them " +
			"(Administration → Users → open the user → the id in the page address)."},
	{Key: "ca_cert", Label: "CA certificate", Kind: connector.FieldPEM,
		Help: "For an on-premises Control Room with its own certificate authority: the CA certificate in PEM."},
	{Key: "insecure_skip_verify", Label: "Skip TLS verification", Kind: connector.FieldBool, Default: "false",
		Help: "Only for a test Control Room with a self-signed certificate."},
}

type provider struct {
	cfg   connector.Config
	base  string
	call  *connector.Caller
	token *connector.Token
}

// New builds the provider from validated settings.
func New(cfg connector.Config) (connector.Provider, error) {
	p := &provider{cfg: cfg, base: cfg.Settings["url"]}
	p.token = &connector.Token{Fetch: p.authenticate, Now: cfg.Now}
	p.call = &connector.Caller{Config: cfg, Authorize: p.authorize, ParseError: parseError}
	return p, nil
}

func (p *provider) url(path string) string { return connector.JoinURL(p.base, path) }

func (p *provider) pageSize() int {
	if p.cfg.PageSize > 0 {
		return p.cfg.PageSize
	}
	return defaultPageSize
}

// Test signs in and counts the devices, which any Bot Runner estate has.
func (p *provider) Test(ctx context.Context) (connector.TestResult, error) {
	if _, err := p.token.Get(ctx, false); err != nil {
		return connector.TestResult{}, err
	}
	var out listPage
	req := listRequest{Page: page{Offset: 0, Length: 1}}
	if _, err := p.post(ctx, "test connection", "/v2/devices/list", req, &out); err != nil {
		return connector.TestResult{}, err
	}
	return connector.TestResult{Details: fmt.Sprintf("Connected as %s: %d devices", p.cfg.Settings["username"], out.Page.TotalFilter)}, nil
}

// post sends a read made as POST, as every Control Room list is.
func (p *provider) post(ctx context.Context, op, path string, body, out any) (http.Header, error) {
	return p.call.Do(ctx, connector.Request{Op: op, Method: http.MethodPost, URL: p.url(path), Body: body, Retry: true}, out)
}

func parseTime(s string) *time.Time {
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil
	}
	t = t.UTC()
	return &t
}
