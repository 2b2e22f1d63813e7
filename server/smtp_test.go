package server

import (
	"io"
	"log"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"bureau/config"
)

// smtpSink is a real SMTP server (emersion/go-smtp) on loopback that keeps
// what it is sent. Its TLS modes are tested in package mail; here it proves
// Bureau's flows mail what they should, to whom.
type smtpSink struct {
	host string
	port int
	srv  *smtp.Server

	mu   sync.Mutex
	msgs []sunkMail
}

type sunkMail struct {
	To   string
	Data string
}

func startSMTP(t *testing.T) *smtpSink {
	t.Helper()
	sink := &smtpSink{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &sinkSession{sink: sink}, nil
	}))
	srv.Domain = "mx.test.example"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	host, port, _ := net.SplitHostPort(l.Addr().String())
	sink.host, sink.srv = host, srv
	sink.port, _ = strconv.Atoi(port)
	return sink
}

// withSMTP points the server's mail at sink, without TLS (loopback only).
func withSMTP(sink *smtpSink) envOption {
	return func(c *config.Config) {
		c.SMTP = config.SMTP{Host: sink.host, Port: sink.port, From: "noreply@bureau.test", FromName: "Bureau",
			TLS: "none", Timeout: 2 * time.Second, Retries: 0}
	}
}

type sinkSession struct {
	sink *smtpSink
	to   string
}

func (s *sinkSession) AuthMechanisms() []string                  { return nil }
func (s *sinkSession) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = to; return nil }
func (s *sinkSession) Reset()                                    {}
func (s *sinkSession) Logout() error                             { return nil }
func (s *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.sink.mu.Lock()
	s.sink.msgs = append(s.sink.msgs, sunkMail{To: s.to, Data: string(b)})
	s.sink.mu.Unlock()
	return nil
}

// waitFor returns the first message to addr whose text contains want,
// waiting a little for mail sent in the background.
func (s *smtpSink) waitFor(t *testing.T, addr, want string) sunkMail {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		for _, m := range s.msgs {
			if m.To == addr && strings.Contains(unfoldQP(m.Data), want) {
				s.mu.Unlock()
				return m
			}
		}
		s.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no mail to %s containing %q", addr, want)
	return sunkMail{}
}

func (s *smtpSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.msgs)
}

// unfoldQP undoes quoted-printable soft line breaks, enough to find a link.
func unfoldQP(s string) string {
	return strings.NewReplacer("=\r\n", "", "=3D", "=").Replace(s)
}

var linkPattern = regexp.MustCompile(testBase + `/(invite|reset-password)/[A-Za-z0-9_-]+`)

// linkIn is the Bureau link in a mail.
func linkIn(t *testing.T, m sunkMail) string {
	t.Helper()
	link := linkPattern.FindString(unfoldQP(m.Data))
	if link == "" {
		t.Fatalf("no link in mail:\n%s", m.Data)
	}
	return link
}
