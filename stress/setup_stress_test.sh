#!/usr/bin/env bash
# Gets a machine ready for the stress tests, as the seed guide's setup script did:
#   1. checks the Python tools (Debian's python3-locust, python3-pil, python3-numpy, python3-requests)
#   2. checks that the cluster answers and that every node serves /metrics
#   3. starts Prometheus and Grafana through `./cairn monitor` (any arguments after -- go to it)
#
#   stress/setup_stress_test.sh [--host URL] [--no-monitor] [-- cairn monitor arguments]
#
# The stress reports do not need Prometheus: they read each node's /metrics themselves. Monitoring is
# for watching a long run live.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PY="${PYTHON:-/usr/bin/python3}"
HOST="http://127.0.0.1:8080"
MONITOR=1
MONITOR_ARGS=()

while [ $# -gt 0 ]; do
  case "$1" in
    --host) HOST="${2:-}"; shift 2 ;;
    --no-monitor) MONITOR=0; shift ;;
    --) shift; MONITOR_ARGS=("$@"); break ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup_stress_test: unknown option $1" >&2; exit 2 ;;
  esac
done

ok=1
echo "1. Python tools ($PY)"
for mod in locust PIL numpy requests; do
  if "$PY" -c "import $mod" 2>/dev/null; then
    echo "   ok      $mod"
  else
    echo "   MISSING $mod"
    ok=0
  fi
done
[ $ok = 1 ] || echo "   install with: apt-get install python3-locust python3-pil python3-numpy python3-requests"

echo "2. Cluster at $HOST"
if "$PY" "$HERE/probe.py" wait --hosts "$HOST" --timeout 10 | sed 's/^/   /'; then
  "$PY" -c '
import sys; sys.path.insert(0, sys.argv[1])
import cairnstress as cs
for nid, url in sorted(cs.node_urls([sys.argv[2]]).items()):
    s = cs.node_snapshot(url)
    print("   node %s %s/metrics: %s" % (nid, url, "error: " + s["error"] if "error" in s else
          "ok (heap %s, cache %d hits / %d misses)" % (cs.human_bytes(s["heap_used"]), s["cache_hits"], s["cache_misses"])))
' "$HERE" "$HOST"
else
  echo "   no cluster answers; start one with ./cairn up (or pass --host URL)"
  ok=0
fi

echo "3. Prometheus and Grafana"
if [ $MONITOR = 0 ]; then
  echo "   skipped (--no-monitor)"
elif "$ROOT/cairn" --help 2>/dev/null | grep -qE '^[[:space:]]+monitor([[:space:]]|$)'; then
  echo "   starting: ./cairn monitor ${MONITOR_ARGS[*]}"
  exec "$ROOT/cairn" monitor "${MONITOR_ARGS[@]}"
else
  echo "   './cairn monitor' is not available in this build, so Prometheus and Grafana were NOT started."
  echo "   Every node still serves its metrics at <node>/metrics; the stress reports read them directly."
fi
[ $ok = 1 ] && exit 0 || exit 1
