package iamapi

import (
	"time"

	"github.com/verdict-project/verdict/awsmanaged"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/query"
	"github.com/verdict-project/verdict/state"
)

// The response shapes of IAM's data types, element order as in the API
// reference.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Types.html

type xmlTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

func xmlTags(tags []model.Tag) *[]xmlTag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]xmlTag, len(tags))
	for i, t := range tags {
		out[i] = xmlTag{t.Key, t.Value}
	}
	return &out
}

type xmlBoundary struct {
	PermissionsBoundaryType string `xml:"PermissionsBoundaryType"`
	PermissionsBoundaryArn  string `xml:"PermissionsBoundaryArn"`
}

// boundary is the AttachedPermissionsBoundary element.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachedPermissionsBoundary.html
func boundary(arn string) *xmlBoundary {
	if arn == "" {
		return nil
	}
	return &xmlBoundary{"PermissionsBoundaryPolicy", arn}
}

type xmlUser struct {
	Path                string          `xml:"Path,omitempty"`
	UserName            string          `xml:"UserName,omitempty"`
	UserID              string          `xml:"UserId"`
	Arn                 string          `xml:"Arn"`
	CreateDate          query.Timestamp `xml:"CreateDate"`
	PermissionsBoundary *xmlBoundary    `xml:"PermissionsBoundary"`
	Tags                *[]xmlTag       `xml:"Tags>member"`
}

// userXML renders u; full adds the boundary and tags, which GetUser and
// CreateUser return but ListUsers does not.
func userXML(u *model.User, full bool) xmlUser {
	x := xmlUser{Path: u.Path, UserName: u.Name, UserID: u.ID, Arn: u.ARN(), CreateDate: query.Timestamp{Time: u.Created}}
	if full {
		x.PermissionsBoundary = boundary(u.Boundary)
		x.Tags = xmlTags(u.Tags)
	}
	return x
}

type xmlGroup struct {
	Path       string          `xml:"Path"`
	GroupName  string          `xml:"GroupName"`
	GroupID    string          `xml:"GroupId"`
	Arn        string          `xml:"Arn"`
	CreateDate query.Timestamp `xml:"CreateDate"`
}

func groupXML(g *model.Group) xmlGroup {
	return xmlGroup{g.Path, g.Name, g.ID, g.ARN(), query.Timestamp{Time: g.Created}}
}

type xmlRoleLastUsed struct{}

type xmlRole struct {
	Path                     string           `xml:"Path"`
	RoleName                 string           `xml:"RoleName"`
	RoleID                   string           `xml:"RoleId"`
	Arn                      string           `xml:"Arn"`
	CreateDate               query.Timestamp  `xml:"CreateDate"`
	AssumeRolePolicyDocument string           `xml:"AssumeRolePolicyDocument,omitempty"`
	Description              string           `xml:"Description,omitempty"`
	MaxSessionDuration       int              `xml:"MaxSessionDuration,omitempty"`
	PermissionsBoundary      *xmlBoundary     `xml:"PermissionsBoundary"`
	Tags                     *[]xmlTag        `xml:"Tags>member"`
	RoleLastUsed             *xmlRoleLastUsed `xml:"RoleLastUsed"`
}

// roleXML renders r; full adds the boundary, tags and RoleLastUsed, which
// GetRole returns and ListRoles does not.
func roleXML(r *model.Role, full bool) xmlRole {
	x := xmlRole{Path: r.Path, RoleName: r.Name, RoleID: r.ID, Arn: r.ARN(), CreateDate: query.Timestamp{Time: r.Created},
		AssumeRolePolicyDocument: encodeDocument(r.TrustPolicy), Description: r.Description, MaxSessionDuration: maxSession(r)}
	if full {
		x.PermissionsBoundary = boundary(r.Boundary)
		x.Tags = xmlTags(r.Tags)
		x.RoleLastUsed = &xmlRoleLastUsed{}
	}
	return x
}

// maxSession is a role's MaxSessionDuration, 3600 when never set.
func maxSession(r *model.Role) int {
	if r.MaxSessionDuration == 0 {
		return 3600
	}
	return r.MaxSessionDuration
}

type xmlPolicy struct {
	PolicyName                    string           `xml:"PolicyName"`
	PolicyID                      string           `xml:"PolicyId"`
	Arn                           string           `xml:"Arn"`
	Path                          string           `xml:"Path"`
	DefaultVersionID              string           `xml:"DefaultVersionId"`
	AttachmentCount               int              `xml:"AttachmentCount"`
	PermissionsBoundaryUsageCount int              `xml:"PermissionsBoundaryUsageCount"`
	IsAttachable                  bool             `xml:"IsAttachable"`
	Description                   string           `xml:"Description,omitempty"`
	CreateDate                    query.Timestamp  `xml:"CreateDate"`
	UpdateDate                    query.Timestamp  `xml:"UpdateDate"`
	Tags                          *[]xmlTag        `xml:"Tags>member"`
	PolicyVersionList             *[]xmlPolicyVers `xml:"PolicyVersionList>member"`
}

type xmlPolicyVers struct {
	Document         string          `xml:"Document,omitempty"`
	VersionID        string          `xml:"VersionId"`
	IsDefaultVersion bool            `xml:"IsDefaultVersion"`
	CreateDate       query.Timestamp `xml:"CreateDate"`
}

// awsManagedDate is the creation date verdict reports for AWS managed
// policies, whose real dates vary; it is the date most of the oldest ones
// show.
var awsManagedDate = time.Date(2015, 2, 6, 18, 39, 46, 0, time.UTC)

// managed is a managed policy, AWS's or the account's, as the List and Get
// operations see it.
type managed struct {
	arn, name, path, id, description string
	defaultVersion                   string
	versions                         []model.PolicyVersion
	created, updated                 time.Time
	tags                             []model.Tag
	aws                              bool
}

func fromCustomer(p *model.ManagedPolicy) *managed {
	return &managed{arn: p.ARN, name: p.Name, path: p.Path, id: p.ID, description: p.Description,
		defaultVersion: p.DefaultVersion, versions: p.Versions, created: p.Created, updated: p.Updated, tags: p.Tags}
}

func fromAWS(p *awsmanaged.Policy) *managed {
	return &managed{arn: p.ARN(), name: p.Name, path: p.Path, id: state.AWSManagedPolicyID(p.ARN()), description: p.Description,
		defaultVersion: "v1", versions: []model.PolicyVersion{{ID: "v1", Document: p.Document, Created: awsManagedDate}},
		created: awsManagedDate, updated: awsManagedDate, aws: true}
}

// document returns the default version's document.
func (m *managed) document() string {
	for _, v := range m.versions {
		if v.ID == m.defaultVersion {
			return v.Document
		}
	}
	return ""
}

// policyXML renders m with its use counts; full adds the description and
// tags (GetPolicy, CreatePolicy).
func policyXML(m *managed, use state.PolicyUse, full bool) xmlPolicy {
	x := xmlPolicy{PolicyName: m.name, PolicyID: m.id, Arn: m.arn, Path: m.path, DefaultVersionID: m.defaultVersion,
		AttachmentCount: use.Attachments, PermissionsBoundaryUsageCount: use.Boundaries, IsAttachable: true,
		CreateDate: query.Timestamp{Time: m.created}, UpdateDate: query.Timestamp{Time: m.updated}}
	if full {
		x.Description = m.description
		x.Tags = xmlTags(m.tags)
	}
	return x
}

func versionXML(m *managed, v *model.PolicyVersion, withDocument bool) xmlPolicyVers {
	x := xmlPolicyVers{VersionID: v.ID, IsDefaultVersion: v.ID == m.defaultVersion, CreateDate: query.Timestamp{Time: v.Created}}
	if withDocument {
		x.Document = encodeDocument(v.Document)
	}
	return x
}

type xmlAttached struct {
	PolicyName string `xml:"PolicyName"`
	PolicyArn  string `xml:"PolicyArn"`
}

type xmlAccessKey struct {
	UserName        string           `xml:"UserName,omitempty"`
	AccessKeyID     string           `xml:"AccessKeyId"`
	Status          string           `xml:"Status"`
	SecretAccessKey string           `xml:"SecretAccessKey,omitempty"`
	CreateDate      *query.Timestamp `xml:"CreateDate"`
}

func keyXML(k *model.AccessKey, withSecret bool) xmlAccessKey {
	x := xmlAccessKey{UserName: k.User, AccessKeyID: k.ID, Status: k.Status, CreateDate: &query.Timestamp{Time: k.Created}}
	if withSecret {
		x.SecretAccessKey = k.Secret
	}
	return x
}
