"""The HTML page of an ingest report: the text report plus charts drawn as inline SVG (no scripts, no
network), so the page opens anywhere, including from a committed file."""

import html

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
W, H, PAD_L, PAD_R, PAD_T, PAD_B = 760, 260, 64, 16, 16, 40


def _scale(lo, hi, a, b):
    span = (hi - lo) or 1.0
    return lambda v: a + (v - lo) * (b - a) / span


def _nice_max(v):
    if v <= 0:
        return 1.0
    import math
    e = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * e:
            return m * e
    return 10 * e


def _axes(x0, x1, y1, xlabel, ylabel, yfmt="%.3g"):
    sx = _scale(x0, x1, PAD_L, W - PAD_R)
    sy = _scale(0, y1, H - PAD_B, PAD_T)
    out = ['<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#444"/>' % (PAD_L, H - PAD_B, W - PAD_R, H - PAD_B),
           '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#444"/>' % (PAD_L, PAD_T, PAD_L, H - PAD_B)]
    for k in range(5):
        v = y1 * k / 4.0
        y = sy(v)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (PAD_L, y, W - PAD_R, y))
        out.append('<text x="%d" y="%.1f" font-size="11" text-anchor="end">%s</text>' % (PAD_L - 4, y + 4, yfmt % v))
    for k in range(6):
        v = x0 + (x1 - x0) * k / 5.0
        x = sx(v)
        out.append('<text x="%.1f" y="%d" font-size="11" text-anchor="middle">%.0f</text>' % (x, H - PAD_B + 14, v))
    out.append('<text x="%d" y="%d" font-size="12" text-anchor="middle">%s</text>' % (
        (PAD_L + W - PAD_R) // 2, H - 6, html.escape(xlabel)))
    out.append('<text x="14" y="%d" font-size="12" text-anchor="middle" transform="rotate(-90 14 %d)">%s</text>' % (
        (PAD_T + H - PAD_B) // 2, (PAD_T + H - PAD_B) // 2, html.escape(ylabel)))
    return sx, sy, out


def _svg(parts, legend=None):
    leg = []
    for i, name in enumerate(legend or []):
        leg.append('<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d" font-size="11">%s</text>'
                   % (W - 150, PAD_T + 4 + i * 15, COLOURS[i % len(COLOURS)], W - 136, PAD_T + 13 + i * 15,
                      html.escape(name)))
    return '<svg viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg">%s%s</svg>' % (
        W, H, W, H, "".join(parts), "".join(leg))


def latency_chart(uploads, t0):
    pts = [(u["end"] - t0, u["seconds"], u["ok"]) for u in uploads if u.get("end")]
    if not pts:
        return "<p>no uploads</p>"
    x1 = max(p[0] for p in pts) or 1
    y1 = _nice_max(max(p[1] for p in pts))
    sx, sy, out = _axes(0, x1, y1, "seconds since start", "upload latency (s)")
    for x, y, ok in pts:
        out.append('<circle cx="%.1f" cy="%.1f" r="2" fill="%s" fill-opacity="0.6"/>' % (
            sx(x), sy(y), COLOURS[0] if ok else COLOURS[1]))
    return _svg(out, ["succeeded", "failed"] if any(not p[2] for p in pts) else ["upload"])


def throughput_chart(uploads, t0, bin_s=10.0):
    ends = [(u["end"] - t0, u["size"]) for u in uploads if u.get("end") and u["ok"]]
    if not ends:
        return "<p>no uploads</p>"
    n = int(max(e[0] for e in ends) // bin_s) + 1
    counts, mbs = [0.0] * n, [0.0] * n
    for t, size in ends:
        k = int(t // bin_s)
        counts[k] += 1.0 / bin_s
        mbs[k] += size / 1e6 / bin_s
    y1 = _nice_max(max(mbs))
    sx, sy, out = _axes(0, n * bin_s, y1, "seconds since start (%.0f s bins; gaps = image generation)" % bin_s,
                        "MB/s uploaded")
    line = " ".join("%.1f,%.1f" % (sx((k + 0.5) * bin_s), sy(v)) for k, v in enumerate(mbs))
    out.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="1.5"/>' % (line, COLOURS[0]))
    scale = y1 / (_nice_max(max(counts)) or 1)
    line2 = " ".join("%.1f,%.1f" % (sx((k + 0.5) * bin_s), sy(v * scale)) for k, v in enumerate(counts))
    out.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="1.5"/>' % (line2, COLOURS[1]))
    return _svg(out, ["MB/s", "uploads/s (x%.3g)" % scale])


def share_chart(shares, expected):
    ids = sorted(shares, key=int)
    if not ids:
        return "<p>no data</p>"
    y1 = _nice_max(max(max(shares.values()), expected) * 1.15)
    sx, sy, out = _axes(0, len(ids), y1, "node", "% of chunks (first replica)", "%.0f")
    out = [o for o in out if 'text-anchor="middle">' not in o or "node" in o or "%" in o]
    bw = (W - PAD_L - PAD_R) / float(len(ids)) * 0.6
    for i, nid in enumerate(ids):
        x = sx(i + 0.5) - bw / 2
        y = sy(shares[nid])
        out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>' % (
            x, y, bw, H - PAD_B - y, COLOURS[i % len(COLOURS)]))
        out.append('<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle">node %s: %.1f%%</text>' % (
            sx(i + 0.5), y - 4, nid, shares[nid]))
    ye = sy(expected)
    out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#000" stroke-dasharray="4 3"/>' % (
        PAD_L, ye, W - PAD_R, ye))
    return _svg(out, ["expected %.1f%% (dashed)" % expected])


def memory_chart(samples, t0, key, label):
    series = {}
    for s in samples:
        for nid, x in s["nodes"].items():
            if x.get(key):
                series.setdefault(nid, []).append((s["t"] - t0, x[key] / 2 ** 20))
    if not series:
        return "<p>no samples</p>"
    x1 = max(p[0] for v in series.values() for p in v) or 1
    y1 = _nice_max(max(p[1] for v in series.values() for p in v))
    sx, sy, out = _axes(0, x1, y1, "seconds since start", label, "%.0f")
    ids = sorted(series, key=int)
    for i, nid in enumerate(ids):
        pts = " ".join("%.1f,%.1f" % (sx(x), sy(y)) for x, y in series[nid])
        out.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="1.5"/>' % (
            pts, COLOURS[i % len(COLOURS)]))
    if key == "heap_used":
        y = sy(512)
        if 512 <= y1:
            out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#000" stroke-dasharray="4 3"/>' % (
                PAD_L, y, W - PAD_R, y))
    return _svg(out, ["node %s" % n for n in ids])


def render(report):
    uploads = report["uploads"]
    samples = report["samples"]
    starts = [u["start"] for u in uploads if u.get("start")] + [s["t"] for s in samples]
    t0 = min(starts) if starts else 0
    ld = report["load_distribution"]
    v = report["verdicts"]
    o = report["overall"]
    lat = report["latency"]
    badge = "#2ca02c" if v["passed"] else "#d62728"
    cards = [
        ("uploads", "%d / %d" % (o["succeeded"], o["planned"])),
        ("reliability", v["reliability"]),
        ("throughput", "%.2f uploads/s<br>%.1f MB/s" % (o["uploads_per_s"], o["mb_per_s"])),
        ("seed", "%.2f uploads/s" % o["seed_uploads_per_s"]),
        ("latency p50 / p95", "%s / %s s" % tuple("-" if x is None else "%.2f" % x for x in (lat["p50_s"], lat["p95_s"]))),
        ("balance", "%s (&sigma; %.2f%%)" % (v["balance"], ld["stdev_pct"])),
        ("heap < 512 MiB, flat", "%s, %s" % ("yes" if v["heap_under_512MiB"] else "NO",
                                             {None: "too short", True: "yes", False: "NO"}[v["heap_flat"]])),
        ("verified", v["verified"]),
    ]
    card_html = "".join('<div class="card"><div class="k">%s</div><div class="v">%s</div></div>' % (k, val)
                        for k, val in cards)
    return """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cairn ingest test %(started)s</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;max-width:1100px;color:#222}
h1{font-size:22px} h2{font-size:17px;margin-top:28px}
.badge{display:inline-block;padding:4px 10px;border-radius:4px;color:#fff;background:%(badge)s}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #ccc;border-radius:6px;padding:8px 12px;min-width:140px}
.k{font-size:12px;color:#666}.v{font-size:18px;font-weight:600}
pre{background:#f6f6f6;padding:12px;overflow-x:auto;font-size:12px}
</style></head><body>
<h1>Cairn extreme ingest test, %(started)s <span class="badge">%(verdict)s</span></h1>
<div class="cards">%(cards)s</div>
<h2>Upload latency over time</h2>%(lat)s
<h2>Throughput over time</h2>%(thr)s
<h2>Per-node share (Cairn's placement)</h2>%(share)s
<h2>Heap used per node (MiB; dashed: 512 MiB)</h2>%(heap)s
<h2>Resident memory per node (MiB)</h2>%(rss)s
<h2>Report</h2><pre>%(text)s</pre>
</body></html>
""" % {
        "started": html.escape(report["config"]["started"]), "badge": badge,
        "verdict": "PASSED" if v["passed"] else "NOT PASSED", "cards": card_html,
        "lat": latency_chart(uploads, t0), "thr": throughput_chart(uploads, t0),
        "share": share_chart(ld["share_pct"], ld["expected_pct"]),
        "heap": memory_chart(samples, t0, "heap_used", "heap MiB"),
        "rss": memory_chart(samples, t0, "rss", "RSS MiB"),
        "text": html.escape(report["text"]),
    }
