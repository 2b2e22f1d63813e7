package store

import (
	"encoding/base64"
	"encoding/json"
	"errors"
)

// ErrBadCursor is a cursor this server did not make.
var ErrBadCursor = errors.New("bad cursor")

// EncodeCursor packs the sort key of the last row of a page. It carries
// position only: scope (tenant, account) always comes from the principal.
func EncodeCursor(key ...string) string {
	raw, _ := json.Marshal(key)
	return base64.RawURLEncoding.EncodeToString(raw)
}

// DecodeCursor unpacks a cursor of n parts.
func DecodeCursor(s string, n int) ([]string, error) {
	if len(s) > 1024 {
		return nil, ErrBadCursor
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, ErrBadCursor
	}
	var key []string
	if err := json.Unmarshal(raw, &key); err != nil || len(key) != n {
		return nil, ErrBadCursor
	}
	return key, nil
}
