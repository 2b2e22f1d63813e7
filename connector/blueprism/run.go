package blueprism

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"bureau/connector"
)

// StartRun starts a session the way the Blue Prism API wants it, in three
// steps: create it (pending) on a resource, set its start-up parameters
// when there are any, then ask for it to run. The session is returned as
// the API reports it afterwards.
func (c *Client) StartRun(ctx context.Context, processRef string, in connector.RunInput) (connector.Job, error) {
	resourceID := in.RobotRef
	if resourceID == "" {
		var err error
		if resourceID, err = c.idleResource(ctx); err != nil {
			return connector.Job{}, err
		}
	}
	id, err := c.createSession(ctx, processRef, resourceID)
	if err != nil {
		return connector.Job{}, err
	}
	if err := c.launch(ctx, id, in.Arguments); err != nil {
		c.discard(ctx, id)
		return connector.Job{}, err
	}
	job, err := c.Job(ctx, id)
	if err != nil {
		// The run is started: reporting a failure would invite a second
		// one. Return what we know; the next sync reads the rest.
		now := c.now()
		return connector.Job{
			Ref: id, ProcessRef: processRef, RobotRef: resourceID, State: connector.StatePending,
			RawState: "Pending", CreatedAt: now, UpdatedAt: now,
		}, nil
	}
	return job, nil
}

func (c *Client) launch(ctx context.Context, id string, args map[string]any) error {
	id = url.PathEscape(id)
	if len(args) > 0 {
		body := map[string]any{"parameters": encodeArguments(args)}
		if err := c.send(ctx, "set session parameters", http.MethodPut, "sessions/"+id+"/parameters", body, nil); err != nil {
			return err
		}
	}
	return c.send(ctx, "start session", http.MethodPatch, "sessions/"+id, map[string]string{"status": "Running"}, nil)
}

// createSession answers the new session's ID, which the API sends as a
// bare JSON string.
func (c *Client) createSession(ctx context.Context, processID, resourceID string) (string, error) {
	const op = "create session"
	var raw []byte
	body := map[string]string{"processId": processID, "resourceId": resourceID}
	if err := c.send(ctx, op, http.MethodPost, "sessions", body, &raw); err != nil {
		return "", err
	}
	var id string
	if json.Unmarshal(raw, &id) != nil {
		id = strings.TrimSpace(string(raw)) // tolerate an unquoted ID
	}
	if id == "" {
		return "", connector.Errorf(connector.KindUnavailable, op, "the API did not answer a session ID")
	}
	return id, nil
}

// discard deletes a session we created but could not start, so it does
// not wait pending on the resource forever. Best effort: the first error
// is the one worth reporting.
func (c *Client) discard(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_ = c.send(ctx, "delete pending session", http.MethodDelete, "sessions/"+url.PathEscape(id), nil, nil)
}

func (c *Client) send(ctx context.Context, op, method, path string, body, out any) error {
	_, err := c.call.Do(ctx, connector.Request{Op: op, Method: method, URL: connector.JoinURL(c.apiURL, path), Body: body}, out)
	return err
}

// errFound stops a listing once the wanted item is found.
var errFound = errors.New("found")

// idleResource picks the first resource whose display status is Idle.
func (c *Client) idleResource(ctx context.Context) (string, error) {
	const op = "find an idle resource"
	var id string
	q := url.Values{"displayStatus": {"Idle"}, "sortBy": {"NameAsc"}}
	err := c.eachPage(ctx, op, "resources", q, func(items []json.RawMessage) error {
		rs, err := decodeEach(op, items, func(r resource, _ json.RawMessage) resource { return r })
		if err != nil {
			return err
		}
		for _, r := range rs {
			if r.DisplayStatus == "Idle" { // checked here too: the filter is the server's
				id = r.ID
				return errFound
			}
		}
		return nil
	})
	switch {
	case errors.Is(err, errFound):
		return id, nil
	case err != nil:
		return "", err
	}
	return "", connector.Errorf(connector.KindInvalid, "start run",
		"no idle Blue Prism resource to run on: every resource is working, offline or logged out; choose a robot or try later")
}

// encodeArguments writes arguments as a Blue Prism DataRow: each value
// with its valueType. A value already in that shape is passed as is.
func encodeArguments(args map[string]any) map[string]any {
	out := make(map[string]any, len(args))
	for name, v := range args {
		out[name] = dataValue(v)
	}
	return out
}

func dataValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["valueType"]; ok {
			return x
		}
		return map[string]any{"valueType": "Text", "value": jsonText(x)}
	case string:
		return map[string]any{"valueType": "Text", "value": x}
	case bool:
		return map[string]any{"valueType": "Flag", "value": x}
	case int, int32, int64, float32, float64, json.Number:
		return map[string]any{"valueType": "Number", "value": x}
	case time.Time:
		return map[string]any{"valueType": "DateTime", "value": x.UTC().Format(time.RFC3339)}
	}
	return map[string]any{"valueType": "Text", "value": jsonText(v)}
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
