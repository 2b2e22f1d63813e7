package mail

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"regexp"
	"strings"
	texttemplate "text/template" // plain-text part only: it escapes nothing, which is right for text/plain
	"time"
	"unicode"
	"unicode/utf8"
)

//go:embed templates
var templateFS embed.FS

// The HTML part always goes through html/template, so a tenant or account
// named "<script>" arrives as text; text/template is used for the text/plain
// part only, where escaping would show "&lt;" to the reader.
type kindTemplates struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

var templates = map[string]kindTemplates{
	KindInvitation: mustParse("invitation"),
	KindReset:      mustParse("reset"),
	KindWelcome:    mustParse("welcome"),
}

func mustParse(name string) kindTemplates {
	return kindTemplates{
		text: texttemplate.Must(texttemplate.New(name+".txt").ParseFS(templateFS, "templates/"+name+".txt")),
		html: htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")),
	}
}

// DefaultBrandColor is used when a tenant has none, or an invalid one.
const DefaultBrandColor = "#2563eb"

var brandColorRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// BrandColor returns c when it is a #rrggbb colour and the default
// otherwise. The check is what makes it safe to put in a style attribute
// (INJ-07): "red;}</style><script>" never gets there.
func BrandColor(c string) string {
	if brandColorRE.MatchString(c) {
		return c
	}
	return DefaultBrandColor
}

// InvitationData fills the invitation email.
type InvitationData struct {
	TenantID          string
	TenantDisplayName string
	BrandColor        string // optional #rrggbb
	To                string
	AccountName       string // empty for a staff invitation
	InviterName       string // optional
	Role              string // label shown to people, e.g. "Account admin"
	Link              string
	ExpiresAt         time.Time
}

// ResetData fills the password reset email.
type ResetData struct {
	TenantID          string
	TenantDisplayName string
	BrandColor        string
	To                string
	Name              string
	Link              string
	ExpiresIn         string // e.g. "1 hour" (the default)
}

// WelcomeData fills the welcome email.
type WelcomeData struct {
	TenantID          string
	TenantDisplayName string
	BrandColor        string
	To                string
	Name              string
	Link              string // where to sign in
}

// view is what every template sees. Names in it are already cleaned.
type view struct {
	Subject string
	Tenant  string
	Color   htmltemplate.CSS // validated by BrandColor
	Link    string
	Action  string // the button label
	Expiry  string
	Name    string
	Account string
	Inviter string
	Role    string
}

// Invitation builds the invitation to a tenant (staff) or to one of its
// accounts (AccountName set).
func Invitation(d InvitationData) (Message, error) {
	if d.ExpiresAt.IsZero() {
		return Message{}, errors.New("mail: invitation without an expiry")
	}
	v := view{
		Tenant:  cleanName(d.TenantDisplayName),
		Account: cleanName(d.AccountName),
		Inviter: cleanName(d.InviterName),
		Role:    cleanName(d.Role),
		Link:    d.Link,
		Action:  "Accept the invitation",
		Expiry: "This invitation expires on " + d.ExpiresAt.UTC().Format("Mon 2 Jan 2006 at 15:04 MST") +
			" and can be used once.",
	}
	if v.Account != "" {
		v.Subject = fmt.Sprintf("Invitation to %s on %s", v.Account, v.Tenant)
	} else {
		v.Subject = "Invitation to join " + v.Tenant
	}
	return render(KindInvitation, d.TenantID, d.To, d.BrandColor, v)
}

// PasswordReset builds the password reset email.
func PasswordReset(d ResetData) (Message, error) {
	expiresIn := cleanName(d.ExpiresIn)
	if expiresIn == "" {
		expiresIn = "1 hour"
	}
	v := view{
		Tenant: cleanName(d.TenantDisplayName),
		Name:   cleanName(d.Name),
		Link:   d.Link,
		Action: "Choose a new password",
		Expiry: "This link expires in " + expiresIn + " and can be used once.",
	}
	v.Subject = "Reset your " + v.Tenant + " password"
	return render(KindReset, d.TenantID, d.To, d.BrandColor, v)
}

// Welcome builds the welcome email sent once an account is set up.
func Welcome(d WelcomeData) (Message, error) {
	v := view{
		Tenant: cleanName(d.TenantDisplayName),
		Name:   cleanName(d.Name),
		Link:   d.Link,
		Action: "Sign in",
	}
	v.Subject = "Welcome to " + v.Tenant
	return render(KindWelcome, d.TenantID, d.To, d.BrandColor, v)
}

func render(kind, tenantID, to, color string, v view) (Message, error) {
	if v.Tenant == "" {
		return Message{}, fmt.Errorf("mail: %s without a tenant display name", kind)
	}
	if err := checkLink(v.Link); err != nil {
		return Message{}, err
	}
	v.Color = htmltemplate.CSS(BrandColor(color))
	t := templates[kind]
	var text, html bytes.Buffer
	if err := t.text.Execute(&text, v); err != nil {
		return Message{}, fmt.Errorf("render %s text: %w", kind, err)
	}
	if err := t.html.ExecuteTemplate(&html, "layout", v); err != nil {
		return Message{}, fmt.Errorf("render %s html: %w", kind, err)
	}
	msg := Message{TenantID: tenantID, Kind: kind, To: to, Subject: v.Subject,
		Text: text.String(), HTML: html.String(), Link: v.Link}
	if err := msg.Validate(); err != nil {
		return Message{}, fmt.Errorf("render %s: %w", kind, err)
	}
	return msg, nil
}

// maxNameBytes keeps a subject built from two names under maxHeaderValue.
const maxNameBytes = 100

// cleanName neutralises a name that goes into a subject or a body: control
// characters and line breaks (CR, LF, NEL, U+2028) become spaces and runs of
// space collapse, so an account named "Acme\r\nBcc: evil@x.example" is shown
// as "Acme Bcc: evil@x.example" on one line, and cannot start a header or a
// fake line in the text part. Long names are cut on a rune boundary.
func cleanName(s string) string { return oneLine(s, maxNameBytes, "…") }

// oneLine turns control characters and Unicode line separators into spaces,
// collapses runs of space and cuts s on a rune boundary to at most max
// bytes, ellipsis included.
func oneLine(s string, max int, ellipsis string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= max {
		return s
	}
	cut := max - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimSpace(s[:cut]) + ellipsis
}
