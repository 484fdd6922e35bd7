package orgsapi

import "testing"

// FuzzPage: any MaxResults and NextToken give an error or a page of at
// most MaxResults items from the list, never a panic.
func FuzzPage(f *testing.F) {
	f.Add(0, "")
	f.Add(5, "dmVyZGljdC1wYWdlOjU")
	f.Add(20, "dmVyZGljdC1wYWdlOi0x")
	f.Add(-3, "%%%")
	items := make([]int, 42)
	for i := range items {
		items[i] = i
	}
	f.Fuzz(func(t *testing.T, max int, token string) {
		out, next, err := page(items, paging{MaxResults: max, NextToken: token})
		if err != nil {
			return
		}
		limit := max
		if limit == 0 {
			limit = maxPageSize
		}
		if len(out) > limit || out == nil {
			t.Fatalf("page of %d items (nil=%v) for MaxResults %d", len(out), out == nil, max)
		}
		if next != "" {
			rest, _, err := page(items, paging{NextToken: next})
			if err != nil || len(rest) == 0 || rest[0] != out[len(out)-1]+1 {
				t.Fatalf("token %q does not continue after %v: %v %v", next, out, rest, err)
			}
		}
	})
}
