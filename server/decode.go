package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"bureau/apperr"
)

// decode reads the JSON body into dst. Unknown fields are refused, so a
// request cannot set what the action does not offer (ISO-14); a body that is
// not one JSON object is a 400 with a message that says where it broke.
func decode(c *fiber.Ctx, dst any) error {
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return apperr.New(apperr.KindBadRequest, "invalid_json", "The request body is empty; send a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil && dec.Decode(&struct{}{}) != io.EOF {
		err = errors.New("trailing data after the JSON object")
	}
	if err == nil {
		return nil
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		field = strings.Trim(field, `"`)
		e := apperr.New(apperr.KindBadRequest, "unknown_field", fmt.Sprintf("The field %q is not accepted here.", field))
		e.Fields = []apperr.FieldError{{Field: field, Code: "unknown_field", Message: "Not accepted here."}}
		return e
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		e := apperr.New(apperr.KindBadRequest, "invalid_json",
			fmt.Sprintf("The field %q must be a %s.", typeErr.Field, typeErr.Type.Kind()))
		e.Fields = []apperr.FieldError{{Field: typeErr.Field, Code: "invalid_type", Message: "Wrong type."}}
		return e
	}
	return apperr.New(apperr.KindBadRequest, "invalid_json", "The request body is not valid JSON: "+err.Error())
}
