#!/usr/bin/python3
"""Writes summary.md and summary.json for one Locust run directory made by run_stress_test.sh.

The directory holds: meta.json (profile, machine), locust_stats.csv / locust_failures.csv (Locust's CSV),
latency.csv (every request, from the locustfile's --cairn-latency-log), before.json / after.json (cluster
snapshots from probe.py) and samples.jsonl (heap/RSS every few seconds). Missing pieces are skipped.

    summarize.py RUN_DIR
"""

import csv
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cairnstress as cs  # noqa: E402

# The seed guide's performance indicators.
SEED_GOOD = {"hit": 50.0, "p95": 500.0, "err": 1.0}
SEED_ACCEPTABLE = {"hit": 30.0, "p95": 1000.0, "err": 5.0}
SEED_POOR = {"hit": 20.0, "p95": 2000.0, "err": 10.0}
# The targets Cairn's issue sets per profile: (max failures, p95 bound in ms or None).
TARGETS = {"heavy": (0, 50.0), "extreme": (0, None)}

OPS = ["upload", "download", "list", "search", "delete", "status"]


def load_json(path, default=None):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


def read_latency(path):
    rows = []
    opener = open
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        import gzip
        path, opener = path + ".gz", (lambda p: gzip.open(p, "rt"))
    try:
        with opener(path) as f:
            for r in csv.DictReader(f):
                try:
                    rows.append((float(r["time"]), r["name"], float(r["ms"]), int(r["bytes"]), r["ok"] == "1"))
                except (KeyError, ValueError):
                    continue
    except OSError:
        pass
    return rows


def read_locust_stats(path):
    out = {}
    try:
        with open(path) as f:
            for r in csv.DictReader(f):
                out[r["Name"]] = r
    except OSError:
        pass
    return out


def read_failures(path):
    try:
        with open(path) as f:
            return list(csv.DictReader(f))
    except OSError:
        return []


def stats_of(rows, elapsed):
    ms = [r[2] for r in rows]
    fails = sum(1 for r in rows if not r[4])
    return {
        "requests": len(rows),
        "failures": fails,
        "failure_pct": fails * 100.0 / len(rows) if rows else 0.0,
        "rps": len(rows) / elapsed if elapsed > 0 else 0.0,
        "mean_ms": sum(ms) / len(ms) if ms else None,
        "p50_ms": cs.percentile(ms, 50),
        "p95_ms": cs.percentile(ms, 95),
        "p99_ms": cs.percentile(ms, 99),
        "max_ms": max(ms) if ms else None,
        "mean_bytes": sum(r[3] for r in rows) / len(rows) if rows else 0,
    }


def seed_band(hit, p95, err):
    if hit is None:
        hit = 0.0
    if hit > SEED_GOOD["hit"] and p95 < SEED_GOOD["p95"] and err < SEED_GOOD["err"]:
        return "Good"
    if hit > SEED_ACCEPTABLE["hit"] and p95 < SEED_ACCEPTABLE["p95"] and err < SEED_ACCEPTABLE["err"]:
        return "Acceptable"
    if hit < SEED_POOR["hit"] or p95 > SEED_POOR["p95"] or err > SEED_POOR["err"]:
        return "Poor"
    return "Below acceptable"


def scan_logs(meta):
    """WARN/ERROR lines each node logged during the run (from the byte offsets taken before it)."""
    if not meta.get("data_dir"):
        return None
    return cs.scan_logs(meta["data_dir"], meta.get("log_offsets") or {})


def node_load(before, after):
    """Per node: requests served (tools' own polling excluded), 5xx, cache, placement choices, bytes."""
    if not before or not after:
        return None
    nodes = {}
    addr_to_id = {}
    for nid, a in after["nodes"].items():
        url = a.get("url", "")
        addr_to_id[url.split("://", 1)[-1]] = nid
    selections = {}
    for nid, a in after["nodes"].items():
        b = before["nodes"].get(nid, {})
        for label, v in cs.delta_map(b.get("node_selection") or {}, a.get("node_selection") or {}).items():
            target = addr_to_id.get(label, label)
            selections[target] = selections.get(target, 0.0) + v
    for nid, a in sorted(after["nodes"].items(), key=lambda kv: int(kv[0])):
        b = before["nodes"].get(nid, {})
        if "error" in a or "error" in b:
            nodes[nid] = {"error": a.get("error") or b.get("error")}
            continue
        hits = a["cache_hits"] - b["cache_hits"]
        misses = a["cache_misses"] - b["cache_misses"]
        nodes[nid] = {
            "url": a.get("url"),
            "requests": a["http_requests_total"] - b["http_requests_total"],
            "errors_5xx": a["http_errors_5xx"] - b["http_errors_5xx"],
            "cache_hits": hits,
            "cache_misses": misses,
            "cache_hit_pct": hits * 100.0 / (hits + misses) if hits + misses else None,
            "selected": selections.get(nid, 0.0),
            "used_before": b.get("used_bytes"),
            "used_after": a.get("used_bytes"),
            "cpu_seconds": a["cpu_seconds"] - b["cpu_seconds"],
            "gc_seconds": a["gc_seconds"] - b["gc_seconds"],
            "leader_changes": a["raft_leader_changes"] - b["raft_leader_changes"],
            "node_failures": a["node_failures"] - b["node_failures"],
            "state_after": a.get("state"),
            "server": server_side(b.get("hist"), a.get("hist")),
        }
    return nodes


def server_side(hb, ha):
    """Server-side latencies from the nodes' histograms (after minus before), in ms; None without data."""
    if not ha:
        return None
    out = {}
    for name in ("http", "raft_commit", "replication"):
        d = cs.histogram_delta((hb or {}).get(name), ha.get(name))
        if not d or d["count"] <= 0:
            out[name] = None
            continue
        out[name] = {"count": d["count"], "mean_ms": d["sum"] / d["count"] * 1000.0,
                     "p50_ms": (cs.histogram_quantile(d, 0.5) or 0) * 1000.0,
                     "p95_ms": (cs.histogram_quantile(d, 0.95) or 0) * 1000.0,
                     "p99_ms": (cs.histogram_quantile(d, 0.99) or 0) * 1000.0}
    return out


def fmt_ms(v):
    return "-" if v is None else ("%.0f" % v if v >= 100 else "%.1f" % v)


def summarize(run_dir):
    meta = load_json(os.path.join(run_dir, "meta.json"), {})
    before = load_json(os.path.join(run_dir, "before.json"))
    after = load_json(os.path.join(run_dir, "after.json"))
    lat = read_latency(os.path.join(run_dir, "latency.csv"))
    locust_stats = read_locust_stats(os.path.join(run_dir, "locust_stats.csv"))
    failures = read_failures(os.path.join(run_dir, "locust_failures.csv"))
    samples = []
    try:
        with open(os.path.join(run_dir, "samples.jsonl")) as f:
            samples = [json.loads(l) for l in f if l.strip()]
    except (OSError, ValueError):
        pass

    if before and not meta.get("nodes"):
        meta["nodes"] = ", ".join("%s %s (%s)" % (nid, n.get("url"), n.get("state", "?"))
                                  for nid, n in sorted(before["nodes"].items(), key=lambda kv: int(kv[0])))
    if lat:
        t0, t1 = min(r[0] for r in lat), max(r[0] for r in lat)
        elapsed = max(1.0, t1 - t0)
    else:
        elapsed = float(meta.get("run_seconds") or 1)
    total = stats_of(lat, elapsed) if lat else None
    if total is None and "Aggregated" in locust_stats:
        a = locust_stats["Aggregated"]
        n = int(a["Request Count"])
        total = {"requests": n, "failures": int(a["Failure Count"]),
                 "failure_pct": int(a["Failure Count"]) * 100.0 / n if n else 0.0,
                 "rps": float(a["Requests/s"]), "mean_ms": float(a["Average Response Time"]),
                 "p50_ms": float(a["50%"]), "p95_ms": float(a["95%"]), "p99_ms": float(a["99%"]),
                 "max_ms": float(a["Max Response Time"]), "mean_bytes": float(a["Average Content Size"])}
    by_name = {}
    for r in lat:
        by_name.setdefault(r[1], []).append(r)
    per_name = {n: stats_of(rs, elapsed) for n, rs in sorted(by_name.items())}
    per_op = {}
    for op in OPS:
        rs = [r for r in lat if r[1].split(": ", 1)[-1] == op]
        if rs:
            per_op[op] = stats_of(rs, elapsed)
    # Steady state: drop the spawn ramp (first 10 % of the run) for a second look at the percentiles.
    steady = None
    if lat:
        cut = t0 + elapsed * 0.1
        steady = stats_of([r for r in lat if r[0] >= cut], elapsed * 0.9)

    nodes = node_load(before, after)
    hit_pct = None
    if nodes:
        hits = sum(n.get("cache_hits", 0) for n in nodes.values())
        misses = sum(n.get("cache_misses", 0) for n in nodes.values())
        hit_pct = hits * 100.0 / (hits + misses) if hits + misses else None
    mem = cs.memory_trend(samples)
    logs = scan_logs(meta)

    profile = (meta.get("profile") or "custom").lower()
    verdict = {}
    if total:
        verdict["seed_band"] = seed_band(hit_pct, total["p95_ms"] or 0, total["failure_pct"])
        if profile in TARGETS:
            max_fail, p95_bound = TARGETS[profile]
            ok = total["failures"] <= max_fail and (p95_bound is None or (total["p95_ms"] or 0) < p95_bound)
            verdict["target"] = {"max_failures": max_fail, "p95_below_ms": p95_bound, "met": ok}

    cache_sizes = None
    if before and after:
        cache_sizes = {nid: (before["nodes"].get(nid, {}).get("cache_size"), a.get("cache_size"), a.get("cache_capacity"))
                       for nid, a in sorted(after["nodes"].items(), key=lambda kv: int(kv[0])) if "error" not in a}
    summary = {"cache_sizes": cache_sizes, "meta": meta, "elapsed_s": elapsed, "total": total, "steady_state": steady,
               "per_operation": per_op, "per_request_name": per_name, "cache_hit_pct": hit_pct,
               "nodes": nodes, "memory": mem, "node_logs": logs, "verdict": verdict,
               "failures": failures[:50]}
    with open(os.path.join(run_dir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1, sort_keys=True)
    text = render(summary, locust_stats)
    with open(os.path.join(run_dir, "summary.md"), "w") as f:
        f.write(text)
    return text


def render(s, locust_stats):
    m = s["meta"]
    t = s["total"] or {}
    L = []
    L.append("# Cairn stress test: %s profile, %s" % ((m.get("profile") or "custom").capitalize(),
                                                      m.get("started_human", "")))
    L.append("")
    L.append("| setting | value |")
    L.append("|---|---|")
    for k, label in (("users", "users"), ("spawn_rate", "spawn rate (users/s)"), ("run_time", "run time"),
                     ("user_classes", "user classes"), ("host", "host"), ("nodes", "nodes"),
                     ("commit", "commit (stress scripts)"), ("note", "note"), ("machine", "machine"), ("load_before", "load average before"),
                     ("load_after", "load average after"), ("locust", "Locust")):
        if m.get(k) not in (None, ""):
            L.append("| %s | %s |" % (label, m[k]))
    L.append("")
    L.append("## Result")
    L.append("")
    if t:
        L.append("| requests | failures | RPS | mean ms | p50 ms | p95 ms | p99 ms | max ms | cache hit rate |")
        L.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        L.append("| %d | %d (%.2f %%) | %.1f | %s | %s | %s | %s | %s | %s |" % (
            t["requests"], t["failures"], t["failure_pct"], t["rps"], fmt_ms(t["mean_ms"]), fmt_ms(t["p50_ms"]),
            fmt_ms(t["p95_ms"]), fmt_ms(t["p99_ms"]), fmt_ms(t["max_ms"]),
            "-" if s["cache_hit_pct"] is None else "%.1f %%" % s["cache_hit_pct"]))
        st = s.get("steady_state")
        if st:
            L.append("")
            L.append("Without the spawn ramp (first 10 %% of the run dropped): p50 %s ms, p95 %s ms, p99 %s ms, "
                     "%.1f RPS." % (fmt_ms(st["p50_ms"]), fmt_ms(st["p95_ms"]), fmt_ms(st["p99_ms"]), st["rps"]))
    v = s["verdict"]
    L.append("")
    if v.get("seed_band"):
        L.append("Seed guide's indicators (Good: cache hit > 50 %%, p95 < 500 ms, errors < 1 %%; Acceptable: "
                 "> 30 %%, < 1 s, < 5 %%; Poor: < 20 %%, > 2 s, > 10 %%): **%s**." % v["seed_band"])
    if v.get("target"):
        tg = v["target"]
        want = "%d failures" % tg["max_failures"] + (
            " and p95 < %.0f ms" % tg["p95_below_ms"] if tg["p95_below_ms"] else "")
        L.append("")
        L.append("Cairn's target for this profile (%s): **%s** (failures %d, p95 %s ms)." % (
            want, "met" if tg["met"] else "NOT met", t.get("failures", 0), fmt_ms(t.get("p95_ms"))))
    L.append("")
    L.append("Percentiles here are exact, computed from every request's time (latency.csv); Locust's own")
    L.append("report (report.html) rounds them. Times are client-side and include Locust's own scheduling on")
    L.append("the same machine.")
    L.append("")
    if s["per_operation"]:
        L.append("## Per operation (both user classes)")
        L.append("")
        L.append("| operation | requests | failures | RPS | mean ms | p50 | p95 | p99 | max | mean response size |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for op, o in s["per_operation"].items():
            L.append("| %s | %d | %d | %.2f | %s | %s | %s | %s | %s | %s |" % (
                op, o["requests"], o["failures"], o["rps"], fmt_ms(o["mean_ms"]), fmt_ms(o["p50_ms"]),
                fmt_ms(o["p95_ms"]), fmt_ms(o["p99_ms"]), fmt_ms(o["max_ms"]), cs.human_bytes(o["mean_bytes"])))
        L.append("")
        L.append("## Per request name")
        L.append("")
        L.append("| name | requests | failures | RPS | p50 | p95 | p99 | max |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for n, o in s["per_request_name"].items():
            L.append("| %s | %d | %d | %.2f | %s | %s | %s | %s |" % (
                n, o["requests"], o["failures"], o["rps"], fmt_ms(o["p50_ms"]), fmt_ms(o["p95_ms"]),
                fmt_ms(o["p99_ms"]), fmt_ms(o["max_ms"])))
        L.append("")
    nodes = s["nodes"]
    if nodes:
        tot_req = sum(n.get("requests", 0) for n in nodes.values()) or 1
        tot_sel = sum(n.get("selected", 0) for n in nodes.values()) or 1
        L.append("## Per-node load (cluster metrics, after minus before)")
        L.append("")
        L.append("| node | requests served | share | 5xx | chosen by load balancing | share | cache hits / misses"
                 " | hit rate | stored before -> after | CPU s | GC s |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for nid, n in nodes.items():
            if "error" in n:
                L.append("| %s | (no metrics: %s) |||||||||" % (nid, n["error"]))
                continue
            L.append("| %s | %d | %.1f %% | %d | %d | %.1f %% | %d / %d | %s | %s -> %s | %.0f | %.1f |" % (
                nid, n["requests"], n["requests"] * 100.0 / tot_req, n["errors_5xx"], n["selected"],
                n["selected"] * 100.0 / tot_sel, n["cache_hits"], n["cache_misses"],
                "-" if n["cache_hit_pct"] is None else "%.1f %%" % n["cache_hit_pct"],
                cs.human_bytes(n["used_before"]), cs.human_bytes(n["used_after"]), n["cpu_seconds"],
                n["gc_seconds"]))
        shares = [n["requests"] * 100.0 / tot_req for n in nodes.values() if "error" not in n]
        sigma = cs.stdev(shares)
        L.append("")
        L.append("Requests per node: expected %.1f %% each, standard deviation %.2f points: %s balance. "
                 "Locust users are spread round-robin over the gateways, so this mostly reflects the client; "
                 "\"chosen by load balancing\" counts Cairn's own choices (chunk placement and which replica "
                 "serves a read)." % (100.0 / max(1, len(shares)), sigma, cs.balance_band(sigma)))
        if any(n.get("server") for n in nodes.values()):
            L.append("")
            L.append("Server side, from each node's histograms (ms; quantiles interpolated within buckets): HTTP is")
            L.append("every request the node's gateway served; Raft commit is one metadata change; replication is one")
            L.append("chunk stored on all its replicas.")
            L.append("")
            L.append("| node | HTTP requests | HTTP mean | HTTP p50 | HTTP p95 | HTTP p99 | Raft commits | commit mean |"
                     " commit p95 | chunk replications | replication mean | replication p95 |")
            L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for nid, n in nodes.items():
                sv = n.get("server") or {}
                h, r, p = sv.get("http"), sv.get("raft_commit"), sv.get("replication")
                L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    nid, "%d" % h["count"] if h else "-", fmt_ms(h and h["mean_ms"]), fmt_ms(h and h["p50_ms"]),
                    fmt_ms(h and h["p95_ms"]), fmt_ms(h and h["p99_ms"]), "%d" % r["count"] if r else "-",
                    fmt_ms(r and r["mean_ms"]), fmt_ms(r and r["p95_ms"]), "%d" % p["count"] if p else "-",
                    fmt_ms(p and p["mean_ms"]), fmt_ms(p and p["p95_ms"])))
        extra = [(nid, n) for nid, n in nodes.items() if n.get("leader_changes") or n.get("node_failures")]
        for nid, n in extra:
            L.append("")
            L.append("Node %s saw %d leader change(s) and %d node failure(s) during the run." % (
                nid, n["leader_changes"], n["node_failures"]))
        L.append("")
    mem = s["memory"]
    if mem:
        L.append("## Memory (sampled every %ss)" % (s["meta"].get("sample_interval") or "5"))
        L.append("")
        L.append("| node | samples | heap min | heap max | heap last | chunk cache max | heap floor early -> late"
                 " | flat | RSS max | RSS floor growth |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|")
        for nid, x in mem.items():
            if "error" in x:
                continue
            L.append("| %s | %d | %s | %s | %s | %s | %s -> %s%s | %s | %s | %s |" % (
                nid, x["samples"], cs.human_bytes(x["heap_min"]), cs.human_bytes(x["heap_max"]),
                cs.human_bytes(x["heap_last"]), "-" if x.get("cache_max") is None else cs.human_bytes(x["cache_max"]),
                cs.human_bytes(x["heap_floor_early"]), cs.human_bytes(x["heap_floor_late"]),
                " (excl. cache)" if x.get("floor_excludes_cache") else "",
                {None: "too short", True: "yes", False: "NO"}[x["flat"]],
                cs.human_bytes(x["rss_max"]),
                "-" if x["rss_growth_pct"] is None else "%+.1f %%" % x["rss_growth_pct"]))
        L.append("")
        caches = s.get("cache_sizes")
        if caches:
            L.append("Decrypted-chunk cache per node, before -> after the run: " + ", ".join(
                "node %s %s -> %s of %s" % (nid, cs.human_bytes(c[0]), cs.human_bytes(c[1]), cs.human_bytes(c[2]))
                for nid, c in caches.items()) + ".")
            L.append("")
        L.append("The JVM heap is a saw-tooth, so the leak check compares its floor (lowest sample) in the first")
        L.append("and last thirds of the run after warm-up (first quarter dropped); flat = the floor rose by less")
        L.append("than 64 MiB or 25 %. The decrypted-chunk cache is meant to fill up to its capacity, so where the")
        L.append("samples carry its size the floor is taken of heap minus cache.")
        L.append("")
    if s["failures"]:
        L.append("## Failures")
        L.append("")
        L.append("| method | name | error | occurrences |")
        L.append("|---|---|---|---:|")
        for f in s["failures"][:20]:
            L.append("| %s | %s | %s | %s |" % (f.get("Method"), f.get("Name"),
                                               (f.get("Error") or "").replace("|", "/")[:200], f.get("Occurrences")))
        L.append("")
    logs = s["node_logs"]
    if logs is not None:
        L.append("## Node logs during the run")
        L.append("")
        for nid, x in logs.items():
            c = x["counts"]
            L.append("* node %s: %d WARN, %d ERROR%s" % (nid, c.get("WARN", 0), c.get("ERROR", 0),
                                                         (" (" + c["error"] + ")") if "error" in c else ""))
        groups = [(nid, g) for nid, x in logs.items() for g in x.get("groups", [])]
        if groups:
            L.append("")
            L.append("| node | level | logger | count | example |")
            L.append("|---|---|---|---:|---|")
            for nid, g in sorted(groups, key=lambda x: -x[1]["count"])[:20]:
                L.append("| %s | %s | %s | %d | `%s` |" % (nid, g["level"], g["logger"], g["count"],
                                                         g["example"].replace("|", "/").replace("`", "'")[:260]))
        L.append("")
    L.append("Files: report.html (Locust's charts), locust_stats.csv, locust_stats_history.csv, "
             "locust_failures.csv, latency.csv.gz (every request), before.json / after.json (cluster metrics), "
             "samples.jsonl (memory), summary.json (all of the above as data).")
    L.append("")
    return "\n".join(L)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    print(summarize(sys.argv[1]))
