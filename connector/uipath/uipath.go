// Package uipath connects Bureau to UiPath Orchestrator: Automation Cloud
// (provider uipath-cloud) and self-hosted Orchestrator, standalone or in
// Automation Suite (provider uipath-onprem). Both speak the same OData API;
// they differ in where it lives and how a token is obtained.
package uipath

import (
	"bureau/connector"
)

// DefaultScopes are the application scopes Bureau needs: folders,
// processes, jobs (read and start), robots and machines.
const DefaultScopes = "OR.Folders.Read OR.Execution.Read OR.Jobs OR.Robots.Read OR.Machines.Read"

func init() {
	connector.Register(cloudSpec())
	connector.Register(onPremSpec())
}

func cloudSpec() connector.Spec {
	return connector.Spec{
		Name: "uipath-cloud", Label: "UiPath Automation Cloud", Vendor: "UiPath",
		Help: "In Automation Cloud, go to Admin → External Applications → Add application. Choose a confidential application, " +
			"add the Orchestrator API Access application scopes listed under Scopes, save, and copy the App ID and App Secret. " +
			"Then give the application a role in each folder Bureau should see (Orchestrator → Folders → Assign account/group).",
		Fields: []connector.Field{
			{Key: "url", Label: "Cloud address", Kind: connector.FieldURL, Default: "https://cloud.uipath.com",
				Help: "https://cloud.uipath.com, or https://govcloud.uipath.us for Public Sector, or your Automation Cloud Dedicated address."},
			{Key: "organization", Label: "Organization", Kind: connector.FieldText, Required: true, Placeholder: "contoso",
				Help: "The organization name in the address bar after cloud.uipath.com/ (Admin → Organization → Settings → Site URL)."},
			{Key: "tenant", Label: "Tenant", Kind: connector.FieldText, Required: true, Placeholder: "DefaultTenant",
				Help: "The tenant name as shown under Admin → Tenants; it is the part after the organization in the Orchestrator address."},
			clientIDField(nil),
			clientSecretField(nil),
			scopesField(nil),
			foldersField(),
		},
		New: func(cfg connector.Config) (connector.Provider, error) { return newClient(cfg, cloudSettings(cfg)) },
	}
}

func onPremSpec() connector.Spec {
	whenClient := map[string]string{"auth": "client_credentials"}
	whenPassword := map[string]string{"auth": "password"}
	whenSuite := map[string]string{"deployment": "automation-suite"}
	return connector.Spec{
		Name: "uipath-onprem", Label: "UiPath Orchestrator (on-premises)", Vendor: "UiPath",
		Help: "Preferred: register an external application (Orchestrator standalone: Admin → External Applications, or Identity " +
			"Server's admin console; Automation Suite: Admin → External Applications), confidential, with the Orchestrator API " +
			"application scopes under Scopes, and give it a role in each folder Bureau should see. The user name and password " +
			"sign-in (Account/Authenticate) also works on standalone servers but UiPath does not recommend it.",
		Fields: []connector.Field{
			{Key: "url", Label: "Orchestrator address", Kind: connector.FieldURL, Required: true, Placeholder: "https://orchestrator.contoso.com",
				Help: "The address you open Orchestrator at; for Automation Suite the cluster address without /organization/tenant."},
			{Key: "deployment", Label: "Deployment", Kind: connector.FieldSelect, Options: []string{"standalone", "automation-suite"}, Default: "standalone",
				Help: "standalone: Orchestrator installed on Windows servers (MSI). automation-suite: Orchestrator inside UiPath Automation Suite."},
			{Key: "organization", Label: "Organization", Kind: connector.FieldText, RequiredWhen: whenSuite, ShownWhen: whenSuite,
				Help: "Automation Suite only: the organization name in the address after the host (Admin → Organization)."},
			{Key: "tenant", Label: "Tenant", Kind: connector.FieldText, Default: "Default",
				Help: "The tenant name (Host administration → Tenants); single-tenant standalone installations use Default."},
			{Key: "auth", Label: "Sign-in", Kind: connector.FieldSelect, Options: []string{"client_credentials", "password"}, Default: "client_credentials",
				Help: "client_credentials: an external application (recommended). password: an Orchestrator user name and password (standalone only)."},
			clientIDField(whenClient),
			clientSecretField(whenClient),
			{Key: "username", Label: "User name", Kind: connector.FieldText, RequiredWhen: whenPassword, ShownWhen: whenPassword,
				Help: "A local Orchestrator user (Tenant → Users) with View on folders, processes, jobs, robots and schedules, and Create on jobs."},
			{Key: "password", Label: "Password", Kind: connector.FieldText, Secret: true, RequiredWhen: whenPassword, ShownWhen: whenPassword,
				Help: "That user's password."},
			scopesField(whenClient),
			foldersField(),
			{Key: "ca_cert", Label: "CA certificate", Kind: connector.FieldPEM,
				Help: "Only if the server's certificate is issued by your own CA: that CA's certificate in PEM form."},
			{Key: "insecure_skip_verify", Label: "Skip TLS verification", Kind: connector.FieldBool, Default: "false",
				Help: "Accept any server certificate. Only for a test server with a self-signed certificate."},
		},
		New: func(cfg connector.Config) (connector.Provider, error) { return newClient(cfg, onPremSettings(cfg)) },
	}
}

// A field with RequiredWhen is required only under that condition; nil
// makes it always required.
func clientIDField(when map[string]string) connector.Field {
	return connector.Field{Key: "client_id", Label: "App ID", Kind: connector.FieldText, Required: when == nil, RequiredWhen: when, ShownWhen: when,
		Help: "Admin → External Applications → your application → App ID."}
}

func clientSecretField(when map[string]string) connector.Field {
	return connector.Field{Key: "client_secret", Label: "App secret", Kind: connector.FieldText, Secret: true, Required: when == nil, RequiredWhen: when, ShownWhen: when,
		Help: "Shown once when the application is created; Admin → External Applications → your application → Generate new secret makes another."}
}

func scopesField(when map[string]string) connector.Field {
	return connector.Field{Key: "scopes", Label: "Scopes", Kind: connector.FieldText, Default: DefaultScopes, ShownWhen: when,
		Help: "Space-separated application scopes granted to the application (Admin → External Applications → your application → " +
			"Orchestrator API Access). Starting runs needs OR.Jobs or OR.Jobs.Write."}
}

func foldersField() connector.Field {
	return connector.Field{Key: "folders", Label: "Folders", Kind: connector.FieldText, Placeholder: "Finance, Shared/HR",
		Help: "Comma-separated folder paths to sync, as shown in Orchestrator → Folders (subfolders included). Empty syncs every folder the account can see."}
}
