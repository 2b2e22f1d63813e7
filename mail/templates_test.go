package mail

import (
	"strings"
	"testing"
	"time"
)

func composeParse(t *testing.T, msg Message) parsed {
	t.Helper()
	raw, err := msg.compose(sender{Address: "noreply@bureau.example", Name: "Bureau"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return parseMessage(t, raw)
}

// Names are escaped in the HTML part: html/template, never text/template.
func TestHTMLEscaping(t *testing.T) {
	evil := "<script>alert(1)</script>"
	msg, err := Invitation(InvitationData{TenantID: "t1", TenantDisplayName: evil, To: "a@b.example",
		AccountName: `"><img src=x onerror=alert(2)>`, InviterName: evil, Role: "Client",
		Link: "https://bureau.example/invite/x?a=1&b=2", ExpiresAt: time.Now().Add(7 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	p := composeParse(t, msg)
	if strings.Contains(p.HTML, "<script>") || strings.Contains(p.HTML, "<img") {
		t.Fatalf("unescaped markup in the HTML part:\n%s", p.HTML)
	}
	if !strings.Contains(p.HTML, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the tenant name is not in the HTML part, escaped:\n%s", p.HTML)
	}
	if !strings.Contains(p.HTML, `href="https://bureau.example/invite/x?a=1&amp;b=2"`) {
		t.Errorf("link attribute not escaped as expected:\n%s", p.HTML)
	}
	// The text part shows names as they are: it is not HTML.
	if !strings.Contains(p.Text, evil) {
		t.Errorf("text part:\n%s", p.Text)
	}
	if p.Subject != `Invitation to "><img src=x onerror=alert(2)> on `+evil {
		t.Errorf("subject %q", p.Subject)
	}
}

func TestTemplates(t *testing.T) {
	expires := time.Date(2030, 1, 8, 12, 30, 0, 0, time.FixedZone("CET", 3600))
	for name, tc := range map[string]struct {
		build    func() (Message, error)
		kind     string
		subject  string
		contains []string // in the text part
	}{
		"staff invitation": {
			func() (Message, error) {
				return Invitation(InvitationData{TenantID: "t1", TenantDisplayName: "Northwind", To: "a@b.example",
					InviterName: "Grace", Role: "Consultant", Link: "https://bureau.example/i/1", ExpiresAt: expires})
			},
			KindInvitation, "Invitation to join Northwind",
			[]string{"Grace has invited you to Northwind as Consultant.", "expires on Tue 8 Jan 2030 at 11:30 UTC", "used once"},
		},
		"account invitation without inviter": {
			func() (Message, error) {
				return Invitation(InvitationData{TenantID: "t1", TenantDisplayName: "Northwind", To: "a@b.example",
					AccountName: "Acme", Role: "Account user", Link: "https://bureau.example/i/2", ExpiresAt: expires})
			},
			KindInvitation, "Invitation to Acme on Northwind",
			[]string{"You have been invited to the Acme account on Northwind as Account user."},
		},
		"reset": {
			func() (Message, error) {
				return PasswordReset(ResetData{TenantID: "t1", TenantDisplayName: "Northwind", To: "a@b.example",
					Name: "Ada", Link: "https://bureau.example/r/1"})
			},
			KindReset, "Reset your Northwind password",
			[]string{"Hello Ada,", "expires in 1 hour", "ignore this email"},
		},
		"welcome": {
			func() (Message, error) {
				return Welcome(WelcomeData{TenantID: "t1", TenantDisplayName: "Northwind", To: "a@b.example",
					Name: "Ada", Link: "https://bureau.example/login"})
			},
			KindWelcome, "Welcome to Northwind",
			[]string{"Hello Ada,", "Welcome to Northwind."},
		},
	} {
		t.Run(name, func(t *testing.T) {
			msg, err := tc.build()
			if err != nil {
				t.Fatal(err)
			}
			if msg.Kind != tc.kind || msg.Subject != tc.subject || msg.TenantID != "t1" || msg.To != "a@b.example" {
				t.Fatalf("message %+v", msg)
			}
			if !hasLine(msg.Text, msg.Link) {
				t.Errorf("link not on its own line:\n%s", msg.Text)
			}
			for _, s := range tc.contains {
				if !strings.Contains(msg.Text, s) {
					t.Errorf("text part lacks %q:\n%s", s, msg.Text)
				}
			}
			p := composeParse(t, msg)
			if p.Subject != tc.subject || !strings.Contains(p.HTML, "Northwind") || !strings.Contains(p.HTML, msg.Link) {
				t.Errorf("composed message: subject %q\n%s", p.Subject, p.HTML)
			}
		})
	}
}

func TestTemplateInputErrors(t *testing.T) {
	for name, build := range map[string]func() (Message, error){
		"no tenant name": func() (Message, error) {
			return Welcome(WelcomeData{TenantID: "t1", To: "a@b.example", Link: "https://b.example/"})
		},
		"javascript link": func() (Message, error) {
			return Welcome(WelcomeData{TenantID: "t1", TenantDisplayName: "N", To: "a@b.example", Link: "javascript:alert(1)"})
		},
		"bad recipient": func() (Message, error) {
			return Welcome(WelcomeData{TenantID: "t1", TenantDisplayName: "N", To: "a@b.example\r\nBcc: x@y", Link: "https://b.example/"})
		},
		"invitation without expiry": func() (Message, error) {
			return Invitation(InvitationData{TenantID: "t1", TenantDisplayName: "N", To: "a@b.example", Link: "https://b.example/"})
		},
	} {
		if _, err := build(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestBrandColor(t *testing.T) {
	for in, want := range map[string]string{
		"#a1B2c3":                  "#a1B2c3",
		"":                         DefaultBrandColor,
		"red":                      DefaultBrandColor,
		"#fff":                     DefaultBrandColor,
		"#a1b2c3;x":                DefaultBrandColor,
		"red;}</style><script>":    DefaultBrandColor,
		"#a1b2c3\n":                DefaultBrandColor,
		"expression(alert(1))":     DefaultBrandColor,
		"#123456\" onload=\"x()\"": DefaultBrandColor,
	} {
		if got := BrandColor(in); got != want {
			t.Errorf("BrandColor(%q) = %q, want %q", in, got, want)
		}
	}
	msg, err := Welcome(WelcomeData{TenantID: "t1", TenantDisplayName: "N", To: "a@b.example",
		Link: "https://b.example/", BrandColor: "#c0ffee"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg.HTML, "background:#c0ffee") {
		t.Error("the brand colour is not on the button")
	}
	msg, _ = Welcome(WelcomeData{TenantID: "t1", TenantDisplayName: "N", To: "a@b.example",
		Link: "https://b.example/", BrandColor: "red;}</style><script>"})
	if !strings.Contains(msg.HTML, "background:"+DefaultBrandColor) || strings.Contains(msg.HTML, "<script>") {
		t.Error("an invalid colour was not replaced by the default")
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"Acme":                        "Acme",
		"  Acme   Corp ":              "Acme Corp",
		"Acme\r\nBcc: evil@x.example": "Acme Bcc: evil@x.example",
		"a\u2028b\u0085c\x00d\te":     "a b c d e",
		"bad\xffutf":                  "bad\uFFFDutf",
	} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
	long := cleanName(strings.Repeat("é", 200))
	if len(long) > maxNameBytes || !strings.HasSuffix(long, "…") {
		t.Errorf("long name: %d bytes, %q", len(long), long)
	}
}
