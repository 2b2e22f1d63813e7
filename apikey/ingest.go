package apikey

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"bureau/apperr"
	"bureau/estate"
)

// MaxItems bounds one ingest batch.
const MaxItems = 1000

// What a batch carries.
const (
	KindProcesses = "processes"
	KindRobots    = "robots"
	KindJobs      = "jobs"
)

// ItemError is one problem with one item of a batch (KEY-08).
type ItemError struct {
	Index   int    `json:"index"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Result is what a batch did: items received and rows added or changed.
type Result struct {
	Received int `json:"received"`
	Changed  int `json:"changed"`
}

// maxErrors bounds the errors one answer lists.
const maxErrors = 1000

// Ingest validates every item of a batch and, only if all are good, writes
// them in one transaction (KEY-08), upserting on ref so a batch sent again
// changes nothing (KEY-07). The account is the key's (KEY-03).
func (s *Service) Ingest(ctx context.Context, k Key, kind string, body []byte) (Result, error) {
	items, err := envelope(body)
	if err != nil {
		return Result{}, err
	}
	var write func(ctx context.Context, tx *sql.Tx, sc estate.Scope) (int, error)
	var errs []ItemError
	now := s.Now()
	switch kind {
	case KindProcesses:
		ps, e := decodeAll(items, validProcess)
		errs, write = e, func(ctx context.Context, tx *sql.Tx, sc estate.Scope) (int, error) {
			return estate.UpsertProcesses(ctx, tx, sc, ps, estate.SourceIngest, now)
		}
	case KindRobots:
		rs, e := decodeAll(items, validRobot)
		errs, write = e, func(ctx context.Context, tx *sql.Tx, sc estate.Scope) (int, error) {
			return estate.UpsertRobots(ctx, tx, sc, rs, estate.SourceIngest, now)
		}
	case KindJobs:
		js, e := decodeAll(items, func(raw json.RawMessage) (jobOut, []ItemError) { return validJob(raw, now) })
		errs, write = e, func(ctx context.Context, tx *sql.Tx, sc estate.Scope) (int, error) {
			return estate.UpsertJobs(ctx, tx, sc, js, estate.SourceIngest, now)
		}
	default:
		return Result{}, apperr.NotFound()
	}
	if len(errs) > 0 {
		return Result{}, itemsInvalid(errs)
	}
	res := Result{Received: len(items)}
	err = s.DB.Write(ctx, func(tx *sql.Tx) error {
		n, err := write(ctx, tx, estate.Scope{TenantID: k.TenantID, AccountID: k.AccountID})
		res.Changed = n
		return err
	})
	if err != nil {
		return Result{}, fmt.Errorf("ingest %s: %w", kind, err)
	}
	return res, nil
}

// envelope reads {"items": [...]}: nothing else, at most MaxItems.
func envelope(body []byte) ([]json.RawMessage, error) {
	var in struct {
		Items *[]json.RawMessage `json:"items"`
	}
	if err := strictDecode(body, &in); err != nil {
		return nil, apperr.New(apperr.KindBadRequest, "invalid_json", `Send a JSON object {"items": [...]}: `+err.Error())
	}
	if in.Items == nil {
		var f apperr.Fields
		f.Add("items", "required", "Send the records in \"items\".")
		return nil, f.Err()
	}
	if len(*in.Items) > MaxItems {
		return nil, apperr.Invalid("too_many_items", fmt.Sprintf("Send at most %d items per request; this one has %d.", MaxItems, len(*in.Items)))
	}
	return *in.Items, nil
}

func strictDecode(raw []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if dec.Decode(&struct{}{}) != io.EOF {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}

// decodeAll validates every item, collecting the errors of all of them.
func decodeAll[T any](items []json.RawMessage, valid func(json.RawMessage) (T, []ItemError)) ([]T, []ItemError) {
	out := make([]T, 0, len(items))
	var errs []ItemError
	for i, raw := range items {
		v, es := valid(raw)
		for _, e := range es {
			e.Index = i
			errs = append(errs, e)
		}
		out = append(out, v)
	}
	return out, errs
}

// itemErr turns a decoding failure into the item's error.
func itemErr(err error) ItemError {
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr):
		return ItemError{Field: typeErr.Field, Message: "must be a " + typeErr.Type.Kind().String()}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return ItemError{Field: strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), Message: "is not accepted here"}
	}
	return ItemError{Field: "", Message: "must be a JSON object: " + err.Error()}
}

func itemsInvalid(errs []ItemError) error {
	e := apperr.Invalid("validation_failed", fmt.Sprintf("%d problem(s) in the batch; nothing was written.", len(errs)))
	if len(errs) > maxErrors {
		errs = errs[:maxErrors]
	}
	e.Extra = map[string]any{"errors": errs}
	return e
}
