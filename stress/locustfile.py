"""Cairn stress scenarios for Locust (Debian's python3-locust, 2.x).

Two user classes run the seed guide's task mix:

  FormUser  the seed app's form routes: POST /upload, GET /download, GET /files, POST /search,
            POST /delete, GET /status (what the seed's own Locust file exercised)
  RestUser  the same operations through the REST API under /api/v1

Task weights (the seed's): upload 10, download 8, list 5, search 3, delete 2, status 1; each user waits
0.5-2 s between tasks. Upload sizes are log-uniform between 10 KB and 5 MB (many small files, some
large), every body unique. Downloads follow the 80/20 pattern: 80 % go to a small shared set of popular
files uploaded before the users start (so the node caches are exercised), 20 % to the user's own
uploads. Every response is checked: status code, body shape, and for downloads the exact length and the
SHA-256 of the bytes; a list or search must show the user's own latest file (Cairn's reads are
linearizable, so anything else is a failure).

Users are spread round-robin over every node the cluster lists (GET /api/v1/cluster on --host), so all
gateways take load; --cairn-hosts pins a list instead. Each user works in its own bucket named
stress-<run>-...; when the test stops, every bucket of the run is emptied (unless --cairn-keep), outside
the measured statistics.

    locust -f stress/locustfile.py --host http://127.0.0.1:8080 --users 10 --spawn-rate 2 \
        --run-time 2m --headless --csv out/run --html out/run.html
    # only one class:  ... -f stress/locustfile.py FormUser
"""

import hashlib
import itertools
import json
import os
import random
import sys
import time

import requests
from locust import HttpUser, between, events, task

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cairnstress  # noqa: E402

MB = cairnstress.MB
MAX_SIZE = cairnstress.MAX_SIZE
POPULAR_SHARE = 0.8

RUN_ID = os.environ.get("CAIRN_STRESS_RUN") or time.strftime("%Y%m%d%H%M%S") + "-%04x" % random.getrandbits(16)
RUN_PREFIX = "stress-" + RUN_ID.lower()
POPULAR_BUCKET = RUN_PREFIX + "-hot"

# Random bytes shared by all uploads; each body is a unique header plus a random slice of this pool.
_POOL = os.urandom(MAX_SIZE + 1024 * 1024)

STATE = {
    "hosts": [],           # gateway URLs users are spread over
    "popular": [],         # [(key, size, sha256)] in STATE["popular_bucket"]
    "popular_bucket": POPULAR_BUCKET,
    "buckets": set(),      # every bucket this run wrote to
    "verify_sha": True,
    "keep": False,
}
_user_seq = itertools.count()


@events.init_command_line_parser.add_listener
def _options(parser):
    parser.add_argument("--cairn-hosts", type=str, default="", env_var="CAIRN_HOSTS",
                        help="comma-separated node URLs to spread users over (default: every node of the "
                             "cluster at --host; 'host' = only --host)")
    parser.add_argument("--cairn-popular", type=int, default=20, env_var="CAIRN_POPULAR",
                        help="popular files uploaded before the test (80%% of downloads go to them)")
    parser.add_argument("--cairn-popular-file", type=str, default="", env_var="CAIRN_POPULAR_FILE",
                        help="JSON from 'probe.py popular' (popular files already uploaded)")
    parser.add_argument("--cairn-keep", action="store_true", default=False, env_var="CAIRN_KEEP",
                        help="keep the run's files when the test stops")
    parser.add_argument("--cairn-no-sha", action="store_true", default=False,
                        help="check downloads by length only, not SHA-256")
    parser.add_argument("--cairn-latency-log", type=str, default="", env_var="CAIRN_LATENCY_LOG",
                        help="write every request (time, name, ms, bytes, ok) to this CSV for exact percentiles")


_LAT = {"file": None}


@events.init.add_listener
def _open_latency_log(environment, **_kw):
    path = getattr(environment.parsed_options, "cairn_latency_log", "") if environment.parsed_options else ""
    if path:
        _LAT["file"] = open(path, "w", buffering=1 << 16)
        _LAT["file"].write("time,name,ms,bytes,ok\n")


@events.request.add_listener
def _log_request(request_type, name, response_time, response_length, exception=None, **_kw):
    f = _LAT["file"]
    if f is not None:
        f.write("%.3f,%s,%.3f,%d,%d\n" % (time.time(), name, response_time or 0.0, response_length or 0,
                                          0 if exception else 1))


@events.quit.add_listener
def _close_latency_log(**_kw):
    if _LAT["file"] is not None:
        _LAT["file"].close()
        _LAT["file"] = None


def _size():
    return cairnstress.log_uniform_size(random)


def _body(size, tag):
    header = ("cairn stress %s %s %d\n" % (RUN_ID, tag, time.time_ns())).encode()
    off = random.randrange(0, len(_POOL) - size)
    data = header + _POOL[off:off + size - len(header)]
    return data, hashlib.sha256(data).hexdigest()


@events.test_start.add_listener
def _setup(environment, **_kw):
    opts = environment.parsed_options
    host = (environment.host or cairnstress.DEFAULT_HOST).rstrip("/")
    STATE["verify_sha"] = not getattr(opts, "cairn_no_sha", False)
    STATE["keep"] = bool(getattr(opts, "cairn_keep", False))
    wanted = getattr(opts, "cairn_hosts", "") or ""
    if wanted == "host":
        STATE["hosts"] = [host]
    elif wanted:
        STATE["hosts"] = cairnstress.split_hosts(wanted)
    else:
        STATE["hosts"] = list(cairnstress.node_urls([host]).values()) or [host]
    print("cairn stress: run %s, users spread over %s" % (RUN_ID, ", ".join(STATE["hosts"])), file=sys.stderr)
    given = getattr(opts, "cairn_popular_file", "") or ""
    if given:
        # Uploaded beforehand (run_stress_test.sh does this so its before/after metrics hold only the load).
        with open(given) as f:
            doc = json.load(f)
        STATE["popular_bucket"] = doc["bucket"]
        STATE["popular"] = [tuple(x) for x in doc["files"]]
    else:
        count = max(1, getattr(opts, "cairn_popular", 20))
        STATE["popular_bucket"] = POPULAR_BUCKET
        STATE["popular"] = [tuple(x) for x in cairnstress.seed_popular(host, POPULAR_BUCKET, count, RUN_ID)]
    STATE["buckets"].add(STATE["popular_bucket"])
    print("cairn stress: %d popular files in %s (%.1f MB)" % (
        len(STATE["popular"]), STATE["popular_bucket"], sum(p[1] for p in STATE["popular"]) / MB),
        file=sys.stderr)


@events.test_stop.add_listener
def _cleanup(environment, **_kw):
    if STATE["keep"]:
        print("cairn stress: keeping the run's files (buckets %s*)" % RUN_PREFIX, file=sys.stderr)
        return
    host = (environment.host or cairnstress.DEFAULT_HOST).rstrip("/")
    # Users stopped mid-upload may have committed files no user recorded: clean by bucket listing.
    try:
        ok, failed, buckets = cairnstress.cleanup(host, RUN_PREFIX)
        print("cairn stress: cleanup removed %d files from %d buckets%s" % (
            ok, buckets, (", %d could not be removed" % failed) if failed else ""), file=sys.stderr)
    except (OSError, ValueError, KeyError) as e:
        print("cairn stress: cleanup failed: %s" % e, file=sys.stderr)


class _CairnUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    proto = ""

    def on_start(self):
        self.uid = next(_user_seq)
        hosts = STATE["hosts"] or [self.host.rstrip("/")]
        self.base = hosts[self.uid % len(hosts)]
        self.bucket = "%s-%s%d" % (RUN_PREFIX, self.proto[0], self.uid)
        STATE["buckets"].add(self.bucket)
        self.own = []       # [(key, size, sha256)] this user uploaded and has not deleted
        self.seq = 0
        self.uploaded = False  # until the first upload the bucket does not exist

    # --- helpers ---------------------------------------------------------------------------------

    def _name(self, op):
        return "%s: %s" % (self.proto, op)

    def _new_file(self):
        self.seq += 1
        size = _size()
        data, sha = _body(size, "%s-%d" % (self.bucket, self.seq))
        return "u%d-%06d.bin" % (self.uid, self.seq), size, data, sha

    def _pick_download(self):
        """80 % a popular file, 20 % one of the user's own files (when it has any)."""
        if self.own and random.random() >= POPULAR_SHARE:
            key, size, sha = random.choice(self.own)
            return self.bucket, key, size, sha, "own"
        key, size, sha = random.choice(STATE["popular"])
        return STATE["popular_bucket"], key, size, sha, "popular"

    @staticmethod
    def _check_body(resp, size, sha):
        if resp.status_code != 200:
            resp.failure("HTTP %d: %s" % (resp.status_code, resp.text[:200]))
            return
        got = len(resp.content)
        if got != size:
            resp.failure("length %d, expected %d" % (got, size))
            return
        cl = resp.headers.get("Content-Length")
        if cl is not None and int(cl) != size:
            resp.failure("Content-Length %s, expected %d" % (cl, size))
            return
        if STATE["verify_sha"] and hashlib.sha256(resp.content).hexdigest() != sha:
            resp.failure("SHA-256 of the body differs from the uploaded file")
            return
        resp.success()

    def _expect_json(self, resp, status=200):
        if resp.status_code != status:
            resp.failure("HTTP %d: %s" % (resp.status_code, resp.text[:200]))
            return None
        try:
            return resp.json()
        except ValueError:
            resp.failure("not JSON: %s" % resp.text[:200])
            return None

    def _listed(self, resp, names, must):
        """Fails the response unless `must` (a key or None) is among `names`."""
        if must is not None and must not in names:
            resp.failure("%s missing from a listing of %d names (reads are linearizable)" % (must, len(names)))
        else:
            resp.success()


class FormUser(_CairnUser):
    """The seed web app's routes (username = bucket, filename = key)."""
    proto = "form"

    @task(10)
    def upload(self):
        key, size, data, sha = self._new_file()
        with self.client.post(self.base + "/upload", name=self._name("upload"), catch_response=True,
                              data={"username": self.bucket},
                              files={"file": (key, data, "application/octet-stream")},
                              allow_redirects=False) as r:
            if r.status_code != 302:
                r.failure("HTTP %d (expected 302): %s" % (r.status_code, r.text[:200]))
                return
            flash = requests.utils.unquote(r.cookies.get("cairn_flash", ""))
            if not flash.startswith("i:"):
                r.failure("upload not confirmed: flash %r" % flash)
                return
            r.success()
            self.uploaded = True
            self.own.append((key, size, sha))

    @task(8)
    def download(self):
        bucket, key, size, sha, _ = self._pick_download()
        with self.client.get(self.base + "/download", name=self._name("download"), catch_response=True,
                             params={"username": bucket, "filename": key}) as r:
            self._check_body(r, size, sha)

    @task(5)
    def list(self):
        with self.client.get(self.base + "/files", name=self._name("list"), catch_response=True,
                             params={"username": self.bucket}) as r:
            body = self._expect_json(r)
            if body is not None:
                self._listed(r, body.get("files", []), self.own[-1][0] if self.own else None)

    @task(3)
    def search(self):
        if self.own:
            bucket, key = self.bucket, random.choice(self.own)[0]
        else:
            bucket, key = STATE["popular_bucket"], random.choice(STATE["popular"])[0]
        term = key[:-4]  # "u3-000012" finds "u3-000012.bin"
        with self.client.post(self.base + "/search", name=self._name("search"), catch_response=True,
                              data={"username": bucket, "filename": term}) as r:
            body = self._expect_json(r)
            if body is not None:
                self._listed(r, body.get("files", []), key)

    @task(2)
    def delete(self):
        if not self.own:
            return
        key, _, _ = self.own.pop(random.randrange(len(self.own)))
        with self.client.post(self.base + "/delete", name=self._name("delete"), catch_response=True,
                              data={"username": self.bucket, "filename": key}) as r:
            body = self._expect_json(r)
            if body is not None:
                if body.get("success") is True:
                    r.success()
                else:
                    r.failure("delete not confirmed: %s" % json.dumps(body)[:200])

    @task(1)
    def status(self):
        with self.client.get(self.base + "/status", name=self._name("status"), catch_response=True) as r:
            body = self._expect_json(r)
            if body is None:
                return
            if body.get("status") != "online" or body.get("nodes_alive") != body.get("nodes_total"):
                r.failure("cluster not healthy: %s" % json.dumps(body)[:200])
            else:
                r.success()


class RestUser(_CairnUser):
    """The same operations through the REST API."""
    proto = "rest"

    def _url(self, bucket, key=None):
        u = "%s/api/v1/files/%s" % (self.base, bucket)
        return u if key is None else u + "/" + key

    @task(10)
    def upload(self):
        key, size, data, sha = self._new_file()
        with self.client.put(self._url(self.bucket, key), name=self._name("upload"), catch_response=True,
                             data=data, headers={"Content-Type": "application/octet-stream"}) as r:
            body = self._expect_json(r, 201)
            if body is None:
                return
            if body.get("size") != size or body.get("sha256") != sha:
                r.failure("stored record differs: %s" % json.dumps(body)[:200])
                return
            r.success()
            self.uploaded = True
            self.own.append((key, size, sha))

    @task(8)
    def download(self):
        bucket, key, size, sha, _ = self._pick_download()
        with self.client.get(self._url(bucket, key), name=self._name("download"), catch_response=True) as r:
            self._check_body(r, size, sha)

    @task(5)
    def list(self):
        with self.client.get(self._url(self.bucket), name=self._name("list"), catch_response=True,
                             params={"limit": 1000}) as r:
            if r.status_code == 404 and not self.uploaded and b"NO_SUCH_BUCKET" in r.content:
                r.success()  # REST, unlike the seed routes, says a bucket that was never written is absent
                return
            body = self._expect_json(r)
            if body is not None:
                names = [f.get("key") for f in body.get("files", [])]
                self._listed(r, names, self.own[-1][0] if self.own else None)

    @task(3)
    def search(self):
        if self.own:
            bucket, key = self.bucket, random.choice(self.own)[0]
        else:
            bucket, key = STATE["popular_bucket"], random.choice(STATE["popular"])[0]
        with self.client.get(self._url(bucket), name=self._name("search"), catch_response=True,
                             params={"q": key[:-4], "limit": 1000}) as r:
            body = self._expect_json(r)
            if body is not None:
                self._listed(r, [f.get("key") for f in body.get("files", [])], key)

    @task(2)
    def delete(self):
        if not self.own:
            return
        key, _, _ = self.own.pop(random.randrange(len(self.own)))
        with self.client.delete(self._url(self.bucket, key), name=self._name("delete"), catch_response=True) as r:
            if r.status_code == 204:
                r.success()
            else:
                r.failure("HTTP %d (expected 204): %s" % (r.status_code, r.text[:200]))

    @task(1)
    def status(self):
        with self.client.get(self.base + "/api/v1/cluster", name=self._name("status"), catch_response=True) as r:
            body = self._expect_json(r)
            if body is None:
                return
            nodes = body.get("nodes", [])
            if body.get("leader") is None or any(n.get("state") != "ALIVE" for n in nodes):
                r.failure("cluster not healthy: %s" % json.dumps(body)[:300])
            else:
                r.success()
