package s3xml

import (
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/verdict-project/verdict/protocol/awserr"
)

const ns = ` xmlns="http://s3.amazonaws.com/doc/2006-03-01/"`

func TestDecode(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		limit int64
		into  any
		want  any    // compared after zeroing XMLName, when code is ""
		code  string // expected error code
	}{
		// Well-formedness and framing, shared by every type.
		{name: "empty body", body: "", into: &Tagging{}, code: "MissingRequestBodyError"},
		{name: "white space only", body: " \n\t", into: &Tagging{}, code: "MalformedXML"},
		{name: "not xml", body: "hello", into: &Tagging{}, code: "MalformedXML"},
		{name: "json", body: `{"TagSet":[]}`, into: &Tagging{}, code: "MalformedXML"},
		{name: "unclosed", body: "<Tagging><TagSet>", into: &Tagging{}, code: "MalformedXML"},
		{name: "mismatched end", body: "<Tagging></Tag>", into: &Tagging{}, code: "MalformedXML"},
		{name: "wrong root", body: "<Delete><Object><Key>a</Key></Object></Delete>", into: &Tagging{}, code: "MalformedXML"},
		{name: "wrong root case", body: "<tagging><TagSet/></tagging>", into: &Tagging{}, code: "MalformedXML"},
		{name: "foreign namespace", body: `<Tagging xmlns="urn:other"><TagSet/></Tagging>`, into: &Tagging{}, code: "MalformedXML"},
		{name: "trailing element", body: "<Tagging><TagSet/></Tagging><Tagging/>", into: &Tagging{}, code: "MalformedXML"},
		{name: "trailing text", body: "<Tagging><TagSet/></Tagging>garbage", into: &Tagging{}, code: "MalformedXML"},
		{name: "doctype", body: `<!DOCTYPE Tagging [<!ENTITY x "y">]><Tagging/>`, into: &Tagging{}, code: "MalformedXML"},
		{name: "undefined entity", body: "<Tagging><TagSet><Tag><Key>&x;</Key><Value/></Tag></TagSet></Tagging>", into: &Tagging{}, code: "MalformedXML"},
		{name: "invalid utf-8", body: "<Tagging><TagSet><Tag><Key>\xff</Key><Value/></Tag></TagSet></Tagging>", into: &Tagging{}, code: "MalformedXML"},
		{name: "nul character", body: "<Tagging><TagSet><Tag><Key>\x00</Key><Value/></Tag></TagSet></Tagging>", into: &Tagging{}, code: "MalformedXML"},
		{name: "latin1 declared", body: `<?xml version="1.0" encoding="ISO-8859-1"?><Tagging/>`, into: &Tagging{}, code: "MalformedXML"},
		{name: "over limit", body: "<Tagging><TagSet></TagSet></Tagging>", limit: 10, into: &Tagging{}, code: "MalformedXML"},
		{name: "largest limit", body: "<Tagging/>", limit: math.MaxInt64, into: &Tagging{}, want: &Tagging{}},
		{name: "at limit", body: "<Tagging/>", limit: 10, into: &Tagging{}, want: &Tagging{}},
		{name: "prolog and trailing misc", body: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c --><Tagging/>\n<!-- end -->\n",
			into: &Tagging{}, want: &Tagging{}},
		{name: "byte order mark", body: "\xef\xbb\xbf<?xml version=\"1.0\"?><Tagging/>", into: &Tagging{}, want: &Tagging{}},
		{name: "byte order mark only", body: "\xef\xbb\xbf", into: &Tagging{}, code: "MalformedXML"},
		{name: "bad bool", body: "<PublicAccessBlockConfiguration><BlockPublicAcls>yes</BlockPublicAcls></PublicAccessBlockConfiguration>",
			into: &PublicAccessBlockConfiguration{}, code: "MalformedXML"},
		{name: "bad int", body: "<CompleteMultipartUpload><Part><PartNumber>one</PartNumber></Part></CompleteMultipartUpload>",
			into: &CompleteMultipartUpload{}, code: "MalformedXML"},

		// Tagging.
		{name: "tagging", body: "<Tagging" + ns + "><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value></Value></Tag></TagSet></Tagging>",
			into: &Tagging{}, want: &Tagging{TagSet: TagSet{{"a", "1"}, {"b", ""}}}},
		{name: "tagging no namespace unknown child", body: "<Tagging><Extra>x</Extra><TagSet><Foo/><Tag><Key>a</Key><Value>1</Value></Tag></TagSet></Tagging>",
			into: &Tagging{}, want: &Tagging{TagSet: TagSet{{"a", "1"}}}},

		// Delete.
		{name: "delete", body: "<Delete" + ns + "><Object><Key>a</Key></Object><Object><Key>b</Key><VersionId>v</VersionId><ETag>\"e\"</ETag><Size>3</Size></Object><Quiet>true</Quiet></Delete>",
			into: &Delete{}, want: &Delete{Objects: []ObjectIdentifier{{Key: "a"}, {Key: "b", VersionID: "v", ETag: `"e"`, Size: ptr(int64(3))}}, Quiet: true}},
		{name: "delete no objects", body: "<Delete><Quiet>true</Quiet></Delete>", into: &Delete{}, code: "MalformedXML"},
		{name: "delete 1000", body: deleteBody(1000), into: &Delete{}, want: nil},
		{name: "delete 1001", body: deleteBody(1001), into: &Delete{}, code: "MalformedXML"},

		// CompleteMultipartUpload.
		{name: "complete", body: "<CompleteMultipartUpload" + ns + "><Part><PartNumber>1</PartNumber><ETag>\"a\"</ETag></Part><Part><ETag>\"b\"</ETag><PartNumber>3</PartNumber><ChecksumCRC32>c=</ChecksumCRC32></Part></CompleteMultipartUpload>",
			into: &CompleteMultipartUpload{}, want: &CompleteMultipartUpload{Parts: []CompletedPart{{ETag: `"a"`, PartNumber: 1}, {ETag: `"b"`, PartNumber: 3, Checksums: Checksums{ChecksumCRC32: "c="}}}}},
		{name: "complete no parts", body: "<CompleteMultipartUpload/>", into: &CompleteMultipartUpload{}, code: "MalformedXML"},
		{name: "complete descending", body: "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>a</ETag></Part><Part><PartNumber>1</PartNumber><ETag>b</ETag></Part></CompleteMultipartUpload>",
			into: &CompleteMultipartUpload{}, code: "InvalidPartOrder"},
		{name: "complete repeated part", body: "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>a</ETag></Part><Part><PartNumber>2</PartNumber><ETag>b</ETag></Part></CompleteMultipartUpload>",
			into: &CompleteMultipartUpload{}, code: "InvalidPartOrder"},

		// CreateBucketConfiguration.
		{name: "create bucket", body: "<CreateBucketConfiguration" + ns + "><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>",
			into: &CreateBucketConfiguration{}, want: &CreateBucketConfiguration{LocationConstraint: "eu-west-1"}},

		// AccessControlPolicy.
		{name: "acl", body: `<AccessControlPolicy` + ns + `><Owner><ID>o</ID></Owner><AccessControlList>` +
			`<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>o</ID><DisplayName>d</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>` +
			`<Grant><Grantee xmlns:x="http://www.w3.org/2001/XMLSchema-instance" x:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>` +
			`<Grant><Grantee xsi:type="AmazonCustomerByEmail"><EmailAddress>e@example.com</EmailAddress></Grantee><Permission>WRITE_ACP</Permission></Grant>` +
			`</AccessControlList></AccessControlPolicy>`,
			into: &AccessControlPolicy{}, want: &AccessControlPolicy{Owner: Owner{ID: "o"}, AccessControlList: AccessControlList{
				{Grantee: &Grantee{Type: GranteeCanonicalUser, ID: "o", DisplayName: "d"}, Permission: PermFullControl},
				{Grantee: &Grantee{Type: GranteeGroup, URI: "http://acs.amazonaws.com/groups/global/AllUsers"}, Permission: PermRead},
				{Grantee: &Grantee{Type: GranteeEmail, EmailAddress: "e@example.com"}, Permission: PermWriteACP},
			}}},
		{name: "acl malformed", body: "<AccessControlPolicy><Owner>", into: &AccessControlPolicy{}, code: "MalformedACLError"},
		{name: "acl wrong root", body: "<Tagging/>", into: &AccessControlPolicy{}, code: "MalformedACLError"},
		{name: "acl over limit", body: "<AccessControlPolicy/>", limit: 5, into: &AccessControlPolicy{}, code: "MalformedACLError"},
		{name: "acl empty body", body: "", into: &AccessControlPolicy{}, code: "MissingRequestBodyError"},
		{name: "acl no type", body: "<AccessControlPolicy><AccessControlList><Grant><Grantee><ID>o</ID></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>",
			into: &AccessControlPolicy{}, code: "MalformedACLError"},
		{name: "acl type in other namespace", body: `<AccessControlPolicy><AccessControlList><Grant><Grantee xmlns:q="urn:q" q:type="CanonicalUser"><ID>o</ID></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`,
			into: &AccessControlPolicy{}, code: "MalformedACLError"},
		{name: "acl unknown type", body: `<AccessControlPolicy><AccessControlList><Grant><Grantee xsi:type="Robot"><ID>o</ID></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`,
			into: &AccessControlPolicy{}, code: "MalformedACLError"},
		{name: "acl canonical without id", body: `<AccessControlPolicy><AccessControlList><Grant><Grantee xsi:type="CanonicalUser"><URI>u</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`,
			into: &AccessControlPolicy{}, code: "MalformedACLError"},
		{name: "acl bad permission", body: `<AccessControlPolicy><AccessControlList><Grant><Grantee xsi:type="Group"><URI>u</URI></Grantee><Permission>read</Permission></Grant></AccessControlList></AccessControlPolicy>`,
			into: &AccessControlPolicy{}, code: "MalformedACLError"},
		{name: "acl grant without grantee", body: `<AccessControlPolicy><AccessControlList><Grant><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`,
			into: &AccessControlPolicy{}, code: "MalformedACLError"},

		// Bucket configurations.
		{name: "versioning", body: "<VersioningConfiguration" + ns + "><Status>Suspended</Status></VersioningConfiguration>",
			into: &VersioningConfiguration{}, want: &VersioningConfiguration{Status: "Suspended"}},
		{name: "versioning bad status", body: "<VersioningConfiguration><Status>On</Status></VersioningConfiguration>",
			into: &VersioningConfiguration{}, code: "MalformedXML"},
		{name: "versioning bad mfa", body: "<VersioningConfiguration><MfaDelete>Yes</MfaDelete></VersioningConfiguration>",
			into: &VersioningConfiguration{}, code: "MalformedXML"},
		{name: "request payment", body: "<RequestPaymentConfiguration" + ns + "><Payer>BucketOwner</Payer></RequestPaymentConfiguration>",
			into: &RequestPaymentConfiguration{}, want: &RequestPaymentConfiguration{Payer: "BucketOwner"}},
		{name: "request payment bad payer", body: "<RequestPaymentConfiguration><Payer>Anyone</Payer></RequestPaymentConfiguration>",
			into: &RequestPaymentConfiguration{}, code: "MalformedXML"},
		{name: "ownership", body: "<OwnershipControls" + ns + "><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>",
			into: &OwnershipControls{}, want: &OwnershipControls{Rules: []OwnershipControlsRule{{"ObjectWriter"}}}},
		{name: "ownership no rule", body: "<OwnershipControls/>", into: &OwnershipControls{}, code: "MalformedXML"},
		{name: "ownership two rules", body: "<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>",
			into: &OwnershipControls{}, code: "MalformedXML"},
		{name: "ownership bad value", body: "<OwnershipControls><Rule><ObjectOwnership>Me</ObjectOwnership></Rule></OwnershipControls>",
			into: &OwnershipControls{}, code: "MalformedXML"},
		{name: "public access block partial", body: "<PublicAccessBlockConfiguration" + ns + "><BlockPublicPolicy>true</BlockPublicPolicy></PublicAccessBlockConfiguration>",
			into: &PublicAccessBlockConfiguration{}, want: &PublicAccessBlockConfiguration{BlockPublicPolicy: true}},
		{name: "encryption", body: "<ServerSideEncryptionConfiguration" + ns + "><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>",
			into: &ServerSideEncryptionConfiguration{}, want: &ServerSideEncryptionConfiguration{Rules: []ServerSideEncryptionRule{{
				ApplyServerSideEncryptionByDefault: &ServerSideEncryptionByDefault{SSEAlgorithm: "aws:kms", KMSMasterKeyID: "k"}, BucketKeyEnabled: true}}}},
		{name: "encryption no rule", body: "<ServerSideEncryptionConfiguration/>", into: &ServerSideEncryptionConfiguration{}, code: "MalformedXML"},
		{name: "encryption bad algorithm", body: "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>rot13</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>",
			into: &ServerSideEncryptionConfiguration{}, code: "MalformedXML"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Decode(strings.NewReader(tc.body), tc.limit, tc.into)
			if tc.code != "" {
				var ae *awserr.Error
				if !errors.As(err, &ae) || ae.Code != tc.code {
					t.Fatalf("Decode error = %v, want code %s", err, tc.code)
				}
				if ae.Status != 400 {
					t.Errorf("status = %d, want 400", ae.Status)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if tc.want == nil {
				return
			}
			reflect.ValueOf(tc.into).Elem().FieldByName("XMLName").SetZero()
			if !reflect.DeepEqual(tc.into, tc.want) {
				t.Errorf("got %+v\nwant %+v", tc.into, tc.want)
			}
		})
	}
}

func TestDecodeReadErrors(t *testing.T) {
	sigErr := awserr.SignatureDoesNotMatch()
	tests := []struct {
		name string
		r    io.Reader
		code string
	}{
		{"short body", io.MultiReader(strings.NewReader("<Tag"), errReader{io.ErrUnexpectedEOF}), "IncompleteBody"},
		{"verifier error passes through", errReader{sigErr}, "SignatureDoesNotMatch"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := awserr.Code(Decode(tc.r, 0, &Tagging{})); got != tc.code {
				t.Errorf("code = %q, want %q", got, tc.code)
			}
		})
	}
}

func TestDecodeNotOurType(t *testing.T) {
	for _, v := range []any{nil, Tagging{}, new(int), &struct{ A int }{}} {
		if got := awserr.Code(Decode(strings.NewReader("<Tagging/>"), 0, v)); got != "InternalError" {
			t.Errorf("Decode into %T: code %q, want InternalError", v, got)
		}
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func deleteBody(n int) string {
	var b strings.Builder
	b.WriteString("<Delete>")
	for range n {
		b.WriteString("<Object><Key>k</Key></Object>")
	}
	b.WriteString("</Delete>")
	return b.String()
}

func ptr[T any](v T) *T { return &v }

func BenchmarkDecodeDelete1000(b *testing.B) {
	body := deleteBody(1000)
	for b.Loop() {
		var d Delete
		if err := Decode(strings.NewReader(body), 0, &d); err != nil {
			b.Fatal(err)
		}
	}
}
