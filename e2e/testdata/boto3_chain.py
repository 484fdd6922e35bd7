"""KMS, Organizations (SCP and RCP), STS and the Identity Center scenario with
boto3, against a server started with testdata/identity-center-world.yaml. Run
by chain_test.go with VERDICT_ENDPOINT set."""
import json
import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = os.environ["VERDICT_ENDPOINT"]
A, B, S, C, MGMT = "111111111111", "222222222222", "333333333333", "444444444444", "999999999999"


def client(svc, key, secret="test", token=None):
    return boto3.client(svc, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key, aws_secret_access_key=secret,
                        aws_session_token=token, config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))


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


def read(c, bucket, key, **kw):
    return c.get_object(Bucket=bucket, Key=key, **kw)["Body"].read()


# --- Identity Center: a permission-set session reads B's bucket; C's upload is C's.
session = client("sts", "AKIASSOBROKER0000001", "broker-secret").assume_role(RoleArn="arn:aws:iam::%s:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_DataRead_0123456789abcdef" % S,
                                       RoleSessionName="alice@example.com")
creds = session["Credentials"]
sso = client("s3", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
check("session ARN is the permission-set role's", session["AssumedRoleUser"]["Arn"] ==
      "arn:aws:sts::%s:assumed-role/AWSReservedSSO_DataRead_0123456789abcdef/alice@example.com" % S, session["AssumedRoleUser"])
b, c = client("s3", B), client("s3", C)
b.put_object(Bucket="seed-data", Key="from-b.csv", Body=b"b")
c.put_object(Bucket="seed-data", Key="from-c.csv", Body=b"c")
check("permission set reads the bucket owner's object", read(sso, "seed-data", "from-b.csv") == b"b")
st, code, _ = error(sso.get_object, Bucket="seed-data", Key="from-c.csv")
check("object uploaded by account C is denied (owned by C)", (st, code) == (403, "AccessDenied"), (st, code))
b.put_bucket_ownership_controls(Bucket="seed-data", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
check("BucketOwnerEnforced fixes it", read(sso, "seed-data", "from-c.csv") == b"c")

# --- KMS: cross-account SSE-KMS needs the key policy and the caller's IAM policy.
kms_b = client("kms", B)
key = kms_b.create_key(Description="shared")["KeyMetadata"]["Arn"]
b.create_bucket(Bucket="kms-data")
b.put_object(Bucket="kms-data", Key="secret", Body=b"s", ServerSideEncryption="aws:kms", SSEKMSKeyId=key)
b.put_object(Bucket="kms-data", Key="managed", Body=b"m", ServerSideEncryption="aws:kms")
h = b.head_object(Bucket="kms-data", Key="managed")
check("aws:kms without a key id uses aws/s3", h.get("ServerSideEncryption") == "aws:kms" and ":alias/aws/s3" not in h.get("SSEKMSKeyId", "x"), h.get("SSEKMSKeyId"))
b.put_bucket_policy(Bucket="kms-data", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % A}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::kms-data/*"}]}))
iam_a = client("iam", A)
iam_a.create_user(UserName="dev")
k = iam_a.create_access_key(UserName="dev")["AccessKey"]
dev = client("s3", k["AccessKeyId"], k["SecretAccessKey"])
iam_a.put_user_policy(UserName="dev", PolicyName="s3", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
st, code, _ = error(dev.get_object, Bucket="kms-data", Key="secret")
check("SSE-KMS object: denied without kms:Decrypt anywhere", (st, code) == (403, "AccessDenied"), (st, code))
iam_a.put_user_policy(UserName="dev", PolicyName="kms", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}))
st, code, _ = error(dev.get_object, Bucket="kms-data", Key="secret")
check("still denied: the key policy does not allow account A", (st, code) == (403, "AccessDenied"), (st, code))
kms_b.put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % B}, "Action": "kms:*", "Resource": "*"},
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % A}, "Action": "kms:Decrypt", "Resource": "*"}]}))
check("key policy and IAM policy both allow: readable", read(dev, "kms-data", "secret") == b"s")
st, code, _ = error(dev.get_object, Bucket="kms-data", Key="managed")
check("an aws/s3 object is never readable from another account", (st, code) == (403, "AccessDenied"), (st, code))
check("the owner reads its aws/s3 object", read(b, "kms-data", "managed") == b"m")
kms_b.disable_key(KeyId=key)
st, code, _ = error(b.get_object, Bucket="kms-data", Key="secret")
check("a disabled key: the object cannot be read", st >= 400 and "Disabled" in (code or ""), (st, code))
kms_b.enable_key(KeyId=key)

# --- STS: cross-account AssumeRole with trust, ExternalId and a session policy.
iam_b = client("iam", B)
iam_b.create_role(RoleName="partner", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % A}, "Action": "sts:AssumeRole",
     "Condition": {"StringEquals": {"sts:ExternalId": "ext-42"}}}]}))
iam_b.attach_role_policy(RoleName="partner", PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
sts_dev = client("sts", k["AccessKeyId"], k["SecretAccessKey"])
role = "arn:aws:iam::%s:role/partner" % B
st, code, _ = error(sts_dev.assume_role, RoleArn=role, RoleSessionName="partner-session", ExternalId="ext-42")
check("AssumeRole without sts:AssumeRole in the caller's policy: denied", (st, code) == (403, "AccessDenied"), (st, code))
iam_a.put_user_policy(UserName="dev", PolicyName="assume", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role}]}))
st, code, _ = error(sts_dev.assume_role, RoleArn=role, RoleSessionName="partner-session", ExternalId="wrong")
check("wrong ExternalId: denied by the trust policy", (st, code) == (403, "AccessDenied"), (st, code))
cr = sts_dev.assume_role(RoleArn=role, RoleSessionName="partner-session", ExternalId="ext-42",
                         Policy=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}))["Credentials"]
as_role = client("s3", cr["AccessKeyId"], cr["SecretAccessKey"], cr["SessionToken"])
check("the session can list B's bucket", len(as_role.list_objects_v2(Bucket="kms-data").get("Contents", [])) == 2)
st, code, msg = error(as_role.get_object, Bucket="kms-data", Key="managed")
check("the session policy limits it to listing", (st, code) == (403, "AccessDenied") and "session policy" in msg, (st, code, msg))

# --- Organizations: an SCP deny on A's user, then an RCP deny for outsiders.
org = client("organizations", MGMT)
org.create_organization(FeatureSet="ALL")
root_id = org.list_roots()["Roots"][0]["Id"]
req = org.create_account(Email="m@example.com", AccountName="member")["CreateAccountStatus"]["Id"]
M = org.describe_create_account_status(CreateAccountRequestId=req)["CreateAccountStatus"]["AccountId"]
m = client("s3", M)
m.create_bucket(Bucket="member-data")
m.put_object(Bucket="member-data", Key="k", Body=b"member")
m.put_bucket_policy(Bucket="member-data", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % A}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::member-data/*"}]}))
check("an outside account reads the member's bucket", read(dev, "member-data", "k") == b"member")
org.enable_policy_type(RootId=root_id, PolicyType="RESOURCE_CONTROL_POLICY")
rcp = org.create_policy(Name="OrgOnly", Type="RESOURCE_CONTROL_POLICY", Description="callers from the org only", Content=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                                            "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": org.describe_organization()["Organization"]["Id"]}}}]}))
org.attach_policy(PolicyId=rcp["Policy"]["PolicySummary"]["Id"], TargetId=root_id)
st, code, _ = error(dev.get_object, Bucket="member-data", Key="k")
check("an RCP deny blocks the outside account", (st, code) == (403, "AccessDenied"), (st, code))
check("the member account itself still reads", read(m, "member-data", "k") == b"member")

# --- An SCP deny blocks the member account's user; detaching restores access.
iam_m = client("iam", M)
iam_m.create_user(UserName="analyst")
iam_m.put_user_policy(UserName="analyst", PolicyName="read", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
mk = iam_m.create_access_key(UserName="analyst")["AccessKey"]
analyst = client("s3", mk["AccessKeyId"], mk["SecretAccessKey"])
check("the member's user reads", read(analyst, "member-data", "k") == b"member")
org.enable_policy_type(RootId=root_id, PolicyType="SERVICE_CONTROL_POLICY")
scp = org.create_policy(Name="NoReads", Type="SERVICE_CONTROL_POLICY", Description="no reads", Content=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]}))["Policy"]["PolicySummary"]["Id"]
org.attach_policy(PolicyId=scp, TargetId=M)
st, code, msg = error(analyst.get_object, Bucket="member-data", Key="k")
check("an SCP deny blocks the user", (st, code) == (403, "AccessDenied") and "service control policy" in msg, (st, code, msg))
org.detach_policy(PolicyId=scp, TargetId=M)
check("detaching the SCP restores access", read(analyst, "member-data", "k") == b"member")
print("chain scenario passed")
