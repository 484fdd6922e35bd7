package model

import (
	"reflect"
	"testing"
	"time"
)

// fill sets every exported field reachable from v to a non-zero value, so
// that a shallow copy anywhere in a Clone shows up as shared memory.
func fill(t *testing.T, v reflect.Value, depth int) {
	t.Helper()
	if depth > 8 {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(t, p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 4)
		for i := range 2 {
			fill(t, s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(t, k, depth+1)
		fill(t, e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Unix(1, 0)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i), depth+1)
			}
		}
	case reflect.Interface, reflect.Func, reflect.Chan:
		t.Fatalf("fill: %s has a %s; teach the test (and Clone) about it", v.Type(), v.Kind())
	}
}

// shared reports a path at which a and b share memory.
func shared(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() {
			return ""
		}
		if a.Pointer() == b.Pointer() {
			return path
		}
		return shared(a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.Len() == 0 {
			return ""
		}
		if a.Pointer() == b.Pointer() {
			return path
		}
		for i := range a.Len() {
			if p := shared(a.Index(i), b.Index(i), path+"[i]"); p != "" {
				return p
			}
		}
	case reflect.Map:
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			return path
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() {
				if p := shared(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); p != "" {
					return p
				}
			}
		}
	}
	return ""
}

// TestClone: every Clone returns an equal value that shares no memory with
// the original, so callers of the decoded-record cache (package state) may
// change what they get.
func TestClone(t *testing.T) {
	for _, tt := range []struct {
		name  string
		orig  any
		clone func(any) any
	}{
		{"Account", &Account{}, func(v any) any { return v.(*Account).Clone() }},
		{"Bucket", &Bucket{}, func(v any) any { return v.(*Bucket).Clone() }},
		{"Object", &Object{}, func(v any) any { return v.(*Object).Clone() }},
		{"OIDCProvider", &OIDCProvider{}, func(v any) any { return v.(*OIDCProvider).Clone() }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fill(t, reflect.ValueOf(tt.orig).Elem(), 0)
			c := tt.clone(tt.orig)
			if !reflect.DeepEqual(c, tt.orig) {
				t.Fatalf("clone differs:\n%+v\n%+v", c, tt.orig)
			}
			if p := shared(reflect.ValueOf(tt.orig), reflect.ValueOf(c), tt.name); p != "" {
				t.Errorf("clone shares %s with the original", p)
			}
		})
	}
}
