package state_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/memory"
)

func TestStableID(t *testing.T) {
	a, b := state.StableID("AIDA", "111111111111/alice"), state.StableID("AIDA", "111111111111/alice")
	if a != b || len(a) != 20 || !strings.HasPrefix(a, "AIDA") || a == state.StableID("AIDA", "111111111111/bob") ||
		a[4:] == state.StableID("AROA", "111111111111/alice")[4:] {
		t.Errorf("StableID: %s %s", a, b)
	}
	for _, c := range a[4:] {
		if !strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", c) {
			t.Errorf("StableID %s has %q", a, c)
		}
	}
}

func TestPolicyUsesAndPrincipals(t *testing.T) {
	st := memory.New()
	ctx := context.Background()
	const p = "arn:aws:iam::111111111111:policy/P"
	err := st.Update(ctx, func(tx store.Tx) error {
		for _, err := range []error{
			state.PutUser(tx, &model.User{Account: "111111111111", Name: "a", Path: "/x/", Attached: []string{p}, Boundary: p}),
			state.PutUser(tx, &model.User{Account: "111111111111", Name: "b", Path: "/"}),
			state.PutGroup(tx, &model.Group{Account: "111111111111", Name: "g", Path: "/", Attached: []string{p}}),
			state.PutRole(tx, &model.Role{Account: "111111111111", Name: "r", Path: "/svc/", Attached: []string{p}}),
			state.PutRole(tx, &model.Role{Account: "222222222222", Name: "r", Path: "/", Attached: []string{p}}),
			state.PutPolicy(tx, &model.ManagedPolicy{ARN: p, Account: "111111111111", Name: "P", Path: "/"}),
		} {
			if err != nil {
				return err
			}
		}
		return state.SyncAttachments(tx, p)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		u, err := state.CountPolicyUse(tx, "111111111111", p)
		if err != nil {
			return err
		}
		if u.Attachments != 3 || u.Boundaries != 1 {
			t.Errorf("use = %+v", u)
		}
		mp, err := state.Policy(tx, p)
		if err != nil {
			return err
		}
		if mp.Attachments != 3 {
			t.Errorf("stored attachments = %d", mp.Attachments)
		}
		exists := state.PrincipalExists(tx)
		tests := []struct {
			principal string
			want      bool
		}{
			{"111111111111", true},
			{"arn:aws:iam::333333333333:root", true},
			{"arn:aws:iam::111111111111:user/x/a", true},
			{"arn:aws:iam::111111111111:user/a", false}, // wrong path
			{"arn:aws:iam::111111111111:user/c", false},
			{"arn:aws:iam::111111111111:role/svc/r", true},
			{"arn:aws:iam::222222222222:role/r", true},
			{"arn:aws:iam::222222222222:role/q", false},
			{"arn:aws:sts::111111111111:assumed-role/r/s", true},
			{"AIDAEXAMPLEEXAMPLE", true},
		}
		for _, tc := range tests {
			if got := exists(tc.principal); got != tc.want {
				t.Errorf("PrincipalExists(%s) = %v", tc.principal, got)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRecordKeyUse(t *testing.T) {
	st := memory.New()
	ctx := context.Background()
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	err := st.Update(ctx, func(tx store.Tx) error {
		return state.PutAccessKey(tx, &model.AccessKey{ID: "AKIAEXAMPLE000000001", Account: "111111111111", User: "a", Status: "Active"})
	})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		service string
		at      time.Time
		wrote   bool
	}{
		{"first use", "s3", t0, true},
		{"same service soon after", "s3", t0.Add(10 * time.Second), false},
		{"another service", "iam", t0.Add(20 * time.Second), true},
		{"a minute later", "iam", t0.Add(90 * time.Second), true},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			err := st.Update(ctx, func(tx store.Tx) error {
				wrote, err := state.RecordKeyUse(tx, "AKIAEXAMPLE000000001", s.service, "us-east-1", s.at)
				if wrote != s.wrote {
					t.Errorf("wrote = %v", wrote)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
	if err := state.NoteKeyUse(ctx, st, "AKIAUNKNOWN000000001", "s3", "us-east-1", t0); err != nil {
		t.Errorf("unknown key: %v", err)
	}
	if err := state.NoteKeyUse(ctx, st, "AKIAEXAMPLE000000001", "sts", "eu-west-1", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		k, err := state.AccessKey(tx, "AKIAEXAMPLE000000001")
		if err == nil && (k.LastService != "sts" || k.LastRegion != "eu-west-1" || !k.LastUsed.Equal(t0.Add(time.Hour))) {
			t.Errorf("key = %+v", k)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
