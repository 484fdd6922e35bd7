package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/memory"
)

type user struct {
	Name string   `json:"name"`
	Tags []string `json:"tags,omitempty"`
}

func TestJSONHelpers(t *testing.T) {
	s := memory.New()
	ctx := context.Background()
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := store.InsertJSON(tx, "users", "u/alice", user{Name: "alice", Tags: []string{"admin"}}); err != nil {
			return err
		}
		if err := store.InsertJSON(tx, "users", "u/alice", user{Name: "again"}); !errors.Is(err, store.ErrExists) {
			t.Errorf("second InsertJSON: %v, want ErrExists", err)
		}
		if err := store.PutJSON(tx, "users", "u/bob", user{Name: "bob"}); err != nil {
			return err
		}
		if err := store.PutJSON(tx, "users", "u/bad", func() {}); err == nil {
			t.Error("PutJSON of a func succeeded")
		}
		return tx.Put("users", "x/broken", []byte("{not json"))
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(ctx, func(tx store.Tx) error {
		u, err := store.GetJSON[user](tx, "users", "u/alice")
		if err != nil || u.Name != "alice" || !slices.Equal(u.Tags, []string{"admin"}) {
			t.Errorf("GetJSON = %+v, %v", u, err)
		}
		if _, err := store.GetJSON[user](tx, "users", "u/nobody"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetJSON of absent key: %v, want ErrNotFound", err)
		}
		_, err = store.GetJSON[user](tx, "users", "x/broken")
		var de *store.DecodeError
		var se *json.SyntaxError
		if !errors.As(err, &de) || de.Key != "x/broken" || !errors.As(err, &se) {
			t.Errorf("GetJSON of bad JSON: %v, want *DecodeError wrapping *json.SyntaxError", err)
		}
		var kept []user // ScanJSON values may be retained
		err = store.ScanJSON(tx, "users", "u/", "", func(key string, u user) (bool, error) {
			kept = append(kept, u)
			return true, nil
		})
		if err != nil || len(kept) != 2 || kept[0].Name != "alice" || kept[1].Name != "bob" {
			t.Errorf("ScanJSON = %+v, %v", kept, err)
		}
		err = store.ScanJSON(tx, "users", "", "", func(string, user) (bool, error) { return true, nil })
		if !errors.As(err, &de) {
			t.Errorf("ScanJSON over bad JSON: %v, want *DecodeError", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCheckTable(t *testing.T) {
	tests := []struct {
		name, table string
		ok          bool
	}{
		{"simple", "users", true},
		{"punctuation", "iam/users:v1.by-arn_x", true},
		{"longest", strings.Repeat("t", store.MaxTableLen), true},
		{"empty", "", false},
		{"too long", strings.Repeat("t", store.MaxTableLen+1), false},
		{"space", "a b", false},
		{"NUL", "a\x00", false},
		{"non-ASCII", "tablé", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := store.CheckTable(tt.table)
			if (err == nil) != tt.ok || err != nil && !errors.Is(err, store.ErrInvalid) {
				t.Errorf("CheckTable(%q) = %v, want ok=%v", tt.table, err, tt.ok)
			}
		})
	}
}

func TestCheckKeyAndValue(t *testing.T) {
	tests := []struct {
		name  string
		key   string
		value []byte
		ok    bool
	}{
		{"binary key", "\x00\xff", nil, true},
		{"longest key", strings.Repeat("k", store.MaxKeyLen), nil, true},
		{"empty key", "", nil, false},
		{"key too long", strings.Repeat("k", store.MaxKeyLen+1), nil, false},
		{"value too long", "k", make([]byte, store.MaxValueLen+1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := store.CheckWrite("t", tt.key, tt.value)
			if (err == nil) != tt.ok || err != nil && !errors.Is(err, store.ErrInvalid) {
				t.Errorf("CheckWrite = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestPanicError(t *testing.T) {
	inner := errors.New("inner")
	pe := &store.PanicError{Value: inner, Stack: []byte("goroutine 1 [running]:")}
	if !errors.Is(pe, inner) || !strings.Contains(pe.Error(), "goroutine 1") {
		t.Errorf("PanicError = %v", pe)
	}
	if (&store.PanicError{Value: "text"}).Unwrap() != nil {
		t.Error("Unwrap of a non-error panic value is not nil")
	}
}
