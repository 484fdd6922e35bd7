"""The cross-account scenario with boto3 and its default checksum behaviour.

Run by boto3_test.go with VERDICT_ENDPOINT set. Prints one line per check and
exits non-zero on the first failure.
"""
import json
import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = os.environ["VERDICT_ENDPOINT"]
cfg = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1})


def client(service, key, secret, token=None):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id=key, aws_secret_access_key=secret,
                        aws_session_token=token, config=cfg)


def check(name, ok):
    print(("ok   " if ok else "FAIL ") + name)
    if not ok:
        sys.exit(1)


b = client("s3", "222222222222", "test")
b.create_bucket(Bucket="boto-shared")
# boto3 sends a CRC32 flexible checksum (aws-chunked with a trailer) by default.
put = b.put_object(Bucket="boto-shared", Key="data.bin", Body=b"x" * (3 * 1024 * 1024 + 17))
check("put with default checksum returns an ETag", put["ETag"].startswith('"'))
got = b.get_object(Bucket="boto-shared", Key="data.bin", ChecksumMode="ENABLED")
check("get returns the bytes", got["Body"].read() == b"x" * (3 * 1024 * 1024 + 17))
b.put_bucket_policy(Bucket="boto-shared", Policy=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
                   "Action": "s3:GetObject", "Resource": "arn:aws:s3:::boto-shared/*"}]}))

a_iam = client("iam", "111111111111", "test")
a_iam.create_user(UserName="bob")
k = a_iam.create_access_key(UserName="bob")["AccessKey"]
bob = client("s3", k["AccessKeyId"], k["SecretAccessKey"])
try:
    bob.get_object(Bucket="boto-shared", Key="data.bin")
    check("bob is denied without an identity policy", False)
except ClientError as e:
    check("bob is denied without an identity policy", e.response["Error"]["Code"] == "AccessDenied")
a_iam.put_user_policy(UserName="bob", PolicyName="read", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::boto-shared/*"}]}))
check("bob reads with an identity policy", len(bob.get_object(Bucket="boto-shared", Key="data.bin")["Body"].read()) == 3 * 1024 * 1024 + 17)
ident = client("sts", k["AccessKeyId"], k["SecretAccessKey"]).get_caller_identity()
check("GetCallerIdentity names bob", ident["Arn"] == "arn:aws:iam::111111111111:user/bob" and ident["Account"] == "111111111111")
print("boto3 scenario passed")
