package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func newMailer(t *testing.T, s Sender) (*Mailer, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	return &Mailer{Sender: s, Outbox: NewOutbox(newDB(t)),
		Log: slog.New(slog.NewTextHandler(&logs, nil))}, &logs
}

// No SMTP: the invitation lands in the outbox whole, and the call succeeds
// so the invitation flow goes on.
func TestDeliverWithoutSMTP(t *testing.T) {
	m, logs := newMailer(t, nil)
	msg := invitation(t, "t1", "Northwind", "Acme")
	sent, err := m.Deliver(context.Background(), msg)
	if sent || err != nil {
		t.Fatalf("sent=%v err=%v", sent, err)
	}
	items, err := m.Outbox.List(context.Background(), "t1", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("%d items", len(items))
	}
	it := items[0]
	if it.To != msg.To || it.Subject != msg.Subject || it.Body != msg.Text || it.Link != msg.Link ||
		it.Kind != KindInvitation || it.Reason != ReasonNotConfigured || it.ID == "" ||
		time.Since(it.CreatedAt) > time.Minute {
		t.Errorf("item %+v", it)
	}
	assertLogSafe(t, logs.String())
}

// The log names kind, tenant and recipient domain, never the token or the
// recipient's mailbox.
func assertLogSafe(t *testing.T, logs string) {
	t.Helper()
	if logs == "" {
		t.Fatal("nothing was logged")
	}
	for _, secret := range []string{testToken, "ada@", "/invite/"} {
		if strings.Contains(strings.ToLower(logs), secret) {
			t.Errorf("the log contains %q:\n%s", secret, logs)
		}
	}
	for _, want := range []string{"kind=invitation", "tenant_id=t1", "to_domain=client.example"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
}

func TestDeliverSends(t *testing.T) {
	ts := startServer(t, modeStartTLS, nil)
	m, logs := newMailer(t, newSender(t, ts, nil))
	sent, err := m.Deliver(context.Background(), invitation(t, "t1", "Northwind", ""))
	if !sent || err != nil {
		t.Fatalf("sent=%v err=%v", sent, err)
	}
	if len(ts.Received()) != 1 {
		t.Fatal("not received")
	}
	if items, _ := m.Outbox.List(context.Background(), "t1", 10); len(items) != 0 {
		t.Fatalf("outbox has %d items after a send", len(items))
	}
	assertLogSafe(t, logs.String())
}

// 550: one attempt, then the outbox, with the server's reply as the reason.
func TestDeliverPermanentFailureGoesToOutbox(t *testing.T) {
	ts := startServer(t, modeStartTLS, func(int) error { return smtpReply(550, "<ADA@client.example>: mailbox unavailable") })
	m, logs := newMailer(t, newSender(t, ts, nil))
	sent, err := m.Deliver(context.Background(), invitation(t, "t1", "Northwind", ""))
	if sent || err != nil {
		t.Fatalf("sent=%v err=%v", sent, err)
	}
	if ts.Attempts() != 1 {
		t.Errorf("%d attempts, want 1", ts.Attempts())
	}
	items, _ := m.Outbox.List(context.Background(), "t1", 10)
	if len(items) != 1 || !strings.Contains(items[0].Reason, "550") || !strings.Contains(items[0].Reason, "mailbox unavailable") {
		t.Fatalf("items %+v", items)
	}
	if strings.Contains(items[0].Reason, ts.Host) {
		t.Errorf("the reason names the relay: %q", items[0].Reason)
	}
	assertLogSafe(t, logs.String())
}

// STARTTLS required and not offered: the Mailer falls back to the outbox.
func TestDeliverStartTLSMissingGoesToOutbox(t *testing.T) {
	ts := startServer(t, modePlain, nil)
	m, _ := newMailer(t, newSender(t, ts, nil))
	sent, err := m.Deliver(context.Background(), invitation(t, "t1", "Northwind", ""))
	if sent || err != nil {
		t.Fatalf("sent=%v err=%v", sent, err)
	}
	items, _ := m.Outbox.List(context.Background(), "t1", 10)
	if len(items) != 1 || items[0].Reason != "smtp server does not offer STARTTLS" {
		t.Fatalf("items %+v", items)
	}
	if len(ts.Received()) != 0 {
		t.Fatal("sent in clear text")
	}
}

// The request's context may be over by the time the send gives up; the
// outbox row is written anyway.
func TestDeliverSavesAfterContextEnds(t *testing.T) {
	m, _ := newMailer(t, senderFunc(func(ctx context.Context, _ Message) error {
		<-ctx.Done()
		return ctx.Err()
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	sent, err := m.Deliver(ctx, invitation(t, "t1", "Northwind", ""))
	if sent || err != nil {
		t.Fatalf("sent=%v err=%v", sent, err)
	}
	items, _ := m.Outbox.List(context.Background(), "t1", 10)
	if len(items) != 1 || items[0].Reason != "smtp server timed out" {
		t.Fatalf("items %+v", items)
	}
}

type senderFunc func(context.Context, Message) error

func (f senderFunc) Send(ctx context.Context, m Message) error { return f(ctx, m) }

// An invalid message is the caller's bug: an error, and not stored.
func TestDeliverRefusesInvalidMessage(t *testing.T) {
	m, _ := newMailer(t, nil)
	msg := invitation(t, "t1", "Northwind", "")
	msg.Subject = "x\r\nBcc: evil@x.example"
	if _, err := m.Deliver(context.Background(), msg); !errors.Is(err, ErrInvalidHeader) {
		t.Fatalf("err %v", err)
	}
	if items, _ := m.Outbox.List(context.Background(), "t1", 10); len(items) != 0 {
		t.Fatal("stored an invalid message")
	}
}

// A password reset link is not kept where Tenant Admins can read it.
func TestDeliverWithholdsResetLink(t *testing.T) {
	m, _ := newMailer(t, nil)
	msg, err := PasswordReset(ResetData{TenantID: "t1", TenantDisplayName: "Northwind", To: "ada@client.example",
		Name: "Ada", Link: "https://bureau.example/reset/" + testToken})
	if err != nil {
		t.Fatal(err)
	}
	if sent, err := m.Deliver(context.Background(), msg); sent || err != nil {
		t.Fatalf("sent=%v err=%v", sent, err)
	}
	items, _ := m.Outbox.List(context.Background(), "t1", 10)
	if len(items) != 1 || items[0].Kind != KindReset || items[0].Link != "" || strings.Contains(items[0].Body, testToken) {
		t.Fatalf("items %+v", items)
	}
	var html string
	_ = m.Outbox.db.R.QueryRow(`SELECT body_html FROM outbox`).Scan(&html)
	if strings.Contains(html, testToken) {
		t.Fatal("the reset token is stored in body_html")
	}
}

// ISO: a tenant's outbox never shows another tenant's mail.
func TestOutboxIsTenantScoped(t *testing.T) {
	m, _ := newMailer(t, nil)
	ctx := context.Background()
	for i, tenant := range []string{"t1", "t2", "t1"} {
		msg := invitation(t, tenant, "Tenant "+tenant, fmt.Sprintf("Account %d", i))
		if _, err := m.Deliver(ctx, msg); err != nil {
			t.Fatal(err)
		}
	}
	for tenant, want := range map[string]int{"t1": 2, "t2": 1, "t3": 0} {
		items, err := m.Outbox.List(ctx, tenant, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != want {
			t.Errorf("%s: %d items, want %d", tenant, len(items), want)
		}
		for _, it := range items {
			if !strings.HasSuffix(it.Subject, "Tenant "+tenant) {
				t.Errorf("%s sees %q", tenant, it.Subject)
			}
		}
	}
	if _, err := m.Outbox.List(ctx, "", 10); err == nil {
		t.Error("listed without a tenant")
	}
}

func TestOutboxListOrderAndLimit(t *testing.T) {
	o := NewOutbox(newDB(t))
	base := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		o.now = func() time.Time { return base.Add(time.Duration(i) * time.Minute) }
		msg := invitation(t, "t1", "Northwind", fmt.Sprintf("A%d", i))
		if err := o.Save(ctx, msg, "smtp not configured\r\nX-Injected: 1"); err != nil {
			t.Fatal(err)
		}
	}
	items, err := o.List(ctx, "t1", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 {
		t.Fatalf("%d items, want 3", len(items))
	}
	for i, it := range items {
		if want := fmt.Sprintf("Invitation to A%d on Northwind", 4-i); it.Subject != want {
			t.Errorf("item %d: %q, want %q (newest first)", i, it.Subject, want)
		}
		if !it.CreatedAt.Equal(base.Add(time.Duration(4-i) * time.Minute)) {
			t.Errorf("item %d created %v", i, it.CreatedAt)
		}
		if it.Reason != "smtp not configured X-Injected: 1" {
			t.Errorf("reason not kept to one line: %q", it.Reason)
		}
	}
	for limit, want := range map[int]int{0: 5, -1: 5, 1000: 5, 1: 1} {
		if items, _ := o.List(ctx, "t1", limit); len(items) != want {
			t.Errorf("limit %d: %d items", limit, len(items))
		}
	}
}

// A tenant row's deletion removes its outbox (ON DELETE CASCADE), and a row
// for an unknown tenant is refused by the foreign key.
func TestOutboxForeignKey(t *testing.T) {
	db := newDB(t)
	o := NewOutbox(db)
	ctx := context.Background()
	if err := o.Save(ctx, invitation(t, "nope", "N", ""), "x"); err == nil {
		t.Fatal("saved for an unknown tenant")
	}
	if err := o.Save(ctx, invitation(t, "t2", "N", ""), "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.Exec(`DELETE FROM tenants WHERE id = 't2'`); err != nil {
		t.Fatal(err)
	}
	var n int
	_ = db.R.QueryRow(`SELECT COUNT(*) FROM outbox`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d rows survived their tenant", n)
	}
}

func TestReason(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{ErrStartTLSUnavailable, "smtp server does not offer STARTTLS"},
		{fmt.Errorf("x: %w", ErrAuthUnavailable), "smtp server does not offer AUTH"},
		{context.DeadlineExceeded, "smtp server timed out"},
		{context.Canceled, "send cancelled"},
		{errors.New("dial tcp 10.1.2.3:587: secret internals"), "smtp send failed"},
		{&HeaderError{"to", "not a valid email address"}, "invalid message: to: not a valid email address"},
	} {
		if got := Reason(tc.err); got != tc.want {
			t.Errorf("Reason(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
	if got := sanitize(strings.Repeat("é", 300), maxReason); len(got) > maxReason || !strings.HasPrefix(got, "é") ||
		strings.ContainsRune(got, '\uFFFD') {
		t.Errorf("sanitize cut badly: %d bytes", len(got))
	}
}

func TestMaskAddr(t *testing.T) {
	for in, want := range map[string]string{
		"550 <Ada@Client.Example>: unknown":                           "550 <<recipient>>: unknown",
		"ada@client.example ada@client.example, é ada@client.examplé": "<recipient> <recipient>, é ada@client.examplé",
		"nothing here": "nothing here",
	} {
		if got := maskAddr(in, "ada@client.example"); got != want {
			t.Errorf("maskAddr(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConfigStringHidesPassword(t *testing.T) {
	c := Config{Host: "smtp.example", Port: 587, Username: "u", Password: "hunter2", From: "a@b.example"}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "smtp", c)
	for _, s := range []string{c.String(), fmt.Sprintf("%v %+v", c, c), logs.String()} {
		if strings.Contains(s, "hunter2") || !strings.Contains(s, "smtp.example") {
			t.Errorf("%q", s)
		}
	}
}

func TestNewMailer(t *testing.T) {
	db := newDB(t)
	m, err := New(Config{}, nil, db, nil)
	if err != nil || m.Sender != nil {
		t.Fatalf("disabled config: sender %v, err %v", m.Sender, err)
	}
	if _, err := New(Config{Host: "smtp.example", From: "x", TLS: TLSNone}, nil, db, nil); err == nil {
		t.Fatal("invalid config accepted")
	}
	m, err = New(Config{Host: "smtp.example", From: "noreply@bureau.example"}, nil, db, nil)
	if err != nil || m.Sender == nil {
		t.Fatalf("enabled config: sender %v, err %v", m.Sender, err)
	}
}
