"""S3's access-control APIs end to end with boto3 (issue: bucket policies, ACLs,
Object Ownership, Block Public Access, Requester Pays, tagging, condition keys,
403 vs 404). Run by access_control_test.go with VERDICT_ENDPOINT set; asserts
AWS's status, error code and message for each item and exits non-zero on the
first failure."""
import json
import os
import sys

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = os.environ["VERDICT_ENDPOINT"]
A, B = "111111111111", "222222222222"


def s3(account=None, **cfg):
    conf = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, **cfg)
    if account is None:
        conf = conf.merge(Config(signature_version=UNSIGNED))
        return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", config=conf)
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", config=conf,
                        aws_access_key_id=account, aws_secret_access_key="test")


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else "  " + str(detail)))
    if not ok:
        sys.exit(1)


def error(fn, **kw):
    try:
        fn(**kw)
    except ClientError as e:
        return e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"].get("Code"), e.response["Error"].get("Message", "")
    return 200, None, ""


a, b, anon = s3(A), s3(B), s3()

# --- defaults since April 2023: BucketOwnerEnforced, all of Block Public Access.
b.create_bucket(Bucket="ac-default")
check("new bucket is BucketOwnerEnforced",
      b.get_bucket_ownership_controls(Bucket="ac-default")["OwnershipControls"]["Rules"][0]["ObjectOwnership"] == "BucketOwnerEnforced")
pab = b.get_public_access_block(Bucket="ac-default")["PublicAccessBlockConfiguration"]
check("new bucket blocks public access", all(pab.values()), pab)
st, code, _ = error(b.put_bucket_acl, Bucket="ac-default", ACL="public-read")
check("ACL on an enforced bucket: 400 AccessControlListNotSupported", (st, code) == (400, "AccessControlListNotSupported"), (st, code))

# --- 1. bucket policy APIs.
st, code, _ = error(b.get_bucket_policy, Bucket="ac-default")
check("no policy: 404 NoSuchBucketPolicy", (st, code) == (404, "NoSuchBucketPolicy"), (st, code))
st, code, msg = error(b.put_bucket_policy, Bucket="ac-default", Policy="not json")
check("bad policy: 400 MalformedPolicy", (st, code) == (400, "MalformedPolicy"), (st, code, msg))
st, code, msg = error(b.put_bucket_policy, Bucket="ac-default", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::ac-default/*"}]}))
check("public policy under BlockPublicPolicy: 403", (st, code) == (403, "AccessDenied") and "BlockPublicPolicy" in msg, (st, code, msg))
grant_a = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % A},
                                                  "Action": ["s3:GetObject", "s3:PutObject", "s3:PutObjectAcl", "s3:ListBucket"],
                                                  "Resource": ["arn:aws:s3:::ac-default", "arn:aws:s3:::ac-default/*"]}]}
b.put_bucket_policy(Bucket="ac-default", Policy=json.dumps(grant_a))
check("policy round trip", json.loads(b.get_bucket_policy(Bucket="ac-default")["Policy"]) == grant_a)
check("policy status not public", b.get_bucket_policy_status(Bucket="ac-default")["PolicyStatus"]["IsPublic"] is False)
st, code, _ = error(a.get_bucket_policy, Bucket="ac-default")
check("another account may not read the policy: 403", (st, code) == (403, "AccessDenied"), (st, code))

# --- 8. 403 vs 404: A may list, so a missing key is 404; anonymous gets 403.
st, code, _ = error(a.get_object, Bucket="ac-default", Key="missing")
check("missing key with s3:ListBucket: 404 NoSuchKey", (st, code) == (404, "NoSuchKey"), (st, code))
b.delete_public_access_block(Bucket="ac-default")
st, code, _ = error(anon.get_object, Bucket="ac-default", Key="missing")
check("missing key without s3:ListBucket: 403", (st, code) == (403, "AccessDenied"), (st, code))

# --- 3. Object Ownership: ObjectWriter, then the fixes.
b.create_bucket(Bucket="ac-writer", ObjectOwnership="ObjectWriter")
b.delete_public_access_block(Bucket="ac-writer")
b.put_bucket_policy(Bucket="ac-writer", Policy=json.dumps(grant_a).replace("ac-default", "ac-writer"))
a.put_object(Bucket="ac-writer", Key="from-a", Body=b"A's bytes")
st, code, _ = error(b.get_object, Bucket="ac-writer", Key="from-a")
check("object owned by A is unreadable by B's root", (st, code) == (403, "AccessDenied"), (st, code))
check("owner reported is A", a.get_object_acl(Bucket="ac-writer", Key="from-a")["Owner"]["ID"] != b.list_buckets()["Owner"]["ID"])
a.put_object_acl(Bucket="ac-writer", Key="from-a", ACL="bucket-owner-full-control")
check("bucket-owner-full-control lets B read", b.get_object(Bucket="ac-writer", Key="from-a")["Body"].read() == b"A's bytes")
a.put_object(Bucket="ac-writer", Key="from-a-2", Body=b"2")
b.put_bucket_ownership_controls(Bucket="ac-writer", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
check("BucketOwnerEnforced makes B the owner of every object", b.get_object(Bucket="ac-writer", Key="from-a-2")["Body"].read() == b"2")
b.delete_bucket_ownership_controls(Bucket="ac-writer")
st, code, _ = error(b.get_bucket_ownership_controls, Bucket="ac-writer")
check("deleted ownership controls: 404 OwnershipControlsNotFoundError", (st, code) == (404, "OwnershipControlsNotFoundError"), (st, code))

# --- 2. ACLs: canned, grant headers, XML body; InvalidBucketAclWithObjectOwnership.
b.put_bucket_acl(Bucket="ac-writer", ACL="public-read")
grants = b.get_bucket_acl(Bucket="ac-writer")["Grants"]
check("public-read bucket ACL", any(g["Grantee"].get("URI", "").endswith("AllUsers") and g["Permission"] == "READ" for g in grants), grants)
st, code, _ = error(b.put_bucket_ownership_controls, Bucket="ac-writer", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
check("enforcing with a public bucket ACL: 400 InvalidBucketAclWithObjectOwnership", (st, code) == (400, "InvalidBucketAclWithObjectOwnership"), (st, code))
a_id = a.list_buckets()["Owner"]["ID"]
b.put_object(Bucket="ac-writer", Key="granted", Body=b"g", GrantRead="id=" + a_id)
grants = b.get_object_acl(Bucket="ac-writer", Key="granted")["Grants"]
check("x-amz-grant-read on PutObject", any(g["Grantee"].get("ID") == a_id and g["Permission"] == "READ" for g in grants), grants)
owner = b.get_object_acl(Bucket="ac-writer", Key="granted")["Owner"]
b.put_object_acl(Bucket="ac-writer", Key="granted", AccessControlPolicy={"Owner": owner, "Grants": [
    {"Grantee": {"Type": "CanonicalUser", "ID": owner["ID"]}, "Permission": "FULL_CONTROL"},
    {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}]})
check("XML ACL body makes the object public", anon.get_object(Bucket="ac-writer", Key="granted")["Body"].read() == b"g")

# --- 4. Block Public Access, bucket and account (S3 Control).
b.put_public_access_block(Bucket="ac-writer", PublicAccessBlockConfiguration={"BlockPublicAcls": True, "IgnorePublicAcls": True,
                                                                              "BlockPublicPolicy": False, "RestrictPublicBuckets": False})
st, code, _ = error(anon.get_object, Bucket="ac-writer", Key="granted")
check("IgnorePublicAcls: public ACL ignored", (st, code) == (403, "AccessDenied"), (st, code))
st, code, msg = error(b.put_object_acl, Bucket="ac-writer", Key="granted", ACL="public-read")
check("BlockPublicAcls: 403 with S3's message", (st, code) == (403, "AccessDenied") and "BlockPublicAcls" in msg, (st, code, msg))
control = boto3.client("s3control", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=B, aws_secret_access_key="test",
                       # The SDK puts the account ID in front of the host name,
                       # which does not resolve on loopback: send it through the
                       # server as an HTTP proxy instead.
                       config=Config(retries={"max_attempts": 1}, proxies={"http": endpoint}))
control.put_public_access_block(AccountId=B, PublicAccessBlockConfiguration={"BlockPublicAcls": False, "IgnorePublicAcls": False,
                                                                             "BlockPublicPolicy": True, "RestrictPublicBuckets": False})
check("account-level Block Public Access round trip",
      control.get_public_access_block(AccountId=B)["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] is True)
b.create_bucket(Bucket="ac-account-pab", ObjectOwnership="ObjectWriter")
b.delete_public_access_block(Bucket="ac-account-pab")
st, code, msg = error(b.put_bucket_policy, Bucket="ac-account-pab", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::ac-account-pab/*"}]}))
check("account BlockPublicPolicy refuses a public bucket policy", (st, code) == (403, "AccessDenied"), (st, code, msg))
control.delete_public_access_block(AccountId=B)

# --- 5. Requester Pays.
b.create_bucket(Bucket="ac-payer")
b.put_bucket_request_payment(Bucket="ac-payer", RequestPaymentConfiguration={"Payer": "Requester"})
check("request payment round trip", b.get_bucket_request_payment(Bucket="ac-payer")["Payer"] == "Requester")
b.put_object(Bucket="ac-payer", Key="k", Body=b"paid")
b.put_bucket_policy(Bucket="ac-payer", Policy=json.dumps(grant_a).replace("ac-default", "ac-payer"))
st, code, _ = error(a.get_object, Bucket="ac-payer", Key="k")
check("Requester Pays without the header: 403", (st, code) == (403, "AccessDenied"), (st, code))
r = a.get_object(Bucket="ac-payer", Key="k", RequestPayer="requester")
check("with the header: charged to the requester", r.get("RequestCharged") == "requester" and r["Body"].read() == b"paid", r.get("RequestCharged"))
check("the owner needs no header", b.get_object(Bucket="ac-payer", Key="k")["Body"].read() == b"paid")

# --- 6. Tagging, and 7. tag condition keys.
b.put_object(Bucket="ac-payer", Key="tagged", Body=b"t", Tagging="team=red")
check("x-amz-tagging on PutObject", b.get_object_tagging(Bucket="ac-payer", Key="tagged")["TagSet"] == [{"Key": "team", "Value": "red"}])
b.put_object_tagging(Bucket="ac-payer", Key="tagged", Tagging={"TagSet": [{"Key": "team", "Value": "blue"}]})
b.put_bucket_tagging(Bucket="ac-payer", Tagging={"TagSet": [{"Key": "cost", "Value": "1"}]})
check("bucket tagging", b.get_bucket_tagging(Bucket="ac-payer")["TagSet"] == [{"Key": "cost", "Value": "1"}])
b.delete_bucket_tagging(Bucket="ac-payer")
st, code, _ = error(b.get_bucket_tagging, Bucket="ac-payer")
check("no bucket tags: 404 NoSuchTagSet", (st, code) == (404, "NoSuchTagSet"), (st, code))
b.put_bucket_policy(Bucket="ac-payer", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % A}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::ac-payer/*",
     "Condition": {"StringEquals": {"s3:ExistingObjectTag/team": "red"}}}]}))
st, code, _ = error(a.get_object, Bucket="ac-payer", Key="tagged", RequestPayer="requester")
check("s3:ExistingObjectTag condition refuses a blue object", (st, code) == (403, "AccessDenied"), (st, code))
b.put_object_tagging(Bucket="ac-payer", Key="tagged", Tagging={"TagSet": [{"Key": "team", "Value": "red"}]})
check("and allows it once red", a.get_object(Bucket="ac-payer", Key="tagged", RequestPayer="requester")["Body"].read() == b"t")

# --- 7. s3:x-amz-acl condition: uploads must grant the bucket owner full control.
b.create_bucket(Bucket="ac-bofc", ObjectOwnership="BucketOwnerPreferred")
b.put_bucket_policy(Bucket="ac-bofc", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % A}, "Action": ["s3:PutObject", "s3:PutObjectAcl"], "Resource": "arn:aws:s3:::ac-bofc/*",
     "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}}]}))
st, code, _ = error(a.put_object, Bucket="ac-bofc", Key="x", Body=b"x")
check("upload without bucket-owner-full-control refused", (st, code) == (403, "AccessDenied"), (st, code))
a.put_object(Bucket="ac-bofc", Key="x", Body=b"x", ACL="bucket-owner-full-control")
check("BucketOwnerPreferred + bucket-owner-full-control: B owns the upload",
      b.get_object_acl(Bucket="ac-bofc", Key="x")["Owner"]["ID"] == b.list_buckets()["Owner"]["ID"])
print("access control scenario passed")
