package mail

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"bureau/store"
	"bureau/store/storetest"
)

// A real SMTP server (emersion/go-smtp) in the test process, recording what
// it receives.

const (
	testUser = "bureau"
	testPass = "s3cret-pa55"
)

type received struct {
	From  string
	Rcpts []string
	Data  []byte
	User  string // the AUTH PLAIN username, "" when none
	TLS   bool
}

type serverMode int

const (
	modeStartTLS serverMode = iota // TLS offered through STARTTLS
	modeImplicit                   // TLS from the first byte
	modePlain                      // no TLS at all
)

type testServer struct {
	Host string
	Port int
	Pool *x509.CertPool // trusts the server's self-signed certificate

	mu    sync.Mutex
	got   []received
	mails int // MAIL FROM commands seen: one per client attempt
	// fail decides the reply to RCPT for the n-th MAIL (1-based); nil accepts.
	fail func(n int) error
}

func (s *testServer) Received() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

func (s *testServer) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mails
}

func startServer(t *testing.T, mode serverMode, fail func(n int) error) *testServer {
	t.Helper()
	cert, pool := selfSigned(t)
	ts := &testServer{Pool: pool, fail: fail}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		_, isTLS := c.TLSConnectionState()
		return &session{srv: ts, tls: isTLS}, nil
	}))
	srv.Domain = "mx.test.example"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{cert}}

	var l net.Listener
	var err error
	switch mode {
	case modeStartTLS:
		srv.TLSConfig = tlsCfg
		l, err = net.Listen("tcp", "127.0.0.1:0")
	case modeImplicit:
		srv.TLSConfig = tlsCfg
		l, err = tls.Listen("tcp", "127.0.0.1:0", tlsCfg)
	case modePlain:
		srv.AllowInsecureAuth = true // loopback, like a local relay
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	host, port, _ := net.SplitHostPort(l.Addr().String())
	ts.Host = host
	ts.Port, _ = strconv.Atoi(port)
	return ts
}

type session struct {
	srv  *testServer
	tls  bool
	user string
	cur  received
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != testUser || password != testPass {
			return smtp.ErrAuthFailed
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.srv.mu.Lock()
	s.srv.mails++
	s.srv.mu.Unlock()
	s.cur = received{From: from, User: s.user, TLS: s.tls}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.srv.mu.Lock()
	n, fail := s.srv.mails, s.srv.fail
	s.srv.mu.Unlock()
	if fail != nil {
		if err := fail(n); err != nil {
			return err
		}
	}
	s.cur.Rcpts = append(s.cur.Rcpts, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = b
	s.srv.mu.Lock()
	s.srv.got = append(s.srv.got, s.cur)
	s.srv.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.cur = received{} }
func (s *session) Logout() error { return nil }

func smtpReply(code int, msg string) error {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: msg}
}

// selfSigned makes a certificate for 127.0.0.1 and localhost.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "bureau test smtp"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// newSender points a fast-retrying sender at ts.
func newSender(t *testing.T, ts *testServer, mut func(*Config)) *SMTPSender {
	t.Helper()
	cfg := Config{Host: ts.Host, Port: ts.Port, Username: testUser, Password: testPass,
		From: "noreply@bureau.example", FromName: "Bureau", TLS: TLSStartTLS,
		Timeout: 5 * time.Second, Retries: 3}
	if mut != nil {
		mut(&cfg)
	}
	s, err := NewSMTPSender(cfg, &tls.Config{RootCAs: ts.Pool})
	if err != nil {
		t.Fatal(err)
	}
	s.baseDelay, s.maxDelay = time.Millisecond, 5*time.Millisecond
	return s
}

// parsed is a received message taken apart.
type parsed struct {
	Header  netmail.Header
	Subject string // decoded
	Text    string
	HTML    string
}

func parseMessage(t *testing.T, raw []byte) parsed {
	t.Helper()
	if i := bytes.IndexByte(bytes.ReplaceAll(raw, []byte("\r\n"), nil), '\n'); i >= 0 {
		t.Fatalf("bare LF in the message at %d", i)
	}
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var p parsed
	p.Header = m.Header
	p.Subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject: %v", err)
	}
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("content type %q: %v", m.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart() // undoes quoted-printable
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(part)
		switch ct := part.Header.Get("Content-Type"); {
		case strings.HasPrefix(ct, "text/plain"):
			p.Text = string(b)
		case strings.HasPrefix(ct, "text/html"):
			p.HTML = string(b)
		default:
			t.Fatalf("unexpected part %q", ct)
		}
	}
	if p.Text == "" || p.HTML == "" {
		t.Fatalf("missing a part: text %d bytes, html %d bytes", len(p.Text), len(p.HTML))
	}
	return p
}

// newDB opens a migrated database with tenants t1 and t2.
func newDB(t *testing.T) *store.DB {
	return storetest.Open(t,
		`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ('t1', 't1', 't1', '', ''), ('t2', 't2', 't2', '', '')`)
}

const testToken = "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0"

func invitation(t *testing.T, tenantID, tenantName, account string) Message {
	t.Helper()
	msg, err := Invitation(InvitationData{
		TenantID: tenantID, TenantDisplayName: tenantName, To: "ada@client.example",
		AccountName: account, InviterName: "Grace Hopper", Role: "Account admin",
		Link:      "https://bureau.example/invite/" + testToken,
		ExpiresAt: time.Date(2030, 1, 8, 12, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	return msg
}
