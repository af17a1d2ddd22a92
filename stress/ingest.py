#!/usr/bin/python3
"""Cairn's extreme ingest test (the seed's 1,500-image "aggressive" stress test).

Generates N real PNG images (random noise, filled shapes and a label; 5-25 MB each at the default
1600-3500 px, stored with fast zlib so noise stays about as big as the seed's uncompressed images),
sizes cycling through the seed's four ranges (1600-2000, 2000-2500, 2500-3000, 3000-3500 px), uploads
them with a configurable concurrency spread over the nodes, verifies them by downloading and comparing
SHA-256, and deletes them afterwards unless --keep. Generation is not timed: images are made in batches
(--batch, default 40) between upload phases, so the client never needs more than one batch on disk, and
throughput counts upload time only.

While it runs it shows a progress bar and samples each node's heap and RSS (leak check), and it stops
uploading by itself if any node's free disk falls under --reserve. It writes report.txt, report.json and
report.html (charts: latency over time, throughput over time, per-node share, memory per node).

    stress/ingest.py                                   # 1,500 images against http://127.0.0.1:8080
    stress/ingest.py --files 30 --min-px 400 --max-px 1200 --host http://127.0.0.1:18080   # smoke size

Exit status: 0 when every upload and verification succeeded, 1 otherwise, 2 on a usage or setup error.
"""

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cairnstress as cs  # noqa: E402

SEED_THROUGHPUT = 0.46  # uploads/s the seed's own system reached (its guide's results)
SEED_BOUNDS = (1600, 2000, 2500, 3000, 3500)
RANGE_NAMES = ("Small", "Medium", "Large", "XLarge")
BYTES_PER_PX2 = 2.0  # measured: noise + shapes + label at zlib level 1 is about 2 bytes per pixel
HEAP_LIMIT = 512 * 1024 * 1024


def die(msg):
    print("ingest: " + msg, file=sys.stderr)
    sys.exit(2)


# --- image generation (runs in worker processes) --------------------------------------------------

def ranges(min_px, max_px):
    """The seed's four size ranges, scaled linearly onto [min_px, max_px]."""
    lo, hi = SEED_BOUNDS[0], SEED_BOUNDS[-1]
    b = [int(round(min_px + (x - lo) * (max_px - min_px) / float(hi - lo))) for x in SEED_BOUNDS]
    return [(b[i], max(b[i], b[i + 1])) for i in range(4)]


def plan(n, min_px, max_px, seed):
    """[(index, px, range index)]: image i is in range i % 4, its side drawn uniformly in that range."""
    import random
    rng = random.Random(seed)
    rs = ranges(min_px, max_px)
    out = []
    for i in range(n):
        r = i % 4
        a, b = rs[r]
        out.append((i, rng.randint(a, b), r))
    return out


def expected_bytes(n, min_px, max_px):
    rs = ranges(min_px, max_px)
    mean_px2 = sum((b ** 3 - a ** 3) / (3.0 * (b - a)) if b > a else a * a for a, b in rs) / 4.0
    return n * BYTES_PER_PX2 * mean_px2


_FONT = {}


def make_image(args):
    """Writes one PNG; returns (index, path, size, sha256, seconds)."""
    index, px, rng_index, seed, out_dir = args
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont
    t0 = time.time()
    rng = np.random.default_rng([seed, index])
    img = Image.fromarray(rng.integers(0, 256, (px, px, 3), dtype=np.uint8), "RGB")
    d = ImageDraw.Draw(img)
    for k in range(8):  # filled shapes over about a third of the picture
        w, h = int(px * rng.uniform(0.15, 0.35)), int(px * rng.uniform(0.15, 0.35))
        x, y = int(rng.uniform(0, px - w)), int(rng.uniform(0, px - h))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        (d.rectangle if k % 2 else d.ellipse)([x, y, x + w, y + h], fill=colour)
    size_pt = max(12, px // 30)
    if size_pt not in _FONT:
        try:
            _FONT[size_pt] = ImageFont.truetype("DejaVuSans-Bold.ttf", size_pt)
        except OSError:
            try:
                _FONT[size_pt] = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", size_pt)
            except OSError:
                _FONT[size_pt] = ImageFont.load_default()
    label = "Cairn stress image %05d  %dx%d  %s" % (index, px, px, RANGE_NAMES[rng_index])
    d.rectangle([0, 0, px, size_pt * 2], fill=(255, 255, 255))
    d.text((size_pt // 2, size_pt // 3), label, fill=(0, 0, 0), font=_FONT[size_pt])
    path = os.path.join(out_dir, "stress_image_%05d.png" % index)
    img.save(path, "PNG", compress_level=1)
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return index, path, os.path.getsize(path), h.hexdigest(), time.time() - t0


# --- progress ----------------------------------------------------------------------------------------

class Progress:
    def __init__(self, total, enabled=True):
        self.total = total
        self.tty = sys.stderr.isatty()
        self.enabled = enabled
        self.last = 0.0
        self.last_pct = -1
        self.lock = threading.Lock()

    def show(self, done, ok, failed, up_seconds, up_bytes, phase="uploading", force=False):
        if not self.enabled:
            return
        with self.lock:
            now = time.time()
            pct = done * 100.0 / self.total if self.total else 100.0
            if self.tty:
                if not force and now - self.last < 0.5:
                    return
            elif not force and int(pct // 5) == self.last_pct:
                return
            self.last, self.last_pct = now, int(pct // 5)
            rate = done / up_seconds if up_seconds > 0 else 0.0
            mbs = up_bytes / 1e6 / up_seconds if up_seconds > 0 else 0.0
            eta = (self.total - done) / rate if rate > 0 else 0
            line = "[%s] %d/%d %5.1f%%  %.2f up/s  %.1f MB/s  ok %d  failed %d  %s  ETA(upload) %dm%02ds" % (
                cs.bar(pct / 100.0, 30), done, self.total, pct, rate, mbs, ok, failed, phase,
                int(eta) // 60, int(eta) % 60)
            if self.tty:
                sys.stderr.write("\r" + line[:160].ljust(160))
            else:
                sys.stderr.write(line + "\n")
            sys.stderr.flush()

    def end(self):
        if self.enabled and self.tty:
            sys.stderr.write("\n")


# --- the run -----------------------------------------------------------------------------------------

class Ingest:
    def __init__(self, a):
        self.a = a
        self.nodes = cs.node_urls([a.host] + cs.split_hosts(a.hosts or ""))
        self.gateways = cs.split_hosts(a.hosts) if a.hosts else [u for _, u in sorted(self.nodes.items())]
        self.url_to_id = {u: nid for nid, u in self.nodes.items()}
        self.run_id = time.strftime("%Y%m%d%H%M%S") + "-%d" % os.getpid()
        self.bucket = a.bucket or "stress-ingest-" + self.run_id
        self.results = []          # one dict per attempted upload
        self.lock = threading.Lock()
        self.up_seconds = 0.0      # sum of upload-phase wall time (throughput denominator)
        self.up_bytes = 0
        self.gen_seconds = 0.0
        self.stop_reason = None
        self.local = threading.local()

    def session(self):
        import requests
        s = getattr(self.local, "s", None)
        if s is None:
            s = self.local.s = requests.Session()
        return s

    def free_bytes(self):
        view = cs.cluster(list(self.nodes.values()))
        if not view:
            return None
        vals = [n.get("freeBytes") for n in view.get("nodes", []) if n.get("freeBytes") is not None]
        return min(vals) if vals else None

    def upload(self, item):
        index, path, size, sha, px, rng_index = item
        gw = self.gateways[index % len(self.gateways)]
        key = "stress_image_%05d_%dx%d.png" % (index, px, px)
        rec = {"index": index, "key": key, "px": px, "range": RANGE_NAMES[rng_index], "size": size, "sha256": sha,
               "gateway": self.url_to_id.get(gw, gw), "ok": False}
        t0 = time.time()
        try:
            if self.a.route == "form":
                with open(path, "rb") as f:
                    r = self.session().post(gw + "/upload", data={"username": self.bucket},
                                            files={"file": (key, f, "image/png")}, allow_redirects=False,
                                            timeout=(10, self.a.timeout))
                flash = r.cookies.get("cairn_flash", "")
                ok = r.status_code == 302 and flash.startswith("i%3A")
                err = None if ok else "HTTP %d, flash %r" % (r.status_code, flash)
            else:
                with open(path, "rb") as f:
                    r = self.session().put("%s/api/v1/files/%s/%s" % (gw, self.bucket, key), data=f,
                                           headers={"Content-Type": "image/png", "Content-Length": str(size)},
                                           timeout=(10, self.a.timeout))
                ok = r.status_code == 201
                err = None if ok else "HTTP %d: %s" % (r.status_code, r.text[:200])
                if ok:
                    body = r.json()
                    if body.get("sha256") != sha or body.get("size") != size:
                        ok, err = False, "server recorded size %s sha256 %s" % (body.get("size"), body.get("sha256"))
        except Exception as e:  # noqa: BLE001 - any client-side failure is a failed upload
            ok, err = False, "%s: %s" % (type(e).__name__, e)
        t1 = time.time()
        rec.update({"start": t0, "end": t1, "seconds": t1 - t0, "ok": ok})
        if err:
            rec["error"] = err
        if ok:
            try:  # Cairn's placement: the first replica of each chunk is the node ranked best for it
                meta = self.session().get("%s/api/v1/meta/%s/%s" % (gw, self.bucket, key), timeout=30).json()
                rec["chunks"] = [{"size": c["size"], "replicas": c["replicas"]} for c in meta.get("chunks", [])]
            except Exception as e:  # noqa: BLE001
                rec["meta_error"] = str(e)
        with self.lock:
            self.results.append(rec)
        return rec

    def verify(self, rec, node_offset=1):
        """Downloads through another gateway than the upload's and compares SHA-256."""
        gws = self.gateways
        gw = gws[(rec["index"] + node_offset) % len(gws)]
        t0 = time.time()
        h = hashlib.sha256()
        n = 0
        try:
            with self.session().get("%s/api/v1/files/%s/%s" % (gw, self.bucket, rec["key"]), stream=True,
                                    timeout=(10, self.a.timeout)) as r:
                if r.status_code != 200:
                    return {"key": rec["key"], "ok": False, "error": "HTTP %d" % r.status_code}
                for block in r.iter_content(1 << 20):
                    h.update(block)
                    n += len(block)
        except Exception as e:  # noqa: BLE001
            return {"key": rec["key"], "ok": False, "error": "%s: %s" % (type(e).__name__, e)}
        ok = n == rec["size"] and h.hexdigest() == rec["sha256"]
        out = {"key": rec["key"], "ok": ok, "seconds": time.time() - t0, "bytes": n,
               "gateway": self.url_to_id.get(gw, gw)}
        if not ok:
            out["error"] = "got %d bytes, sha256 %s" % (n, h.hexdigest())
        return out

    def delete(self, rec):
        gw = self.gateways[rec["index"] % len(self.gateways)]
        try:
            r = self.session().delete("%s/api/v1/files/%s/%s" % (gw, self.bucket, rec["key"]), timeout=60)
            return r.status_code in (204, 404)
        except Exception:  # noqa: BLE001
            return False


def run(a):
    from multiprocessing import Pool
    try:
        cs.wait_ready([a.host] + cs.split_hosts(a.hosts or ""), 30)
    except RuntimeError as e:
        die("%s; start a cluster with ./cairn up (or pass --host URL)" % e)
    ing = Ingest(a)
    n_nodes = len(ing.nodes)
    replication = min(3, n_nodes)
    expect = expected_bytes(a.files, a.min_px, a.max_px)
    need = expect * replication
    free = ing.free_bytes()
    tmp_root = a.tmp or tempfile.gettempdir()
    batch = a.batch if a.batch > 0 else a.files
    tmp_need = expected_bytes(min(batch, a.files), a.min_px, a.max_px) * 1.2
    print("ingest: %d images, %d-%d px, about %s to upload (%s stored with %d replicas), %d node(s), "
          "concurrency %d, bucket %s" % (a.files, a.min_px, a.max_px, cs.human_bytes(expect), cs.human_bytes(need),
                                         replication, n_nodes, a.concurrency, ing.bucket), file=sys.stderr)
    if free is not None:
        # On one machine every node shares the disk: the whole replicated volume must fit above the reserve.
        frees = [n.get("freeBytes") or 0 for n in (cs.cluster([a.host]) or {}).get("nodes", [])]
        shared = bool(frees) and max(frees) - min(frees) < 2 * 2 ** 30
        room = free - a.reserve * 2 ** 30
        wanted = need if shared else expect
        if wanted > room and not a.force:
            fit = int(a.files * room / wanted) if wanted > 0 else 0
            die("not enough disk: about %s needed, %s free above the %d GiB reserve; the largest count that fits "
                "is about --files %d (or pass --force)" % (cs.human_bytes(wanted), cs.human_bytes(max(0, room)),
                                                           a.reserve, max(0, fit)))
    if shutil.disk_usage(tmp_root).free < tmp_need + 2 ** 30:
        die("not enough room in %s for a batch of images (%s); use --tmp DIR or a smaller --batch" % (
            tmp_root, cs.human_bytes(tmp_need)))

    os.makedirs(a.out, exist_ok=True)
    log_offsets = {}
    if a.data:
        for nid in ing.nodes:
            p = os.path.join(a.data, "node-%d" % nid, "node.log")
            if os.path.exists(p):
                log_offsets[str(nid)] = os.path.getsize(p)
    before = cs.snapshot(list(ing.nodes.values()))
    sampler = cs.Sampler(list(ing.nodes.values()), a.sample_interval,
                         os.path.join(a.out, "samples.jsonl")).start()
    started = time.time()
    work_dir = tempfile.mkdtemp(prefix="cairn-ingest-", dir=tmp_root)
    items = [(i, px, r, a.seed, work_dir) for i, px, r in plan(a.files, a.min_px, a.max_px, a.seed)]
    gen_info = []
    progress = Progress(a.files, not a.quiet)
    done = ok = failed = 0
    gen_pool = Pool(max(1, a.gen_workers))
    try:
        for b0 in range(0, len(items), batch):
            chunk = items[b0:b0 + batch]
            progress.show(done, ok, failed, ing.up_seconds, ing.up_bytes,
                          phase="generating %d-%d" % (b0 + 1, b0 + len(chunk)), force=True)
            g0 = time.time()
            made = gen_pool.map(make_image, chunk, chunksize=1)
            ing.gen_seconds += time.time() - g0
            gen_info += [{"index": m[0], "size": m[2], "seconds": m[4]} for m in made]
            pxs = {c[0]: (c[1], c[2]) for c in chunk}
            todo = [(m[0], m[1], m[2], m[3], pxs[m[0]][0], pxs[m[0]][1]) for m in made]
            free = ing.free_bytes()
            if free is not None and free < a.reserve * 2 ** 30:
                ing.stop_reason = "stopped before image %d: a node has %s free, under the %d GiB reserve" % (
                    b0, cs.human_bytes(free), a.reserve)
                break
            u0 = time.time()
            phase_bytes = [0]

            def one(item):
                rec = ing.upload(item)
                with ing.lock:
                    nonlocal_counts[0] += 1
                    if rec["ok"]:
                        nonlocal_counts[1] += 1
                        phase_bytes[0] += rec["size"]
                    else:
                        nonlocal_counts[2] += 1
                    elapsed = ing.up_seconds + (time.time() - u0)
                    progress.show(nonlocal_counts[0], nonlocal_counts[1], nonlocal_counts[2], elapsed,
                                  ing.up_bytes + phase_bytes[0])
                try:
                    os.remove(item[1])
                except OSError:
                    pass
                return rec

            nonlocal_counts = [done, ok, failed]
            with ThreadPoolExecutor(a.concurrency) as ex:
                list(ex.map(one, todo))
            done, ok, failed = nonlocal_counts
            ing.up_seconds += time.time() - u0
            ing.up_bytes += phase_bytes[0]
    finally:
        gen_pool.close()
        gen_pool.join()
        progress.show(done, ok, failed, ing.up_seconds, ing.up_bytes, phase="uploaded", force=True)
        progress.end()
        shutil.rmtree(work_dir, ignore_errors=True)

    settle = time.time()
    mid = cs.snapshot(list(ing.nodes.values()))  # disk and placement right after the uploads
    verified = []
    good = sorted((r for r in ing.results if r["ok"]), key=lambda r: r["index"])
    sample = good if a.verify == "all" else good[:: max(1, len(good) // max(1, int(a.verify)))][:int(a.verify)]
    if sample:
        print("ingest: verifying %d file(s) by download through another node ..." % len(sample), file=sys.stderr)
        v0 = time.time()
        with ThreadPoolExecutor(a.concurrency) as ex:
            verified = list(ex.map(ing.verify, sample))
        verify_seconds = time.time() - v0
    else:
        verify_seconds = 0.0
    sampler.stop()
    after = cs.snapshot(list(ing.nodes.values()))
    deleted = None
    if not a.keep:
        print("ingest: deleting the %d uploaded file(s) (use --keep to leave them)" % len(good), file=sys.stderr)
        with ThreadPoolExecutor(8) as ex:
            deleted = sum(1 for x in ex.map(ing.delete, good) if x)
    finished = time.time()

    report = build_report(a, ing, before, mid, after, sampler.samples, gen_info, verified, verify_seconds, deleted,
                          started, settle, finished, log_offsets)
    write_reports(a.out, report)
    print(report["text"])
    print("ingest: reports in %s (report.txt, report.json, report.html)" % a.out, file=sys.stderr)
    all_ok = (report["overall"]["failed"] == 0 and report["overall"]["attempted"] == a.files
              and all(v["ok"] for v in verified))
    return 0 if all_ok else 1


# --- the report -------------------------------------------------------------------------------------

def machine():
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = "%.1f GiB RAM" % (int(line.split()[1]) / 1048576.0)
    except OSError:
        pass
    return "%s, %d CPU(s), %s, load average %.2f %.2f %.2f" % ((cpu, os.cpu_count() or 0, mem) + os.getloadavg())


def build_report(a, ing, before, mid, after, samples, gen_info, verified, verify_seconds, deleted, started,
                 settle, finished, log_offsets):
    res = sorted(ing.results, key=lambda r: r["index"])
    okr = [r for r in res if r["ok"]]
    attempted = len(res)
    n_ok = len(okr)
    up_s = ing.up_seconds or 1e-9
    lat = [r["seconds"] for r in okr]
    node_ids = sorted(ing.nodes)

    # Request distribution: which gateway each upload went to.
    req = {nid: {"count": 0, "bytes": 0} for nid in node_ids}
    for r in okr:
        g = r["gateway"]
        if g in req:
            req[g]["count"] += 1
            req[g]["bytes"] += r["size"]
    # Load distribution: Cairn's placement, the first-ranked replica of each chunk (count and bytes).
    prim = {nid: {"chunks": 0, "bytes": 0} for nid in node_ids}
    replicas = {nid: {"chunks": 0, "bytes": 0} for nid in node_ids}
    for r in okr:
        for c in r.get("chunks", []):
            if c["replicas"]:
                p = c["replicas"][0]
                prim.setdefault(p, {"chunks": 0, "bytes": 0})
                prim[p]["chunks"] += 1
                prim[p]["bytes"] += c["size"]
            for x in c["replicas"]:
                replicas.setdefault(x, {"chunks": 0, "bytes": 0})
                replicas[x]["chunks"] += 1
                replicas[x]["bytes"] += c["size"]
    total_prim = sum(v["chunks"] for v in prim.values()) or 1
    shares = {nid: prim[nid]["chunks"] * 100.0 / total_prim for nid in prim}
    sigma = cs.stdev(list(shares.values()))
    expected_share = 100.0 / max(1, len(prim))

    disk = {}
    for nid in node_ids:
        b = before["nodes"].get(str(nid), {})
        m = mid["nodes"].get(str(nid), {})
        disk[nid] = {"used_before": b.get("disk_used"), "used_after_upload": m.get("disk_used"),
                     "free_after_upload": m.get("disk_free")}

    mem = cs.memory_trend(samples)
    for nid, x in mem.items():
        b, af = before["nodes"].get(nid, {}), after["nodes"].get(nid, {})
        if "error" not in x and "gc_seconds" in af and "gc_seconds" in b:
            x["gc_seconds"] = af["gc_seconds"] - b["gc_seconds"]
            x["cpu_seconds"] = af["cpu_seconds"] - b["cpu_seconds"]
            x["heap_limit"] = af.get("heap_max")
    heap_ok = bool(mem) and all(x.get("heap_max", 0) < HEAP_LIMIT for x in mem.values() if "error" not in x)
    flats = [x.get("flat") for x in mem.values() if "error" not in x]
    flat = None if any(f is None for f in flats) else (bool(flats) and all(flats))

    by_range = {}
    for name in RANGE_NAMES:
        rs = [r for r in okr if r["range"] == name]
        if rs:
            by_range[name] = {"count": len(rs), "mean_mb": sum(r["size"] for r in rs) / len(rs) / 1e6,
                              "px": "%d-%d" % (min(r["px"] for r in rs), max(r["px"] for r in rs)),
                              "mean_s": sum(r["seconds"] for r in rs) / len(rs),
                              "p95_s": cs.percentile([r["seconds"] for r in rs], 95)}

    success_pct = n_ok * 100.0 / attempted if attempted else 0.0
    v_ok = sum(1 for v in verified if v["ok"])
    v_bytes = sum(v.get("bytes", 0) for v in verified)
    logs = cs.scan_logs(a.data, log_offsets) if a.data else None
    overall = {
        "attempted": attempted, "planned": a.files, "succeeded": n_ok, "failed": attempted - n_ok,
        "success_pct": success_pct, "upload_seconds": ing.up_seconds, "generation_seconds": ing.gen_seconds,
        "wall_seconds": finished - started, "uploads_per_s": n_ok / up_s, "mb_per_s": ing.up_bytes / 1e6 / up_s,
        "bytes": ing.up_bytes, "seed_uploads_per_s": SEED_THROUGHPUT, "stop_reason": ing.stop_reason,
    }
    latency = {"mean_s": sum(lat) / len(lat) if lat else None, "p50_s": cs.percentile(lat, 50),
               "p95_s": cs.percentile(lat, 95), "p99_s": cs.percentile(lat, 99), "max_s": max(lat) if lat else None}
    verdicts = {
        "reliability": cs.reliability_band(success_pct),
        "balance": cs.balance_band(sigma),
        "heap_under_512MiB": heap_ok, "heap_flat": flat,
        "verified": "%d/%d" % (v_ok, len(verified)),
        "passed": success_pct == 100.0 and attempted == a.files and v_ok == len(verified) and heap_ok
        and flat is not False,
    }
    report = {
        "config": {"files": a.files, "min_px": a.min_px, "max_px": a.max_px, "ranges": ranges(a.min_px, a.max_px),
                   "concurrency": a.concurrency, "batch": a.batch, "route": a.route, "seed": a.seed,
                   "bucket": ing.bucket, "nodes": {str(k): v for k, v in ing.nodes.items()},
                   "gateways": ing.gateways, "verify": a.verify, "keep": a.keep, "reserve_gib": a.reserve,
                   "machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(started)),
                   "note": a.note, "commit": git_commit()},
        "generation": {"images": len(gen_info), "bytes": sum(g["size"] for g in gen_info),
                       "seconds": ing.gen_seconds, "by_range": by_range},
        "overall": overall, "latency": latency,
        "request_distribution": {str(k): v for k, v in req.items()},
        "load_distribution": {"primary": {str(k): v for k, v in prim.items()},
                              "replicas": {str(k): v for k, v in replicas.items()},
                              "share_pct": {str(k): v for k, v in shares.items()},
                              "expected_pct": expected_share, "stdev_pct": sigma},
        "disk": {str(k): v for k, v in disk.items()},
        "memory": mem, "verification": {"checked": len(verified), "ok": v_ok, "seconds": verify_seconds,
                                        "mb_per_s": v_bytes / 1e6 / verify_seconds if verify_seconds else None,
                                        "failures": [v for v in verified if not v["ok"]][:20]},
        "deleted": deleted, "node_logs": logs, "verdicts": verdicts,
        "failures": [{"key": r["key"], "error": r.get("error")} for r in res if not r["ok"]][:50],
        "uploads": [{k: r.get(k) for k in ("index", "size", "px", "gateway", "start", "end", "seconds", "ok")}
                    for r in res],
        "samples": samples,
    }
    report["text"] = render_text(report)
    return report


def git_commit():
    import subprocess
    try:
        return subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(__file__)), "rev-parse", "--short",
                               "HEAD"], capture_output=True, text=True, timeout=10).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def render_text(r):
    c, o, lat, v = r["config"], r["overall"], r["latency"], r["verdicts"]
    L = []
    rule = "=" * 72
    L += [rule, "CAIRN EXTREME INGEST TEST  %s" % c["started"], rule, ""]
    L.append("Configuration: %d images, %d-%d px, concurrency %d, %s route, seed %d, batch %s" % (
        c["files"], c["min_px"], c["max_px"], c["concurrency"], c["route"].upper(), c["seed"], c["batch"] or "all"))
    L.append("Cluster: %s" % ", ".join("node %s %s" % kv for kv in sorted(c["nodes"].items(), key=lambda kv: int(kv[0]))))
    L.append("Machine: %s" % c["machine"])
    L.append("Stress scripts commit: %s" % c["commit"])
    if c.get("note"):
        L.append("Note: %s" % c["note"])
    g = r["generation"]
    L += ["", "Generation (not timed in the throughput):",
          "  %d images, %s in %.0f s" % (g["images"], cs.human_bytes(g["bytes"]), g["seconds"])]
    for name, x in g["by_range"].items():
        L.append("    - %-7s (%s px): %4d images, mean %.1f MB" % (name, x["px"], x["count"], x["mean_mb"]))
    L += ["", "OVERALL STATISTICS", "-" * 72]
    L.append("  Attempted:   %d of %d planned" % (o["attempted"], o["planned"]))
    if o["attempted"]:
        L.append("  Succeeded:   %d (%.2f %%)" % (o["succeeded"], o["success_pct"]))
        L.append("  Failed:      %d (%.2f %%)" % (o["failed"], 100.0 - o["success_pct"]))
    L.append("  Elapsed:     %.1f s uploading (%.1f min); %.1f min wall including generation and verification" % (
        o["upload_seconds"], o["upload_seconds"] / 60, o["wall_seconds"] / 60))
    L.append("  Throughput:  %.2f uploads/s (seed: %.2f uploads/s), %.1f MB/s (%s uploaded)" % (
        o["uploads_per_s"], o["seed_uploads_per_s"], o["mb_per_s"], cs.human_bytes(o["bytes"])))
    if o.get("stop_reason"):
        L.append("  STOPPED EARLY: %s" % o["stop_reason"])
    L += ["", "REQUEST DISTRIBUTION (gateway each upload was sent to)", "-" * 72]
    for nid, x in sorted(r["request_distribution"].items(), key=lambda kv: int(kv[0])):
        L.append("  Node %s: %5d uploads, %s" % (nid, x["count"], cs.human_bytes(x["bytes"])))
    ld = r["load_distribution"]
    L += ["", "LOAD DISTRIBUTION (Cairn's placement: first-ranked replica of each chunk)", "-" * 72]
    for nid in sorted(ld["share_pct"], key=int):
        share = ld["share_pct"][nid]
        p = ld["primary"][nid]
        L.append("  Node %s: %5.1f%%  %s (%d chunks, %s)" % (nid, share, cs.bar(share / 100.0, 32), p["chunks"],
                                                            cs.human_bytes(p["bytes"])))
    L.append("  Replicas held: " + ", ".join("node %s %d chunks (%s)" % (nid, x["chunks"], cs.human_bytes(x["bytes"]))
                                              for nid, x in sorted(ld["replicas"].items(), key=lambda kv: int(kv[0]))))
    L.append("  Expected per node: %.1f%%   Standard deviation: %.2f%%   -> %s balance" % (
        ld["expected_pct"], ld["stdev_pct"], v["balance"]))
    L.append("  (bands: sigma < 1% Excellent, < 2% Very good, < 5% Good, < 10% Acceptable, else Poor)")
    L += ["", "RELIABILITY", "-" * 72]
    L.append("  Success rate %.2f %% -> %s" % (o["success_pct"], v["reliability"]))
    L.append("  (bands: 100 % PERFECT, >= 99.9 % EXCELLENT, >= 99 % GOOD, >= 95 % ACCEPTABLE, else POOR)")
    vf = r["verification"]
    L.append("  Verified by download through another node: %d/%d match (SHA-256)%s" % (
        vf["ok"], vf["checked"], ", %.1f MB/s" % vf["mb_per_s"] if vf.get("mb_per_s") else ""))
    for f in r["failures"][:10]:
        L.append("  failed: %s: %s" % (f["key"], f["error"]))
    for f in vf["failures"][:10]:
        L.append("  verify failed: %s: %s" % (f["key"], f.get("error")))
    L += ["", "LATENCY (per upload)", "-" * 72]
    if lat["mean_s"] is not None:
        L.append("  mean %.3f s   p50 %.3f s   p95 %.3f s   p99 %.3f s   max %.3f s" % (
            lat["mean_s"], lat["p50_s"], lat["p95_s"], lat["p99_s"], lat["max_s"]))
        for name, x in g["by_range"].items():
            L.append("    %-7s mean %.3f s  p95 %.3f s" % (name, x["mean_s"], x["p95_s"]))
    L += ["", "MEMORY (sampled from each node's /metrics; leak check: flat after warm-up)", "-" * 72]
    for nid, x in sorted(r["memory"].items(), key=lambda kv: int(kv[0])):
        if "error" in x:
            L.append("  Node %s: %s" % (nid, x["error"]))
            continue
        L.append("  Node %s: heap min %s max %s last %s (limit %s); floor%s %s -> %s after warm-up" % (
            nid, cs.human_bytes(x["heap_min"]), cs.human_bytes(x["heap_max"]), cs.human_bytes(x["heap_last"]),
            cs.human_bytes(x.get("heap_limit")), " excl. chunk cache" if x.get("floor_excludes_cache") else "",
            cs.human_bytes(x["heap_floor_early"]), cs.human_bytes(x["heap_floor_late"])))
        L.append("          after-GC max %s, chunk cache max %s, GC %.1f s of %.0f s CPU; RSS max %s (floor %+.1f %%)" % (
            cs.human_bytes(x.get("heap_after_gc_max")), cs.human_bytes(x.get("cache_max")), x.get("gc_seconds", 0.0),
            x.get("cpu_seconds", 0.0), cs.human_bytes(x["rss_max"]), x["rss_growth_pct"] or 0.0))
    L.append("  Heap under 512 MiB on every node: %s; flat (floor rose < 64 MiB or < 25 %%): %s" % (
        "yes" if v["heap_under_512MiB"] else "NO", flat_word(v["heap_flat"])))
    L += ["", "DISK (bytes in each node's chunk store)", "-" * 72]
    for nid, x in sorted(r["disk"].items(), key=lambda kv: int(kv[0])):
        L.append("  Node %s: %s -> %s after the uploads, %s free" % (
            nid, cs.human_bytes(x["used_before"]), cs.human_bytes(x["used_after_upload"]),
            cs.human_bytes(x["free_after_upload"])))
    if r["deleted"] is not None:
        L.append("  Deleted afterwards: %d file(s)" % r["deleted"])
    if r["node_logs"] is not None:
        L += ["", "NODE LOGS (WARN/ERROR lines during the run)", "-" * 72]
        for nid, x in r["node_logs"].items():
            L.append("  Node %s: %d WARN, %d ERROR" % (nid, x["counts"].get("WARN", 0), x["counts"].get("ERROR", 0)))
            for grp in x.get("groups", [])[:5]:
                L.append("    %5d x %s %s: %s" % (grp["count"], grp["level"], grp["logger"], grp["example"][:220]))
    L += ["", rule]
    if v["passed"]:
        L.append("PASSED: every image stored and verified, heap under 512 MiB%s" % (
            " and flat" if v["heap_flat"] else " (run too short for the leak check)"))
    else:
        why = []
        if o["success_pct"] < 100 or o["attempted"] < o["planned"]:
            why.append("not every upload succeeded")
        if vf["ok"] != vf["checked"]:
            why.append("verification mismatches")
        if not v["heap_under_512MiB"]:
            why.append("heap above 512 MiB")
        if v["heap_flat"] is False:
            why.append("heap not flat")
        L.append("NOT PASSED: " + ", ".join(why))
    L.append(rule)
    return "\n".join(L) + "\n"


def flat_word(flat):
    return "run too short to tell" if flat is None else ("yes" if flat else "NO")


def write_reports(out, report):
    with open(os.path.join(out, "report.txt"), "w") as f:
        f.write(report["text"])
    data = {k: v for k, v in report.items() if k != "text"}
    with open(os.path.join(out, "report.json"), "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    import ingest_html
    with open(os.path.join(out, "report.html"), "w") as f:
        f.write(ingest_html.render(report))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default=cs.DEFAULT_HOST, help="a node of the cluster (default %(default)s)")
    ap.add_argument("--hosts", default="", help="gateways to spread uploads over (default: every node)")
    ap.add_argument("--files", type=int, default=1500)
    ap.add_argument("--min-px", type=int, default=1600)
    ap.add_argument("--max-px", type=int, default=3500)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--keep", action="store_true", help="leave the images in the cluster")
    ap.add_argument("--seed", type=int, default=1500)
    ap.add_argument("--verify", default="all", help="'all' or how many files to download and compare")
    ap.add_argument("--route", choices=["rest", "form"], default="rest",
                    help="PUT /api/v1/files (default) or the seed's POST /upload")
    ap.add_argument("--batch", type=int, default=40, help="images generated per batch (0 = all first)")
    ap.add_argument("--gen-workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--tmp", help="where images are generated (default the system temp dir)")
    ap.add_argument("--out", help="report directory (default stress/results/<date>-ingest-<N>)")
    ap.add_argument("--data", help="the cluster's data directory (./cairn up --data), to report node log lines")
    ap.add_argument("--bucket", help="bucket to upload into (default stress-ingest-<run>)")
    ap.add_argument("--reserve", type=int, default=8, help="GiB of free disk every node must keep (default 8)")
    ap.add_argument("--force", action="store_true", help="start even if the estimate says the disk is too small")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds one upload or download may take")
    ap.add_argument("--sample-interval", type=float, default=5.0)
    ap.add_argument("--note", default="", help="a line for the report")
    ap.add_argument("--quiet", action="store_true", help="no progress bar")
    a = ap.parse_args(argv)
    if a.files < 1 or a.files > 100000:
        ap.error("--files must be 1-100000")
    if not 16 <= a.min_px <= a.max_px <= 10000:
        ap.error("need 16 <= --min-px <= --max-px <= 10000")
    if a.concurrency < 1 or a.concurrency > 64:
        ap.error("--concurrency must be 1-64")
    if a.verify != "all" and not a.verify.isdigit():
        ap.error("--verify takes 'all' or a number")
    try:
        import numpy  # noqa: F401
        import PIL  # noqa: F401
        import requests  # noqa: F401
    except ImportError as e:
        die("%s; install python3-numpy python3-pil python3-requests (and run with /usr/bin/python3)" % e)
    if not a.out:
        a.out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                             "%s-ingest-%d" % (time.strftime("%Y-%m-%d"), a.files))
    return run(a)


if __name__ == "__main__":
    sys.exit(main())
