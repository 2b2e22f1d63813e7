package powerautomate

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"bureau/connector"
)

// MaxPageSize is the largest page Dataverse returns (and its default).
const MaxPageSize = 5000

// fetchToken asks Entra ID for an app-only token for the environment.
func (p *Provider) fetchToken(ctx context.Context) (string, time.Duration, error) {
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {p.cfg.Settings["client_id"]},
		"client_secret": {p.cfg.Secrets["client_secret"]},
		"scope":         {p.env + "/.default"},
	}
	var out struct {
		AccessToken string  `json:"access_token"`
		ExpiresIn   flexInt `json:"expires_in"`
	}
	_, err := p.caller.Do(ctx, connector.Request{
		Op:     "sign in",
		Method: http.MethodPost,
		URL:    p.authority + "/" + url.PathEscape(p.tenant) + "/oauth2/v2.0/token",
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		Body:   form.Encode(),
		Retry:  true,
		NoAuth: true,
	}, &out)
	if err != nil {
		return "", 0, err
	}
	if out.AccessToken == "" {
		return "", 0, connector.Errorf(connector.KindAuth, "sign in", "Entra ID answered without an access token")
	}
	life := time.Duration(out.ExpiresIn) * time.Second
	if life <= 0 {
		life = time.Minute // no lifetime given: refetch soon rather than trust it forever
	}
	return out.AccessToken, life, nil
}

func (p *Provider) authorize(ctx context.Context, req *http.Request, refresh bool) error {
	tok, err := p.token.Get(ctx, refresh)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// header is what every Dataverse request carries. The page size rides in
// Prefer on every page: a nextLink does not remember it.
func (p *Provider) header() http.Header {
	return http.Header{
		"Accept":           {"application/json"},
		"Odata-Version":    {"4.0"},
		"Odata-Maxversion": {"4.0"},
		"Prefer":           {"odata.maxpagesize=" + strconv.Itoa(p.pageSize)},
	}
}

func (p *Provider) get(ctx context.Context, op, u string, out any) (http.Header, error) {
	return p.caller.Do(ctx, connector.Request{Op: op, Method: http.MethodGet, URL: u, Header: p.header()}, out)
}

type page struct {
	Value    []json.RawMessage `json:"value"`
	NextLink string            `json:"@odata.nextLink"`
}

// list reads an entity set a page at a time, following @odata.nextLink
// (which carries Dataverse's $skiptoken paging cookie) until there is none.
// Dataverse has no $skip, so this is the only way through a large table.
func (p *Provider) list(ctx context.Context, op, set, query string, fn func([]json.RawMessage) error) error {
	next := p.api + set + "?" + query
	for next != "" {
		var pg page
		if _, err := p.get(ctx, op, next, &pg); err != nil {
			return err
		}
		if len(pg.Value) > 0 {
			if err := fn(pg.Value); err != nil {
				return err
			}
		}
		if pg.NextLink != "" && !p.sameOrigin(pg.NextLink) {
			// Our bearer token goes wherever nextLink points.
			return connector.Errorf(connector.KindUnavailable, op, "refusing to follow a next-page link to another host: %s", pg.NextLink)
		}
		next = pg.NextLink
	}
	return nil
}

func (p *Provider) sameOrigin(link string) bool {
	a, err1 := url.Parse(link)
	b, err2 := url.Parse(p.env)
	return err1 == nil && err2 == nil && a.Scheme == b.Scheme && strings.EqualFold(a.Host, b.Host)
}

// query builds an OData query string from name/value pairs, in order,
// spaces as %20 (Dataverse reads + as a literal plus in $filter values).
func query(pairs ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(pairs[i] + "=" + strings.ReplaceAll(url.QueryEscape(pairs[i+1]), "+", "%20"))
	}
	return b.String()
}

// odataTime formats a watermark for $filter. Dataverse keeps times to the
// second, so the watermark is rounded down: a record stamped 09:01:00 that
// was really written at 09:01:00.7 must still match "ge 09:01:00.5".
func odataTime(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z")
}

var guidPattern = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)

// isGUID guards every id we put in a URL path.
func isGUID(s string) bool { return guidPattern.MatchString(s) }

// flexInt reads a JSON number or a numeric string: Entra's v1 endpoint sends
// expires_in as a string, and flow definitions hold recurrence hours as
// either.
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return err
	}
	*n = flexInt(v)
	return nil
}

// dvTime reads a Dataverse date-time (UTC, to the second); nil when null.
func dvTime(s *string) *time.Time {
	if s == nil || *s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		return nil
	}
	t = t.UTC()
	return &t
}

// decodeEach unmarshals every record of a page and converts it.
func decodeEach[T, R any](op string, raw []json.RawMessage, conv func(T, json.RawMessage) R) ([]R, error) {
	out := make([]R, 0, len(raw))
	for _, r := range raw {
		var v T
		if err := json.Unmarshal(r, &v); err != nil {
			return nil, &connector.Error{Kind: connector.KindUnavailable, Op: op, Message: "a record is not the expected JSON: " + err.Error(), Err: err}
		}
		out = append(out, conv(v, r))
	}
	return out, nil
}
