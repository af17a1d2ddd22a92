#!/usr/bin/env bash
# The stress suite in miniature, for ./cairn test and CI (under 2 minutes):
#   1. extreme ingest with 30 small images (400-1200 px), every one verified by download, then deleted
#   2. a 20-second Locust run (6 users, both user classes), which must end with 0 failures
#
#   stress/smoke.sh                      # starts its own 3-node cluster on free ports, stops it after
#   stress/smoke.sh --host URL           # uses a running cluster
#   stress/smoke.sh --out DIR            # keep the reports there (default: a temp dir, removed on success)
#   stress/smoke.sh --check-tools        # only check the tools (prints SKIP: ... when one is missing)
#
# Needs Debian's python3-locust, python3-pil, python3-numpy, python3-requests. When one is missing the
# smoke run is skipped with a SKIP line and exit 0, except under CI=true where that is a failure.
# Exit status: 0 passed (or skipped), 1 failed.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PY="${PYTHON:-/usr/bin/python3}"
CAIRN="${CAIRN:-$ROOT/cairn}"   # the launcher used to start a cluster when no --host is given
HOST="" OUT="" KEEP_OUT=0 CHECK_ONLY=0
START=$(date +%s)

while [ $# -gt 0 ]; do
  case "$1" in
    --host) HOST="${2:-}"; shift 2 ;;
    --out) OUT="${2:-}"; KEEP_OUT=1; shift 2 ;;
    --check-tools) CHECK_ONLY=1; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "smoke: unknown option $1" >&2; exit 1 ;;
  esac
done

missing=()
[ -x "$PY" ] || missing+=("python3 ($PY)")
if [ -x "$PY" ]; then
  for mod in locust PIL numpy requests; do
    "$PY" -c "import $mod" 2>/dev/null || missing+=("$mod")
  done
fi
LOCUST=/usr/bin/locust
[ -x "$LOCUST" ] || LOCUST="$(command -v locust || true)"
[ -n "$LOCUST" ] || missing+=("locust command")
if [ ${#missing[@]} -gt 0 ]; then
  msg="stress smoke test needs: ${missing[*]} (apt-get install python3-locust python3-pil python3-numpy python3-requests)"
  if [ "${CI:-}" = "true" ]; then
    echo "smoke: FAIL: $msg" >&2
    exit 1
  fi
  echo "SKIP: $msg"
  exit 0
fi
if [ $CHECK_ONLY = 1 ]; then
  echo "smoke: tools present"
  exit 0
fi

if [ -z "$OUT" ]; then OUT="$(mktemp -d /tmp/cairn-smoke-XXXXXX)"; fi
mkdir -p "$OUT"

UP_PID=""
DATA=""
cleanup() {
  if [ -n "$UP_PID" ]; then
    kill -TERM "$UP_PID" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "$UP_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL "$UP_PID" 2>/dev/null
  fi
  [ -n "$DATA" ] && rm -rf "$DATA"
}
trap cleanup EXIT

if [ -z "$HOST" ]; then
  # ./cairn up uses P..P+2 (HTTP), P+100.. (internal) and P+1790.. (Raft): find a base where all are free.
  BASE="$("$PY" - <<'EOF'
import random, socket
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
for _ in range(200):
    b = random.randrange(20000, 40000)
    if all(free(b + o + i) for o in (0, 100, 1790) for i in range(3)):
        print(b); break
EOF
)"
  [ -n "$BASE" ] || { echo "smoke: FAIL: no free port range found" >&2; exit 1; }
  DATA="$(mktemp -d /tmp/cairn-smoke-data-XXXXXX)"
  HOST="http://127.0.0.1:$BASE"
  echo "smoke: starting a 3-node cluster on $HOST (data $DATA)"
  "$CAIRN" up --port "$BASE" --data "$DATA" --heap 512m >"$OUT/cairn-up.log" 2>&1 &
  UP_PID=$!
  for _ in $(seq 1 120); do
    grep -q '^ready' "$OUT/cairn-up.log" 2>/dev/null && break
    kill -0 "$UP_PID" 2>/dev/null || { echo "smoke: FAIL: the cluster did not start:" >&2; cat "$OUT/cairn-up.log" >&2; exit 1; }
    sleep 1
  done
  grep -q '^ready' "$OUT/cairn-up.log" || { echo "smoke: FAIL: cluster not ready in 120 s" >&2; exit 1; }
fi

fail=0
echo "smoke: 1/2 ingest, 30 images of 400-1200 px"
DATA_ARGS=()
[ -n "$DATA" ] && DATA_ARGS=(--data "$DATA")
timeout --kill-after=10 90 "$PY" "$HERE/ingest.py" --host "$HOST" --files 30 --min-px 400 --max-px 1200 \
  --concurrency 3 --out "$OUT/ingest" --sample-interval 1 --reserve 1 --quiet "${DATA_ARGS[@]}" >"$OUT/ingest-run.txt" 2>&1
rc=$?
sed -n '/OVERALL STATISTICS/,/^  Throughput/p;/Success rate/p;/Verified/p;/PASSED/p' "$OUT/ingest-run.txt"
if [ $rc -ne 0 ]; then
  echo "smoke: FAIL: ingest exited $rc" >&2
  tail -40 "$OUT/ingest-run.txt" >&2
  fail=1
fi

echo "smoke: 2/2 Locust, 6 users for 20 s"
timeout --kill-after=10 100 "$HERE/run_stress_test.sh" --profile smoke --users 6 --spawn-rate 3 --run-time 20s \
  --host "$HOST" --out "$OUT/locust" --sample-interval 2 "${DATA_ARGS[@]}" >"$OUT/locust-run.txt" 2>&1
rc=$?
sed -n '/^## Result/,/^Without/p' "$OUT/locust/summary.md" 2>/dev/null | grep '^|' || true
requests="$("$PY" -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; print(t["requests"], t["failures"])' \
  "$OUT/locust/summary.json" 2>/dev/null || echo "0 -1")"
read -r nreq nfail <<<"$requests"
if [ $rc -ne 0 ] || [ "$nfail" != 0 ] || [ "$nreq" -lt 20 ]; then
  echo "smoke: FAIL: Locust exited $rc with $nreq requests, $nfail failures" >&2
  tail -60 "$OUT/locust-run.txt" >&2
  fail=1
fi

if [ $fail = 0 ] && [ $KEEP_OUT = 0 ]; then where="reports removed; --out DIR keeps them"; else where="reports in $OUT"; fi
echo "smoke: $([ $fail = 0 ] && echo PASSED || echo FAILED) in $(( $(date +%s) - START )) s ($where)"
if [ $fail = 0 ] && [ $KEEP_OUT = 0 ]; then rm -rf "$OUT"; fi
exit $fail
