// Package action holds AWS's action tables as data: every Amazon S3 action
// with the resource types it applies to and the condition keys it supports,
// and the action names of IAM, STS, KMS, Organizations and the EC2 VPC
// endpoint actions that verdict serves.
//
// The tables are transcribed from the Service Authorization Reference
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
// Policy validation uses them to refuse what AWS refuses (S3's "Policy has
// invalid action", "Action does not apply to any resource(s) in statement",
// "Conditions do not apply to combination of actions and resources in
// statement"), and public-policy analysis uses Expand to know which actions a
// pattern grants.
//
// Action names are case-insensitive everywhere
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html);
// the tables keep AWS's spelling.
package action

import (
	"sort"
	"strings"

	"github.com/verdict-project/verdict/engine/wildcard"
)

// ResourceType is a resource type of the S3 Resource types table, named as the
// reference names it.
type ResourceType string

// The S3 resource types.
const (
	// Account stands for actions that have no resource type in the reference:
	// their statements must use Resource "*".
	Account                       ResourceType = "*"
	Bucket                        ResourceType = "bucket"
	Object                        ResourceType = "object"
	AccessPoint                   ResourceType = "accesspoint"
	AccessPointObject             ResourceType = "accesspointobject"
	Job                           ResourceType = "job"
	StorageLensConfiguration      ResourceType = "storagelensconfiguration"
	StorageLensGroup              ResourceType = "storagelensgroup"
	MultiRegionAccessPoint        ResourceType = "multiregionaccesspoint"
	MultiRegionAccessPointRequest ResourceType = "multiregionaccesspointrequestarn"
	ObjectLambdaAccessPoint       ResourceType = "objectlambdaaccesspoint"
	AccessGrantsInstance          ResourceType = "accessgrantsinstance"
	AccessGrantsLocation          ResourceType = "accessgrantslocation"
	AccessGrant                   ResourceType = "accessgrant"
)

// Info describes one S3 action.
type Info struct {
	// Name is the full action name as AWS spells it, e.g. "s3:GetObject".
	Name string
	// Access is the reference's access level ("Read", "Write", "List",
	// "Permissions management, Write", "Tagging, Write").
	Access string
	// Resources are the resource types the action applies to; [Account] when
	// the reference lists none.
	Resources []ResourceType
	// Keys are the condition keys of the action's row, as the reference writes
	// them (tag keys as "s3:ExistingObjectTag/<key>" or
	// "aws:ResourceTag/${TagKey}").
	Keys []string
}

// AppliesTo reports whether the action applies to resource type t.
func (i Info) AppliesTo(t ResourceType) bool {
	for _, r := range i.Resources {
		if r == t {
			return true
		}
	}
	return false
}

// SupportsKey reports whether condition key applies to the action: it is in
// the action's row, or in the row of one of the action's resource types
// (for example s3:DataAccessPointArn, which the reference lists under the
// accesspoint and accesspointobject types). Key names compare
// case-insensitively; a key of a tag template ("s3:ExistingObjectTag/<key>")
// matches any tag key.
// https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
func (i Info) SupportsKey(key string) bool {
	if keyIn(i.Keys, key) {
		return true
	}
	for _, r := range i.Resources {
		if keyIn(s3Types[r].Keys, key) {
			return true
		}
	}
	return false
}

// keyIn reports whether key is one of keys, honouring tag templates.
func keyIn(keys []string, key string) bool {
	for _, k := range keys {
		if keyMatches(k, key) {
			return true
		}
	}
	return false
}

// keyMatches compares a key of the reference with a key as written in a
// policy. Templates end in "/<key>" or "/${TagKey}": any non-empty tag key
// after the slash matches.
func keyMatches(ref, key string) bool {
	if i := strings.IndexByte(ref, '/'); i >= 0 && (ref[i+1:] == "<key>" || ref[i+1:] == "${TagKey}") {
		return len(key) > i+1 && strings.EqualFold(ref[:i+1], key[:i+1])
	}
	return strings.EqualFold(ref, key)
}

// typeInfo describes a resource type.
type typeInfo struct {
	ARN  string
	Keys []string
}

// ARNFormat returns the ARN format of resource type t as the reference writes
// it, or "" for Account and unknown types.
func ARNFormat(t ResourceType) string { return s3Types[t].ARN }

var s3Index = func() map[string]int {
	m := make(map[string]int, len(s3Actions))
	for i := range s3Actions {
		m[strings.ToLower(s3Actions[i].Name)] = i
	}
	return m
}()

// S3 returns the S3 action called name ("s3:GetObject", any case; the "s3:"
// prefix is optional).
func S3(name string) (Info, bool) {
	n := strings.ToLower(name)
	if !strings.HasPrefix(n, "s3:") {
		n = "s3:" + n
	}
	i, ok := s3Index[n]
	if !ok {
		return Info{}, false
	}
	return s3Actions[i], true
}

// All returns every S3 action, sorted by name. The slice is a copy.
func All() []Info {
	out := make([]Info, len(s3Actions))
	copy(out, s3Actions[:])
	return out
}

// Services returns the service prefixes whose actions the package knows.
func Services() []string {
	out := []string{"s3"}
	for s := range serviceActions {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Known reports whether service (a prefix such as "iam") has an action called
// name. Both compare case-insensitively. Services the package has no table
// for know no action.
func Known(service, name string) bool {
	service = strings.ToLower(service)
	if service == "s3" {
		_, ok := S3(name)
		return ok
	}
	return serviceIndex[service][strings.ToLower(name)]
}

// serviceIndex is serviceActions with lower-cased names, for Known.
var serviceIndex = func() map[string]map[string]bool {
	m := make(map[string]map[string]bool, len(serviceActions))
	for s, names := range serviceActions {
		set := make(map[string]bool, len(names))
		for _, n := range names {
			set[strings.ToLower(n)] = true
		}
		m[s] = set
	}
	return m
}()

// Expand returns the full names of the S3 actions that the Action pattern
// covers ("s3:Get*", "s3:*", "*", "s3:GetObject"), in table order. Matching
// is case-insensitive with '*' and '?' wildcards; a pattern of another service
// covers no S3 action.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
func Expand(pattern string) []string {
	var out []string
	for i := range s3Actions {
		if wildcard.MatchFold(pattern, s3Actions[i].Name) {
			out = append(out, s3Actions[i].Name)
		}
	}
	return out
}

// KeyType returns the type the reference gives an S3 condition key ("String",
// "Numeric", "Date", "Bool", "ARN", "ArrayOfString"), or "" when the key is
// not an S3 key of the reference. Tag keys match their template.
func KeyType(key string) string {
	for ref, t := range s3KeyTypes {
		if keyMatches(ref, key) {
			return t
		}
	}
	return ""
}
