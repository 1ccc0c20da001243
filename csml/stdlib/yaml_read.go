package stdlib

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"switchboard/csml/interp"
	"switchboard/csml/syntax"
)

// readYAML reads the YAML document string.to_json() accepts. The parsing
// is go.yaml.in/yaml/v3's (block and flow styles, anchors, aliases, tags,
// so JSON too); this adapter builds the value as the reference's
// serde_yaml does: plain scalars resolve by resolvePlain (so "yes" stays a
// string), keys become strings, the core tags (!!str, !!int, !!float,
// !!bool, !!null) convert their scalar and other tags are ignored, "<<" is
// an ordinary key (no merge), one document only.
//
// Aliases are expanded: each use copies the anchored value, and all the
// copies count against yamlBudget, so a document of nested aliases (the
// "billion laughs") is refused with errYAMLBudget before it is built.
// size is what the value counts against the run's memory budget.
func readYAML(src string) (v interp.Value, size int64, err error) {
	defer func() {
		if r := recover(); r != nil { // the parser's, never seen: refuse the input
			v, err = interp.Value{}, fmt.Errorf("%w: %v", errYAML, r)
		}
	}()
	dec := yaml.NewDecoder(strings.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return interp.NullValue(), 0, nil
		}
		return interp.Value{}, 0, fmt.Errorf("%w: %v", errYAML, err)
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return interp.Value{}, 0, fmt.Errorf("%w: more than one document", errYAML)
	}
	b := &yamlBuilder{budget: yamlBudget}
	v, err = b.value(&doc, 0)
	return v, yamlBudget - b.budget, err
}

var (
	errYAML = errors.New("invalid YAML")
	// errYAMLBudget is the error of a document whose aliases expand past
	// yamlBudget.
	errYAMLBudget = fmt.Errorf("YAML aliases expand past %d bytes", yamlBudget)
)

// yamlBudget bounds the bytes of values a document makes, aliases
// expanded: the run's default memory budget.
const yamlBudget = interp.DefaultMemoryLimit

// yamlNodeSize is what one node counts against the budget (a value).
const yamlNodeSize = 64

// maxYAMLDepth bounds nesting, so that hostile input cannot exhaust the
// stack.
const maxYAMLDepth = 200

// yamlBuilder turns a document's nodes into a value.
type yamlBuilder struct {
	budget int64
}

func (b *yamlBuilder) value(n *yaml.Node, depth int) (interp.Value, error) {
	if depth > maxYAMLDepth {
		return interp.Value{}, fmt.Errorf("%w: nested deeper than %d", errYAML, maxYAMLDepth)
	}
	b.budget -= yamlNodeSize + int64(len(n.Value))
	if b.budget < 0 {
		return interp.Value{}, errYAMLBudget
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return interp.NullValue(), nil
		}
		return b.value(n.Content[0], depth)
	case yaml.AliasNode:
		return b.value(n.Alias, depth+1)
	case yaml.SequenceNode:
		items := make([]interp.Value, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := b.value(c, depth+1)
			if err != nil {
				return interp.Value{}, err
			}
			items = append(items, v)
		}
		return interp.ArrayValue(items), nil
	case yaml.MappingNode:
		o := interp.NewObject(len(n.Content) / 2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, err := b.value(n.Content[i], depth+1)
			if err != nil {
				return interp.Value{}, err
			}
			if k.Kind() == interp.Array || k.Kind() == interp.Object {
				return interp.Value{}, fmt.Errorf("%w: line %d: a key must be a scalar", errYAML, n.Content[i].Line)
			}
			v, err := b.value(n.Content[i+1], depth+1)
			if err != nil {
				return interp.Value{}, err
			}
			o.Set(interp.ToString(k), v)
		}
		return interp.ObjectValue(o), nil
	}
	return scalar(n)
}

// scalar converts a scalar node: an explicit core tag decides its type,
// else a plain scalar resolves as serde_yaml does and a quoted or block
// one is a string.
func scalar(n *yaml.Node) (interp.Value, error) {
	tagged := n.Style&yaml.TaggedStyle != 0
	plain := n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0
	if !tagged {
		if plain {
			return resolvePlain(n.Value), nil
		}
		return interp.StringValue(n.Value), nil
	}
	bad := fmt.Errorf("%w: line %d: %q is not a valid %s", errYAML, n.Line, n.Value, n.Tag)
	switch n.ShortTag() {
	case "!!str":
		return interp.StringValue(n.Value), nil
	case "!!null":
		return interp.NullValue(), nil
	case "!!int":
		if v := resolvePlain(n.Value); v.Kind() == interp.Int {
			return v, nil
		}
		return interp.Value{}, bad
	case "!!float":
		switch v := resolvePlain(n.Value); v.Kind() {
		case interp.Float:
			return v, nil
		case interp.Int:
			return interp.FloatValue(float64(v.Int())), nil
		}
		return interp.Value{}, bad
	case "!!bool":
		if v := resolvePlain(n.Value); v.Kind() == interp.Bool {
			return v, nil
		}
		return interp.Value{}, bad
	}
	if plain {
		return resolvePlain(n.Value), nil
	}
	return interp.StringValue(n.Value), nil
}

// resolvePlain gives a plain scalar its type, as serde_yaml does.
func resolvePlain(s string) interp.Value {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return interp.NullValue()
	case "true", "True", "TRUE":
		return interp.BoolValue(true)
	case "false", "False", "FALSE":
		return interp.BoolValue(false)
	case ".inf", ".Inf", ".INF", "+.inf":
		return interp.FloatValue(math.Inf(1))
	case "-.inf", "-.Inf", "-.INF":
		return interp.FloatValue(math.Inf(-1))
	case ".nan", ".NaN", ".NAN":
		return interp.FloatValue(math.NaN())
	}
	if n, ok := syntax.ParseInt(s); ok {
		return interp.IntValue(n)
	}
	if strings.HasPrefix(s, "0x") {
		if n, err := strconv.ParseInt(s[2:], 16, 64); err == nil {
			return interp.IntValue(n)
		}
	}
	if strings.HasPrefix(s, "0o") {
		if n, err := strconv.ParseInt(s[2:], 8, 64); err == nil {
			return interp.IntValue(n)
		}
	}
	if f, ok := syntax.ParseFloat(s); ok {
		return interp.FloatValue(f)
	}
	return interp.StringValue(s)
}
