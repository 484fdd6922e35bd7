package export

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// s3Events maps CloudTrail eventNames of S3 to the IAM action S3 authorizes
// them with, where the two differ; other S3 events are "s3:<eventName>".
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
var s3Events = map[string]string{
	"ListObjects":                   "s3:ListBucket",
	"ListObjectsV2":                 "s3:ListBucket",
	"HeadBucket":                    "s3:ListBucket",
	"HeadObject":                    "s3:GetObject",
	"CopyObject":                    "s3:PutObject",
	"CreateMultipartUpload":         "s3:PutObject",
	"UploadPart":                    "s3:PutObject",
	"UploadPartCopy":                "s3:PutObject",
	"CompleteMultipartUpload":       "s3:PutObject",
	"DeleteObjects":                 "s3:DeleteObject",
	"ListBuckets":                   "s3:ListAllMyBuckets",
	"ListObjectVersions":            "s3:ListBucketVersions",
	"ListMultipartUploads":          "s3:ListBucketMultipartUploads",
	"ListParts":                     "s3:ListMultipartUploadParts",
	"GetBucketEncryption":           "s3:GetEncryptionConfiguration",
	"PutBucketEncryption":           "s3:PutEncryptionConfiguration",
	"DeleteBucketEncryption":        "s3:PutEncryptionConfiguration",
	"GetBucketOwnershipControls":    "s3:GetBucketOwnershipControls",
	"PutBucketOwnershipControls":    "s3:PutBucketOwnershipControls",
	"DeleteBucketOwnershipControls": "s3:PutBucketOwnershipControls",
	"DeleteBucketPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
	"GetObjectAttributes":           "s3:GetObjectAttributes",
}

// EventAction maps a CloudTrail eventSource and eventName to the action
// that was authorized: S3 through its table, KMS, IAM and STS events by
// their names (their API names are their action names).
// https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
func EventAction(source, name string) (string, error) {
	svc := strings.TrimSuffix(source, ".amazonaws.com")
	if name == "" {
		return "", errors.New("no eventName")
	}
	switch svc {
	case "s3":
		if a, ok := s3Events[name]; ok {
			return a, nil
		}
		return "s3:" + name, nil
	case "kms", "iam", "sts":
		return svc + ":" + name, nil
	}
	return "", fmt.Errorf("eventSource %q: only S3, KMS, IAM and STS events are mapped", source)
}

// ParseCloudTrail reads one CloudTrail event (a bare record, or a file
// with a Records array whose first record is used) into a Query: the
// caller from userIdentity.arn, the action from eventSource/eventName, the
// resource from requestParameters (bucketName, key) or resources[0].ARN,
// aws:SourceIp from sourceIPAddress and the endpoint from vpcEndpointId.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
func ParseCloudTrail(data []byte) (Query, error) {
	type event struct {
		EventSource  string `json:"eventSource"`
		EventName    string `json:"eventName"`
		UserIdentity *struct {
			Type      string `json:"type"`
			ARN       string `json:"arn"`
			AccountID string `json:"accountId"`
		} `json:"userIdentity"`
		SourceIPAddress   string         `json:"sourceIPAddress"`
		VPCEndpointID     string         `json:"vpcEndpointId"`
		RequestParameters map[string]any `json:"requestParameters"`
		Resources         []struct {
			ARN string `json:"ARN"`
		} `json:"resources"`
	}
	var wrap struct {
		Records []event `json:"Records"`
	}
	var ev event
	if err := decodeJSON(data, &wrap); err != nil {
		return Query{}, fmt.Errorf("not a CloudTrail event: %w", err)
	}
	if len(wrap.Records) > 0 {
		ev = wrap.Records[0]
	} else if err := json.Unmarshal(data, &ev); err != nil {
		return Query{}, fmt.Errorf("not a CloudTrail event: %w", err)
	}
	action, err := EventAction(ev.EventSource, ev.EventName)
	if err != nil {
		return Query{}, err
	}
	q := Query{Action: action, EndpointID: ev.VPCEndpointID}
	switch {
	case ev.UserIdentity == nil:
		return Query{}, errors.New("no userIdentity")
	case ev.UserIdentity.ARN != "":
		q.Principal = ev.UserIdentity.ARN
	case ev.UserIdentity.Type == "Root" && ev.UserIdentity.AccountID != "":
		q.Principal = "arn:aws:iam::" + ev.UserIdentity.AccountID + ":root"
	default:
		q.Principal = "anonymous"
	}
	// A sourceIPAddress can be a service name ("s3.amazonaws.com").
	if ip := ev.SourceIPAddress; ip != "" && !strings.Contains(ip, "amazonaws.com") {
		q.SourceIP = ip
	}
	str := func(k string) string { s, _ := ev.RequestParameters[k].(string); return s }
	switch {
	case strings.HasPrefix(action, "s3:") && str("bucketName") != "":
		q.Resource = "arn:aws:s3:::" + str("bucketName")
		if k := str("key"); k != "" {
			q.Resource += "/" + k
		}
	case len(ev.Resources) > 0 && ev.Resources[0].ARN != "":
		q.Resource = ev.Resources[0].ARN
	case str("keyId") != "":
		q.Resource = str("keyId")
	case action == "s3:ListAllMyBuckets":
		q.Resource = "*"
	default:
		return Query{}, errors.New("cannot tell the resource: no requestParameters.bucketName, resources[].ARN or requestParameters.keyId")
	}
	return q, nil
}
