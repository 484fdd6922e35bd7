package policy

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The policy language needs things encoding/json does not give: the position of
// every element (for explanations), rejection of duplicate keys (AWS refuses a
// statement with two Effect elements), and the raw text of numbers and booleans
// used as condition values. So policies are read with this small JSON reader
// into a tree first. It is strict RFC 8259 JSON with a depth limit.

type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

type jsonMember struct {
	key string
	val *jsonNode
}

type jsonNode struct {
	kind    jsonKind
	text    string // string value, number literal, or "true"/"false"
	members []jsonMember
	items   []*jsonNode
	pos     int // byte offset where the value starts
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack. Real
// policies nest four levels deep (policy, statement, condition, operator).
const maxDepth = 32

type jsonError struct {
	msg string
	pos int
}

func (e *jsonError) Error() string { return e.msg + " at offset " + strconv.Itoa(e.pos) }

type jsonReader struct {
	data []byte
	i    int
}

func parseJSON(data []byte) (*jsonNode, error) {
	r := &jsonReader{data: data}
	r.skipSpace()
	n, err := r.value(0)
	if err != nil {
		return nil, err
	}
	r.skipSpace()
	if r.i != len(r.data) {
		return nil, &jsonError{"unexpected data after the top-level value", r.i}
	}
	return n, nil
}

func (r *jsonReader) skipSpace() {
	for r.i < len(r.data) {
		switch r.data[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

func (r *jsonReader) value(depth int) (*jsonNode, error) {
	if depth > maxDepth {
		return nil, &jsonError{"nesting too deep", r.i}
	}
	if r.i >= len(r.data) {
		return nil, &jsonError{"unexpected end of input", r.i}
	}
	start := r.i
	switch c := r.data[r.i]; {
	case c == '{':
		return r.object(depth)
	case c == '[':
		return r.array(depth)
	case c == '"':
		s, err := r.str()
		if err != nil {
			return nil, err
		}
		return &jsonNode{kind: jsonString, text: s, pos: start}, nil
	case c == 't':
		return r.literal("true", jsonBool)
	case c == 'f':
		return r.literal("false", jsonBool)
	case c == 'n':
		return r.literal("null", jsonNull)
	case c == '-' || (c >= '0' && c <= '9'):
		return r.number()
	default:
		return nil, &jsonError{"invalid character " + strconv.QuoteRune(rune(c)), r.i}
	}
}

func (r *jsonReader) literal(word string, kind jsonKind) (*jsonNode, error) {
	start := r.i
	if len(r.data)-r.i < len(word) || string(r.data[r.i:r.i+len(word)]) != word {
		return nil, &jsonError{"invalid literal", r.i}
	}
	r.i += len(word)
	return &jsonNode{kind: kind, text: word, pos: start}, nil
}

func (r *jsonReader) number() (*jsonNode, error) {
	start := r.i
	if r.data[r.i] == '-' {
		r.i++
	}
	digits := func() int {
		n := 0
		for r.i < len(r.data) && r.data[r.i] >= '0' && r.data[r.i] <= '9' {
			r.i++
			n++
		}
		return n
	}
	if r.i < len(r.data) && r.data[r.i] == '0' {
		r.i++
	} else if digits() == 0 {
		return nil, &jsonError{"invalid number", start}
	}
	if r.i < len(r.data) && r.data[r.i] == '.' {
		r.i++
		if digits() == 0 {
			return nil, &jsonError{"invalid number", start}
		}
	}
	if r.i < len(r.data) && (r.data[r.i] == 'e' || r.data[r.i] == 'E') {
		r.i++
		if r.i < len(r.data) && (r.data[r.i] == '+' || r.data[r.i] == '-') {
			r.i++
		}
		if digits() == 0 {
			return nil, &jsonError{"invalid number", start}
		}
	}
	return &jsonNode{kind: jsonNumber, text: string(r.data[start:r.i]), pos: start}, nil
}

func (r *jsonReader) str() (string, error) {
	start := r.i
	r.i++ // opening quote
	// Fast path: no escapes.
	j := r.i
	for j < len(r.data) && r.data[j] != '"' && r.data[j] != '\\' && r.data[j] >= 0x20 && r.data[j] < utf8.RuneSelf {
		j++
	}
	if j < len(r.data) && r.data[j] == '"' {
		s := string(r.data[r.i:j])
		r.i = j + 1
		return s, nil
	}
	buf := make([]byte, 0, j-r.i+8)
	for {
		if r.i >= len(r.data) {
			return "", &jsonError{"unterminated string", start}
		}
		c := r.data[r.i]
		switch {
		case c == '"':
			r.i++
			return string(buf), nil
		case c < 0x20:
			return "", &jsonError{"control character in string", r.i}
		case c == '\\':
			if r.i+1 >= len(r.data) {
				return "", &jsonError{"unterminated string", start}
			}
			e := r.data[r.i+1]
			r.i += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				rr, ok := r.hex4()
				if !ok {
					return "", &jsonError{"invalid \\u escape", r.i}
				}
				if utf16.IsSurrogate(rr) {
					// A surrogate must be followed by its pair.
					if r.i+1 < len(r.data) && r.data[r.i] == '\\' && r.data[r.i+1] == 'u' {
						r.i += 2
						r2, ok := r.hex4()
						if !ok {
							return "", &jsonError{"invalid \\u escape", r.i}
						}
						rr = utf16.DecodeRune(rr, r2)
					} else {
						rr = utf8.RuneError
					}
				}
				buf = utf8.AppendRune(buf, rr)
			default:
				return "", &jsonError{"invalid escape", r.i - 1}
			}
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			r.i++
		default:
			rr, n := utf8.DecodeRune(r.data[r.i:])
			if rr == utf8.RuneError && n == 1 {
				return "", &jsonError{"invalid UTF-8", r.i}
			}
			buf = append(buf, r.data[r.i:r.i+n]...)
			r.i += n
		}
	}
}

func (r *jsonReader) hex4() (rune, bool) {
	if len(r.data)-r.i < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(r.data[r.i:r.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	r.i += 4
	return rune(v), true
}

func (r *jsonReader) object(depth int) (*jsonNode, error) {
	n := &jsonNode{kind: jsonObject, pos: r.i}
	r.i++
	r.skipSpace()
	if r.i < len(r.data) && r.data[r.i] == '}' {
		r.i++
		return n, nil
	}
	for {
		r.skipSpace()
		if r.i >= len(r.data) || r.data[r.i] != '"' {
			return nil, &jsonError{"expected a member name", r.i}
		}
		keyPos := r.i
		key, err := r.str()
		if err != nil {
			return nil, err
		}
		for _, m := range n.members {
			if m.key == key {
				return nil, &jsonError{"duplicate member " + strconv.Quote(key), keyPos}
			}
		}
		r.skipSpace()
		if r.i >= len(r.data) || r.data[r.i] != ':' {
			return nil, &jsonError{"expected ':'", r.i}
		}
		r.i++
		r.skipSpace()
		v, err := r.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.members = append(n.members, jsonMember{key, v})
		r.skipSpace()
		if r.i >= len(r.data) {
			return nil, &jsonError{"unexpected end of input", r.i}
		}
		switch r.data[r.i] {
		case ',':
			r.i++
		case '}':
			r.i++
			return n, nil
		default:
			return nil, &jsonError{"expected ',' or '}'", r.i}
		}
	}
}

func (r *jsonReader) array(depth int) (*jsonNode, error) {
	n := &jsonNode{kind: jsonArray, pos: r.i}
	r.i++
	r.skipSpace()
	if r.i < len(r.data) && r.data[r.i] == ']' {
		r.i++
		return n, nil
	}
	for {
		r.skipSpace()
		v, err := r.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.items = append(n.items, v)
		r.skipSpace()
		if r.i >= len(r.data) {
			return nil, &jsonError{"unexpected end of input", r.i}
		}
		switch r.data[r.i] {
		case ',':
			r.i++
		case ']':
			r.i++
			return n, nil
		default:
			return nil, &jsonError{"expected ',' or ']'", r.i}
		}
	}
}

// lineCol converts a byte offset to a 1-based line and column.
func lineCol(data []byte, off int) (line, col int) {
	line, col = 1, 1
	for i := 0; i < off && i < len(data); i++ {
		if data[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}
