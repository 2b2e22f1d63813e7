// Package csvsafe writes CSV that spreadsheets open as data, never as
// formulas (CSV injection, OWASP): a cell that starts with = + - @, a tab or
// a carriage return gets a leading single quote, which Excel, LibreOffice
// and Google Sheets show as text.
package csvsafe

import (
	"encoding/csv"
	"io"
)

// Cell neutralises one value.
func Cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Writer is a csv.Writer that neutralises every cell it writes.
type Writer struct {
	w   *csv.Writer
	buf []string
}

// NewWriter writes CSV to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Write writes one record.
func (w *Writer) Write(record ...string) error {
	w.buf = w.buf[:0]
	for _, c := range record {
		w.buf = append(w.buf, Cell(c))
	}
	return w.w.Write(w.buf)
}

// Flush writes any buffered data and reports the first error.
func (w *Writer) Flush() error {
	w.w.Flush()
	return w.w.Error()
}
