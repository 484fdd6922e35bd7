"""Web identity federation with boto3: a GitHub-Actions-style OIDC token,
minted with `verdict web-identity-token`, is exchanged with an unsigned
sts:AssumeRoleWithWebIdentity call for a role in account B, whose trust
policy admits only one repository's main branch. Run by webidentity_test.go
with VERDICT_ENDPOINT, VERDICT_BIN and VERDICT_DATA set."""
import json
import os
import subprocess
import sys

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = os.environ["VERDICT_ENDPOINT"]
B = "222222222222"
ISSUER = "https://token.actions.githubusercontent.com"
PROVIDER = "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com" % B
ROLE = "arn:aws:iam::%s:role/ci-deploy" % B


def client(svc, key=None, secret=None, token=None, unsigned=False):
    cfg = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1})
    if unsigned:
        cfg = cfg.merge(Config(signature_version=UNSIGNED))
    return boto3.client(svc, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key,
                        aws_secret_access_key=secret, aws_session_token=token, config=cfg)


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


def token(sub, *extra, aud="sts.amazonaws.com", ttl="1h"):
    args = [os.environ["VERDICT_BIN"], "web-identity-token", "--data", os.environ["VERDICT_DATA"], "--issuer", ISSUER,
            "--sub", sub, "--aud", aud, "--ttl", ttl]
    for kv in extra:
        args += ["--claim", kv]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()


# Account B: the provider, a bucket, and a role CI jobs of acme/app's main branch may assume.
iam, s3 = client("iam", B, "test"), client("s3", B, "test")
arn = iam.create_open_id_connect_provider(Url=ISSUER, ClientIDList=["sts.amazonaws.com"])["OpenIDConnectProviderArn"]
check("provider ARN", arn == PROVIDER, arn)
got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
check("provider URL and client IDs", got["Url"] == "token.actions.githubusercontent.com" and got["ClientIDList"] == ["sts.amazonaws.com"], got)
st, code, _ = error(iam.create_open_id_connect_provider, Url=ISSUER, ClientIDList=["sts.amazonaws.com"])
check("duplicate provider is EntityAlreadyExists", (st, code) == (409, "EntityAlreadyExists"), (st, code))
s3.create_bucket(Bucket="b-artifacts")
s3.put_object(Bucket="b-artifacts", Key="release.txt", Body=b"v1")
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": PROVIDER},
         "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {
             "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
             "StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}}}]}
iam.create_role(RoleName="ci-deploy", AssumeRolePolicyDocument=json.dumps(trust))
iam.put_role_policy(RoleName="ci-deploy", PolicyName="read", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b-artifacts/*"}]}))

# The CI job: no AWS credentials at all, only its OIDC token.
sts = client("sts", unsigned=True)
resp = sts.assume_role_with_web_identity(RoleArn=ROLE, RoleSessionName="gha-42",
                                         WebIdentityToken=token("repo:acme/app:ref:refs/heads/main", "repository=acme/app"))
check("session ARN", resp["AssumedRoleUser"]["Arn"] == "arn:aws:sts::%s:assumed-role/ci-deploy/gha-42" % B, resp["AssumedRoleUser"])
check("subject, provider and audience", (resp["SubjectFromWebIdentityToken"], resp["Provider"], resp["Audience"]) ==
      ("repo:acme/app:ref:refs/heads/main", ISSUER, "sts.amazonaws.com"), resp)
creds = resp["Credentials"]
check("temporary credentials", creds["AccessKeyId"].startswith("ASIA") and creds["SessionToken"], creds["AccessKeyId"])
ci = client("s3", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
check("the session reads B's object", ci.get_object(Bucket="b-artifacts", Key="release.txt")["Body"].read() == b"v1")
who = client("sts", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"]).get_caller_identity()
check("caller identity is the role session", who["Arn"] == resp["AssumedRoleUser"]["Arn"], who)

# Another branch, another repository: the trust policy refuses them.
for sub in ["repo:acme/app:ref:refs/heads/feature", "repo:evil/app:ref:refs/heads/main"]:
    st, code, msg = error(sts.assume_role_with_web_identity, RoleArn=ROLE, RoleSessionName="gha-43", WebIdentityToken=token(sub))
    check("AccessDenied for " + sub, (st, code, msg) == (403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"), (st, code, msg))

# Token problems, in STS's codes.
st, code, _ = error(sts.assume_role_with_web_identity, RoleArn=ROLE, RoleSessionName="gha-44",
                    WebIdentityToken=token("repo:acme/app:ref:refs/heads/main", ttl="-10m"))
check("expired token", (st, code) == (400, "ExpiredTokenException"), (st, code))
st, code, msg = error(sts.assume_role_with_web_identity, RoleArn=ROLE, RoleSessionName="gha-45",
                      WebIdentityToken=token("repo:acme/app:ref:refs/heads/main", aud="someone-else"))
check("wrong audience", (st, code, msg) == (400, "InvalidIdentityToken", "Incorrect token audience"), (st, code, msg))
st, code, _ = error(sts.assume_role_with_web_identity, RoleArn=ROLE, RoleSessionName="gha-46", WebIdentityToken="not.a.token")
check("garbage token", (st, code) == (400, "InvalidIdentityToken"), (st, code))

# Once the provider is gone, no token from its issuer is accepted.
iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
st, code, msg = error(sts.assume_role_with_web_identity, RoleArn=ROLE, RoleSessionName="gha-47",
                      WebIdentityToken=token("repo:acme/app:ref:refs/heads/main"))
check("no provider", (st, code) == (400, "InvalidIdentityToken") and "No OpenIDConnect provider" in msg, (st, code, msg))
print("web identity scenario passed")
