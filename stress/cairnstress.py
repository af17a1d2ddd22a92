"""Shared helpers for Cairn's stress scripts: reading the cluster and each node's /metrics.

Only the standard library is used here, so the snapshot and summary scripts run on any Python 3.9+.
"""

import json
import math
import re
import time
import urllib.error
import urllib.request

DEFAULT_HOST = "http://127.0.0.1:8080"

_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def http_get(url, timeout=5.0):
    """GET url and return the body as text; raises OSError (URLError) when the node does not answer."""
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return resp.read().decode("utf-8", "replace")


def get_json(url, timeout=5.0):
    return json.loads(http_get(url, timeout))


def parse_prometheus(text):
    """Prometheus text format -> {(name, ((label, value), ...)): float}. Comments are skipped."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if not m:
            continue
        labels = tuple(sorted(_LABEL.findall(m.group(3) or "")))
        try:
            out[(m.group(1), labels)] = float(m.group(4))
        except ValueError:
            continue
    return out


def metric(samples, name, **labels):
    """Sum of every sample of `name` whose labels include `labels` (0.0 when there is none)."""
    total = 0.0
    want = set(labels.items())
    for (n, ls), v in samples.items():
        if n == name and want <= set(ls):
            total += v
    return total


def by_label(samples, name, label):
    """{label value: sum} for every sample of `name`."""
    out = {}
    for (n, ls), v in samples.items():
        if n != name:
            continue
        key = dict(ls).get(label, "")
        out[key] = out.get(key, 0.0) + v
    return out


def split_hosts(hosts):
    """'a,b c' or a list -> ['http://a', ...] without trailing slashes."""
    if isinstance(hosts, str):
        hosts = re.split(r"[,\s]+", hosts)
    out = []
    for h in hosts:
        h = h.strip().rstrip("/")
        if not h:
            continue
        if "://" not in h:
            h = "http://" + h
        out.append(h)
    return out


def cluster(hosts, timeout=5.0):
    """The /api/v1/cluster body from the first host that answers, or None."""
    for h in split_hosts(hosts):
        try:
            return get_json(h + "/api/v1/cluster", timeout)
        except (OSError, ValueError):
            continue
    return None


def node_urls(hosts, timeout=5.0):
    """{node id: http url} of every node the cluster knows; falls back to the given hosts."""
    view = cluster(hosts, timeout)
    if view and view.get("nodes"):
        return {int(n["id"]): n["httpAddress"].rstrip("/") for n in view["nodes"]}
    return {i + 1: h for i, h in enumerate(split_hosts(hosts))}


def wait_ready(hosts, timeout_s=60.0):
    """Waits until some node answers /status with 'online' (the seed route) or /readyz; returns the view."""
    deadline = time.time() + timeout_s
    last = "no answer"
    while time.time() < deadline:
        for h in split_hosts(hosts):
            try:
                body = get_json(h + "/status", 3.0)
                if body.get("status") == "online":
                    return cluster([h]) or body
                last = "%s: %s" % (h, body.get("detail") or body.get("status"))
            except urllib.error.HTTPError as e:
                last = "%s: HTTP %d" % (h, e.code)
            except (OSError, ValueError) as e:
                last = "%s: %s" % (h, e)
        time.sleep(1.0)
    raise RuntimeError("cluster not ready after %.0f s (%s)" % (timeout_s, last))


_TOOL_ENDPOINTS = ("/metrics", "/api/v1/cluster", "/readyz", "/healthz")


def histogram(samples, name, skip_endpoints=()):
    """{"buckets": [[le, cumulative count], ...], "sum": s, "count": n} summed over all label sets."""
    buckets, total, count = {}, 0.0, 0.0
    for (n, ls), v in samples.items():
        d = dict(ls)
        if d.get("endpoint") in skip_endpoints:
            continue
        if n == name + "_bucket":
            le = float("inf") if d.get("le") == "+Inf" else float(d.get("le", "inf"))
            buckets[le] = buckets.get(le, 0.0) + v
        elif n == name + "_sum":
            total += v
        elif n == name + "_count":
            count += v
    return {"buckets": sorted([[("+Inf" if le == float("inf") else le), c] for le, c in buckets.items()],
                              key=lambda x: float("inf") if x[0] == "+Inf" else x[0]),
            "sum": total, "count": count}


def histogram_delta(before, after):
    """after minus before, for two histogram() results of the same metric."""
    if not after:
        return None
    b = {str(le): c for le, c in (before or {}).get("buckets", [])}
    return {"buckets": [[le, c - b.get(str(le), 0.0)] for le, c in after.get("buckets", [])],
            "sum": after.get("sum", 0.0) - (before or {}).get("sum", 0.0),
            "count": after.get("count", 0.0) - (before or {}).get("count", 0.0)}


def histogram_quantile(h, q):
    """Prometheus-style quantile (linear within the bucket) of a histogram() result; None if empty."""
    if not h or not h.get("buckets"):
        return None
    total = h["buckets"][-1][1]
    if total <= 0:
        return None
    rank = q * total
    prev_le, prev_c = 0.0, 0.0
    for le, c in h["buckets"]:
        if c >= rank:
            if le == "+Inf":
                return prev_le
            if c == prev_c:
                return le
            return prev_le + (le - prev_le) * (rank - prev_c) / (c - prev_c)
        prev_le, prev_c = (prev_le if le == "+Inf" else le), c
    return prev_le


def node_snapshot(url, timeout=5.0):
    """The figures the stress reports use from one node's /metrics; {'error': ...} if it does not answer."""
    try:
        s = parse_prometheus(http_get(url + "/metrics", timeout))
    except (OSError, ValueError) as e:
        return {"url": url, "error": str(e)}
    requests_by_endpoint = {}
    for (n, ls), v in s.items():
        if n == "http_requests_total":
            d = dict(ls)
            if d.get("endpoint") in _TOOL_ENDPOINTS:
                continue  # the tools' own polling, not load
            k = "%s %s %s" % (d.get("method"), d.get("endpoint"), d.get("status"))
            requests_by_endpoint[k] = requests_by_endpoint.get(k, 0.0) + v
    return {
        "url": url,
        "hist": {
            "http": histogram(s, "http_request_duration_seconds", skip_endpoints=_TOOL_ENDPOINTS),
            "raft_commit": histogram(s, "cairn_raft_commit_duration_seconds"),
            "replication": histogram(s, "replication_duration_seconds"),
        },
        "cache_hits": metric(s, "cache_hits_total"),
        "cache_misses": metric(s, "cache_misses_total"),
        "cache_size": metric(s, "cache_size"),
        "cache_capacity": metric(s, "cache_capacity"),
        "heap_used": metric(s, "jvm_memory_used_bytes", area="heap"),
        "heap_max": metric(s, "jvm_memory_max_bytes", area="heap"),
        "heap_after_gc": sum(metric(s, "jvm_memory_pool_collection_used_bytes", pool=p)
                             for p in ("G1 Eden Space", "G1 Survivor Space", "G1 Old Gen")),
        "nonheap_used": metric(s, "jvm_memory_used_bytes", area="nonheap"),
        "rss": metric(s, "process_resident_memory_bytes"),
        "cpu_seconds": metric(s, "process_cpu_seconds_total"),
        "gc_seconds": metric(s, "jvm_gc_collection_seconds_sum"),
        "threads": metric(s, "jvm_threads_current"),
        "disk_used": metric(s, "cairn_disk_used_bytes"),
        "disk_free": metric(s, "cairn_disk_free_bytes"),
        "node_selection": by_label(s, "node_selection_count", "node_ip"),
        "load_balancing_decisions": metric(s, "load_balancing_decisions_total"),
        "uploads": by_label(s, "file_uploads_total", "status"),
        "downloads": by_label(s, "file_downloads_total", "status"),
        "searches": by_label(s, "file_searches_total", "status"),
        "deletes": by_label(s, "file_deletes_total", "status"),
        "replication_attempts": by_label(s, "replication_attempts_total", "status"),
        "node_failures": metric(s, "node_failures_total"),
        "raft_leader_changes": metric(s, "raft_leader_changes_total"),
        "http_requests": requests_by_endpoint,
        "http_requests_total": sum(requests_by_endpoint.values()),
        "http_errors_5xx": sum(v for k, v in requests_by_endpoint.items() if k.rsplit(" ", 1)[-1].startswith("5")),
    }


def snapshot(hosts, timeout=5.0):
    """The cluster view plus every node's metrics at one moment."""
    view = cluster(hosts, timeout)
    urls = node_urls(hosts, timeout) if view is None else {
        int(n["id"]): n["httpAddress"].rstrip("/") for n in view.get("nodes", [])}
    nodes = {}
    for nid, url in sorted(urls.items()):
        snap = node_snapshot(url, timeout)
        if view:
            for n in view.get("nodes", []):
                if int(n["id"]) == nid:
                    snap["state"] = n.get("state")
                    snap["used_bytes"] = n.get("usedBytes")
                    snap["free_bytes"] = n.get("freeBytes")
        nodes[str(nid)] = snap
    return {"time": time.time(), "leader": (view or {}).get("leader"), "term": (view or {}).get("term"),
            "nodes": nodes}


def delta_map(before, after):
    keys = set(before) | set(after)
    return {k: after.get(k, 0.0) - before.get(k, 0.0) for k in keys}


def percentile(values, p):
    """Nearest-rank percentile of a list (p in 0..100); None for an empty list."""
    if not values:
        return None
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(math.ceil(p / 100.0 * len(v))) - 1))
    return v[k]


def stdev(values):
    """Population standard deviation."""
    if not values:
        return 0.0
    m = sum(values) / len(values)
    return math.sqrt(sum((x - m) ** 2 for x in values) / len(values))


def balance_band(sigma_pct):
    """The seed's bands for the standard deviation of per-node shares, in percentage points."""
    if sigma_pct < 1.0:
        return "Excellent"
    if sigma_pct < 2.0:
        return "Very good"
    if sigma_pct < 5.0:
        return "Good"
    if sigma_pct < 10.0:
        return "Acceptable"
    return "Poor"


def reliability_band(success_pct):
    if success_pct >= 100.0:
        return "PERFECT"
    if success_pct >= 99.9:
        return "EXCELLENT"
    if success_pct >= 99.0:
        return "GOOD"
    if success_pct >= 95.0:
        return "ACCEPTABLE"
    return "POOR"


def bar(fraction, width=40):
    fraction = max(0.0, min(1.0, fraction))
    full = int(round(fraction * width))
    return "#" * full + "." * (width - full)


def human_bytes(n):
    n = float(n or 0)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return ("%.0f %s" if unit == "B" else "%.1f %s") % (n, unit)
        n /= 1024.0
    return "%.1f TiB" % n


class Sampler:
    """Samples every node's heap, RSS, disk and CPU every `interval` seconds on a thread (leak check)."""

    def __init__(self, hosts, interval=5.0, out_path=None):
        import threading
        self.hosts = hosts
        self.interval = interval
        self.out_path = out_path
        self.samples = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cairn-sampler", daemon=True)
        self._urls = node_urls(hosts)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=self.interval + 10)
        return self.samples

    def _run(self):
        out = open(self.out_path, "w") if self.out_path else None
        try:
            while True:
                row = {"t": time.time(), "nodes": {}}
                for nid, url in self._urls.items():
                    s = node_snapshot(url, timeout=max(2.0, self.interval))
                    row["nodes"][str(nid)] = {k: s.get(k) for k in
                                              ("heap_used", "heap_max", "heap_after_gc", "cache_size", "rss",
                                               "disk_used", "cpu_seconds", "gc_seconds", "threads", "error")}
                self.samples.append(row)
                if out:
                    out.write(json.dumps(row) + "\n")
                    out.flush()
                if self._stop.wait(self.interval):
                    break
        finally:
            if out:
                out.close()


def memory_trend(samples, warmup_fraction=0.25, min_samples=12):
    """Per node: heap and RSS figures and a leak check.

    The heap is a saw-tooth (garbage piles up between collections), so single readings say little. The
    decrypted-chunk cache is meant to fill up to its capacity, so when the samples carry its size the
    check looks at heap minus cache. It takes the samples after warm-up (the first quarter is dropped), splits them into thirds and
    compares the floor (lowest reading) of the first third with that of the last: a leak raises the floor.
    Flat means the floor rose by less than 64 MiB or 25 %. With fewer than `min_samples` samples after
    warm-up the run is too short to tell (flat is None).
    """
    out = {}
    if not samples:
        return out
    node_ids = sorted({nid for s in samples for nid in s["nodes"]}, key=lambda x: int(x))
    for nid in node_ids:
        rows = [s["nodes"][nid] for s in samples if nid in s["nodes"]]
        heap = [r.get("heap_used") for r in rows if r.get("heap_used")]
        # The decrypted-chunk cache is meant to fill up to its capacity; the leak check looks past it.
        has_cache = all(r.get("cache_size") is not None for r in rows if r.get("heap_used"))
        net = [r["heap_used"] - (r.get("cache_size") or 0.0) for r in rows if r.get("heap_used")]
        rss = [r.get("rss") for r in rows if r.get("rss")]
        after_gc = [r.get("heap_after_gc") for r in rows if r.get("heap_after_gc")]
        if not heap:
            out[nid] = {"error": "no samples"}
            continue
        series = net if has_cache else heap
        post = series[int(len(series) * warmup_fraction):] or series
        third = max(1, len(post) // 3)
        early, late = min(post[:third]), min(post[-third:])
        growth = late - early
        rpost = rss[int(len(rss) * warmup_fraction):] or rss
        rthird = max(1, len(rpost) // 3)
        flat = None
        if len(post) >= min_samples:
            flat = growth < 64 * 2 ** 20 or growth < 0.25 * early
        out[nid] = {
            "samples": len(heap),
            "heap_min": min(heap), "heap_max": max(heap), "heap_last": heap[-1],
            "heap_floor_early": early, "heap_floor_late": late, "heap_floor_growth": growth,
            "heap_growth_pct": growth / early * 100.0 if early else 0.0,
            "heap_after_gc_max": max(after_gc) if after_gc else None,
            "floor_excludes_cache": has_cache,
            "cache_max": max((r.get("cache_size") or 0.0) for r in rows) if has_cache else None,
            "flat": flat,
            "rss_min": min(rss) if rss else None, "rss_max": max(rss) if rss else None,
            "rss_last": rss[-1] if rss else None,
            "rss_growth_pct": ((min(rpost[-rthird:]) - min(rpost[:rthird])) / min(rpost[:rthird]) * 100.0)
            if rpost else None,
        }
    return out


# --- files the stress runs write ------------------------------------------------------------------

KB = 1000
MB = 1000 * 1000
MIN_SIZE = 10 * KB
MAX_SIZE = 5 * MB


def log_uniform_size(rng, lo=MIN_SIZE, hi=MAX_SIZE):
    """A size between lo and hi, uniform in log scale: many small files, some large (the seed's 10 KB-5 MB)."""
    return int(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def request(method, url, data=None, headers=None, timeout=60.0):
    """(status, body bytes) for one HTTP request; HTTP errors are returned, not raised."""
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def seed_popular(host, bucket, count, run_id, seed=None):
    """Uploads `count` files of log-uniform size to `bucket`; returns [[key, size, sha256], ...]."""
    import hashlib
    import os
    import random
    rng = random.Random(seed)
    out = []
    for i in range(count):
        size = log_uniform_size(rng)
        header = ("cairn stress %s hot-%d %d\n" % (run_id, i, time.time_ns())).encode()
        data = header + os.urandom(size - len(header))
        key = "popular-%03d.bin" % i
        status, body = request("PUT", "%s/api/v1/files/%s/%s" % (host.rstrip("/"), bucket, key), data,
                               {"Content-Type": "application/octet-stream"}, timeout=120)
        if status != 201:
            raise RuntimeError("cannot upload popular file %s: HTTP %d %s" % (key, status, body[:200]))
        out.append([key, size, hashlib.sha256(data).hexdigest()])
    return out


def cleanup(host, prefix, workers=8):
    """Deletes every file in every bucket whose name starts with `prefix`; returns (deleted, failed, buckets)."""
    from concurrent.futures import ThreadPoolExecutor
    from urllib.parse import quote
    host = host.rstrip("/")
    buckets = [b for b in get_json(host + "/api/v1/buckets", 30)["buckets"] if b.startswith(prefix)]
    keys = []
    for b in buckets:
        cursor = None
        while True:
            url = "%s/api/v1/files/%s?limit=1000" % (host, b) + ("&cursor=" + quote(cursor) if cursor else "")
            page = get_json(url, 60)
            keys += [(b, f["key"]) for f in page.get("files", [])]
            cursor = page.get("nextCursor")
            if not cursor:
                break

    def rm(bk):
        try:
            status, _ = request("DELETE", "%s/api/v1/files/%s/%s" % (host, bk[0], quote(bk[1])), timeout=60)
            return status in (204, 404)
        except OSError:
            return False

    with ThreadPoolExecutor(workers) as ex:
        ok = sum(1 for r in ex.map(rm, keys) if r)
    return ok, len(keys) - ok, len(buckets)


# --- node logs ------------------------------------------------------------------------------------

_LOG_LINE = re.compile(r"^\S+ node-\S+ (WARN|ERROR)\s+(\S+) - (.*)$")


def _pattern(message):
    """A message with its numbers, ids and addresses blanked, so repeats of one problem group together."""
    m = re.sub(r"[0-9a-f]{8,}(-[0-9]+)?", "<id>", message)
    m = re.sub(r"\d+(\.\d+)?", "N", m)
    return m[:140]


def scan_logs(data_dir, offsets):
    """WARN/ERROR lines each node wrote after the given byte offsets, grouped by logger and message shape.

    Returns {node id: {"counts": {"WARN": n, "ERROR": n}, "groups": [{"level", "logger", "pattern", "count",
    "example"}], "first": [up to 8 raw lines]}}.
    """
    import os
    out = {}
    for nid, off in sorted(offsets.items(), key=lambda kv: int(kv[0])):
        counts, groups, first = {"WARN": 0, "ERROR": 0}, {}, []
        path = os.path.join(data_dir, "node-%s" % nid, "node.log")
        try:
            with open(path, "rb") as f:
                f.seek(int(off))
                for raw in f:
                    line = raw.decode("utf-8", "replace").rstrip("\n")
                    m = _LOG_LINE.match(line)
                    if not m:
                        continue
                    level, logger, msg = m.groups()
                    counts[level] += 1
                    key = (level, logger, _pattern(msg))
                    g = groups.get(key)
                    if g is None:
                        groups[key] = {"level": level, "logger": logger, "pattern": key[2], "count": 1,
                                       "example": line[:400]}
                    else:
                        g["count"] += 1
                    if len(first) < 8:
                        first.append(line[:400])
        except OSError as e:
            counts["error"] = str(e)
        out[str(nid)] = {"counts": counts, "first": first,
                         "groups": sorted(groups.values(), key=lambda g: (-g["count"], g["logger"]))}
    return out
