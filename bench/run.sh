#!/usr/bin/env bash
# bench/run.sh measures verdict's S3 PutObject/GetObject throughput against
# MinIO, moto, a do-nothing HTTP sink and the floor (the sink doing only the
# hashing S3's contract requires on PUT), with one load generator
# (bench/loadgen), one target at a time, all on 127.0.0.1, and writes
# bench/RESULTS.md.
#
#   bench/run.sh                      # the full matrix, ~10 s per cell
#   BENCH_DURATION=3s bench/run.sh    # quicker
#
# Environment:
#   BENCH_DURATION       time per cell (default 10s)
#   BENCH_MAX_REQUESTS   request budget per cell (default 1000000)
#   BENCH_SIZES          object sizes (default 4KiB,1MiB)
#   BENCH_CONCURRENCY    requests in flight (default 8,32)
#   BENCH_TARGETS        which servers, in order (default "verdict minio moto sink floor")
#   BENCH_QUIET_WAIT     before each cell, wait up to this long for other
#                        programs on the machine to go quiet (default 20s; 0 = never)
#   BENCH_BUSY_RETRIES   measure a cell again, up to this many times, when other
#                        programs were busy during it; the quietest attempt is kept (default 1)
#   BENCH_MINIO_VERSION  MinIO module version to build instead of the newest
#   BENCH_OUT            report path (default bench/RESULTS.md)
#   BENCH_KEEP=1         keep the scratch directory (data dirs, logs, raw results);
#                        a full run writes ~6 GiB per durable target, deleted as it goes
#   BENCH_CPUPROFILE=1   pass --cpuprofile to verdict serve (needs that flag)
#
# Binaries (verdict, loadgen, sink, report, MinIO) are cached under
# bench/.cache, which is git-ignored: MinIO takes minutes to build the first
# time and seconds to find afterwards. Every server listens on 127.0.0.1
# only; every process started here is stopped by its PID on exit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

duration=${BENCH_DURATION:-10s}
max_requests=${BENCH_MAX_REQUESTS:-1000000}
sizes=${BENCH_SIZES:-4KiB,1MiB}
concurrency=${BENCH_CONCURRENCY:-8,32}
targets=${BENCH_TARGETS:-verdict minio moto sink floor}
out=${BENCH_OUT:-bench/RESULTS.md}
quiet_wait=${BENCH_QUIET_WAIT:-20s}
busy_retries=${BENCH_BUSY_RETRIES:-1}

# The newest MinIO the Go module proxy serves is asked for on every run.
# MinIO tags its releases RELEASE.<date>, which are not semantic versions,
# so `go list -m -versions` lists none and the newest is @latest's
# pseudo-version. If that fails to build, this one (known to build with
# Go 1.26) is used instead.
minio_pinned=v0.0.0-20260212201848-7aac2a2c5b7c

run_date=$(date -u '+%Y-%m-%d %H:%M UTC')
cache=bench/.cache
bin=$cache/bin
mkdir -p "$bin"
scratch=$(mktemp -d "$root/$cache/run.XXXXXX")
results=$scratch/results.jsonl
commands=$scratch/commands.txt
machine=$scratch/machine.txt
notes=$scratch/notes.md
: >"$results"
: >"$commands"
: >"$notes"

pids=()
cleanup() {
	local pid
	for pid in "${pids[@]}"; do
		stop_pid "$pid"
	done
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "scratch kept in $scratch"
	else
		rm -rf "$scratch"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '== %s\n' "$*" >&2; }

# record appends a command to the commands list, quoting only the words
# that need it and writing paths relative to the repository; run records
# and runs it.
record() {
	local word line=""
	for word in "$@"; do
		word=${word//$root\//}
		if [[ ! $word =~ ^[A-Za-z0-9_./:=,@+%-]+$ ]]; then
			word="'${word//\'/\'\\\'\'}'"
		fi
		line+="${line:+ }$word"
	done
	printf '%s\n' "$line" >>"$commands"
}
run() {
	record "$@"
	"$@"
}

# stop_pid ends one process this script started: SIGTERM, then SIGKILL
# after 10 s.
stop_pid() {
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start NAME CMD... runs a server in the background, recording it; its PID
# is left in $server_pid and its output in $scratch/NAME.log.
start() {
	local name=$1
	shift
	record "$@"
	"$@" >"$scratch/$name.log" 2>&1 &
	server_pid=$!
	pids+=("$server_pid")
}

# wait_http URL PID waits up to 60 s for any HTTP answer at URL.
wait_http() {
	local url=$1 pid=$2 i
	for i in $(seq 300); do
		if curl -s -o /dev/null --max-time 1 "$url"; then
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "server exited before answering $url" >&2
			return 1
		fi
		sleep 0.2
	done
	echo "no answer from $url after 60 s" >&2
	return 1
}

# minio_binary prints the path of a MinIO binary, building it if needed.
minio_binary() {
	local newest v dest
	if [ -n "${BENCH_MINIO_VERSION:-}" ]; then
		newest=$BENCH_MINIO_VERSION
	else
		newest=$( (cd "$scratch" && go list -m -versions github.com/minio/minio 2>/dev/null) | tr ' ' '\n' | sed -n '2,$p' | tail -n 1)
		if [ -z "$newest" ]; then
			newest=$( (cd "$scratch" && go list -m -f '{{.Version}}' github.com/minio/minio@latest 2>/dev/null) || true)
		fi
	fi
	for v in $newest $minio_pinned; do
		dest=$cache/minio/$v
		if [ -x "$dest/minio" ]; then
			echo "$v"
			return 0
		fi
		log "building MinIO $v (first time only; this takes minutes)"
		mkdir -p "$dest"
		record env GOBIN="$dest" go install "github.com/minio/minio@$v"
		if (cd "$scratch" && GOBIN="$root/$dest" go install "github.com/minio/minio@$v") >"$scratch/minio-build-$v.log" 2>&1; then
			echo "$v"
			return 0
		fi
		log "MinIO $v did not build: $(tail -n 3 "$scratch/minio-build-$v.log" | tr '\n' ' ')"
	done
	return 1
}

# disk_speed measures what durable writes cost on the data directories'
# disk: one 256 MiB write ended by fdatasync, and 4 KiB writes each synced.
disk_speed() {
	local bulk small
	bulk=$(dd if=/dev/zero of="$scratch/dd.test" bs=1M count=256 conv=fdatasync 2>&1 | awk -F', ' 'END {print $NF}')
	small=$(dd if=/dev/zero of="$scratch/dd.test" bs=4k count=500 oflag=dsync 2>&1 | awk -F', ' 'END {split($(NF-1), t, " "); printf "%.0f", 500 / t[1]}')
	rm -f "$scratch/dd.test"
	echo "256 MiB then fdatasync: $bulk; 4 KiB O_DSYNC writes: $small/s (dd)"
}

loadgen() {
	local name=$1 port=$2 pid=$3
	shift 3
	run "$bin/loadgen" --endpoint "http://127.0.0.1:$port" --target "$name" \
		--sizes "$sizes" --concurrency "$concurrency" --duration "$duration" \
		--max-requests "$max_requests" --quiet-wait "$quiet_wait" --busy-retries "$busy_retries" \
		--server-pid "$pid" --json "$results" "$@"
}

note() { printf '%s\n' "$*" >>"$notes"; }

# drop_data removes a target's data directory as soon as it is done with:
# a full run writes several GiB of 1 MiB objects per durable target.
drop_data() {
	if [ "${BENCH_KEEP:-0}" != 1 ]; then
		rm -rf "${scratch:?}/$1"
	fi
}

log "building verdict, loadgen, sink, report"
run go build -o "$bin/verdict" ./cmd/verdict
run go build -o "$bin/loadgen" ./bench/loadgen
run go build -o "$bin/sink" ./bench/sink
run go build -o "$bin/report" ./bench/report

{
	echo "nproc:     $(nproc)"
	echo "cpu:       $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)"
	echo "memory:    $(free -h 2>/dev/null | awk '/^Mem:/ {print $2}')"
	echo "kernel:    $(uname -sr)"
	echo "disk:      $(df -hT "$scratch" | awk 'NR==2 {print $2 " on " $1}') (data directories live here)"
	echo "disk sync: $(disk_speed)"
	echo "go:        $(go version)"
	echo "python:    $(python3 --version 2>&1)"
	echo "verdict:   $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(test -n "$(git status --porcelain 2>/dev/null | head -n 1)" && echo ' + uncommitted changes')"
	echo "loadavg:   $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) at start"
	echo "per cell:  $duration, at most $max_requests requests; sizes $sizes; concurrency $concurrency"
} >"$machine"

for target in $targets; do
	case $target in
	verdict)
		port=$(free_port)
		cpuflag=()
		if [ "${BENCH_CPUPROFILE:-0}" = 1 ]; then
			cpuflag=(--cpuprofile "$scratch/verdict.cpu.pprof")
		fi
		log "verdict on 127.0.0.1:$port"
		start verdict "$bin/verdict" serve --addr "127.0.0.1:$port" --data "$scratch/verdict-data" "${cpuflag[@]}"
		wait_http "http://127.0.0.1:$port/" "$server_pid"
		loadgen verdict "$port" "$server_pid" --access-key 111111111111 --secret-key test
		stop_pid "$server_pid"
		drop_data verdict-data
		if [ -f "$scratch/verdict.cpu.pprof" ]; then
			cp "$scratch/verdict.cpu.pprof" "$cache/verdict.cpu.pprof"
			log "CPU profile: $cache/verdict.cpu.pprof (go tool pprof -top $bin/verdict $cache/verdict.cpu.pprof)"
		fi
		note "- **verdict**: \`verdict serve\` as shipped: every PUT seals the body with AES-256-GCM (SSE-S3, S3's default encryption), writes it to a temporary file, fsyncs it, renames it and fsyncs the directory, then commits the metadata to bbolt (fsync); GET decrypts. Root credentials of account 111111111111."
		;;
	minio)
		if ! version=$(minio_binary); then
			note "- **minio**: not measured: no MinIO version could be built (see the log above)."
			continue
		fi
		port=$(free_port)
		cport=$(free_port)
		log "MinIO $version on 127.0.0.1:$port"
		start minio env MINIO_ROOT_USER=benchadmin MINIO_ROOT_PASSWORD=benchsecret MINIO_BROWSER=off \
			MINIO_UPDATE=off MINIO_CALLHOME_ENABLE=off \
			"$cache/minio/$version/minio" server --quiet --address "127.0.0.1:$port" \
			--console-address "127.0.0.1:$cport" "$scratch/minio-data"
		wait_http "http://127.0.0.1:$port/minio/health/live" "$server_pid"
		loadgen minio "$port" "$server_pid" --access-key benchadmin --secret-key benchsecret
		stop_pid "$server_pid"
		drop_data minio-data
		note "- **minio**: github.com/minio/minio@$version built with \`go install\` from the Go module proxy, single drive on a fresh directory, defaults as shipped (object metadata written with O_DSYNC / fdatasync); browser, update checks and call-home off."
		;;
	moto)
		if ! python3 -c 'import moto.server' 2>/dev/null; then
			note "- **moto**: not measured: python3 cannot import moto.server."
			continue
		fi
		port=$(free_port)
		log "moto on 127.0.0.1:$port"
		start moto python3 -m moto.server -H 127.0.0.1 -p "$port"
		wait_http "http://127.0.0.1:$port/" "$server_pid"
		loadgen moto "$port" "$server_pid" --access-key benchadmin --secret-key benchsecret
		stop_pid "$server_pid"
		note "- **moto**: moto $(python3 -c 'import moto; print(moto.__version__)') server mode (\`python3 -m moto.server\`), objects in memory."
		;;
	sink)
		port=$(free_port)
		log "sink on 127.0.0.1:$port"
		start sink "$bin/sink" --addr "127.0.0.1:$port"
		wait_http "http://127.0.0.1:$port/" "$server_pid"
		loadgen sink "$port" "$server_pid" --access-key benchadmin --secret-key benchsecret
		stop_pid "$server_pid"
		note "- **sink**: bench/sink, which discards PUT bodies and serves fixed bytes (with the CRC-32 header S3 would send) on GET: the ceiling of the client, HTTP and loopback alone."
		;;
	floor)
		port=$(free_port)
		log "floor (sink --floor) on 127.0.0.1:$port"
		start floor "$bin/sink" --addr "127.0.0.1:$port" --floor
		wait_http "http://127.0.0.1:$port/" "$server_pid"
		loadgen floor "$port" "$server_pid" --access-key benchadmin --secret-key benchsecret
		stop_pid "$server_pid"
		note "- **floor**: \`bench/sink --floor\`: on PUT, only the work S3's contract requires of any server: it hashes the body with SHA-256 and checks it against the signed x-amz-content-sha256, hashes it with MD5 for the ETag (checking Content-MD5 when sent), verifies the x-amz-checksum-crc32 header the SDK sends, then discards the body; no disk, no authorization. GET is the sink's. Its ratio to the sink (*floor/sink* under Targets) is the most any S3-faithful server can reach on this machine."
		;;
	*)
		echo "unknown target $target" >&2
		exit 2
		;;
	esac
done

note ""
note "The client is aws-sdk-go-v2's S3 client with its default checksums: over plain HTTP it hashes every PUT body (SHA-256 for the signature, CRC-32 in a header) and checks the CRC-32 of GET responses that carry one, so the client's CPU cost per request is the same for every target."
note "It runs on the same $(nproc) cores as the server: where client CPU per request is comparable to the server's, ops/s is capped by the client, and the *server CPU per request* table is the fairer comparison."
note ""
note "Authorization alone (no HTTP, no storage) is benchmarked in engine/authz; this run's numbers:"
note ""
note '```'
record go test -run '^$' -bench Decide -benchmem ./engine/authz
go test -run '^$' -bench Decide -benchmem ./engine/authz 2>&1 | grep -E '^(Benchmark|cpu:)' >>"$notes" || note "(go test -bench Decide failed)"
note '```'
if [ -f bench/PROFILE.md ]; then
	note ""
	note "Where verdict's time goes, with a CPU profile and suggestions: [PROFILE.md](PROFILE.md)."
fi
echo "loadavg:   $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) at end" >>"$machine"

run "$bin/report" --results "$results" --machine "$machine" --commands "$commands" --notes "$notes" --date "$run_date" --out "$out"
log "wrote $out"
