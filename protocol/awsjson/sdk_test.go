package awsjson

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// fakeJSON is a JSON 1.1 endpoint on 127.0.0.1. It checks the protocol
// headers, hands the target and raw request to handle, and lets handle
// answer.
type fakeJSON struct {
	srv    *httptest.Server
	target Target
	handle func(w http.ResponseWriter, r *http.Request)
}

func newFakeJSON(t *testing.T) *fakeJSON {
	t.Helper()
	f := &fakeJSON{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tg, err := ParseTarget(r)
		if err != nil {
			awserr.WriteJSON(w, awserr.As(err), "rid")
			return
		}
		if r.Header.Get("Content-Type") != ContentType {
			awserr.WriteJSON(w, SerializationException("bad content type "+r.Header.Get("Content-Type")), "rid")
			return
		}
		f.target = tg
		f.handle(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeJSON) config() aws.Config {
	return aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint:     aws.String(f.srv.URL),
		HTTPClient:       f.srv.Client(),
		RetryMaxAttempts: 1,
	}
}

func TestKMSClient(t *testing.T) {
	f := newFakeJSON(t)
	c := kms.NewFromConfig(f.config())
	ctx := context.Background()

	t.Run("Encrypt", func(t *testing.T) {
		var got encryptInput
		f.handle = func(w http.ResponseWriter, r *http.Request) {
			if err := Decode(r.Body, 0, &got); err != nil {
				awserr.WriteJSON(w, awserr.As(err), "rid")
				return
			}
			_ = WriteResponse(w, encryptOutput{CiphertextBlob: []byte{0, 1, 0xff}, KeyID: sampleKey().Arn,
				EncryptionAlgorithm: "SYMMETRIC_DEFAULT"}, "rid")
		}
		out, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String("alias/app"), Plaintext: []byte("top\x00secret"),
			EncryptionContext: map[string]string{"purpose": "test"}, GrantTokens: []string{"g1"}})
		if err != nil {
			t.Fatal(err)
		}
		if f.target != (Target{"TrentService", "Encrypt"}) {
			t.Errorf("target = %v", f.target)
		}
		want := encryptInput{KeyID: "alias/app", Plaintext: []byte("top\x00secret"),
			EncryptionContext: map[string]string{"purpose": "test"}, GrantTokens: []string{"g1"}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("decoded request %+v, want %+v", got, want)
		}
		if !reflect.DeepEqual(out.CiphertextBlob, []byte{0, 1, 0xff}) || aws.ToString(out.KeyId) != sampleKey().Arn ||
			out.EncryptionAlgorithm != kmstypes.EncryptionAlgorithmSpecSymmetricDefault {
			t.Errorf("output = %+v", out)
		}
	})

	t.Run("DescribeKey", func(t *testing.T) {
		f.handle = func(w http.ResponseWriter, r *http.Request) {
			k := sampleKey()
			del := Timestamp{created.AddDate(0, 0, 7)}
			k.DeletionDate = &del
			_ = WriteResponse(w, describeKeyOutput{k}, "rid")
		}
		out, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("k")})
		if err != nil {
			t.Fatal(err)
		}
		m := out.KeyMetadata
		if !aws.ToTime(m.CreationDate).Equal(created.Time) || !aws.ToTime(m.DeletionDate).Equal(created.AddDate(0, 0, 7)) {
			t.Errorf("dates = %v, %v; want %v", m.CreationDate, m.DeletionDate, created.Time)
		}
		if aws.ToString(m.KeyId) != sampleKey().KeyID || !m.Enabled || m.KeyState != kmstypes.KeyStateEnabled ||
			aws.ToString(m.Description) != "<app> & key" || len(m.EncryptionAlgorithms) != 1 {
			t.Errorf("metadata = %+v", m)
		}
	})

	t.Run("ValidationException", func(t *testing.T) {
		f.handle = func(w http.ResponseWriter, r *http.Request) {
			awserr.WriteJSON(w, ValidationException(NotNull("keyId")), "rid")
		}
		_, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("k")})
		var api interface {
			ErrorCode() string
			ErrorMessage() string
		}
		if !errors.As(err, &api) || api.ErrorCode() != "ValidationException" ||
			api.ErrorMessage() != "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null" {
			t.Errorf("error = %v", err)
		}
	})
}

func TestOrganizationsClient(t *testing.T) {
	f := newFakeJSON(t)
	c := organizations.NewFromConfig(f.config())
	f.handle = func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			MaxResults *int32  `json:"MaxResults"`
			NextToken  *string `json:"NextToken"`
		}
		if err := Decode(r.Body, 0, &in); err != nil || aws.ToInt32(in.MaxResults) != 20 {
			awserr.WriteJSON(w, ValidationException(NotNull("maxResults")), "rid")
			return
		}
		_ = WriteResponse(w, listAccountsOutput{Accounts: []account{{ID: "111111111111", Name: "Production Account",
			Status: "ACTIVE", JoinedMethod: "INVITED", JoinedTimestamp: created}}, NextToken: aws.String("n")}, "rid")
	}
	out, err := c.ListAccounts(context.Background(), &organizations.ListAccountsInput{MaxResults: aws.Int32(20)})
	if err != nil {
		t.Fatal(err)
	}
	if f.target != (Target{"AWSOrganizationsV20161128", "ListAccounts"}) {
		t.Errorf("target = %v", f.target)
	}
	if len(out.Accounts) != 1 || aws.ToString(out.Accounts[0].Id) != "111111111111" ||
		!aws.ToTime(out.Accounts[0].JoinedTimestamp).Equal(created.Time) || aws.ToString(out.NextToken) != "n" {
		t.Errorf("output = %+v", out)
	}
}
