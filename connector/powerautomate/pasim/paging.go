package pasim

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// maxPageSize is Dataverse's largest (and default) page.
const maxPageSize = 5000

// pageSize reads Prefer: odata.maxpagesize=N; asked says whether the
// client set it (then Preference-Applied echoes it). Larger asks get 5000
// (assumption: capped rather than refused).
func pageSize(r *http.Request) (size int, asked bool) {
	for _, h := range r.Header.Values("Prefer") {
		for _, p := range strings.Split(h, ",") {
			v, ok := strings.CutPrefix(strings.TrimSpace(p), "odata.maxpagesize=")
			if !ok {
				continue
			}
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				return min(n, maxPageSize), true
			}
		}
	}
	return maxPageSize, false
}

// escapeCookie escapes the inner paging cookie as Dataverse does: every
// byte but letters, digits and -_. as lower-case %xx.
func escapeCookie(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02x", c)
		}
	}
	return b.String()
}

// escapeToken escapes a $skiptoken for the nextLink the way Dataverse's
// look: only what a query value cannot hold (= and / stay).
func escapeToken(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"<>%{}|\^`+"`#&+", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// skiptoken builds Dataverse's paging cookie for the page after this one:
// the page number and, inside an escaped inner cookie, the first and last
// primary keys of the page just served (in the nextLink the inner cookie
// ends up escaped twice: %253ccookie%2520page…).
func skiptoken(key string, page []row, number int) string {
	first, last := page[0][key].(string), page[len(page)-1][key].(string)
	inner := fmt.Sprintf(`<cookie page="%d"><%s last="{%s}" first="{%s}" /></cookie>`,
		number, key, strings.ToUpper(last), strings.ToUpper(first))
	return fmt.Sprintf(`<cookie pagenumber="%d" pagingcookie="%s" istracking="False" />`, number+1, escapeCookie(inner))
}

var (
	pageNumberAttr   = regexp.MustCompile(`pagenumber="(\d+)"`)
	pagingCookieAttr = regexp.MustCompile(`pagingcookie="([^"]*)"`)
	lastAttr         = regexp.MustCompile(`last="\{([0-9A-Fa-f-]{36})\}"`)
)

var errCookie = errors.New("The $skiptoken paging cookie is not valid.") // assumption: wording

// resume finds where the page after the cookie's last record starts, and
// that page's number.
func resume(rows []row, token, key string) (start, number int, err error) {
	num := pageNumberAttr.FindStringSubmatch(token)
	pc := pagingCookieAttr.FindStringSubmatch(token)
	if num == nil || pc == nil {
		return 0, 0, errCookie
	}
	inner, err := url.QueryUnescape(pc[1])
	last := lastAttr.FindStringSubmatch(inner)
	if err != nil || last == nil {
		return 0, 0, errCookie
	}
	number, _ = strconv.Atoi(num[1])
	for i, r := range rows {
		if strings.EqualFold(r[key].(string), last[1]) {
			return i + 1, number, nil
		}
	}
	return 0, 0, errCookie
}

// nextLink is the request's own URL with the new $skiptoken in place of
// any old one.
func nextLink(r *http.Request, token string) string {
	var kept []string
	for _, p := range strings.Split(r.URL.RawQuery, "&") {
		if p != "" && !strings.HasPrefix(p, "$skiptoken=") && !strings.HasPrefix(p, "%24skiptoken=") {
			kept = append(kept, p)
		}
	}
	kept = append(kept, "$skiptoken="+escapeToken(token))
	return origin(r) + r.URL.Path + "?" + strings.Join(kept, "&")
}
