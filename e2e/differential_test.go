package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/verdict-project/verdict/export"
)

var updateExports = flag.Bool("update-exports", false, "rewrite testdata/exports/differential from the table in differential_test.go")

// The differential fixture: two accounts, A owning most buckets and B
// owning one, in the shapes the aws CLI prints.
const (
	diffA = "111111111111"
	diffB = "222222222222"
)

// fixtureCanonical is a canonical user ID as AWS would print it: opaque and
// unrelated to verdict's, so the export's mapping is exercised.
func fixtureCanonical(account string) string {
	h := sha256.Sum256([]byte("fixture canonical " + account))
	return hex.EncodeToString(h[:])
}

func doc(stmts ...string) map[string]any {
	var st []any
	for _, s := range stmts {
		var v any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			panic(fmt.Sprintf("bad statement %s: %v", s, err))
		}
		st = append(st, v)
	}
	return map[string]any{"Version": "2012-10-17", "Statement": st}
}

func docString(stmts ...string) string {
	b, _ := json.Marshal(doc(stmts...))
	return string(b)
}

type aclGrant struct{ typ, id, uri, perm string }

func aclJSON(owner string, grants ...aclGrant) map[string]any {
	o := map[string]any{"DisplayName": "owner-" + owner, "ID": fixtureCanonical(owner)}
	gs := []any{map[string]any{"Grantee": map[string]any{"DisplayName": "owner-" + owner, "ID": fixtureCanonical(owner), "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"}}
	for _, g := range grants {
		ge := map[string]any{"Type": g.typ}
		if g.id != "" {
			ge["ID"] = fixtureCanonical(g.id)
		}
		if g.uri != "" {
			ge["URI"] = g.uri
		}
		gs = append(gs, map[string]any{"Grantee": ge, "Permission": g.perm})
	}
	return map[string]any{"Owner": o, "Grants": gs}
}

const allUsers = "http://acs.amazonaws.com/groups/global/AllUsers"
const authUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"

// diffBucket is one row of the bucket table.
type diffBucket struct {
	name, owner string
	policy      string // "" for none
	bucketACL   []aclGrant
	objectACL   []aclGrant
	ownership   string // "" for no ownership controls
	pab         bool   // bucket Block Public Access all on
	payer       bool
}

func diffBuckets() []diffBucket {
	obj := func(b string) string { return "arn:aws:s3:::" + b + "/*" }
	bkt := func(b string) string { return "arn:aws:s3:::" + b }
	return []diffBucket{
		{name: "d-private", owner: diffA},
		{name: "d-cross", owner: diffA, policy: docString(`{"Sid":"ReadForB","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + diffB + `:root"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["` + obj("d-cross") + `","` + bkt("d-cross") + `"]}`)},
		{name: "d-deny-alice", owner: diffA, policy: docString(`{"Sid":"NoAlice","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::` + diffA + `:user/alice"},"Action":"s3:*","Resource":["` + obj("d-deny-alice") + `","` + bkt("d-deny-alice") + `"]}`)},
		{name: "d-public-policy", owner: diffA, ownership: "BucketOwnerPreferred", policy: docString(`{"Sid":"Public","Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],"Resource":["` + obj("d-public-policy") + `","` + bkt("d-public-policy") + `"]}`)},
		{name: "d-public-blocked", owner: diffA, pab: true, policy: docString(`{"Sid":"Public","Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],"Resource":["` + obj("d-public-blocked") + `","` + bkt("d-public-blocked") + `"]}`)},
		{name: "d-public-acl", owner: diffA, ownership: "ObjectWriter", bucketACL: []aclGrant{{"Group", "", allUsers, "READ"}}, objectACL: []aclGrant{{"Group", "", allUsers, "READ"}}},
		{name: "d-acl-enforced", owner: diffA, ownership: "BucketOwnerEnforced", bucketACL: []aclGrant{{"Group", "", allUsers, "READ"}}, objectACL: []aclGrant{{"Group", "", allUsers, "READ"}}},
		{name: "d-acl-grant-b", owner: diffA, ownership: "ObjectWriter", bucketACL: []aclGrant{{"CanonicalUser", diffB, "", "READ"}}, objectACL: []aclGrant{{"CanonicalUser", diffB, "", "READ"}}},
		{name: "d-auth-read", owner: diffA, ownership: "ObjectWriter", objectACL: []aclGrant{{"Group", "", authUsers, "READ"}}},
		{name: "d-payer", owner: diffA, payer: true, policy: docString(`{"Sid":"ReadForB","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + diffB + `:root"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["` + obj("d-payer") + `","` + bkt("d-payer") + `"]}`)},
		{name: "d-ip", owner: diffA, policy: docString(`{"Sid":"OnlyVPN","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["` + obj("d-ip") + `","` + bkt("d-ip") + `"],"Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`)},
		{name: "d-in-b", owner: diffB, policy: docString(`{"Sid":"AliceReads","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + diffA + `:user/alice"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["` + obj("d-in-b") + `","` + bkt("d-in-b") + `"]}`)},
	}
}

// diffPrincipals are the callers: ARN plus credentials on the live server.
type diffPrincipal struct {
	arn   string
	creds *creds // nil: anonymous, or a role session made by the test
	// role names the role alice assumes to get the session's credentials.
	role string
}

func diffPrincipals() []diffPrincipal {
	user := func(acct, name string) diffPrincipal {
		return diffPrincipal{arn: "arn:aws:iam::" + acct + ":user/" + name, creds: &creds{id: export.UserAccessKeyID(acct, name), secret: export.UserSecret(acct, name)}}
	}
	rootOf := func(acct string) diffPrincipal {
		c := root(acct)
		return diffPrincipal{arn: "arn:aws:iam::" + acct + ":root", creds: &c}
	}
	return []diffPrincipal{
		user(diffA, "alice"), user(diffA, "bob"), user(diffA, "carol"), user(diffA, "dave"), user(diffA, "grace"),
		user(diffB, "erin"), user(diffB, "frank"), rootOf(diffA), rootOf(diffB), {arn: "anonymous"},
		{arn: "arn:aws:sts::" + diffA + ":assumed-role/auditor/diff", role: "auditor"},
	}
}

func userJSON(acct, name string, inline map[string]any, attached []string, groups []string, boundary string) map[string]any {
	u := map[string]any{"Path": "/", "UserName": name, "UserId": "AIDA" + strings.ToUpper(name) + "0000000000", "Arn": "arn:aws:iam::" + acct + ":user/" + name,
		"CreateDate": "2024-01-02T03:04:05+00:00", "GroupList": groups, "Tags": []any{}}
	var pl []any
	for n, d := range inline {
		pl = append(pl, map[string]any{"PolicyName": n, "PolicyDocument": d})
	}
	u["UserPolicyList"] = pl
	var at []any
	for _, a := range attached {
		at = append(at, map[string]any{"PolicyName": a[strings.LastIndexByte(a, '/')+1:], "PolicyArn": a})
	}
	u["AttachedManagedPolicies"] = at
	if boundary != "" {
		u["PermissionsBoundary"] = map[string]any{"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary}
	}
	return u
}

func managedJSON(acct, name string, d map[string]any) map[string]any {
	return map[string]any{"PolicyName": name, "PolicyId": "ANPA" + strings.ToUpper(name) + "000000", "Arn": "arn:aws:iam::" + acct + ":policy/" + name,
		"Path": "/", "DefaultVersionId": "v1", "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 0, "IsAttachable": true,
		"CreateDate": "2024-01-02T03:04:05+00:00", "UpdateDate": "2024-01-02T03:04:05+00:00",
		"PolicyVersionList": []any{map[string]any{"Document": d, "VersionId": "v1", "IsDefaultVersion": true, "CreateDate": "2024-01-02T03:04:05+00:00"}}}
}

// writeDiffExport writes the fixture into dir.
func writeDiffExport(t testing.TB, dir string) {
	t.Helper()
	put := func(rel string, v any) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		b, err := json.MarshalIndent(v, "", "    ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s3All := `{"Effect":"Allow","Action":"s3:*","Resource":"*"}`
	readAll := `{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}`
	full := "arn:aws:iam::" + diffA + ":policy/S3Full"
	onlyList := "arn:aws:iam::" + diffA + ":policy/OnlyList"
	// Group inline policies appear URL-encoded when saved by tools that do
	// not decode them; the loader accepts both.
	encoded := url.QueryEscape(docString(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`))
	put(diffA+"/iam-authorization-details.json", map[string]any{
		"UserDetailList": []any{
			userJSON(diffA, "alice", map[string]any{"ReadAll": doc(readAll)}, nil, nil, ""),
			userJSON(diffA, "bob", nil, nil, nil, ""),
			userJSON(diffA, "carol", map[string]any{"AllButGet": doc(s3All, `{"Sid":"NoGet","Effect":"Deny","Action":"s3:GetObject","Resource":"*"}`)}, nil, nil, ""),
			userJSON(diffA, "dave", nil, []string{full}, nil, onlyList),
			userJSON(diffA, "grace", nil, nil, []string{"readers"}, ""),
		},
		"GroupDetailList": []any{map[string]any{"Path": "/", "GroupName": "readers", "GroupId": "AGPAREADERS00000000", "Arn": "arn:aws:iam::" + diffA + ":group/readers",
			"CreateDate": "2024-01-02T03:04:05+00:00", "GroupPolicyList": []any{map[string]any{"PolicyName": "Get", "PolicyDocument": encoded}}, "AttachedManagedPolicies": []any{}}},
		"RoleDetailList": []any{map[string]any{"Path": "/", "RoleName": "auditor", "RoleId": "AROAAUDITOR0000000", "Arn": "arn:aws:iam::" + diffA + ":role/auditor",
			"CreateDate": "2024-01-02T03:04:05+00:00", "InstanceProfileList": []any{}, "AttachedManagedPolicies": []any{}, "Tags": []any{}, "RoleLastUsed": map[string]any{},
			"AssumeRolePolicyDocument": doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + diffA + `:user/alice"},"Action":"sts:AssumeRole"}`),
			"RolePolicyList":           []any{map[string]any{"PolicyName": "ListOnly", "PolicyDocument": doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}`)}}}},
		"Policies": []any{
			managedJSON(diffA, "S3Full", doc(s3All)),
			managedJSON(diffA, "OnlyList", doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}`)),
		},
	})
	put(diffB+"/iam-authorization-details.json", map[string]any{
		"UserDetailList": []any{
			userJSON(diffB, "erin", map[string]any{"S3": doc(s3All)}, nil, nil, ""),
			userJSON(diffB, "frank", nil, nil, nil, ""),
		},
		"GroupDetailList": []any{}, "RoleDetailList": []any{}, "Policies": []any{},
	})
	for _, acct := range []string{diffA, diffB} {
		put(acct+"/caller-identity.json", map[string]any{"UserId": acct, "Account": acct, "Arn": "arn:aws:iam::" + acct + ":root"})
		put(acct+"/s3control-public-access-block.json", map[string]any{"PublicAccessBlockConfiguration": map[string]any{
			"BlockPublicAcls": false, "IgnorePublicAcls": false, "BlockPublicPolicy": false, "RestrictPublicBuckets": false}})
	}
	// An organization: A manages it, B sits in an OU whose SCP denies
	// listing buckets.
	org, root, ou := "o-diff12345", "r-df12", "ou-df12-sandbox1"
	put("organizations/describe-organization.json", map[string]any{"Organization": map[string]any{"Id": org,
		"Arn": "arn:aws:organizations::" + diffA + ":organization/" + org, "FeatureSet": "ALL", "MasterAccountArn": "arn:aws:organizations::" + diffA + ":account/" + org + "/" + diffA,
		"MasterAccountId": diffA, "MasterAccountEmail": "a@example.com"}})
	put("organizations/list-roots.json", map[string]any{"Roots": []any{map[string]any{"Id": root, "Arn": "arn:aws:organizations::" + diffA + ":root/" + org + "/" + root,
		"Name": "Root", "PolicyTypes": []any{map[string]any{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}}}}})
	put("organizations/ous/"+root+".json", map[string]any{"OrganizationalUnits": []any{map[string]any{"Id": ou, "Arn": "arn:aws:organizations::" + diffA + ":ou/" + org + "/" + ou, "Name": "sandbox"}}})
	put("organizations/ous/"+ou+".json", map[string]any{"OrganizationalUnits": []any{}})
	orgAccount := func(id, name string) map[string]any {
		return map[string]any{"Id": id, "Arn": "arn:aws:organizations::" + diffA + ":account/" + org + "/" + id, "Email": name + "@example.com", "Name": name,
			"Status": "ACTIVE", "JoinedMethod": "CREATED", "JoinedTimestamp": "2024-01-02T03:04:05+00:00"}
	}
	put("organizations/accounts/"+root+".json", map[string]any{"Accounts": []any{orgAccount(diffA, "management")}})
	put("organizations/accounts/"+ou+".json", map[string]any{"Accounts": []any{orgAccount(diffB, "sandbox")}})
	fullAccess := map[string]any{"Policies": []any{map[string]any{"Id": "p-FullAWSAccess", "Arn": "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
		"Name": "FullAWSAccess", "Description": "Allows access to every operation", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": true}}}
	for _, target := range []string{root, diffA, diffB} {
		put("organizations/targets/"+target+".SERVICE_CONTROL_POLICY.json", fullAccess)
	}
	put("organizations/targets/"+ou+".SERVICE_CONTROL_POLICY.json", map[string]any{"Policies": []any{
		fullAccess["Policies"].([]any)[0],
		map[string]any{"Id": "p-nolist0001", "Arn": "arn:aws:organizations::" + diffA + ":policy/" + org + "/service_control_policy/p-nolist0001", "Name": "NoList",
			"Description": "", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": false}}})
	put("organizations/policies/p-nolist0001.json", map[string]any{"Policy": map[string]any{"PolicySummary": map[string]any{"Id": "p-nolist0001",
		"Arn": "arn:aws:organizations::" + diffA + ":policy/" + org + "/service_control_policy/p-nolist0001", "Name": "NoList", "Description": "",
		"Type": "SERVICE_CONTROL_POLICY", "AwsManaged": false}, "Content": docString(`{"Sid":"NoList","Effect":"Deny","Action":"s3:ListBucket","Resource":"*"}`)}})
	for _, b := range diffBuckets() {
		d := b.owner + "/s3/" + b.name + "/"
		if b.policy != "" {
			put(d+"policy.json", map[string]any{"Policy": b.policy})
		} else {
			put(d+"policy.json", map[string]any{})
		}
		put(d+"acl.json", aclJSON(b.owner, b.bucketACL...))
		if b.ownership != "" {
			put(d+"ownership.json", map[string]any{"OwnershipControls": map[string]any{"Rules": []any{map[string]any{"ObjectOwnership": b.ownership}}}})
		} else {
			put(d+"ownership.json", map[string]any{})
		}
		put(d+"public-access-block.json", map[string]any{"PublicAccessBlockConfiguration": map[string]any{
			"BlockPublicAcls": b.pab, "IgnorePublicAcls": b.pab, "BlockPublicPolicy": b.pab, "RestrictPublicBuckets": b.pab}})
		payer := "BucketOwner"
		if b.payer {
			payer = "Requester"
		}
		put(d+"request-payment.json", map[string]any{"Payer": payer})
		put(d+"location.json", map[string]any{"LocationConstraint": nil})
		put(d+"objects/obj.txt.acl.json", aclJSON(b.owner, b.objectACL...))
		put(d+"objects/obj.txt.head.json", map[string]any{"AcceptRanges": "bytes", "LastModified": "2024-01-02T03:04:05+00:00", "ContentLength": 0,
			"ETag": export.EmptyETag, "ContentType": "text/plain", "Metadata": map[string]any{}})
	}
}

// simulated is what `verdict simulate --json` said.
type simulated struct {
	Verdict struct {
		Allowed bool   `json:"allowed"`
		Layer   string `json:"layer"`
		Message string `json:"message"`
	} `json:"verdict"`
}

func runSimulate(t *testing.T, dir, principal, action, resource string) simulated {
	t.Helper()
	cmd := exec.Command(binary, "simulate", "--dir", dir, "--principal", principal, "--action", action, "--resource", resource,
		"--source-ip", "127.0.0.1", "--context", "aws:SecureTransport=false", "--json")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("verdict simulate: %v\n%s", err, errOut.String())
	}
	var s simulated
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		t.Fatalf("simulate output: %v\n%s", err, out.String())
	}
	return s
}

// TestDifferential checks that `verdict simulate` on an export and a live
// request against a server that `verdict import`ed the same export agree:
// same decision and the same AccessDenied message (which names the layer).
func TestDifferential(t *testing.T) {
	dir := filepath.Join("testdata", "exports", "differential")
	if *updateExports {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		writeDiffExport(t, dir)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("%v (run go test -run TestDifferential -update-exports)", err)
	}
	// The committed fixture must be what the table generates.
	fresh := t.TempDir()
	writeDiffExport(t, fresh)
	if err := sameTree(dir, fresh); err != nil {
		t.Fatalf("testdata/exports/differential is stale (run go test -run TestDifferential -update-exports): %v", err)
	}

	s := start(t)
	s.stop()
	imp := exec.Command(binary, "import", dir, "--data", s.data)
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("verdict import: %v\n%s", err, out)
	}
	s.run()

	ctx := context.Background()
	principals := diffPrincipals()
	for i, p := range principals {
		if p.role == "" {
			continue
		}
		alice := principals[0].creds
		out, err := s.sts(*alice).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + diffA + ":role/" + p.role), RoleSessionName: aws.String("diff")})
		if err != nil {
			t.Fatalf("assume %s: %v\n%s", p.role, err, s.log)
		}
		c := out.Credentials
		principals[i].creds = &creds{id: *c.AccessKeyId, secret: *c.SecretAccessKey, token: *c.SessionToken}
	}
	layers := map[string]int{}
	n := 0
	for _, b := range diffBuckets() {
		for _, p := range principals {
			ops := []string{"s3:GetObject", "s3:ListBucket"}
			if testing.Short() {
				// 132 pairs still cover every bucket and caller.
				ops = ops[:1]
			}
			for _, op := range ops {
				res := "arn:aws:s3:::" + b.name
				if op == "s3:GetObject" {
					res += "/obj.txt"
				}
				name := fmt.Sprintf("%s/%s/%s", b.name, p.arn, op)
				n++
				t.Run(name, func(t *testing.T) {
					sim := runSimulate(t, dir, p.arn, op, res)
					var c *s3.Client
					if p.creds == nil {
						c = s3.NewFromConfig(s.cfg(creds{}), func(o *s3.Options) { o.UsePathStyle = true; o.Credentials = aws.AnonymousCredentials{} })
					} else {
						c = s.s3(*p.creds)
					}
					var err error
					if op == "s3:GetObject" {
						var out *s3.GetObjectOutput
						out, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.name), Key: aws.String("obj.txt")})
						if err == nil {
							out.Body.Close()
						}
					} else {
						_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(b.name)})
					}
					liveAllowed, liveMsg := err == nil, ""
					if err != nil {
						var ae smithy.APIError
						if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" {
							t.Fatalf("live request failed: %v", err)
						}
						liveMsg = ae.ErrorMessage()
					}
					layers[fmt.Sprintf("%v/%s", sim.Verdict.Allowed, sim.Verdict.Layer)]++
					if liveAllowed != sim.Verdict.Allowed {
						t.Fatalf("live allowed=%v (%s), simulate allowed=%v (%s: %s)", liveAllowed, liveMsg, sim.Verdict.Allowed, sim.Verdict.Layer, sim.Verdict.Message)
					}
					if !liveAllowed && liveMsg != sim.Verdict.Message {
						t.Errorf("reasons differ:\n live:     %s\n simulate: %s (layer %s)", liveMsg, sim.Verdict.Message, sim.Verdict.Layer)
					}
				})
			}
		}
	}
	if n < 50 {
		t.Fatalf("only %d pairs compared", n)
	}
	var seen []string
	for l, c := range layers {
		seen = append(seen, fmt.Sprintf("%s=%d", l, c))
	}
	sort.Strings(seen)
	t.Logf("%d pairs; outcomes: %s", n, strings.Join(seen, " "))
	if len(layers) < 6 {
		t.Errorf("the table reaches only %d distinct outcomes: %v", len(layers), seen)
	}
}

// sameTree reports the first difference between two directory trees.
func sameTree(a, b string) error {
	files := map[string][]byte{}
	err := filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		files[rel], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		return err
	}
	err = filepath.WalkDir(b, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(b, p)
		want, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		got, ok := files[rel]
		if !ok {
			return fmt.Errorf("%s is missing", rel)
		}
		if !bytes.Equal(got, want) {
			return fmt.Errorf("%s differs", rel)
		}
		delete(files, rel)
		return nil
	})
	if err != nil {
		return err
	}
	for rel := range files {
		return fmt.Errorf("%s is not generated by the table", rel)
	}
	return nil
}

// TestSimulateMissingFile checks the command line contract: a missing bucket
// policy file stops simulate with exit code 2 and the aws CLI command that
// produces it; --assume-missing-empty evaluates it as no bucket policy.
func TestSimulateMissingFile(t *testing.T) {
	dir := t.TempDir()
	writeDiffExport(t, dir)
	if err := os.Remove(filepath.Join(dir, diffA, "s3", "d-cross", "policy.json")); err != nil {
		t.Fatal(err)
	}
	args := []string{"simulate", "--dir", dir, "--principal", "arn:aws:iam::" + diffB + ":user/erin", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::d-cross/obj.txt"}
	cmd := exec.Command(binary, args...)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("exit = %v, want code 2\n%s", err, out)
	}
	if !strings.Contains(string(out), "aws s3api get-bucket-policy --bucket d-cross") {
		t.Errorf("output does not say how to get the policy:\n%s", out)
	}
	out, err = exec.Command(binary, append(args, "--assume-missing-empty")...).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(string(out), "assumed") || !strings.Contains(string(out), "policy.json") {
		t.Errorf("no warning about the assumed file:\n%s", out)
	}
	event := filepath.Join(t.TempDir(), "event.json")
	trail := `{"Records":[{"eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::` + diffA + `:user/carol"},` +
		`"sourceIPAddress":"198.51.100.7","requestParameters":{"bucketName":"d-private","key":"obj.txt"},"errorCode":"AccessDenied"}]}`
	if err := os.WriteFile(event, []byte(trail), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = exec.Command(binary, "simulate", "--dir", dir, "--cloudtrail", event, "--json").Output()
	if err != nil {
		t.Fatalf("simulate --cloudtrail: %v", err)
	}
	var sim simulated
	if err := json.Unmarshal(out, &sim); err != nil || sim.Verdict.Allowed || sim.Verdict.Layer != "identity" {
		t.Errorf("simulate --cloudtrail = %+v (%v), want carol's explicit deny in her identity policy", sim.Verdict, err)
	}
	out, err = exec.Command(binary, "collect-commands", "--bucket", "d-cross", "--principal", "arn:aws:iam::"+diffB+":user/erin", "--key", "obj.txt").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "aws s3api get-object-acl --bucket d-cross --key obj.txt") {
		t.Errorf("collect-commands: %v\n%s", err, out)
	}
}
