package uipathsim

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The $filter subset: comparisons (eq ne gt ge lt le) of a property with a
// literal, joined by and/or, grouped by parentheses. Anything else is a
// 400, as OData answers syntax it cannot parse, so a client that sends a
// wrong filter finds out here rather than against a customer's tenant.

type node struct {
	op          string // and, or, eq, ne, gt, ge, lt, le
	left, right *node
	prop        string
	lit         literal
}

type litKind int

const (
	litTime litKind = iota + 1
	litString
	litEnum
	litInt
	litBool
	litNull
)

type literal struct {
	kind litKind
	t    time.Time
	s    string
	n    int64
	b    bool
}

type tokKind int

const (
	tIdent tokKind = iota + 1
	tString
	tEnum // Namespace.Type'Value'
	tNumber
	tDate
	tLParen
	tRParen
)

type token struct {
	kind tokKind
	text string
	pos  int
}

var (
	dateLit   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})`)
	numberLit = regexp.MustCompile(`^-?\d+`)
	identLit  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_./]*`)
)

var comparisons = map[string]string{
	"eq": "Equal", "ne": "NotEqual", "gt": "GreaterThan", "ge": "GreaterThanOrEqual", "lt": "LessThan", "le": "LessThanOrEqual",
}

func syntaxError(src string, pos int) error {
	return fmt.Errorf("The query specified in the URI is not valid. Syntax error at position %d in '%s'.", pos, src)
}

func tokenize(src string) ([]token, error) {
	var out []token
	for i := 0; i < len(src); {
		rest := src[i:]
		switch c := src[i]; {
		case c == ' ':
			i++
		case c == '(':
			out = append(out, token{tLParen, "(", i})
			i++
		case c == ')':
			out = append(out, token{tRParen, ")", i})
			i++
		case c == '\'':
			s, n, ok := quoted(rest)
			if !ok {
				return nil, syntaxError(src, i)
			}
			out = append(out, token{tString, s, i})
			i += n
		case dateLit.MatchString(rest):
			m := dateLit.FindString(rest)
			out = append(out, token{tDate, m, i})
			i += len(m)
		case numberLit.MatchString(rest):
			m := numberLit.FindString(rest)
			out = append(out, token{tNumber, m, i})
			i += len(m)
		case identLit.MatchString(rest):
			m := identLit.FindString(rest)
			if strings.HasPrefix(rest[len(m):], "'") {
				s, n, ok := quoted(rest[len(m):])
				if !ok {
					return nil, syntaxError(src, i)
				}
				out = append(out, token{tEnum, s, i})
				i += len(m) + n
				continue
			}
			out = append(out, token{tIdent, m, i})
			i += len(m)
		default:
			return nil, syntaxError(src, i)
		}
	}
	return out, nil
}

// quoted reads an OData string literal, where a doubled quote escapes one.
func quoted(s string) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return b.String(), i + 1, true
	}
	return "", 0, false
}

type parser struct {
	src  string
	toks []token
	i    int
}

func parseFilter(src string) (*node, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, syntaxError(src, p.toks[p.i].pos)
	}
	return n, nil
}

func (p *parser) peek() (token, bool) {
	if p.i < len(p.toks) {
		return p.toks[p.i], true
	}
	return token{}, false
}

func (p *parser) errAt() error {
	if t, ok := p.peek(); ok {
		return syntaxError(p.src, t.pos)
	}
	return syntaxError(p.src, len(p.src))
}

func (p *parser) keyword(word string) bool {
	t, ok := p.peek()
	if ok && t.kind == tIdent && t.text == word {
		p.i++
		return true
	}
	return false
}

func (p *parser) or() (*node, error) {
	left, err := p.and()
	for err == nil && p.keyword("or") {
		var right *node
		if right, err = p.and(); err == nil {
			left = &node{op: "or", left: left, right: right}
		}
	}
	return left, err
}

func (p *parser) and() (*node, error) {
	left, err := p.primary()
	for err == nil && p.keyword("and") {
		var right *node
		if right, err = p.primary(); err == nil {
			left = &node{op: "and", left: left, right: right}
		}
	}
	return left, err
}

func (p *parser) primary() (*node, error) {
	t, ok := p.peek()
	if !ok {
		return nil, p.errAt()
	}
	if t.kind == tLParen {
		p.i++
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if t, ok := p.peek(); !ok || t.kind != tRParen {
			return nil, p.errAt()
		}
		p.i++
		return n, nil
	}
	return p.comparison()
}

func (p *parser) comparison() (*node, error) {
	prop, ok := p.peek()
	if !ok || prop.kind != tIdent {
		return nil, p.errAt()
	}
	p.i++
	if t, ok := p.peek(); ok && t.kind == tLParen {
		// Functions (contains, startswith, …) are valid OData the
		// simulator does not implement; the connector does not use them.
		return nil, fmt.Errorf("The query specified in the URI is not valid. Unknown function '%s'.", prop.text)
	}
	op, ok := p.peek()
	if !ok || op.kind != tIdent || comparisons[op.text] == "" {
		return nil, p.errAt()
	}
	p.i++
	lit, err := p.literal()
	if err != nil {
		return nil, err
	}
	return &node{op: op.text, prop: prop.text, lit: lit}, nil
}

func (p *parser) literal() (literal, error) {
	t, ok := p.peek()
	if !ok {
		return literal{}, p.errAt()
	}
	p.i++
	switch t.kind {
	case tString:
		return literal{kind: litString, s: t.text}, nil
	case tEnum:
		return literal{kind: litEnum, s: t.text}, nil
	case tNumber:
		n, err := strconv.ParseInt(t.text, 10, 64)
		if err != nil {
			return literal{}, syntaxError(p.src, t.pos)
		}
		return literal{kind: litInt, n: n}, nil
	case tDate:
		v, err := time.Parse(time.RFC3339Nano, t.text)
		if err != nil {
			return literal{}, syntaxError(p.src, t.pos)
		}
		return literal{kind: litTime, t: v}, nil
	case tIdent:
		switch t.text {
		case "null":
			return literal{kind: litNull}, nil
		case "true", "false":
			return literal{kind: litBool, b: t.text == "true"}, nil
		}
	}
	return literal{}, syntaxError(p.src, t.pos)
}
