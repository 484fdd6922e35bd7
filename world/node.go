package world

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Error is a problem in a world file, located by line and column (1-based;
// 0 when unknown) and by the path of the element in the document
// ("accounts[0].users[1].name").
type Error struct {
	File      string
	Line, Col int
	Path      string
	Msg       string
}

// Error formats the error as file:line:col: path: message.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteByte(':')
	}
	if e.Line > 0 {
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteByte(':')
		if e.Col > 0 {
			b.WriteString(strconv.Itoa(e.Col))
			b.WriteByte(':')
		}
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Limits that keep a hostile file from costing unbounded time or memory.
const (
	// MaxSize is the largest world file Load reads, in bytes.
	MaxSize = 8 << 20
	// maxNodes bounds the nodes visited, counting every expansion of an
	// alias, so that aliases of aliases cannot blow up.
	maxNodes = 1 << 20
	// maxDepth bounds the nesting of a policy document.
	maxDepth = 64
)

// walker reads a YAML node tree with line-numbered errors.
type walker struct {
	file   string
	budget int
}

func (w *walker) errf(n *yaml.Node, path, format string, args ...any) *Error {
	e := &Error{File: w.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	return e
}

// resolve follows aliases and charges the node budget.
func (w *walker) resolve(n *yaml.Node, path string) (*yaml.Node, error) {
	for i := 0; n != nil && n.Kind == yaml.AliasNode; i++ {
		if i > 100 || n.Alias == nil {
			return nil, w.errf(n, path, "alias cannot be resolved")
		}
		n = n.Alias
	}
	w.budget--
	if w.budget < 0 {
		return nil, w.errf(n, path, "document too large (more than %d nodes, counting aliases)", maxNodes)
	}
	return n, nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a scalar"
	}
	return "nothing"
}

// field is one key of a mapping.
type field struct {
	key  *yaml.Node
	node *yaml.Node
	path string
}

// mapping returns the fields of a mapping node, refusing keys not in
// allowed (a typo must not be silently ignored) and merge keys.
func (w *walker) mapping(n *yaml.Node, path string, allowed ...string) (map[string]field, error) {
	n, err := w.resolve(n, path)
	if err != nil {
		return nil, err
	}
	if n.Kind != yaml.MappingNode {
		return nil, w.errf(n, path, "expected a mapping, found %s", kindName(n))
	}
	out := make(map[string]field, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		k, err := w.resolve(k, path)
		if err != nil {
			return nil, err
		}
		if k.Kind != yaml.ScalarNode {
			return nil, w.errf(k, path, "mapping keys must be scalars")
		}
		if k.Tag == "!!merge" {
			return nil, w.errf(k, path, "merge keys (<<) are not supported")
		}
		sub := joinPath(path, k.Value)
		if allowed != nil && !contains(allowed, k.Value) {
			return nil, w.errf(k, sub, "unknown field %q (expected one of: %s)", k.Value, strings.Join(allowed, ", "))
		}
		if _, dup := out[k.Value]; dup {
			return nil, w.errf(k, sub, "field given twice")
		}
		out[k.Value] = field{key: k, node: v, path: sub}
	}
	return out, nil
}

// pairs returns a mapping's entries in document order (for maps of free
// keys: inline policies, tags).
func (w *walker) pairs(n *yaml.Node, path string) ([]field, error) {
	n, err := w.resolve(n, path)
	if err != nil {
		return nil, err
	}
	if n.Kind != yaml.MappingNode {
		return nil, w.errf(n, path, "expected a mapping, found %s", kindName(n))
	}
	var out []field
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, err := w.resolve(n.Content[i], path)
		if err != nil {
			return nil, err
		}
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			return nil, w.errf(k, path, "keys must be plain scalars")
		}
		sub := joinPath(path, k.Value)
		if seen[k.Value] {
			return nil, w.errf(k, sub, "key given twice")
		}
		seen[k.Value] = true
		out = append(out, field{key: k, node: n.Content[i+1], path: sub})
	}
	return out, nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// seq returns the items of a list node.
func (w *walker) seq(n *yaml.Node, path string) ([]*yaml.Node, error) {
	n, err := w.resolve(n, path)
	if err != nil {
		return nil, err
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, w.errf(n, path, "expected a list, found %s", kindName(n))
	}
	return n.Content, nil
}

// str returns a scalar's text ("" for null).
func (w *walker) str(n *yaml.Node, path string) (string, error) {
	n, err := w.resolve(n, path)
	if err != nil {
		return "", err
	}
	if n.Kind != yaml.ScalarNode {
		return "", w.errf(n, path, "expected a scalar, found %s", kindName(n))
	}
	if n.Tag == "!!null" {
		return "", nil
	}
	return n.Value, nil
}

// strs returns a list of scalars; a single scalar is a list of one.
func (w *walker) strs(n *yaml.Node, path string) ([]string, error) {
	r, err := w.resolve(n, path)
	if err != nil {
		return nil, err
	}
	if r.Kind == yaml.ScalarNode && r.Tag != "!!null" {
		return []string{r.Value}, nil
	}
	items, err := w.seq(r, path)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		s, err := w.str(it, fmt.Sprintf("%s[%d]", path, i))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// boolean returns a boolean scalar; "on" and "off" are accepted too.
func (w *walker) boolean(n *yaml.Node, path string) (bool, error) {
	r, err := w.resolve(n, path)
	if err != nil {
		return false, err
	}
	s, err := w.str(r, path)
	if err != nil {
		return false, err
	}
	switch strings.ToLower(s) {
	case "true", "on", "yes":
		return true, nil
	case "false", "off", "no":
		return false, nil
	}
	return false, w.errf(r, path, "expected true or false, found %q", s)
}

// document returns a policy document given as a JSON string or written as
// YAML, in JSON text. YAML scalars become JSON strings (policy values are
// strings; IAM reads numbers and booleans as strings anyway) and null
// becomes null.
func (w *walker) document(n *yaml.Node, path string) (string, error) {
	r, err := w.resolve(n, path)
	if err != nil {
		return "", err
	}
	if r.Kind == yaml.ScalarNode {
		if r.Tag == "!!null" {
			return "", w.errf(r, path, "the policy document is empty")
		}
		return r.Value, nil
	}
	var b strings.Builder
	if err := w.toJSON(&b, r, path, 0); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (w *walker) toJSON(b *strings.Builder, n *yaml.Node, path string, depth int) error {
	if depth > maxDepth {
		return w.errf(n, path, "policy document nested more than %d levels", maxDepth)
	}
	n, err := w.resolve(n, path)
	if err != nil {
		return err
	}
	switch n.Kind {
	case yaml.MappingNode:
		fields, err := w.pairs(n, path)
		if err != nil {
			return err
		}
		b.WriteByte('{')
		for i, f := range fields {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, f.key.Value)
			b.WriteByte(':')
			if err := w.toJSON(b, f.node, f.path, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, it := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := w.toJSON(b, it, fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			b.WriteString("null")
		} else {
			writeJSONString(b, n.Value)
		}
	default:
		return w.errf(n, path, "unexpected YAML node")
	}
	return nil
}

func writeJSONString(b *strings.Builder, s string) {
	raw, _ := json.Marshal(s)
	b.Write(raw)
}
