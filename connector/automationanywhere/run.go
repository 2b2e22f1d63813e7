package automationanywhere

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"bureau/connector"
)

type deployRequest struct {
	FileID                int64               `json:"fileId"`
	RunAsUserIDs          []int64             `json:"runAsUserIds"`
	PoolIDs               []int64             `json:"poolIds"`
	OverrideDefaultDevice bool                `json:"overrideDefaultDevice"`
	BotInput              map[string]botValue `json:"botInput,omitempty"`
}

// botValue is one bot input variable: its type and the value, as a
// string, under the key named after the type.
type botValue struct {
	Type    string `json:"type"`
	String  string `json:"string,omitempty"`
	Number  string `json:"number,omitempty"`
	Boolean string `json:"boolean,omitempty"`
}

type deployResponse struct {
	DeploymentID string `json:"deploymentId"`
}

// StartRun deploys the bot with POST /v3/automations/deploy to the
// run-as user's default device (the v3 API cannot name a device, so
// in.RobotRef is not used), then looks up the activity the deployment
// created.
func (p *provider) StartRun(ctx context.Context, processRef string, in connector.RunInput) (connector.Job, error) {
	const op = "start bot"
	runAs, err := strconv.ParseInt(p.cfg.Settings["run_as_user_id"], 10, 64)
	if err != nil {
		return connector.Job{}, connector.Errorf(connector.KindConfig, op, "set the run-as user id (a number) in the connection settings to start bots")
	}
	fileID, err := strconv.ParseInt(processRef, 10, 64)
	if err != nil {
		return connector.Job{}, connector.Errorf(connector.KindInvalid, op, "bot id %q is not a Control Room file id", processRef)
	}
	input, err := botInput(in.Arguments)
	if err != nil {
		return connector.Job{}, connector.Errorf(connector.KindInvalid, op, "%v", err)
	}
	body := deployRequest{FileID: fileID, RunAsUserIDs: []int64{runAs}, PoolIDs: []int64{}, BotInput: input}
	var out deployResponse
	req := connector.Request{Op: op, Method: http.MethodPost, URL: p.url("/v3/automations/deploy"), Body: body}
	if _, err := p.call.Do(ctx, req, &out); err != nil {
		return connector.Job{}, err
	}
	if out.DeploymentID == "" {
		return connector.Job{}, connector.Errorf(connector.KindUnavailable, op, "the Control Room answered without a deployment id")
	}
	return p.deployment(ctx, out.DeploymentID, processRef)
}

// botInput encodes arguments the way the Control Room types bot
// variables; it has no null, list or object input here.
func botInput(args map[string]any) (map[string]botValue, error) {
	if len(args) == 0 {
		return nil, nil
	}
	out := make(map[string]botValue, len(args))
	for name, v := range args {
		switch x := v.(type) {
		case string:
			out[name] = botValue{Type: "STRING", String: x}
		case bool:
			out[name] = botValue{Type: "BOOLEAN", Boolean: strconv.FormatBool(x)}
		case int, int64, json.Number:
			out[name] = botValue{Type: "NUMBER", Number: fmt.Sprint(x)}
		case float64:
			out[name] = botValue{Type: "NUMBER", Number: strconv.FormatFloat(x, 'f', -1, 64)}
		default:
			return nil, fmt.Errorf("input %q: a bot takes text, numbers or true/false, not %T", name, v)
		}
	}
	return out, nil
}
