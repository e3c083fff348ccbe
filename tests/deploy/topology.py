"""The production topology on one machine's loopback: Debian's nginx with the site from
deploy/nginx/innsiden.conf in front of three gunicorn web processes (deploy/gunicorn.conf.py)
sharing PostgreSQL, Redis and an S3 endpoint. Used by tests/deploy and by `make loadtest`
(bench/loadtest.py); imports nothing of pytest.

The site file is used as written, with only what must differ on a test machine replaced:
loopback ports instead of 80/443 and 800{1,2,3}, a self-signed certificate instead of Let's
Encrypt's, the checkout's static folder, no IPv6 listeners. Each replacement must match, so a
changed site file fails loudly here instead of being tested half.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import re
import shutil
import socket
import ssl
import subprocess
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests.realtime.processes import (
    SOURCE_ROOT,
    PortalProcess,
    free_port,
    start_gunicorn,
    wait_until,
)

SITE = SOURCE_ROOT / "deploy" / "nginx" / "innsiden.conf"
GUNICORN_CONFIG = SOURCE_ROOT / "deploy" / "gunicorn.conf.py"
STATIC = SOURCE_ROOT / "innsiden" / "static"
WEB_PROCESSES = 3
SECRET_KEY = "deploy-test-secret"
# Which web process answered: added to the rendered site for tests only (it names internal
# addresses, so production does not send it).
UPSTREAM_HEADER = "X-Upstream-Addr"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None
    )


def _replace(text: str, pattern: str, replacement: str, count: int = 1) -> str:
    new, found = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    if found != count:
        raise AssertionError(f"{SITE.name}: expected {count} match(es) of {pattern!r}, got {found}")
    return new


def render_site(
    site: str, *, upstreams: list[int], http_port: int, https_port: int, cert: Path, key: Path
) -> str:
    """deploy/nginx/innsiden.conf with loopback ports, a test certificate and this checkout."""
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+", site, flags=re.MULTILINE)
    if len(servers) != len(upstreams):
        listed = len(servers)
        raise AssertionError(f"{SITE.name} lists {listed} web processes, not {len(upstreams)}")
    ports = iter(upstreams)
    site = re.sub(r"(server 127\.0\.0\.1:)\d+", lambda m: f"{m.group(1)}{next(ports)}", site)
    site = _replace(site, r"^\s*listen \[::\]:\d+.*;\n", "", count=2)
    site = _replace(site, r"listen 80;", f"listen 127.0.0.1:{http_port};")
    site = _replace(site, r"listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    site = _replace(site, r"(ssl_certificate\s+)\S+;", rf"\g<1>{cert};")
    site = _replace(site, r"(ssl_certificate_key\s+)\S+;", rf"\g<1>{key};")
    site = _replace(site, r"(location /static/ \{\s*alias )\S+;", rf"\g<1>{STATIC}/;")
    # Beside the server's own add_header, so locations inherit both exactly where they
    # inherit its Strict-Transport-Security (nginx: only those without an add_header).
    return _replace(
        site,
        r"^    add_header Strict-Transport-Security .*;$",  # the server block's
        rf"\g<0>\n    add_header {UPSTREAM_HEADER} $upstream_addr always;",
    )


def main_config(workdir: Path, site: Path) -> str:
    """The part of Debian's /etc/nginx/nginx.conf a site relies on, with paths in `workdir`."""
    user = "user root root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {workdir / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}daemon off;
worker_processes 1;
worker_rlimit_nofile 8192;
pid {workdir / "nginx.pid"};
error_log {workdir / "error.log"} warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {workdir / "access.log"};
{temp}
    include {site};
}}
"""


def self_signed_certificate(workdir: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 valid for a day, and its key: TLS ends in nginx as in
    production, and the clients verify it (no verification turned off)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = workdir / "cert.pem", workdir / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class Nginx:
    process: subprocess.Popen[bytes]
    workdir: Path

    def stop(self) -> None:
        self.process.terminate()  # SIGTERM: nginx's fast shutdown
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def errors(self) -> str:
        path = self.workdir / "error.log"
        return path.read_text() if path.exists() else ""


def start_nginx(binary: str, workdir: Path, site_text: str, ports: list[int]) -> Nginx:
    workdir.mkdir(parents=True, exist_ok=True)
    site = workdir / "innsiden.conf"
    site.write_text(site_text)
    config = workdir / "nginx.conf"
    config.write_text(main_config(workdir, site))
    error_log = str(workdir / "error.log")
    checked = subprocess.run(
        [binary, "-t", "-q", "-p", f"{workdir}/", "-c", str(config), "-e", error_log],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if checked.returncode != 0:
        log = Path(error_log).read_text() if Path(error_log).exists() else ""
        raise AssertionError(f"nginx refuses the rendered site:\n{checked.stderr}{log}")
    process = subprocess.Popen(
        [binary, "-p", f"{workdir}/", "-c", str(config), "-e", error_log],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    nginx = Nginx(process, workdir)
    try:
        wait_until(
            lambda: process.poll() is None and all(_listening(p) for p in ports),
            30,
            "nginx to listen",
        )
    except AssertionError as error:
        nginx.stop()
        raise AssertionError(f"{error}\n{nginx.errors()}") from None
    return nginx


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@dataclass
class Topology:
    """nginx on `https` (and `http`, which redirects) in front of `processes`."""

    https: str
    http: str
    ca_file: Path
    processes: list[PortalProcess]
    nginx: Nginx
    outbox: Path
    env: dict[str, str]
    upstreams: dict[str, str] = field(default_factory=dict)  # "host:port" → process url

    def session(self, source: str = "127.0.0.1") -> requests.Session:
        """An HTTP client that connects from `source` (any 127.x.y.z is this machine)."""
        return client_session(self.ca_file, source)


def portal_environment(
    workdir: Path, database_url: str, redis_url: str, s3_endpoint: str, bucket: str,
    region: str, base_url: str,
) -> dict[str, str]:  # fmt: skip
    """The settings deploy/innsiden.env.example gives every unit, pointed at the test services."""
    metrics = workdir / "metrics"
    metrics.mkdir(parents=True, exist_ok=True)
    return {
        "DATABASE_URL": database_url,
        "INNSIDEN_SECRET_KEY": SECRET_KEY,
        "INNSIDEN_BASE_URL": base_url,
        "INNSIDEN_INSTANCE_PATH": str(workdir / "instance"),
        "INNSIDEN_REDIS_URL": redis_url,
        "INNSIDEN_SOCKETIO_CHANNEL": f"innsiden-deploy-{uuid.uuid4().hex[:8]}",
        "INNSIDEN_TRUSTED_PROXIES": "1",
        "INNSIDEN_STORAGE": "s3",
        "INNSIDEN_S3_BUCKET": bucket,
        "INNSIDEN_S3_ENDPOINT_URL": s3_endpoint,
        "INNSIDEN_S3_REGION": region,
        "INNSIDEN_S3_ACCESS_KEY_ID": "testing",
        "INNSIDEN_S3_SECRET_ACCESS_KEY": "testing",
        "INNSIDEN_SEARCH": "postgres",
        "INNSIDEN_OUTBOX_DIR": str(workdir / "outbox"),
        "INNSIDEN_LOG_FORMAT": "json",
        "INNSIDEN_METRICS_ALLOW": "127.0.0.1",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics),
        "INNSIDEN_THREADS": os.environ.get("INNSIDEN_THREADS", "20"),
    }


@contextmanager
def running(
    workdir: Path, database_url: str, redis_url: str, s3_endpoint: str, bucket: str,
    region: str, nginx: str, extra_env: dict[str, str] | None = None,
) -> Iterator[Topology]:  # fmt: skip
    """Start three web processes and nginx in front of them; stop them all on the way out."""
    https_port, http_port = free_port(), free_port()
    https = f"https://127.0.0.1:{https_port}"
    env = portal_environment(
        workdir, database_url, redis_url, s3_endpoint, bucket, region, https
    ) | (extra_env or {})
    cert, key = self_signed_certificate(workdir)
    with ExitStack() as stack:
        # Started side by side: each takes seconds to import and check its services.
        with ThreadPoolExecutor(WEB_PROCESSES) as pool:
            starting = [
                pool.submit(start_gunicorn, env, workdir, GUNICORN_CONFIG, "/klar")
                for _ in range(WEB_PROCESSES)
            ]
            for future in as_completed(starting):
                if future.exception() is None:
                    stack.callback(future.result().stop)
        processes = [future.result() for future in starting]
        upstreams = [int(p.url.rsplit(":", 1)[1]) for p in processes]
        site = render_site(
            SITE.read_text(), upstreams=upstreams, http_port=http_port, https_port=https_port,
            cert=cert, key=key,
        )  # fmt: skip
        server = start_nginx(nginx, workdir / "nginx", site, [https_port, http_port])
        stack.callback(server.stop)
        yield Topology(
            https=https,
            http=f"http://127.0.0.1:{http_port}",
            ca_file=cert,
            processes=processes,
            nginx=server,
            outbox=Path(env["INNSIDEN_OUTBOX_DIR"]),
            env=env,
            upstreams={p.url.removeprefix("http://"): p.url for p in processes},
        )


class _SourceAdapter(HTTPAdapter):
    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__(pool_maxsize=4)

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]


def client_session(ca_file: Path, source: str = "127.0.0.1") -> requests.Session:
    session = requests.Session()
    # Nothing from the environment: a REQUESTS_CA_BUNDLE would replace the test certificate,
    # and a proxy setting would send loopback traffic elsewhere.
    session.trust_env = False
    session.verify = str(ca_file)
    adapter = _SourceAdapter(source)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def tls_socket(url: str, ca_file: Path, source: str) -> ssl.SSLSocket:
    """A TLS connection to nginx from `source`, for a WebSocket client to speak over (the
    WebSocket client cannot choose its source address itself)."""
    host, port = url.removeprefix("https://").split(":")
    raw = socket.create_connection((host, int(port)), timeout=10, source_address=(source, 0))
    context = ssl.create_default_context(cafile=str(ca_file))
    return context.wrap_socket(raw, server_hostname=host)


def sources_by_upstream(topology: Topology, wanted: int) -> dict[str, str]:
    """Loopback source addresses that nginx's `ip_hash` sends to `wanted` different web
    processes: upstream "host:port" → source address. ip_hash keys on an IPv4 address's first
    three octets, so 127.0.<n>.1 are different clients to it (as members' addresses are)."""
    found: dict[str, str] = {}
    for third in range(256):
        source = f"127.0.{third}.1"
        with topology.session(source) as session:
            response = session.get(f"{topology.https}/helse", timeout=10)
        response.raise_for_status()
        found.setdefault(response.headers[UPSTREAM_HEADER], source)
        if len(found) >= wanted:
            return found
    raise AssertionError(f"ip_hash sent 256 source addresses to {len(found)} processes only")


@dataclass
class Seeded:
    group_id: int
    members: list[tuple[int, str]]  # (member number, e-mail)
    credentials: list[str] = field(default_factory=list)  # a session's "_user_id", each


def seed(database_url: str, members: int, leaders: int = 0) -> Seeded:
    """A small organisation and `members` members of Bergen lokallag (the first `leaders` of
    them its lokallagsleder), and its group."""
    import innsiden.schema  # noqa: F401 - every mapped class, before a session uses any
    from innsiden.auth.session import credential_id
    from innsiden.groups.anchors import location_group_ids
    from tests.factories import make_member, make_small_organisation

    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            units = make_small_organisation(session)
            made = [
                make_member(
                    session, units["0001"], roles=["lokallagsleder@0001"] if i < leaders else []
                )
                for i in range(members)
            ]
            session.flush()
            group_id = location_group_ids(session, ["0001"])["0001"]
            result = Seeded(
                group_id,
                [(m.number, m.email or "") for m in made],
                [credential_id(m) for m in made],
            )
            session.commit()
        return result
    finally:
        engine.dispose()
