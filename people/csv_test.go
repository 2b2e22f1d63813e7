package people

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseCSV(t *testing.T) {
	tests := []struct {
		name string
		in   string
		rows string // line:email:groups|...
		errs string // line:field:code|...
	}{
		{"plain", "email,group membership\na@x.example,Finance\n", "2:a@x.example:[Finance]", ""},
		{"header case and extra columns", "Name, EMAIL ,Group Membership,Notes\nAda,a@x.example,,hi\n", "2:a@x.example:[]", ""},
		{"no group column", "email\na@x.example\n", "2:a@x.example:[]", ""},
		{"BOM and CRLF", "\ufeffemail,group membership\r\na@x.example,Ops\r\nb@x.example,\r\n", "2:a@x.example:[Ops]|3:b@x.example:[]", ""},
		{"quoted cell, several groups", "email,group membership\na@x.example,\"Finance, Ops ,, \"\n", "2:a@x.example:[Finance Ops]", ""},
		{"quoted cell over two lines", "email,group membership\na@x.example,\"Finance,\nOps\"\nb@x.example,\n", "2:a@x.example:[Finance Ops]|4:b@x.example:[]", ""},
		{"blank lines keep line numbers", "email\n\na@x.example\n,\nb@x.example\n", "3:a@x.example:[]|5:b@x.example:[]", ""},
		{"no trailing newline", "email\na@x.example", "2:a@x.example:[]", ""},
		{"missing email cell", "email,group membership\n,Finance\n", "", "2:email:email_missing"},
		{"empty file", "", "", "1:file:csv_empty"},
		{"BOM only", "\ufeff", "", "1:file:csv_empty"},
		{"header only", "email,group membership\n", "", "1:file:csv_empty"},
		{"no email column", "mail,groups\na@x.example,\n", "", "1:file:csv_header"},
		{"stray quote", "email\na@x.example\nb\"@x.example\n", "", "3:file:csv_syntax"},
		{"unclosed quote", "email,group membership\na@x.example,\"Finance\n", "", "2:file:csv_syntax"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, errs := parseCSV([]byte(tt.in))
			var gotRows, gotErrs []string
			for _, r := range rows {
				g := r.groups
				if g == nil {
					g = []string{}
				}
				gotRows = append(gotRows, fmt.Sprintf("%d:%s:%v", r.line, r.email, g))
			}
			for _, e := range errs {
				gotErrs = append(gotErrs, fmt.Sprintf("%d:%s:%s", e.Line, e.Field, e.Code))
			}
			if tt.errs == "" && strings.Join(gotRows, "|") != tt.rows {
				t.Errorf("rows: got %q, want %q", strings.Join(gotRows, "|"), tt.rows)
			}
			if strings.Join(gotErrs, "|") != tt.errs {
				t.Errorf("errors: got %q, want %q", strings.Join(gotErrs, "|"), tt.errs)
			}
		})
	}
}

func TestParseCSVRowLimit(t *testing.T) {
	file := func(n int) []byte {
		var b strings.Builder
		b.WriteString("email\r\n")
		for i := range n {
			fmt.Fprintf(&b, "p%d@x.example\r\n", i)
		}
		return []byte(b.String())
	}
	if rows, errs := parseCSV(file(MaxCSVRows)); len(errs) != 0 || len(rows) != MaxCSVRows {
		t.Fatalf("%d rows: %d parsed, errors %v", MaxCSVRows, len(rows), errs)
	}
	_, errs := parseCSV(file(MaxCSVRows + 1))
	if len(errs) != 1 || errs[0].Code != "csv_too_many_rows" || errs[0].Line != MaxCSVRows+2 {
		t.Fatalf("%d rows: %v", MaxCSVRows+1, errs)
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("email,group membership\na@x.example,\"A, B\"\n"))
	f.Add([]byte("\ufeffEMAIL\r\n\"a\"\"b\"@x\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, errs := parseCSV(data)
		if len(rows) > MaxCSVRows {
			t.Fatalf("%d rows past the limit", len(rows))
		}
		for _, e := range errs {
			if e.Line < 1 || e.Code == "" || e.Message == "" {
				t.Fatalf("error without line or code: %+v", e)
			}
		}
	})
}
