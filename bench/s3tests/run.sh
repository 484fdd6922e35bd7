#!/usr/bin/env bash
# bench/s3tests/run.sh runs the ACL, bucket-policy, object-ownership and
# Block Public Access tests of ceph/s3-tests (s3tests/functional/test_s3.py)
# against a fresh verdict on 127.0.0.1, and stops it afterwards.
#
#   bench/s3tests/run.sh /path/to/s3-tests [extra pytest args...]
#
# It fetches nothing: check ceph/s3-tests out yourself and pass its path.
# Needs a Python with boto3, pytest, munch, isodate, requests, pytz, gevent,
# PyYAML, httplib2, lxml (on Debian: apt-get install python3-pytest
# python3-boto3 python3-munch python3-isodate python3-requests python3-tz
# python3-gevent python3-yaml python3-httplib2 python3-lxml
# python3-pytest-timeout).
#
# s3t_shim.py (next to this script) is loaded as a pytest plugin: it lets
# the fixtures' bucket cleanup fall back to ListObjectsV2, because verdict
# does not implement ListObjectVersions.
#
# Environment:
#   S3T_PYTHON   python to run pytest with (default /usr/bin/python3)
#   S3T_VERDICT  prebuilt verdict binary (default: go build ./cmd/verdict)
#   S3T_PORT     port verdict listens on (default 18777)
#   S3T_K        pytest -k expression (default: the selection below)
#   S3T_TIMEOUT  per-test timeout in seconds (default 60; needs pytest-timeout)
#   S3T_LEGACY   1 = give every new bucket the pre-2023 defaults s3-tests assumes
#                (ObjectOwnership=ObjectWriter, no bucket Block Public Access);
#                see s3t_shim.py. Default 0: buckets get AWS's current defaults.
#   S3T_OUT      directory for config, world file, logs and JUnit XML
#                (default: a new temporary directory, printed at the end)
set -euo pipefail

if [ $# -lt 1 ] || [ ! -f "$1/s3tests/functional/test_s3.py" ]; then
	echo "usage: $0 /path/to/s3-tests [pytest args...]" >&2
	exit 2
fi
S3T=$(cd "$1" && pwd)
shift

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=${S3T_PYTHON:-/usr/bin/python3}
PORT=${S3T_PORT:-18777}
TIMEOUT=${S3T_TIMEOUT:-60}
OUT=${S3T_OUT:-$(mktemp -d)}
mkdir -p "$OUT"
K=${S3T_K:-"(acl or policy or ownership or public_block or block_public or ignore_public or access_bucket or grant or anonymous or anon_put or expected_bucket_owner or nonowner) and not logging and not post_object"}

# verdict's canonical user ID of an account (model.CanonicalID).
canon() { printf 'verdict canonical user %s' "$1" | sha256sum | cut -d' ' -f1; }

# main, alt and tenant are the root users of three accounts; the root secret
# is verdict's default ("test"). The iam sections are required by the config
# parser only; the selected tests do not use them.
MAIN=111111111111 ALT=222222222222 TENANT=333333333333
IAM=444444444444 IAMROOT=555555555555 IAMALT=666666666666

cat >"$OUT/world.yaml" <<EOF
accounts:
  - {id: "$MAIN", email: main@example.com}
  - {id: "$ALT", email: alt@example.com}
  - {id: "$TENANT", email: tenant@example.com}
  - {id: "$IAM", email: iam@example.com}
  - {id: "$IAMROOT", email: iamroot@example.com}
  - {id: "$IAMALT", email: iamalt@example.com}
EOF

cat >"$OUT/s3tests.conf" <<EOF
[DEFAULT]
host = 127.0.0.1
port = $PORT
is_secure = False
ssl_verify = False

[fixtures]
bucket prefix = s3t-{random}-
iam name prefix = s3-tests-
iam path prefix = /s3-tests/

[s3 main]
display_name = $MAIN
user_id = $(canon $MAIN)
email = main@example.com
api_name = us-east-1
access_key = $MAIN
secret_key = test

[s3 alt]
display_name = $ALT
user_id = $(canon $ALT)
email = alt@example.com
access_key = $ALT
secret_key = test

[s3 tenant]
display_name = $TENANT
user_id = $(canon $TENANT)
email = tenant@example.com
access_key = $TENANT
secret_key = test
tenant = testx

[iam]
email = iam@example.com
user_id = $(canon $IAM)
access_key = $IAM
secret_key = test
display_name = $IAM

[iam root]
access_key = $IAMROOT
secret_key = test
user_id = $(canon $IAMROOT)
email = iamroot@example.com

[iam alt root]
access_key = $IAMALT
secret_key = test
user_id = $(canon $IAMALT)
email = iamalt@example.com
EOF

VERDICT=${S3T_VERDICT:-}
if [ -z "$VERDICT" ]; then
	(cd "$ROOT" && go build -o "$OUT/verdict" ./cmd/verdict)
	VERDICT=$OUT/verdict
fi
mkdir -p "$OUT/data"
"$VERDICT" serve --addr "127.0.0.1:$PORT" --data "$OUT/data" \
	--world "$OUT/world.yaml" >"$OUT/verdict.log" 2>&1 &
VPID=$!
trap 'kill "$VPID" 2>/dev/null || true; wait "$VPID" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
	if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
	sleep 0.1
done

TO=()
if "$PY" -c 'import pytest_timeout' 2>/dev/null; then TO=(--timeout "$TIMEOUT"); fi

set +e
(cd "$S3T" && S3TEST_CONF="$OUT/s3tests.conf" AWS_DEFAULT_REGION=us-east-1 \
	PYTHONPATH="$ROOT/bench/s3tests${PYTHONPATH:+:$PYTHONPATH}" \
	"$PY" -m pytest -p s3t_shim s3tests/functional/test_s3.py -k "$K" "${TO[@]}" \
	-p no:cacheprovider -rfEs --tb=short --junitxml="$OUT/junit.xml" "$@")
rc=$?
set -e
echo "s3-tests output: $OUT (junit.xml, verdict.log, s3tests.conf)"
exit $rc
