package connector

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Spec describes a provider to people and to the settings form: its
// fields, which are secret, and where to find each value in the vendor's
// console.
type Spec struct {
	Name  string `json:"name"`  // "uipath-cloud"
	Label string `json:"label"` // "UiPath Automation Cloud"
	// Vendor groups providers of one vendor in the picker.
	Vendor string  `json:"vendor"`
	Help   string  `json:"help"` // one paragraph: what to create in the vendor's console
	Fields []Field `json:"fields"`
	// New builds a provider from a validated Config.
	New func(cfg Config) (Provider, error) `json:"-"`
}

// FieldKind tells the form which input to draw and us how to validate.
type FieldKind string

const (
	FieldText   FieldKind = "text"
	FieldURL    FieldKind = "url"
	FieldSelect FieldKind = "select"
	FieldBool   FieldKind = "bool"
	FieldPEM    FieldKind = "pem" // a multi-line certificate bundle
)

// Field is one setting or secret.
type Field struct {
	Key         string    `json:"key"`
	Label       string    `json:"label"`
	Kind        FieldKind `json:"kind"`
	Secret      bool      `json:"secret"`
	Required    bool      `json:"required"`
	Help        string    `json:"help"`
	Placeholder string    `json:"placeholder,omitempty"`
	Options     []string  `json:"options,omitempty"` // for FieldSelect
	Default     string    `json:"default,omitempty"`
	// RequiredWhen makes the field required only when another setting
	// has this value, e.g. {"auth": "password"}.
	RequiredWhen map[string]string `json:"required_when,omitempty"`
	// ShownWhen hides the field in the form unless another setting has
	// one of these values.
	ShownWhen map[string]string `json:"shown_when,omitempty"`
}

var (
	mu       sync.RWMutex
	registry = map[string]Spec{}
)

// Register adds a provider. Vendor packages call it from init.
func Register(s Spec) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[s.Name]; dup {
		panic("connector: provider registered twice: " + s.Name)
	}
	if s.Fields == nil {
		s.Fields = []Field{} // a list, even empty, for the API
	}
	registry[s.Name] = s
}

// Lookup returns the provider's spec.
func Lookup(name string) (Spec, bool) {
	mu.RLock()
	defer mu.RUnlock()
	s, ok := registry[name]
	return s, ok
}

// Specs returns every registered provider, sorted by name.
func Specs() []Spec {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]Spec, 0, len(registry))
	for _, s := range registry {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Spec) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// New builds the named provider after filling defaults and validating cfg.
func New(name string, cfg Config) (Provider, error) {
	s, ok := Lookup(name)
	if !ok {
		return nil, Errorf(KindConfig, "connect", "unknown provider %q", name)
	}
	cfg.Settings = s.WithDefaults(cfg.Settings)
	if errs := s.Validate(cfg.Settings, cfg.Secrets); len(errs) > 0 {
		return nil, Errorf(KindConfig, "connect", "%s", errs[0].Error())
	}
	return s.New(cfg)
}

// WithDefaults returns settings with every empty field set to its default.
func (s Spec) WithDefaults(settings map[string]string) map[string]string {
	out := make(map[string]string, len(s.Fields))
	for k, v := range settings {
		out[k] = v
	}
	for _, f := range s.Fields {
		if !f.Secret && out[f.Key] == "" && f.Default != "" {
			out[f.Key] = f.Default
		}
	}
	return out
}

// Field returns the named field.
func (s Spec) Field(key string) (Field, bool) {
	for _, f := range s.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// FieldError is one invalid setting or secret.
type FieldError struct {
	Key     string // the field's key
	Secret  bool
	Code    string // required, url_invalid, option_invalid, pem_invalid, unknown_field
	Message string
}

func (e FieldError) Error() string { return e.Key + ": " + e.Message }

// Validate checks settings and secrets against the spec: unknown keys,
// required fields (secrets included), URL shape, select options. Secrets
// holds the secrets that will be set (stored ones included), by key; their
// values are only checked for presence.
func (s Spec) Validate(settings, secrets map[string]string) []FieldError {
	var errs []FieldError
	for k := range settings {
		if f, ok := s.Field(k); !ok || f.Secret {
			errs = append(errs, FieldError{Key: k, Code: "unknown_field", Message: "not a setting of " + s.Label})
		}
	}
	for k := range secrets {
		if f, ok := s.Field(k); !ok || !f.Secret {
			errs = append(errs, FieldError{Key: k, Secret: true, Code: "unknown_field", Message: "not a secret of " + s.Label})
		}
	}
	for _, f := range s.Fields {
		v := settings[f.Key]
		if f.Secret {
			v = secrets[f.Key]
		}
		if strings.TrimSpace(v) == "" {
			if f.requiredFor(settings) {
				errs = append(errs, FieldError{Key: f.Key, Secret: f.Secret, Code: "required", Message: f.Label + " is required"})
			}
			continue
		}
		if f.Secret {
			continue
		}
		switch f.Kind {
		case FieldURL:
			if err := checkURL(v); err != nil {
				errs = append(errs, FieldError{Key: f.Key, Code: "url_invalid", Message: f.Label + ": " + err.Error()})
			}
		case FieldSelect:
			if !slices.Contains(f.Options, v) {
				errs = append(errs, FieldError{Key: f.Key, Code: "option_invalid", Message: fmt.Sprintf("%s must be one of %s", f.Label, strings.Join(f.Options, ", "))})
			}
		case FieldBool:
			if v != "true" && v != "false" {
				errs = append(errs, FieldError{Key: f.Key, Code: "option_invalid", Message: f.Label + " must be true or false"})
			}
		case FieldPEM:
			if err := ParseCA(v); err != nil {
				errs = append(errs, FieldError{Key: f.Key, Code: "pem_invalid", Message: f.Label + ": " + err.Error()})
			}
		}
	}
	slices.SortFunc(errs, func(a, b FieldError) int { return strings.Compare(a.Key, b.Key) })
	return errs
}

func (f Field) requiredFor(settings map[string]string) bool {
	if len(f.RequiredWhen) == 0 {
		return f.Required
	}
	for k, v := range f.RequiredWhen {
		if settings[k] != v {
			return false
		}
	}
	return true
}

// checkURL accepts absolute http(s) URLs without credentials, query or
// fragment.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("enter a full address such as https://example.com")
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("must start with https:// (or http:// for a local server)")
	}
	if u.User != nil {
		return fmt.Errorf("must not contain a user name or password")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("must not contain ? or #")
	}
	return nil
}

// JoinURL joins a base URL and a path with exactly one slash.
func JoinURL(base, path string) string {
	return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(path, "/")
}
