#!/usr/bin/python3
"""Reads a Cairn cluster for the stress scripts.

  probe.py wait     --hosts URL [--timeout 60]          wait until the cluster answers /status online
  probe.py snapshot --hosts URL --out FILE.json          cluster view + every node's metrics, now
  probe.py sample   --hosts URL --out FILE.jsonl --interval 5 --max-seconds 900
                    heap, RSS, disk, CPU of every node every few seconds (stops on SIGTERM or the bound)
  probe.py popular  --hosts URL --run RUN --count 20 --out popular.json
                    uploads the popular files a Locust run downloads 80 % of the time
  probe.py cleanup  --hosts URL --run RUN     deletes every file of the run (buckets stress-RUN*)
"""

import argparse
import json
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cairnstress  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["wait", "snapshot", "sample", "popular", "cleanup"])
    ap.add_argument("--hosts", default=cairnstress.DEFAULT_HOST, help="node URLs, comma-separated")
    ap.add_argument("--out", help="output file")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--interval", type=float, default=5.0)
    ap.add_argument("--max-seconds", type=float, default=900.0)
    ap.add_argument("--run", help="run id (buckets are named stress-<run>-...)")
    ap.add_argument("--count", type=int, default=20)
    a = ap.parse_args(argv)
    host = cairnstress.split_hosts(a.hosts)[0]

    if a.command in ("popular", "cleanup"):
        if not a.run:
            ap.error("--run is needed")
        prefix = "stress-" + a.run.lower()
        if a.command == "popular":
            bucket = prefix + "-hot"
            files = cairnstress.seed_popular(host, bucket, a.count, a.run)
            doc = {"bucket": bucket, "files": files}
            with open(a.out, "w") as f:
                json.dump(doc, f)
            print("probe: %d popular files in %s (%.1f MB)" % (
                len(files), bucket, sum(x[1] for x in files) / 1e6))
            return 0
        ok, failed, buckets = cairnstress.cleanup(host, prefix)
        print("probe: cleanup removed %d files from %d buckets%s" % (
            ok, buckets, ", %d could not be removed" % failed if failed else ""))
        return 1 if failed else 0

    if a.command == "wait":
        try:
            view = cairnstress.wait_ready(a.hosts, a.timeout)
        except RuntimeError as e:
            print("probe: %s" % e, file=sys.stderr)
            return 1
        nodes = view.get("nodes", [])
        print("cluster ready: leader %s, %d node(s): %s" % (
            view.get("leader"), len(nodes), ", ".join("%s=%s" % (n["id"], n["state"]) for n in nodes)))
        return 0

    if a.command == "snapshot":
        snap = cairnstress.snapshot(a.hosts)
        text = json.dumps(snap, indent=1, sort_keys=True)
        if a.out:
            with open(a.out, "w") as f:
                f.write(text)
        else:
            print(text)
        return 0

    # sample: bounded by --max-seconds, stops early on SIGTERM/SIGINT.
    stop = {"now": False}

    def on_signal(*_):
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    urls = cairnstress.node_urls(a.hosts)
    deadline = time.time() + a.max_seconds
    out = open(a.out, "w") if a.out else sys.stdout
    try:
        while not stop["now"] and time.time() < deadline:
            row = {"t": time.time(), "nodes": {}}
            for nid, url in sorted(urls.items()):
                s = cairnstress.node_snapshot(url, timeout=max(2.0, a.interval))
                row["nodes"][str(nid)] = {k: s.get(k) for k in ("heap_used", "heap_max", "heap_after_gc", "cache_size", "rss",
                                                                 "disk_used", "cpu_seconds", "gc_seconds", "threads",
                                                                 "error")}
            out.write(json.dumps(row) + "\n")
            out.flush()
            end = time.time() + a.interval
            while not stop["now"] and time.time() < end:
                time.sleep(0.2)
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
