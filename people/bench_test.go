package people

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"bureau/audit"
	"bureau/store/storetest"
)

func benchService(b *testing.B) (*Service, Scope) {
	db := storetest.Open(b,
		`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ('t1','one','One','2026-01-01T00:00:00.000000000Z','2026-01-01T00:00:00.000000000Z')`,
		`INSERT INTO accounts (id, tenant_id, slug, name, created_at, updated_at) VALUES ('a1','t1','acme','Acme','2026-01-01T00:00:00.000000000Z','2026-01-01T00:00:00.000000000Z')`)
	return &Service{DB: db, Now: time.Now}, Scope{TenantID: "t1", AccountID: "a1"}
}

func csvRows(n int) []byte {
	var sb strings.Builder
	sb.WriteString("email,group membership\n")
	for i := range n {
		fmt.Fprintf(&sb, "person%04d@client.example,Administrators\n", i)
	}
	return []byte(sb.String())
}

// BenchmarkImportCSV1000 is a full 1000-row import: parse, validate, write
// 1000 users, memberships, group rows, links and audit events in one
// transaction.
func BenchmarkImportCSV1000(b *testing.B) {
	data := csvRows(1000)
	for b.Loop() {
		b.StopTimer()
		s, sc := benchService(b)
		b.StartTimer()
		if _, err := s.ImportCSV(context.Background(), audit.Actor{Kind: audit.ActorUser, ID: "u0"}, sc, data, "client"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListMembers reads a 50-row page of an account of 1000 people.
func BenchmarkListMembers(b *testing.B) {
	s, sc := benchService(b)
	if _, err := s.ImportCSV(context.Background(), audit.Actor{Kind: audit.ActorUser, ID: "u0"}, sc, csvRows(1000), "client"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := s.List(context.Background(), sc, Page{Limit: 50}); err != nil {
			b.Fatal(err)
		}
	}
}
