package uipathsim

import (
	"cmp"
	"fmt"
	"strings"
)

// compile turns a parsed $filter into a predicate over one entity set's
// rows, refusing properties the set lacks and literals of the wrong type
// with OData's own messages.
func compile[T any](n *node, sc schema[T]) (func(T) bool, error) {
	if n.op == "and" || n.op == "or" {
		l, err := compile(n.left, sc)
		if err != nil {
			return nil, err
		}
		r, err := compile(n.right, sc)
		if err != nil {
			return nil, err
		}
		if n.op == "and" {
			return func(x T) bool { return l(x) && r(x) }, nil
		}
		return func(x T) bool { return l(x) || r(x) }, nil
	}
	f, ok := sc.fields[n.prop]
	if !ok {
		return nil, noProperty(n.prop, sc.typeName)
	}
	if !compatible(f.kind, n.lit.kind) {
		return nil, queryError{fmt.Sprintf("The query specified in the URI is not valid. A binary operator with incompatible types was detected. Found operand types '%s' and '%s' for operator kind '%s'.",
			edmNames[f.kind], litEdm[n.lit.kind], comparisons[n.op])}
	}
	op, lit := n.op, n.lit
	return func(x T) bool { return compare(f.get(x), op, lit) }, nil
}

func compatible(k kind, l litKind) bool {
	switch l {
	case litNull:
		return k != kBool
	case litTime:
		return k == kTime
	case litString:
		return k == kString || k == kEnum
	case litEnum:
		return k == kEnum
	case litInt:
		return k == kInt
	case litBool:
		return k == kBool
	}
	return false
}

// compare follows C# null semantics, as Orchestrator's LINQ does: null
// equals only null, differs from everything else, and orders nowhere.
func compare(v value, op string, lit literal) bool {
	if lit.kind == litNull || v.null {
		bothNull := lit.kind == litNull && v.null
		switch op {
		case "eq":
			return bothNull
		case "ne":
			return !bothNull
		}
		return false
	}
	var c int
	switch lit.kind {
	case litTime:
		c = v.t.Compare(lit.t)
	case litString, litEnum:
		c = strings.Compare(v.s, lit.s)
	case litInt:
		c = cmp.Compare(v.n, lit.n)
	case litBool:
		if v.b == lit.b {
			c = 0
		} else {
			c = 1
		}
	}
	switch op {
	case "eq":
		return c == 0
	case "ne":
		return c != 0
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	default:
		return c <= 0
	}
}

func compareValues(k kind, a, b value) int {
	if a.null || b.null {
		return cmp.Compare(boolInt(!a.null), boolInt(!b.null)) // nulls first
	}
	switch k {
	case kTime:
		return a.t.Compare(b.t)
	case kString, kEnum:
		return strings.Compare(a.s, b.s)
	case kBool:
		return cmp.Compare(boolInt(a.b), boolInt(b.b))
	}
	return cmp.Compare(a.n, b.n)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
