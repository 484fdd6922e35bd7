package explain

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
)

// A small JSON Schema checker for the subset testdata/explanation.schema.json
// uses (type, const, enum, properties, required, additionalProperties,
// items, $ref to $defs), so the documented schema and the encoder cannot
// drift apart.

var (
	schemaOnce sync.Once
	schemaDoc  map[string]any
	schemaErr  error
)

func loadSchema() (map[string]any, error) {
	schemaOnce.Do(func() {
		data, err := os.ReadFile("testdata/explanation.schema.json")
		if err != nil {
			schemaErr = err
			return
		}
		schemaErr = json.Unmarshal(data, &schemaDoc)
	})
	return schemaDoc, schemaErr
}

// checkSchema validates an encoded explanation against the schema.
func checkSchema(t testing.TB, doc []byte) {
	t.Helper()
	root, err := loadSchema()
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if errs := validate(root, root, v, "$"); len(errs) > 0 {
		t.Fatalf("output does not follow the schema:\n%s", strings.Join(errs, "\n"))
	}
}

func validate(root, s map[string]any, v any, path string) []string {
	if ref, ok := s["$ref"].(string); ok {
		name, ok := strings.CutPrefix(ref, "#/$defs/")
		defs, _ := root["$defs"].(map[string]any)
		sub, _ := defs[name].(map[string]any)
		if !ok || sub == nil {
			return []string{path + ": unresolvable $ref " + ref}
		}
		return validate(root, sub, v, path)
	}
	var errs []string
	if c, ok := s["const"]; ok && !reflect.DeepEqual(c, v) {
		errs = append(errs, fmt.Sprintf("%s: %v is not the constant %v", path, v, c))
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || reflect.DeepEqual(e, v)
		}
		if !found {
			errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", path, v, enum))
		}
	}
	if t, ok := s["type"]; ok && !typeOK(t, v) {
		return append(errs, fmt.Sprintf("%s: %T is not of type %v", path, v, t))
	}
	switch x := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, r := range asList(s["required"]) {
			if _, ok := x[r]; !ok {
				errs = append(errs, path+": missing required "+r)
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub, ok := props[k].(map[string]any)
			if !ok {
				if ap, ok := s["additionalProperties"].(bool); ok && !ap {
					errs = append(errs, path+": unexpected property "+k)
				}
				continue
			}
			errs = append(errs, validate(root, sub, x[k], path+"."+k)...)
		}
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, it := range x {
				errs = append(errs, validate(root, items, it, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	}
	return errs
}

func asList(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, s := range l {
			if str, ok := s.(string); ok {
				out = append(out, str)
			}
		}
	}
	return out
}

func typeOK(t, v any) bool {
	if list, ok := t.([]any); ok {
		for _, one := range list {
			if typeOK(one, v) {
				return true
			}
		}
		return false
	}
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == float64(int64(f))
	case "number":
		_, ok := v.(float64)
		return ok
	case "null":
		return v == nil
	}
	return false
}

// TestSchemaChecker makes sure the checker itself rejects what it should.
func TestSchemaChecker(t *testing.T) {
	root, err := loadSchema()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		doc  string
		ok   bool
	}{
		{"empty explanation", mustJSON(t, Explain(nil)), true},
		{"not an object", `[]`, false},
		{"missing fields", `{"schema":"https://verdict-project.github.io/schemas/explanation/v1"}`, false},
		{"unknown field", strings.Replace(mustJSON(t, Explain(nil)), `{`, `{"extra":1,`, 1), false},
		{"wrong schema", strings.Replace(mustJSON(t, Explain(nil)), `explanation/v1`, `explanation/v0`, 1), false},
		{"bad enum", strings.Replace(mustJSON(t, Explain(nil)), `"status": "unknown"`, `"status": "perhaps"`, 1), false},
		{"bad type", strings.Replace(mustJSON(t, Explain(nil)), `"crossAccount": false`, `"crossAccount": "no"`, 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			if err := json.Unmarshal([]byte(tt.doc), &v); err != nil {
				t.Fatal(err)
			}
			errs := validate(root, root, v, "$")
			if (len(errs) == 0) != tt.ok {
				t.Fatalf("ok = %v, want %v: %v", len(errs) == 0, tt.ok, errs)
			}
		})
	}
}

func mustJSON(t *testing.T, e *Explanation) string {
	t.Helper()
	var b strings.Builder
	if err := WriteJSON(&b, e); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
