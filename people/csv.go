package people

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"bureau/apperr"
	"bureau/audit"
)

// MaxCSVRows is the most data rows one upload may carry (SPEC §3).
const MaxCSVRows = 1000

// CSV column headers, matched case-insensitively.
const (
	colEmail  = "email"
	colGroups = "group membership"
)

type csvRow struct {
	line   int
	email  string
	groups []string // names as written
}

// ImportCSV invites everyone in a CSV file with the given role. The file
// is checked whole first (syntax, addresses, duplicates, groups, existing
// memberships); one bad row means nothing is written, and every bad row is
// reported with its line: 422 csv_invalid.
func (s *Service) ImportCSV(ctx context.Context, actor audit.Actor, sc Scope, data []byte, role string) ([]Invited, error) {
	if sc.Staff() {
		return nil, errors.New("csv import: staff are invited one by one")
	}
	if !sc.validRole(role) {
		fe := sc.roleError("role")
		return nil, apperr.Invalid(fe.Code, fe.Message)
	}
	rows, errs := parseCSV(data)
	if len(errs) > 0 {
		return nil, csvInvalid(errs)
	}
	idx, err := s.groupIndex(ctx, s.DB.R, sc)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	in := make([]InviteInput, len(rows))
	for i, r := range rows {
		email := NormalizeEmail(r.email)
		switch first, dup := seen[email]; {
		case !validEmail(email):
			errs.add(r.line, colEmail, "email_invalid", fmt.Sprintf("%q is not an email address.", clip(r.email)))
		case dup:
			errs.add(r.line, colEmail, "duplicate_email", fmt.Sprintf("%s is also on line %d.", email, first))
		default:
			seen[email] = r.line
		}
		in[i] = InviteInput{Email: email, Role: role, Groups: []string{}}
		for _, name := range r.groups {
			g, ok := idx.byName[NameKey(name)]
			if !ok {
				errs.add(r.line, colGroups, "group_not_found", fmt.Sprintf("No group named %q in this account. Create it on the Groups page first.", clip(name)))
				continue
			}
			in[i].Groups = append(in[i].Groups, g.id)
		}
	}
	if len(errs) > 0 {
		return nil, csvInvalid(errs)
	}
	out, probs, err := s.invite(ctx, actor, sc, in)
	if err != nil {
		return nil, err
	}
	for _, p := range probs {
		field := colEmail
		if p.field == "groups" {
			field = colGroups
		}
		errs.add(rows[p.index].line, field, p.code, p.message)
	}
	if len(errs) > 0 {
		return nil, csvInvalid(errs)
	}
	return out, nil
}

type csvErrors []apperr.FieldError

func (e *csvErrors) add(line int, field, code, message string) {
	*e = append(*e, apperr.FieldError{Line: line, Field: field, Code: code, Message: message})
}

func csvInvalid(errs csvErrors) error {
	n := len(errs)
	msg := fmt.Sprintf("%d rows have problems; nothing was imported. Fix them and upload the file again.", n)
	if n == 1 {
		msg = "1 row has a problem; nothing was imported. Fix it and upload the file again."
	}
	e := apperr.Invalid("csv_invalid", msg)
	e.Fields = errs
	return e
}

// clip keeps quoted user input short in messages.
func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

// parseCSV reads the header and the data rows. Blank lines are skipped; a
// UTF-8 byte order mark (Excel's "CSV UTF-8") is dropped; CRLF and LF both
// end a line; quoted cells may hold commas and line breaks.
func parseCSV(data []byte) ([]csvRow, csvErrors) {
	var errs csvErrors
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		errs.add(1, "file", "csv_empty", "The file is empty. Start from the template: a header line `email,group membership`, then one person per line.")
		return nil, errs
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	header, err := r.Read()
	if err != nil {
		errs.add(lineOf(err, 1), "file", "csv_syntax", syntaxMessage(err))
		return nil, errs
	}
	emailCol, groupsCol := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case colEmail:
			if emailCol < 0 {
				emailCol = i
			}
		case colGroups:
			if groupsCol < 0 {
				groupsCol = i
			}
		}
	}
	if emailCol < 0 {
		errs.add(1, "file", "csv_header", "The first line must name the columns, with one called `email` (and optionally `group membership`).")
		return nil, errs
	}
	var rows []csvRow
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs.add(lineOf(err, 0), "file", "csv_syntax", syntaxMessage(err))
			return nil, errs
		}
		line, _ := r.FieldPos(0)
		if blank(rec) {
			continue
		}
		if len(rows) == MaxCSVRows {
			errs.add(line, "file", "csv_too_many_rows",
				fmt.Sprintf("The file has more than %d people. Split it into several files.", MaxCSVRows))
			return nil, errs
		}
		row := csvRow{line: line}
		if emailCol < len(rec) {
			row.email = strings.TrimSpace(rec[emailCol])
		}
		if row.email == "" {
			errs.add(line, colEmail, "email_missing", "This row has no email address.")
		}
		if groupsCol >= 0 && groupsCol < len(rec) {
			for _, g := range strings.Split(rec[groupsCol], ",") {
				if g = strings.TrimSpace(g); g != "" {
					row.groups = append(row.groups, g)
				}
			}
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 && len(errs) == 0 {
		errs.add(1, "file", "csv_empty", "The file has a header but nobody in it. Add one person per line.")
	}
	return rows, errs
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func lineOf(err error, fallback int) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Line
	}
	return fallback
}

func syntaxMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			return "A quote is out of place. Put a cell with commas in double quotes, and double any quote inside it."
		}
		return "This line cannot be read as CSV: " + pe.Err.Error() + "."
	}
	return "The file cannot be read as CSV."
}
