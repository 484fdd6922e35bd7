package treap

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestModel checks the tree against a map under random operations and that
// every earlier version stays unchanged.
func TestModel(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	type version struct {
		tree  Tree
		model map[string]string
	}
	var versions []version
	tree, model := Tree{}, map[string]string{}
	for i := range 3000 {
		key := string([]byte{byte('a' + r.IntN(20)), byte(r.IntN(3))})
		if r.IntN(3) == 0 {
			tree = tree.Delete(key)
			delete(model, key)
		} else {
			val := string(rune('A' + i%26))
			tree = tree.Set(key, []byte(val), false)
			model[key] = val
		}
		if i%100 == 0 {
			versions = append(versions, version{tree, maps(model)})
		}
	}
	versions = append(versions, version{tree, model})
	for i, v := range versions {
		check(t, i, v.tree, v.model)
	}
}

func maps(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func check(t *testing.T, version int, tree Tree, model map[string]string) {
	t.Helper()
	if tree.Len() != len(model) {
		t.Fatalf("version %d: Len = %d, want %d", version, tree.Len(), len(model))
	}
	keys := make([]string, 0, len(model))
	for k, v := range model {
		keys = append(keys, k)
		got, _, ok := tree.Get(k)
		if !ok || string(got) != v {
			t.Fatalf("version %d: Get(%q) = %q, %v; want %q", version, k, got, ok, v)
		}
	}
	slices.Sort(keys)
	for _, start := range []string{"", "c", "c\x01", "zz"} {
		var got []string
		for it := tree.Seek(start); ; it.Next() {
			k, _, _, ok := it.Peek()
			if !ok {
				break
			}
			got = append(got, k)
		}
		i, _ := slices.BinarySearch(keys, start)
		if want := keys[i:]; !slices.Equal(got, want) {
			t.Fatalf("version %d: Seek(%q) = %q, want %q", version, start, got, want)
		}
	}
}

func TestTombstone(t *testing.T) {
	tree := Tree{}.Set("a", []byte("1"), false).Set("a", nil, true)
	if _, tomb, ok := tree.Get("a"); !ok || !tomb {
		t.Fatalf("Get(a) tomb=%v ok=%v, want tombstone", tomb, ok)
	}
	if tree.Len() != 1 {
		t.Fatalf("Len = %d, want 1", tree.Len())
	}
}
