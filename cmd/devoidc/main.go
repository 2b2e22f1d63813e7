// Command devoidc is a stand-alone OpenID Connect provider for trying staff
// single sign-on without a real one, and for the end-to-end tests: it is
// mockoidc (discovery, authorize, token, userinfo, JWKS; PKCE; signed ID
// tokens) with a sign-in page in front of the authorize step, signing in
// one configured person.
//
//	go run ./cmd/devoidc -addr 127.0.0.1:9400 -email ken@northwind.example -groups bureau-admins
//
// It prints one JSON line with the issuer, client id and client secret to
// put in Bureau's SSO settings. Never expose it: anyone who reaches it signs
// in as that person.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"html/template"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/oauth2-proxy/mockoidc"
)

var page = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dev identity provider</title>
<style>body{font-family:system-ui,sans-serif;background:#f3f4f8;display:grid;place-items:center;min-height:100vh;margin:0}
main{background:#fff;padding:32px 40px;border-radius:12px;box-shadow:0 2px 12px #0001;max-width:420px}
button{font:inherit;padding:10px 18px;border:0;border-radius:8px;background:#0f6cbd;color:#fff;cursor:pointer}</style></head>
<body><main><h1>Dev identity provider</h1>
<p>An application asks you to sign in.</p>
<p>You will sign in as <strong>{{.Email}}</strong>{{if .Groups}}, member of <strong>{{.Groups}}</strong>{{end}}.</p>
<form method="get" action="{{.Action}}">{{range $k, $v := .Query}}<input type="hidden" name="{{$k}}" value="{{$v}}">{{end}}
<input type="hidden" name="approved" value="1"><button type="submit">Continue as {{.Email}}</button></form>
</main></body></html>`))

func main() {
	addr := flag.String("addr", "127.0.0.1:9400", "address to listen on")
	email := flag.String("email", "ken@northwind.example", "the signed-in person's email")
	subject := flag.String("subject", "dev-subject-1", "the person's subject (stable id)")
	groups := flag.String("groups", "bureau-admins", "comma-separated groups in the token")
	flag.Parse()

	m, err := mockoidc.NewServer(nil)
	if err != nil {
		log.Fatal(err)
	}
	user := &mockoidc.MockUser{Subject: *subject, Email: *email, EmailVerified: true, PreferredUsername: *email}
	for _, g := range strings.Split(*groups, ",") {
		if g = strings.TrimSpace(g); g != "" {
			user.Groups = append(user.Groups, g)
		}
	}
	// The sign-in page: the authorize step shows who will sign in and goes
	// on only when the person clicks.
	err = m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != mockoidc.AuthorizationEndpoint {
				next.ServeHTTP(w, r)
				return
			}
			if r.URL.Query().Get("approved") != "1" {
				q := map[string]string{}
				for k, v := range r.URL.Query() {
					q[k] = v[0]
				}
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				page.Execute(w, map[string]any{"Email": user.Email, "Groups": strings.Join(user.Groups, ", "),
					"Action": r.URL.Path, "Query": q})
				return
			}
			m.QueueUser(user)
			next.ServeHTTP(w, r)
		})
	})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		log.Fatal(err)
	}
	cfg := m.Config()
	out, _ := json.Marshal(map[string]string{"issuer": m.Issuer(), "client_id": cfg.ClientID, "client_secret": cfg.ClientSecret})
	fmt.Println(string(out))
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	m.Shutdown()
}
