package blueprism

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"bureau/connector"
)

// neededPermissions are what Bureau uses: reading processes, sessions and
// resources, and starting sessions. Blue Prism answers permission names.
var neededPermissions = []string{"Execute Process", "Control Resource", "View Resource"}

// Test signs in and reads the service account's Blue Prism permissions.
func (c *Client) Test(ctx context.Context) (connector.TestResult, error) {
	var perms []string
	if err := c.get(ctx, "read permissions", "user/permissions", nil, &perms); err != nil {
		return connector.TestResult{}, err
	}
	details := fmt.Sprintf("Connected as %s: %d Blue Prism permissions", c.clientID, len(perms))
	var missing []string
	for _, p := range neededPermissions {
		if !slices.Contains(perms, p) {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		details += "; missing " + strings.Join(missing, ", ") + " (needed to see resources and start runs)"
	}
	return connector.TestResult{Details: details}, nil
}
