package world

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/memory"
)

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name       string
		yaml       string
		line       int
		path, want string // want: a substring of the message
	}{
		{"yaml syntax", "accounts:\n  - id: \"1\n", 2, "", "found unexpected end of stream"},
		{"not a mapping", "- a\n- b\n", 1, "", "expected a mapping, found a list"},
		{"unknown top-level field", "acounts: []\n", 1, "acounts", `unknown field "acounts"`},
		{"unknown account field", "accounts:\n  - id: \"111111111111\"\n    user: []\n", 3, "accounts[0].user", `unknown field "user"`},
		{"account id", "accounts:\n  - id: \"1234\"\n", 2, "accounts[0].id", "account id must be 12 digits"},
		{"missing account id", "accounts:\n  - name: x\n", 2, "accounts[0].id", "account id must be 12 digits"},
		{"duplicate account", "accounts:\n  - id: \"111111111111\"\n  - id: \"111111111111\"\n", 3, "accounts[1].id", "declared twice"},
		{"user name", "accounts:\n  - id: \"111111111111\"\n    users:\n      - name: \"a b\"\n", 4, "accounts[0].users[0].name",
			`must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"user path", "accounts:\n  - id: \"111111111111\"\n    users:\n      - name: a\n        path: eng\n", 5, "accounts[0].users[0].path", "invalid path"},
		{"malformed inline policy as JSON", "accounts:\n  - id: \"111111111111\"\n    users:\n      - name: a\n        policies:\n          p: |\n            {\"Version\":\"2012-10-17\",\n             \"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\"}]}\n",
			6, "accounts[0].users[0].policies.p", "MalformedPolicyDocument: Policy statement must contain resources. (at line 2, column"},
		{"malformed inline policy as YAML", "accounts:\n  - id: \"111111111111\"\n    users:\n      - name: a\n        policies:\n          p:\n            Version: \"2012-10-17\"\n            Statement: [{Effect: Allow, Principal: \"*\", Action: \"s3:*\", Resource: \"*\"}]\n",
			7, "accounts[0].users[0].policies.p", "Policy document should not specify a principal."},
		{"trust policy with Resource", "accounts:\n  - id: \"111111111111\"\n    roles:\n      - name: r\n        trust: '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111111111111\"},\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}'\n",
			5, "accounts[0].roles[0].trust", "Has prohibited field Resource"},
		{"role without trust", "accounts:\n  - id: \"111111111111\"\n    roles:\n      - name: r\n", 4, "accounts[0].roles[0].trust", "needs a trust policy"},
		{"max session", "accounts:\n  - id: \"111111111111\"\n    roles:\n      - name: r\n        max_session_duration: 13h\n        trust: '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111111111111\"},\"Action\":\"sts:AssumeRole\"}]}'\n", 5,
			"accounts[0].roles[0].max_session_duration", "3600 to 43200"},
		{"unknown group", "accounts:\n  - id: \"111111111111\"\n    users:\n      - name: a\n        groups: [devs]\n", 5, "accounts[0].users[0].groups[0]", "no group devs"},
		{"unknown policy", "accounts:\n  - id: \"111111111111\"\n    users:\n      - name: a\n        attached:\n          - NoSuchPolicy\n", 6, "accounts[0].users[0].attached",
			`no managed policy called "NoSuchPolicy"`},
		{"another account's policy", "accounts:\n  - id: \"111111111111\"\n    users:\n      - name: a\n        attached: [\"arn:aws:iam::222222222222:policy/P\"]\n", 5,
			"accounts[0].users[0].attached", "belongs to another account"},
		{"duplicate user", "accounts:\n  - id: \"111111111111\"\n    users:\n      - name: a\n      - name: A\n", 5, "accounts[0].users[1]", "declared twice"},
		{"duplicate access key", "accounts:\n  - id: \"111111111111\"\n    access_keys: [{id: AKIAEXAMPLE000000001, secret: s}]\n    users:\n      - name: a\n        access_keys: [{id: AKIAEXAMPLE000000001, secret: t}]\n",
			6, "accounts[0].users[0].access_keys[0]", "declared twice"},
		{"session key id", "accounts:\n  - id: \"111111111111\"\n    access_keys: [{id: ASIAEXAMPLE000000001, secret: s}]\n", 3, "accounts[0].access_keys[0].id", "reserved"},
		{"key without secret", "accounts:\n  - id: \"111111111111\"\n    access_keys: [{id: AKIAEXAMPLE000000001}]\n", 3, "accounts[0].access_keys[0].secret", "needs a secret"},
		{"bucket name", "accounts:\n  - id: \"111111111111\"\n    buckets:\n      - name: Bad_Bucket\n", 4, "accounts[0].buckets[0].name", "invalid bucket name"},
		{"bucket ACL with BucketOwnerEnforced", "accounts:\n  - id: \"111111111111\"\n    buckets:\n      - name: b1b\n        acl: public-read\n", 5,
			"accounts[0].buckets[0].acl", "InvalidBucketAclWithObjectOwnership"},
		{"public policy under Block Public Access", "accounts:\n  - id: \"111111111111\"\n    buckets:\n      - name: b1b\n        policy: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: \"*\", Action: \"s3:GetObject\", Resource: \"arn:aws:s3:::b1b/*\"}]}\n",
			5, "accounts[0].buckets[0].policy", "block_public_policy is on"},
		{"bucket policy for another bucket", "accounts:\n  - id: \"111111111111\"\n    buckets:\n      - name: b1b\n        policy: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {AWS: \"222222222222\"}, Action: \"s3:GetObject\", Resource: \"arn:aws:s3:::other/*\"}]}\n",
			5, "accounts[0].buckets[0].policy", "MalformedPolicy"},
		{"duplicate bucket", "accounts:\n  - id: \"111111111111\"\n    buckets: [{name: b1b}]\n  - id: \"222222222222\"\n    buckets: [{name: b1b}]\n", 5, "accounts[1].buckets[0]", "declared twice"},
		{"bad boolean", "accounts:\n  - id: \"111111111111\"\n    buckets:\n      - name: b1b\n        requester_pays: maybe\n", 5, "accounts[0].buckets[0].requester_pays", "expected true or false"},
		{"merge keys", "base: &b {name: a}\n", 1, "base", `unknown field "base"`},
		{"merge key inside", "accounts:\n  - id: \"111111111111\"\n    users:\n      - <<: {name: a}\n", 4, "accounts[0].users[0]", "merge keys"},
		{"tag value", "accounts:\n  - id: \"111111111111\"\n    users:\n      - name: a\n        tags: {team: \"a*b\"}\n", 5, "accounts[0].users[0].tags.team", "invalid tag value"},
		{"too many keys", "accounts:\n  - id: \"111111111111\"\n    users:\n      - name: a\n        access_keys:\n          - {id: AKIAEXAMPLE000000001, secret: s}\n          - {id: AKIAEXAMPLE000000002, secret: s}\n          - {id: AKIAEXAMPLE000000003, secret: s}\n",
			6, "accounts[0].users[0].access_keys", "at most 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("w.yaml", []byte(tc.yaml))
			var we *Error
			if !errors.As(err, &we) {
				t.Fatalf("error %v (%T) is not *Error", err, err)
			}
			if we.Line != tc.line || we.Path != tc.path || !strings.Contains(we.Msg, tc.want) || we.File != "w.yaml" {
				t.Errorf("got %s (line %d, path %q)\nwant line %d, path %q, message containing %q", we, we.Line, we.Path, tc.line, tc.path, tc.want)
			}
		})
	}
}

func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	b.WriteString("accounts:\n  - id: \"111111111111\"\n    policies:\n      - name: p\n        document: *a8\n")
	start := time.Now()
	_, err := Parse("bomb.yaml", []byte(b.String()))
	if err == nil {
		t.Fatal("no error")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

const sample = `
accounts:
  - id: "111111111111"
    name: dev
    alias: dev-alias
    public_access_block: {block_public_acls: true}
    access_keys: [{id: AKIAROOT000000000001, secret: root-key-secret}]
    policies:
      - name: Reports
        path: /team/
        description: read reports
        document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]}
    groups:
      - name: devs
        attached: [Reports, ReadOnlyAccess]
    users:
      - name: alice
        path: /eng/
        groups: [DEVS]
        boundary: PowerUserAccess
        tags: {team: blue}
        access_keys: [{id: AKIAALICE00000000001, secret: alice-secret, status: Inactive}]
        policies:
          own: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}'
    roles:
      - name: AWSReservedSSO_Admin_0123456789abcdef
        path: /aws-reserved/sso.amazonaws.com/eu-west-1/
        max_session_duration: 43200
        trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Federated: "arn:aws:iam::111111111111:saml-provider/AWSSSO_abc_DO_NOT_DELETE"}, Action: ["sts:AssumeRoleWithSAML", "sts:TagSession"]}]}
        attached: [AdministratorAccess]
      - name: cross
        trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "arn:aws:iam::222222222222:user/bob"}, Action: sts:AssumeRole}]}
        tags: {purpose: demo}
    buckets:
      - name: dev-logs
        region: eu-west-1
        ownership: ObjectWriter
        acl: log-delivery-write
        public_access_block: off
        requester_pays: true
        tags: {cost: ops}
  - id: "222222222222"
    users:
      - name: bob
`

// dump returns every record of the tables world writes.
func dump(t *testing.T, st store.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := st.View(context.Background(), func(tx store.Tx) error {
		for _, table := range []string{state.Accounts, state.AccountPAB, state.AccessKeys, state.Policies, state.Groups, state.Users, state.Roles, state.Buckets} {
			if err := tx.Scan(table, "", "", func(k string, v []byte) (bool, error) {
				out[table+" "+k] = string(v)
				return true, nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestApply(t *testing.T) {
	w, err := Parse("sample.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	st := memory.New()
	ctx := context.Background()
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := w.Apply(ctx, st, t0); err != nil {
		t.Fatal(err)
	}
	first := dump(t, st)

	t.Run("records", func(t *testing.T) {
		err := st.View(ctx, func(tx store.Tx) error {
			u, err := state.User(tx, "111111111111", "alice")
			if err != nil {
				return err
			}
			if u.ID != state.StableID("AIDA", "111111111111/alice") || u.ARN() != "arn:aws:iam::111111111111:user/eng/alice" ||
				u.Boundary != "arn:aws:iam::aws:policy/PowerUserAccess" || len(u.Groups) != 1 || u.Groups[0] != "devs" || !u.Created.Equal(t0) {
				t.Errorf("user = %+v", u)
			}
			g, err := state.Group(tx, "111111111111", "devs")
			if err != nil {
				return err
			}
			if len(g.Attached) != 2 || g.Attached[0] != "arn:aws:iam::111111111111:policy/team/Reports" {
				t.Errorf("group = %+v", g)
			}
			p, err := state.Policy(tx, "arn:aws:iam::111111111111:policy/team/Reports")
			if err != nil {
				return err
			}
			if p.Attachments != 1 || p.DefaultVersion != "v1" || p.Description != "read reports" {
				t.Errorf("policy = %+v", p)
			}
			k, err := state.AccessKey(tx, "AKIAALICE00000000001")
			if err != nil {
				return err
			}
			if k.User != "alice" || k.Status != "Inactive" || k.Secret != "alice-secret" {
				t.Errorf("key = %+v", k)
			}
			rk, err := state.AccessKey(tx, "AKIAROOT000000000001")
			if err != nil {
				return err
			}
			if rk.User != "" || rk.Account != "111111111111" {
				t.Errorf("root key = %+v", rk)
			}
			b, err := state.Bucket(tx, "dev-logs")
			if err != nil {
				return err
			}
			if b.Owner != "111111111111" || b.Region != "eu-west-1" || b.Ownership != acl.ObjectWriter || b.PublicAccess != nil ||
				!b.RequesterPay || len(b.ACL.Grants) != 3 {
				t.Errorf("bucket = %+v", b)
			}
			pab, err := state.AccountPublicAccess(tx, "111111111111")
			if err != nil {
				return err
			}
			if pab == nil || !pab.BlockPublicAcls || pab.IgnorePublicAcls {
				t.Errorf("account PAB = %+v", pab)
			}
			a, err := state.LookupAccount(tx, "111111111111")
			if err != nil {
				return err
			}
			if a.Alias != "dev-alias" || a.CanonicalID != model.CanonicalID("111111111111") {
				t.Errorf("account = %+v", a)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("applying again changes nothing", func(t *testing.T) {
		w2, err := Parse("sample.yaml", []byte(sample))
		if err != nil {
			t.Fatal(err)
		}
		if err := w2.Apply(ctx, st, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		second := dump(t, st)
		if len(second) != len(first) {
			t.Fatalf("%d records, then %d", len(first), len(second))
		}
		for k, v := range first {
			if second[k] != v {
				t.Errorf("%s changed:\n%s\n%s", k, v, second[k])
			}
		}
	})

	t.Run("a changed document becomes a new default version", func(t *testing.T) {
		changed := strings.Replace(sample, `Action: "s3:GetObject", Resource: "*"`, `Action: "s3:GetObject", Resource: "arn:aws:s3:::r/*"`, 1)
		w3, err := Parse("sample.yaml", []byte(changed))
		if err != nil {
			t.Fatal(err)
		}
		if err := w3.Apply(ctx, st, t0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		err = st.View(ctx, func(tx store.Tx) error {
			p, err := state.Policy(tx, "arn:aws:iam::111111111111:policy/team/Reports")
			if err != nil {
				return err
			}
			if p.DefaultVersion != "v2" || len(p.Versions) != 2 || !strings.Contains(p.Document(), "arn:aws:s3:::r/*") || !p.Created.Equal(t0) {
				t.Errorf("policy = %+v", p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestApplyErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		setup string // applied first
		yaml  string
		want  string
	}{
		{"trust names a user that does not exist", "",
			"accounts:\n  - id: \"111111111111\"\n    roles:\n      - name: r\n        trust: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {AWS: \"arn:aws:iam::222222222222:user/ghost\"}, Action: sts:AssumeRole}]}\n",
			`w.yaml:4:9: accounts[0].roles[0].trust: trust policy rejected: MalformedPolicyDocument: Invalid principal in policy: "AWS":"arn:aws:iam::222222222222:user/ghost"`},
		{"bucket of another account", "accounts:\n  - id: \"222222222222\"\n    buckets: [{name: taken-name}]\n",
			"accounts:\n  - id: \"111111111111\"\n    buckets: [{name: taken-name}]\n",
			"already exists and belongs to account 222222222222"},
		{"key of another user", "accounts:\n  - id: \"222222222222\"\n    users: [{name: x, access_keys: [{id: AKIAEXAMPLE000000001, secret: s}]}]\n",
			"accounts:\n  - id: \"111111111111\"\n    users: [{name: y, access_keys: [{id: AKIAEXAMPLE000000001, secret: s}]}]\n",
			"access key AKIAEXAMPLE000000001 already belongs to user x of account 222222222222"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := memory.New()
			if tc.setup != "" {
				w, err := Parse("setup.yaml", []byte(tc.setup))
				if err != nil {
					t.Fatal(err)
				}
				if err := w.Apply(ctx, st, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			before := dump(t, st)
			w, err := Parse("w.yaml", []byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			err = w.Apply(ctx, st, time.Now())
			var we *Error
			if !errors.As(err, &we) || !strings.Contains(we.Error(), tc.want) {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
			if after := dump(t, st); len(after) != len(before) {
				t.Errorf("a failed Apply wrote %d records", len(after)-len(before))
			}
		})
	}
}

func TestExamples(t *testing.T) {
	files, err := filepath.Glob("examples/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			w, err := Load(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Apply(context.Background(), memory.New(), time.Now()); err != nil {
				t.Fatal(err)
			}
		})
	}
	if _, err := Load("examples/missing.yaml"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load of a missing file: %v", err)
	}
}

func TestEmptyWorld(t *testing.T) {
	for _, doc := range []string{"", "# nothing\n", "accounts: []\n", "accounts:\n", "~\n"} {
		w, err := Parse("e.yaml", []byte(doc))
		if err != nil || len(w.Accounts) != 0 {
			t.Errorf("%q: %v, %+v", doc, err, w)
		}
	}
}

// TestREADME loads and applies every complete world (a YAML block starting
// with "accounts:") shown in README.md, so the documentation stays true.
func TestREADME(t *testing.T) {
	doc, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(doc), "```yaml\n")
	n := 0
	for _, b := range blocks[1:] {
		body, _, _ := strings.Cut(b, "```")
		if !strings.HasPrefix(body, "accounts:") {
			continue
		}
		n++
		w, err := Parse("README.md", []byte(body))
		if err != nil {
			t.Errorf("block %d: %v", n, err)
			continue
		}
		if err := w.Apply(context.Background(), memory.New(), time.Now()); err != nil {
			t.Errorf("block %d: %v", n, err)
		}
	}
	if n < 3 {
		t.Errorf("found %d complete worlds in README.md", n)
	}
}
