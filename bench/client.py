"""The benchmark's HTTP side: a small client with a session cookie, the timing of one URL with
warm-up and repeats, and the memory of the gunicorn worker that serves a download."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import math
import re
import struct
import statistics
import time
from dataclasses import asdict, dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

SERVER_TIMING = re.compile(r"app;dur=([\d.]+), cpu;dur=([\d.]+), db;dur=([\d.]+)")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Downloads are read in pieces and thrown away: the client must not hold 100,000 rows.
READ_SIZE = 1 << 16


class BenchError(Exception):
    pass


def totp_secret(password: str) -> str:
    """The benchmark user's TOTP secret, derived from the run's password: bench.probe gives the
    user an authenticator with it, the client computes its codes, and neither prints it."""
    return base64.b32encode(hashlib.sha256(password.encode()).digest()[:20]).decode()


def totp_code(secret: str, at: float) -> str:
    """The RFC 6238 code (SHA-1, 6 digits, 30 s) an authenticator app shows at a Unix time."""
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", int(at) // 30), "sha1").digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"


@dataclass
class Response:
    status: int
    location: str
    server_ms: float | None  # from the Server-Timing header (to the end of the view)
    cpu_ms: float | None  # the worker's CPU time in it
    db_ms: float | None
    queries: int | None  # from X-Query-Count
    client_ms: float  # from sending the request to the last byte of the body
    size: int
    body: bytes  # empty for a download


class Client:
    """One new connection per request (gunicorn's sync workers close each one), the cookies kept."""

    def __init__(self, port: int, timeout: float) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                keep_body: bool = True, timeout: float | None = None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port,
                                                timeout=timeout or self.timeout)
        headers = {"Accept-Language": "en", "Cookie": "; ".join(
            f"{name}={value}" for name, value in self.cookies.items()
        )}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            pieces, size = [], 0
            while piece := response.read(READ_SIZE):
                size += len(piece)
                if keep_body:
                    pieces.append(piece)
            client_ms = (time.perf_counter() - started) * 1000
        except TimeoutError:
            raise BenchError(f"no answer within {timeout or self.timeout:.0f} s") from None
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        timing = SERVER_TIMING.search(response.headers.get("Server-Timing", ""))
        queries = response.headers.get("X-Query-Count")
        return Response(
            status=response.status,
            location=response.headers.get("Location", ""),
            server_ms=float(timing.group(1)) if timing else None,
            cpu_ms=float(timing.group(2)) if timing else None,
            db_ms=float(timing.group(3)) if timing else None,
            queries=int(queries) if queries is not None else None,
            client_ms=client_ms,
            size=size,
            body=b"".join(pieces),
        )

    def log_in(self, username: str, password: str) -> None:
        """Sign in as a person would: the sign-in form (CSRF cookie and token first), then the
        TOTP code of the authenticator bench.probe set up (secret from totp_secret)."""
        answer = self.post_form("/accounts/login/", {
            "login": username, "password": password, "next": "/admin/",
        })
        if answer.status != 302 or answer.location != "/accounts/2fa/authenticate/":
            raise BenchError(f"signing in as {username} failed ({answer.status})")
        # A code is refused once its 30 s period is over: not one about to expire.
        if 30 - time.time() % 30 < 3:
            time.sleep(30 - time.time() % 30)
        answer = self.post_form("/accounts/2fa/authenticate/", {
            "code": totp_code(totp_secret(password), time.time()),
        })
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise BenchError(f"the TOTP code of {username} was refused ({answer.status})")

    def post_form(self, path: str, fields: dict[str, str]) -> Response:
        """Posts a form with the CSRF token the page's GET gives."""
        form = self.request("GET", path)
        token = CSRF_FIELD.search(form.body.decode())
        if form.status != 200 or token is None:
            raise BenchError(f"{path} answered {form.status} without a CSRF token")
        return self.request("POST", path, form={"csrfmiddlewaretoken": token.group(1), **fields})


def p95(values: list[float]) -> float:
    """The 95th percentile by the nearest-rank method: of 20 samples, the 19th smallest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Measurement:
    url: str
    samples: int = 0
    median_ms: float | None = None  # server time
    p95_ms: float | None = None
    cpu_median_ms: float | None = None
    db_median_ms: float | None = None
    client_median_ms: float | None = None
    queries: list[int] = field(default_factory=list)  # the distinct counts seen
    size: int = 0
    empty: bool = False  # the list said no recommendation matched
    error: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def measure(client: Client, url: str, warmup: int, repeats: int, budget: float,
            min_samples: int, empty_marker: bytes) -> Measurement:
    """Request `url` `warmup` times, then up to `repeats` times while `budget` seconds last
    (at least `min_samples` times), and sum up the server's timings and query counts."""
    result = Measurement(url)
    responses: list[Response] = []
    try:
        for _ in range(warmup):
            check(client.request("GET", url), url)
        deadline = time.monotonic() + budget
        while len(responses) < repeats and (
            len(responses) < min_samples or time.monotonic() < deadline
        ):
            responses.append(check(client.request("GET", url), url))
    except BenchError as error:
        result.error = str(error)
    if not responses:
        return result
    server = [response.server_ms for response in responses]
    result.samples = len(responses)
    result.median_ms = round(statistics.median(server), 1)
    result.p95_ms = round(p95(server), 1)
    result.cpu_median_ms = round(
        statistics.median(response.cpu_ms for response in responses), 1
    )
    result.db_median_ms = round(statistics.median(response.db_ms for response in responses), 1)
    result.client_median_ms = round(
        statistics.median(response.client_ms for response in responses), 1
    )
    result.queries = sorted({response.queries for response in responses})
    result.size = responses[-1].size
    result.empty = empty_marker in responses[-1].body
    return result


def check(response: Response, url: str) -> Response:
    # A redirect would time the wrong page: the admin sends "?e=1" for a lookup it refuses.
    if response.status != 200:
        raise BenchError(f"{url} answered {response.status} {response.location}".strip())
    if response.server_ms is None or response.queries is None:
        raise BenchError("no Server-Timing/X-Query-Count headers: is the server run with "
                         "bench.settings?")
    return response


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def memory_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise BenchError(f"no {key} for process {pid}")


def measure_download(client: Client, url: str, master: int, warmup: int, repeats: int,
                     timeout: float) -> dict:
    """Time a download to its last byte and take the peak memory (resident set) of the worker
    that served it: each worker's peak is reset before the request (writing 5 to
    /proc/PID/clear_refs) and read after it (VmHWM); the worker that served it is the one whose
    peak rose the most."""
    for _ in range(warmup):
        check(client.request("GET", url, keep_body=False, timeout=timeout), url)
    runs = []
    for _ in range(repeats):
        workers = worker_pids(master)
        before = {}
        for pid in workers:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
            before[pid] = memory_kb(pid, "VmRSS")
        response = check(client.request("GET", url, keep_body=False, timeout=timeout), url)
        rises = {pid: memory_kb(pid, "VmHWM") - before[pid] for pid in workers}
        worker = max(rises, key=rises.__getitem__)
        runs.append({
            "seconds": round(response.client_ms / 1000, 2),
            "server_ms_to_first_byte": response.server_ms,
            "queries_to_first_byte": response.queries,
            "bytes": response.size,
            "peak_rss_mb": round(memory_kb(worker, "VmHWM") / 1024, 1),
            "rss_before_mb": round(before[worker] / 1024, 1),
        })
    return {
        "url": url,
        "runs": runs,
        "median_seconds": round(statistics.median(run["seconds"] for run in runs), 2),
        "max_peak_rss_mb": max(run["peak_rss_mb"] for run in runs),
    }
