package inputs

import (
	"context"
	"testing"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/memory"
)

const allowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// testOrg: root r-abcd > ou-abcd-11111111 > account 222222222222; the
// management account 111111111111 sits under the root. SCPs are enabled,
// RCPs are not.
func testOrg() *model.Organization {
	return &model.Organization{ID: "o-abcdefghij", ManagementAccount: "111111111111", RootID: "r-abcd", FeatureSet: "ALL",
		EnabledTypes: []string{model.SCPType},
		OUs:          map[string]*model.OrgUnit{"ou-abcd-11111111": {ID: "ou-abcd-11111111", Name: "eng", ParentID: "r-abcd"}},
		Accounts: map[string]*model.OrgAccount{
			"111111111111": {ID: "111111111111", ParentID: "r-abcd"},
			"222222222222": {ID: "222222222222", ParentID: "ou-abcd-11111111"},
		},
		Policies: map[string]*model.OrgPolicy{"p-FullAWSAccess": {ID: "p-FullAWSAccess", Type: model.SCPType, Name: "FullAWSAccess", Content: allowAll}},
		Attachments: map[string][]string{"r-abcd": {"p-FullAWSAccess"}, "ou-abcd-11111111": {"p-FullAWSAccess"},
			"111111111111": {"p-FullAWSAccess"}, "222222222222": {"p-FullAWSAccess"}},
	}
}

func TestOrgViewApply(t *testing.T) {
	st := memory.New()
	ctx := context.Background()
	if err := st.Update(ctx, func(tx store.Tx) error { return state.PutOrganization(tx, testOrg()) }); err != nil {
		t.Fatal(err)
	}
	c := NewCompiler()
	var v *OrgView
	if err := st.View(ctx, func(tx store.Tx) error {
		var err error
		v, err = c.Orgs(tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, principal, resource string
		wantLevels                int
		wantManagement            bool
		wantPath, wantResPath     string
		wantRCP                   bool
	}{
		{"member in an OU", "222222222222", "999999999999", 3, false, "o-abcdefghij/r-abcd/ou-abcd-11111111/", "", false},
		{"management account", "111111111111", "222222222222", 2, true, "o-abcdefghij/r-abcd/", "o-abcdefghij/r-abcd/ou-abcd-11111111/", true},
		{"outsider", "999999999999", "", 0, false, "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := &authz.Request{Principal: authz.Principal{Type: authz.User, Account: tc.principal}, ResourceAccount: tc.resource}
			m := condition.Map{}
			in := &authz.Inputs{}
			v.Apply(req, m, in)
			if tc.wantPath == "" {
				if in.PrincipalOrg != nil || m["aws:principalorgid"] != nil {
					t.Fatalf("outsider got org inputs: %+v %v", in.PrincipalOrg, m)
				}
				return
			}
			if got := len(in.PrincipalOrg.Levels); got != tc.wantLevels {
				t.Errorf("%d SCP levels, want %d", got, tc.wantLevels)
			}
			if in.PrincipalOrg.Management != tc.wantManagement {
				t.Errorf("management = %v", in.PrincipalOrg.Management)
			}
			if got := m["aws:principalorgpaths"]; len(got) != 1 || got[0] != tc.wantPath {
				t.Errorf("aws:PrincipalOrgPaths = %v, want %s", got, tc.wantPath)
			}
			if got := m["aws:principalorgid"]; len(got) != 1 || got[0] != "o-abcdefghij" {
				t.Errorf("aws:PrincipalOrgID = %v", got)
			}
			if tc.wantRCP != (in.ResourceOrg != nil) {
				t.Fatalf("ResourceOrg = %+v", in.ResourceOrg)
			}
			if tc.wantRCP {
				// RCPs are not enabled: the resource is in the
				// organization, with no RCP levels.
				if in.ResourceOrg.Levels != nil {
					t.Errorf("RCP levels without RCPs enabled: %+v", in.ResourceOrg.Levels)
				}
				if got := m["aws:resourceorgpaths"]; len(got) != 1 || got[0] != tc.wantResPath {
					t.Errorf("aws:ResourceOrgPaths = %v", got)
				}
			}
		})
	}
}

func TestOrgsEmptyStore(t *testing.T) {
	st := memory.New()
	err := st.View(context.Background(), func(tx store.Tx) error {
		v, err := NewCompiler().Orgs(tx)
		if v != nil {
			t.Errorf("view %+v from an empty store", v)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
