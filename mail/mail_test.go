package mail

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// INJ-06: an account named with CRLF and a Bcc line reaches the server as one
// message to one recipient, with no Bcc header, and a Subject that decodes
// to the name on one line.
func TestHeaderInjectionThroughAccountName(t *testing.T) {
	ts := startServer(t, modeStartTLS, nil)
	s := newSender(t, ts, nil)
	msg := invitation(t, "t1", "Northwind", "Acme\r\nBcc: evil@x.example")
	if err := s.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	got := ts.Received()
	if len(got) != 1 || len(got[0].Rcpts) != 1 || got[0].Rcpts[0] != "ada@client.example" {
		t.Fatalf("received %+v", got)
	}
	p := parseMessage(t, got[0].Data)
	if _, ok := p.Header["Bcc"]; ok {
		t.Fatal("a Bcc header was injected")
	}
	if strings.Contains(strings.ToLower(string(got[0].Data)), "\r\nbcc:") {
		t.Fatal("a Bcc line is in the message")
	}
	if want := "Invitation to Acme Bcc: evil@x.example on Northwind"; p.Subject != want {
		t.Errorf("subject %q, want %q", p.Subject, want)
	}
	if strings.Contains(p.Text, "\nBcc:") {
		t.Error("the name broke a line in the text part")
	}
}

// INJ-06: a hand-built message or a config with CR/LF in a header value is
// refused with a typed error before anything reaches the server.
func TestHeaderInjectionRefused(t *testing.T) {
	ts := startServer(t, modeStartTLS, nil)
	s := newSender(t, ts, nil)
	base := invitation(t, "t1", "Northwind", "")
	for name, mut := range map[string]func(*Message){
		"subject CRLF":   func(m *Message) { m.Subject = "Hi\r\nBcc: evil@x.example" },
		"subject LF":     func(m *Message) { m.Subject = "Hi\nBcc: evil@x.example" },
		"subject CR":     func(m *Message) { m.Subject = "Hi\rBcc: evil@x.example" },
		"to CRLF":        func(m *Message) { m.To = "ada@client.example\r\nBcc: evil@x.example" },
		"to with a name": func(m *Message) { m.To = "Ada <ada@client.example>" },
		"to two":         func(m *Message) { m.To = "ada@client.example, evil@x.example" },
	} {
		t.Run(name, func(t *testing.T) {
			m := base
			mut(&m)
			err := s.Send(context.Background(), m)
			var he *HeaderError
			if !errors.Is(err, ErrInvalidHeader) || !errors.As(err, &he) {
				t.Fatalf("err %v, want a *HeaderError", err)
			}
		})
	}
	if ts.Attempts() != 0 {
		t.Fatal("a refused message reached the server")
	}

	_, err := NewSMTPSender(Config{Host: "smtp.example", From: "noreply@bureau.example",
		FromName: "Bureau\r\nBcc: evil@x.example"}, nil)
	var he *HeaderError
	if !errors.As(err, &he) || he.Field != "from name" {
		t.Fatalf("display name with CRLF: %v", err)
	}
}

func TestMessageValidate(t *testing.T) {
	ok := Message{TenantID: "t1", Kind: KindWelcome, To: "a@b.example", Subject: "Hi", Text: "x",
		Link: "https://bureau.example/x"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		mut    func(*Message)
		header bool // a *HeaderError is expected
	}{
		"no tenant":       {func(m *Message) { m.TenantID = "" }, false},
		"unknown kind":    {func(m *Message) { m.Kind = "spam" }, false},
		"no text":         {func(m *Message) { m.Text = "" }, false},
		"empty subject":   {func(m *Message) { m.Subject = " " }, true},
		"subject NUL":     {func(m *Message) { m.Subject = "a\x00b" }, true},
		"subject bad utf": {func(m *Message) { m.Subject = "a\xffb" }, true},
		"subject long":    {func(m *Message) { m.Subject = strings.Repeat("a", 256) }, true},
		"to empty":        {func(m *Message) { m.To = "" }, true},
		"to not an addr":  {func(m *Message) { m.To = "nobody" }, true},
		"to quoted":       {func(m *Message) { m.To = `"a b"@b.example` }, true},
		"to non-ascii":    {func(m *Message) { m.To = "josé@b.example" }, true},
		"to spaces":       {func(m *Message) { m.To = " a@b.example" }, true},
		"link javascript": {func(m *Message) { m.Link = "javascript:alert(1)" }, true},
		"link relative":   {func(m *Message) { m.Link = "/invite/x" }, true},
		"link CRLF":       {func(m *Message) { m.Link = "https://b.example/\r\nx" }, true},
	} {
		t.Run(name, func(t *testing.T) {
			m := ok
			tc.mut(&m)
			err := m.Validate()
			if err == nil {
				t.Fatal("accepted")
			}
			if got := errors.Is(err, ErrInvalidHeader); got != tc.header {
				t.Fatalf("header error %v, want %v: %v", got, tc.header, err)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	base := Config{Host: "smtp.example", From: "noreply@bureau.example"}
	for name, tc := range map[string]struct {
		mut  func(*Config)
		want string // substring of the error, "" for valid
	}{
		"defaults":            {func(*Config) {}, ""},
		"implicit":            {func(c *Config) { c.TLS = TLSImplicit }, ""},
		"none on localhost":   {func(c *Config) { c.Host, c.TLS = "localhost", TLSNone }, ""},
		"none on 127.0.0.1":   {func(c *Config) { c.Host, c.TLS = "127.0.0.1", TLSNone }, ""},
		"none on ::1":         {func(c *Config) { c.Host, c.TLS = "::1", TLSNone }, ""},
		"none on remote host": {func(c *Config) { c.TLS = TLSNone }, "only allowed for a loopback host"},
		"none on private ip":  {func(c *Config) { c.Host, c.TLS = "10.0.0.5", TLSNone }, "loopback"},
		"unknown tls":         {func(c *Config) { c.TLS = "ssl" }, "not one of"},
		"no host":             {func(c *Config) { c.Host = "" }, "host is empty"},
		"host with space":     {func(c *Config) { c.Host = "smtp.example\r\nX" }, "host"},
		"bad port":            {func(c *Config) { c.Port = 70000 }, "port"},
		"from with name":      {func(c *Config) { c.From = "Bureau <noreply@bureau.example>" }, "bare address"},
		"from empty":          {func(c *Config) { c.From = "" }, "from"},
		"from name CRLF":      {func(c *Config) { c.FromName = "A\r\nB" }, "line break"},
		"negative retries":    {func(c *Config) { c.Retries = -1 }, "retries"},
		"too many retries":    {func(c *Config) { c.Retries = 11 }, "retries"},
		"negative timeout":    {func(c *Config) { c.Timeout = -time.Second }, "timeout"},
	} {
		t.Run(name, func(t *testing.T) {
			c := base
			tc.mut(&c)
			err := c.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
	for tlsMode, port := range map[string]int{"": 587, TLSStartTLS: 587, TLSImplicit: 465, TLSNone: 25} {
		if got := (Config{TLS: tlsMode}).withDefaults().Port; got != port {
			t.Errorf("default port for %q: %d, want %d", tlsMode, got, port)
		}
	}
	if (Config{}).Enabled() || !base.Enabled() {
		t.Error("Enabled is not Host != \"\"")
	}
}

// The composed message: CRLF everywhere, the fixed header set, and the
// Subject Q-encoded when it is not plain ASCII.
func TestComposeHeaders(t *testing.T) {
	msg := invitation(t, "t1", "Café Ünïcode", "")
	raw, err := msg.compose(sender{Address: "noreply@bureau.example", Name: "Bureau Été"}, time.Unix(1.7e9, 0))
	if err != nil {
		t.Fatal(err)
	}
	p := parseMessage(t, raw)
	if p.Subject != "Invitation to join Café Ünïcode" {
		t.Errorf("subject %q", p.Subject)
	}
	if !strings.HasPrefix(p.Header.Get("Subject"), "=?utf-8?q?") {
		t.Errorf("subject not Q-encoded: %q", p.Header.Get("Subject"))
	}
	if !strings.Contains(p.Header.Get("From"), "=?utf-8?q?") {
		t.Errorf("display name not encoded: %q", p.Header.Get("From"))
	}
	keys := []string{}
	for k := range p.Header {
		keys = append(keys, k)
	}
	want := map[string]bool{"Date": true, "From": true, "To": true, "Subject": true, "Message-Id": true,
		"Mime-Version": true, "Auto-Submitted": true, "Content-Type": true}
	if len(keys) != len(want) {
		t.Errorf("headers %v", keys)
	}
	for _, k := range keys {
		if !want[k] {
			t.Errorf("unexpected header %q", k)
		}
	}
}

// A message without HTML is a single text/plain part.
func TestComposeTextOnly(t *testing.T) {
	m := Message{TenantID: "t1", Kind: KindWelcome, To: "a@b.example", Subject: "Hi", Text: "line one\nline two\n"}
	raw, err := m.compose(sender{Address: "noreply@bureau.example"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Fatal("bare LF")
	}
	if !bytes.Contains(raw, []byte("Content-Type: text/plain; charset=utf-8\r\n")) ||
		!bytes.Contains(raw, []byte("\r\n\r\nline one\r\nline two\r\n")) {
		t.Fatalf("message:\n%s", raw)
	}
}

// FuzzHeaderValue: whatever Subject is accepted, the composed message has no
// bare CR or LF in a header, exactly the fixed set of headers, and a
// Subject header that is one line.
func FuzzHeaderValue(f *testing.F) {
	for _, s := range []string{"Hello", "Acme\r\nBcc: evil@x.example", "a\rb", "a\nb", "Ünïcode ☃",
		"=?utf-8?q?x?=", "\t tab", "a\x00b", "\u2028line sep", "x\x85y", strings.Repeat("é", 200), ""} {
		f.Add(s)
	}
	from := sender{Address: "noreply@bureau.example", Name: "Bureau"}
	f.Fuzz(func(t *testing.T, v string) {
		if err := checkHeaderValue("subject", v); err == nil && strings.ContainsAny(v, "\r\n") {
			t.Fatalf("accepted a value with CR or LF: %q", v)
		}
		m := Message{TenantID: "t1", Kind: KindInvitation, To: "a@b.example", Subject: v, Text: "x", HTML: "<p>x</p>"}
		raw, err := m.compose(from, time.Unix(0, 0))
		if err != nil {
			if !errors.Is(err, ErrInvalidHeader) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		head, _, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
		if !ok {
			t.Fatal("no end of header")
		}
		lines := strings.Split(string(head), "\r\n")
		if len(lines) != 8 {
			t.Fatalf("%d header lines, want 8:\n%q", len(lines), head)
		}
		for _, l := range lines {
			if strings.ContainsAny(l, "\r\n") {
				t.Fatalf("bare CR or LF in header line %q", l)
			}
			if len(l) > 998 {
				t.Fatalf("header line of %d octets", len(l))
			}
			if !utf8.ValidString(l) {
				t.Fatalf("invalid UTF-8 in %q", l)
			}
		}
		if !strings.HasPrefix(lines[3], "Subject: ") {
			t.Fatalf("line 4 is %q", lines[3])
		}
		for i := 0; i < len(lines[3]); i++ {
			if c := lines[3][i]; c > '~' || (c < ' ' && c != '\t') {
				t.Fatalf("raw byte %#x in the Subject header", c)
			}
		}
	})
}
