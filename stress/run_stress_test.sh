#!/usr/bin/env bash
# Runs the seed guide's Locust scenarios against a running Cairn cluster and writes readable reports.
#
#   stress/run_stress_test.sh                       # asks for a profile (like the seed's runner)
#   stress/run_stress_test.sh --profile heavy       # non-interactive
#   stress/run_stress_test.sh --profile custom --users 30 --spawn-rate 3 --run-time 3m
#
# Profiles (the seed's, plus Extreme):
#   light    10 users, spawn 2/s,  2 min
#   medium   20 users, spawn 3/s,  5 min
#   heavy    50 users, spawn 5/s, 10 min
#   extreme 200 users, spawn 10/s, 5 min   (the load the seed's own system crashed under)
#   custom   --users, --spawn-rate, --run-time
#
# Options:
#   --host URL         a node of the cluster (default http://127.0.0.1:8080); users are spread over every
#                      node the cluster lists
#   --hosts U1,U2      pin users to these gateways instead
#   --data DIR         the cluster's data directory (./cairn up --data), to report WARN/ERROR node log lines
#   --out DIR          where the reports go (default stress/results/<date>-<profile>-<time>)
#   --classes "A B"    Locust user classes (default both: FormUser RestUser)
#   --note TEXT        a line for the report (e.g. what else ran on the machine)
#   --keep             leave the uploaded files in the cluster
#   --sample-interval S  seconds between memory samples (default 5)
#
# Output in DIR: summary.md (read this), summary.json, report.html (Locust's charts), locust_*.csv,
# latency.csv.gz (every request), before.json/after.json, samples.jsonl, locust-output.txt.
# Exit status: 0 when every request succeeded, 1 when any failed, 2 on a usage or setup error.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PY="${PYTHON:-/usr/bin/python3}"
LOCUST="${LOCUST:-}"

PROFILE="" USERS="" SPAWN="" RUNTIME="" HOST="http://127.0.0.1:8080" HOSTS="" DATA="" OUT="" CLASSES=""
NOTE="" KEEP=0 INTERVAL=5

die() { echo "run_stress_test: $*" >&2; exit 2; }
usage() { sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --profile) PROFILE="${2:-}"; shift 2 ;;
    --users) USERS="${2:-}"; shift 2 ;;
    --spawn-rate) SPAWN="${2:-}"; shift 2 ;;
    --run-time) RUNTIME="${2:-}"; shift 2 ;;
    --host) HOST="${2:-}"; shift 2 ;;
    --hosts) HOSTS="${2:-}"; shift 2 ;;
    --data) DATA="${2:-}"; shift 2 ;;
    --out) OUT="${2:-}"; shift 2 ;;
    --classes) CLASSES="${2:-}"; shift 2 ;;
    --note) NOTE="${2:-}"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --sample-interval) INTERVAL="${2:-}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

if [ -z "$PROFILE" ]; then
  if [ -t 0 ]; then
    echo "Cairn stress test against $HOST"
    echo "  1) Light    10 users, spawn 2/s,  2 min"
    echo "  2) Medium   20 users, spawn 3/s,  5 min"
    echo "  3) Heavy    50 users, spawn 5/s, 10 min"
    echo "  4) Extreme 200 users, spawn 10/s, 5 min"
    echo "  5) Custom"
    read -r -p "Choose [1-5]: " choice
    case "$choice" in
      1) PROFILE=light ;; 2) PROFILE=medium ;; 3) PROFILE=heavy ;; 4) PROFILE=extreme ;;
      5) PROFILE=custom
         read -r -p "Users: " USERS; read -r -p "Spawn rate (users/s): " SPAWN
         read -r -p "Run time (e.g. 90s, 5m): " RUNTIME ;;
      *) die "no such choice: $choice" ;;
    esac
  else
    die "--profile light|medium|heavy|extreme|custom is required when not run interactively"
  fi
fi

PROFILE="$(echo "$PROFILE" | tr '[:upper:]' '[:lower:]')"
case "$PROFILE" in
  light)   : "${USERS:=10}"  "${SPAWN:=2}"  "${RUNTIME:=2m}" ;;
  medium)  : "${USERS:=20}"  "${SPAWN:=3}"  "${RUNTIME:=5m}" ;;
  heavy)   : "${USERS:=50}"  "${SPAWN:=5}"  "${RUNTIME:=10m}" ;;
  extreme) : "${USERS:=200}" "${SPAWN:=10}" "${RUNTIME:=5m}" ;;
  custom|smoke) [ -n "$USERS" ] && [ -n "$SPAWN" ] && [ -n "$RUNTIME" ] \
       || die "the $PROFILE profile needs --users, --spawn-rate and --run-time" ;;
  *) die "unknown profile '$PROFILE' (light, medium, heavy, extreme, custom)" ;;
esac
[[ "$USERS" =~ ^[0-9]+$ ]] && [ "$USERS" -ge 1 ] || die "--users must be a positive whole number"
[[ "$RUNTIME" =~ ^([0-9]+)([smh]?)$ ]] || die "--run-time must look like 90s, 5m or 1h"
case "${BASH_REMATCH[2]}" in
  h) RUN_SECONDS=$(( BASH_REMATCH[1] * 3600 )) ;;
  m) RUN_SECONDS=$(( BASH_REMATCH[1] * 60 )) ;;
  *) RUN_SECONDS=${BASH_REMATCH[1]} ;;
esac
[ "$RUN_SECONDS" -le 7200 ] || die "--run-time is capped at 2h (load tests must stop by themselves)"

# Tools: Debian's locust and python3 (a pyenv python on PATH cannot see Debian's modules).
if [ -z "$LOCUST" ]; then
  if [ -x /usr/bin/locust ]; then LOCUST=/usr/bin/locust; else LOCUST="$(command -v locust || true)"; fi
fi
[ -n "$LOCUST" ] || die "locust not found; install it with: apt-get install python3-locust"
[ -x "$PY" ] || die "$PY not found; set PYTHON=/path/to/python3"
"$PY" -c 'import requests, gevent' 2>/dev/null \
  || die "$PY cannot import requests/gevent; install python3-locust and python3-requests"

PROBE_HOSTS="${HOSTS:-$HOST}"
echo "run_stress_test: checking the cluster at $PROBE_HOSTS ..."
if ! "$PY" "$HERE/probe.py" wait --hosts "$PROBE_HOSTS" --timeout 30; then
  die "no Cairn cluster answers at $PROBE_HOSTS; start one with ./cairn up (or pass --host URL)"
fi

STAMP="$(date +%Y-%m-%d)"
[ -n "$OUT" ] || OUT="$HERE/results/$STAMP-$PROFILE-$(date +%H%M%S)"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

# Where the node logs are, to report the WARN/ERROR lines the nodes wrote during the run.
LOG_OFFSETS="{}"
if [ -n "$DATA" ]; then
  LOG_OFFSETS="{"
  sep=""
  for d in "$DATA"/node-*; do
    [ -f "$d/node.log" ] || continue
    LOG_OFFSETS+="$sep\"${d##*/node-}\": $(stat -c %s "$d/node.log")"
    sep=", "
  done
  LOG_OFFSETS+="}"
fi

export CAIRN_STRESS_META_PROFILE="$PROFILE" CAIRN_STRESS_META_USERS="$USERS" CAIRN_STRESS_META_SPAWN="$SPAWN"
export CAIRN_STRESS_META_RUNTIME="$RUNTIME" CAIRN_STRESS_META_SECONDS="$RUN_SECONDS" CAIRN_STRESS_META_HOST="$HOST"
export CAIRN_STRESS_META_HOSTS="$HOSTS" CAIRN_STRESS_META_DATA="${DATA:+$(cd "$DATA" && pwd)}"
export CAIRN_STRESS_META_CLASSES="${CLASSES:-FormUser RestUser}" CAIRN_STRESS_META_NOTE="$NOTE"
export CAIRN_STRESS_META_LOGS="$LOG_OFFSETS" CAIRN_STRESS_META_INTERVAL="$INTERVAL"
export CAIRN_STRESS_META_COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
LOCUST_VERSION="$(dpkg-query -W -f='${Version}' python3-locust 2>/dev/null || "$LOCUST" --version 2>&1 | head -1)"
export CAIRN_STRESS_META_LOCUST="locust ${LOCUST_VERSION#locust }"
"$PY" - "$OUT/meta.json" <<'EOF'
import json, os, platform, sys, time
e = lambda k: os.environ.get("CAIRN_STRESS_META_" + k, "")
def cpu():
    try:
        for l in open("/proc/cpuinfo"):
            if l.startswith("model name"):
                return l.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()
def mem():
    try:
        for l in open("/proc/meminfo"):
            if l.startswith("MemTotal"):
                return "%.1f GiB RAM" % (int(l.split()[1]) / 1048576.0)
    except OSError:
        return ""
meta = {
    "profile": e("PROFILE"), "users": int(e("USERS")), "spawn_rate": e("SPAWN"), "run_time": e("RUNTIME"),
    "run_seconds": int(e("SECONDS")), "host": e("HOST"), "hosts": e("HOSTS"), "data_dir": e("DATA"),
    "user_classes": e("CLASSES"), "note": e("NOTE"), "log_offsets": json.loads(e("LOGS") or "{}"),
    "sample_interval": e("INTERVAL"), "commit": e("COMMIT"), "locust": e("LOCUST"),
    "machine": "%s, %d CPU(s), %s, %s %s" % (cpu(), os.cpu_count() or 0, mem(), platform.system(), platform.release()),
    "load_before": "%.2f %.2f %.2f" % os.getloadavg(),
    "started": time.time(), "started_human": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
}
json.dump(meta, open(sys.argv[1], "w"), indent=1)
EOF

# The run's files live in buckets stress-<run>-*; the popular ones are uploaded before the "before"
# snapshot and the run is cleaned up after the "after" one, so the cluster metrics hold only the load.
RUN_ID="$(date +%Y%m%d%H%M%S)-$$"
export CAIRN_STRESS_RUN="$RUN_ID"
"$PY" "$HERE/probe.py" popular --hosts "$HOST" --run "$RUN_ID" --count "${CAIRN_POPULAR:-20}" \
  --out "$OUT/popular.json" || die "could not upload the popular files"
cleanup_run() {
  if [ "$KEEP" = 1 ]; then
    echo "run_stress_test: keeping the run's files (buckets stress-$RUN_ID-*)"
  else
    "$PY" "$HERE/probe.py" cleanup --hosts "$HOST" --run "$RUN_ID" || true
  fi
}
"$PY" "$HERE/probe.py" snapshot --hosts "$PROBE_HOSTS" --out "$OUT/before.json"
"$PY" "$HERE/probe.py" sample --hosts "$PROBE_HOSTS" --out "$OUT/samples.jsonl" --interval "$INTERVAL" \
  --max-seconds $(( RUN_SECONDS + 600 )) &
SAMPLER=$!
trap 'kill "$SAMPLER" 2>/dev/null || true; cleanup_run' EXIT

echo "run_stress_test: $PROFILE: $USERS users, spawn $SPAWN/s, $RUNTIME; reports in $OUT"
[ -n "$NOTE" ] && echo "run_stress_test: note: $NOTE"
LOCUST_ARGS=(-f "$HERE/locustfile.py" --host "$HOST" --users "$USERS" --spawn-rate "$SPAWN"
  --run-time "$RUNTIME" --headless --only-summary --stop-timeout 30 --csv "$OUT/locust" --html "$OUT/report.html"
  --cairn-latency-log "$OUT/latency.csv" --cairn-popular-file "$OUT/popular.json" --cairn-keep --loglevel INFO)
[ -n "$HOSTS" ] && LOCUST_ARGS+=(--cairn-hosts "$HOSTS")
# shellcheck disable=SC2206
[ -n "$CLASSES" ] && LOCUST_ARGS+=($CLASSES)

# Bounded twice: Locust stops itself at --run-time; timeout is the backstop should it hang.
set +e
PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}" timeout --kill-after=30 $(( RUN_SECONDS + 300 )) \
  "$LOCUST" "${LOCUST_ARGS[@]}" 2>&1 | tee "$OUT/locust-output.txt"
LOCUST_RC=${PIPESTATUS[0]}
set -e

kill "$SAMPLER" 2>/dev/null || true
wait "$SAMPLER" 2>/dev/null || true
trap - EXIT
"$PY" "$HERE/probe.py" snapshot --hosts "$PROBE_HOSTS" --out "$OUT/after.json"
cleanup_run
"$PY" - "$OUT/meta.json" <<'EOF'
import json, os, sys, time
m = json.load(open(sys.argv[1]))
m["load_after"] = "%.2f %.2f %.2f" % os.getloadavg()
m["finished"] = time.time()
json.dump(m, open(sys.argv[1], "w"), indent=1)
EOF
echo
"$PY" "$HERE/summarize.py" "$OUT"
[ -f "$OUT/latency.csv" ] && gzip -f "$OUT/latency.csv"

echo "run_stress_test: reports in $OUT (summary.md, report.html)"
if [ "$LOCUST_RC" -eq 124 ] || [ "$LOCUST_RC" -eq 137 ]; then
  echo "run_stress_test: Locust did not stop by itself and was killed" >&2
  exit 1
fi
[ "$LOCUST_RC" -eq 0 ] || echo "run_stress_test: Locust reported failures (exit $LOCUST_RC)" >&2
[ "$LOCUST_RC" -eq 0 ] && exit 0 || exit 1
