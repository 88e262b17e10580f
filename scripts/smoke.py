"""Deployment smoke test (`make smoke`, run by .ci/run after `make test`).

Installs nothing itself (scripts/install-system-deps.sh --smoke does: nginx, openssl). It
follows README "Deployment" step by step on this machine, with the production settings:

  fresh PostgreSQL database and Redis database → environment from deploy/gongkai.env.example →
  migrate → collectstatic → check --deploy → createsuperuser → import_organisations →
  two gunicorn app servers (each its own search index, like two servers) → the Huey consumer →
  nginx with deploy/nginx/gongkai.conf (TLS with a certificate made now with openssl),

then checks from outside, over HTTP(S): security headers, static files served by nginx with
caching headers, uploaded files, the Chinese 404, the upload size limit, both app servers
behind nginx, a document published in app server 1's environment found by search on app
server 2, a job executed by the consumer; and the systemd units parse. Everything
is torn down at the end; the last line is "N passed, N failed"; the exit code is 1 on any
failure. Bounded in time: every wait has a timeout and the whole run stops after
SMOKE_TIMEOUT seconds (default 600: migrate and collectstatic alone take minutes on a loaded
machine).

Environment (defaults in brackets): SMOKE_DB [gongkai_smoke], SMOKE_PG
[postgres://postgres@127.0.0.1:5432], SMOKE_REDIS [redis://127.0.0.1:6379/2], SMOKE_PORTS
[18080,18443,18001,18002] (http, https, app 1, app 2), SMOKE_KEEP=1 keeps the temporary
directory for a look at the logs.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import http.cookies
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the project's venv: gongkai, gunicorn, psycopg, redis
DEPLOY = ROOT / "deploy"

PG = os.environ.get("SMOKE_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("SMOKE_DB", "gongkai_smoke")
REDIS = os.environ.get("SMOKE_REDIS", "redis://127.0.0.1:6379/2")
HTTP_PORT, HTTPS_PORT, APP1, APP2 = (
    int(p) for p in os.environ.get("SMOKE_PORTS", "18080,18443,18001,18002").split(",")
)
TIMEOUT = int(os.environ.get("SMOKE_TIMEOUT", "600"))
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
ORG_CODE = "11330100002489948X"
HOST = "localhost"


class Timeout(Exception):
    pass


class Smoke:
    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="gongkai-smoke-"))
        # nginx's workers run as nobody: they must be able to read the static files.
        self.tmp.chmod(0o755)
        self.var = self.tmp / "var"
        self.procs: dict[str, subprocess.Popen] = {}
        self.passed: list[str] = []
        self.failed: list[str] = []
        self.started = time.monotonic()
        self.env: dict[str, str] = {}
        self.admin_password = ""
        self.ssl_context: ssl.SSLContext | None = None

    # --- reporting --------------------------------------------------------------------------

    def log(self, message: str) -> None:
        print(f"[{time.monotonic() - self.started:6.1f}s] {message}", flush=True)

    def check(self, name: str, fn: Callable[[], object]) -> None:
        try:
            detail = fn()
        except Timeout:
            raise
        except Exception as exc:
            self.failed.append(name)
            self.log(f"FAIL {name}: {type(exc).__name__}: {exc}")
        else:
            self.passed.append(name)
            self.log(f"PASS {name}" + (f" — {detail}" if detail else ""))

    # --- processes ----------------------------------------------------------------------------

    def run(self, *args: str, timeout: float = 120, env: dict | None = None) -> str:
        self.log("$ " + " ".join(args))
        done = subprocess.run(
            args,
            env=env or self.env,
            cwd=self.tmp,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{args[0]} exited {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-4000:]}"
            )
        return done.stdout

    def start(self, name: str, *args: str, env: dict | None = None) -> subprocess.Popen:
        self.log(f"start {name}: " + " ".join(args))
        logfile = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed at exit
        proc = subprocess.Popen(
            args,
            env=env or self.env,
            cwd=self.tmp,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def wait_port(self, port: int, name: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            proc = self.procs.get(name)
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"{name} exited {proc.returncode}:\n{self.tail(name)}")
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), 1).close()
                return
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not listen on {port} within {seconds:g} s")

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.tmp / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop_all(self) -> None:
        for name, proc in reversed(list(self.procs.items())):
            if proc.poll() is not None:
                continue
            # Huey stops gracefully on SIGINT, gunicorn and nginx on SIGTERM/SIGQUIT.
            sig = signal.SIGINT if name == "huey" else signal.SIGTERM
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
        for name, proc in self.procs.items():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.log(f"{name} did not stop in 15 s: killed")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)

    # --- HTTP -------------------------------------------------------------------------------

    def request(
        self,
        port: int,
        path: str,
        *,
        tls: bool = False,
        headers: dict[str, str] | None = None,
        host: str = HOST,
        method: str = "GET",
        body: bytes | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        if tls:
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                HOST, port, timeout=20, context=self.ssl_context
            )
        else:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        try:
            conn.request(
                method, path, body=body, headers={"Host": f"{host}:{port}", **(headers or {})}
            )
            response = conn.getresponse()
            body = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            conn.close()

    def app_search(self, port: int, word: str) -> list[dict]:
        # Straight to one app server, as nginx would call it (it says the client used https).
        status, _headers, body = self.request(
            port,
            "/api/v1/search?q=" + urllib.parse.quote(word),
            headers={"X-Forwarded-Proto": "https"},
        )
        if status != 200:
            raise RuntimeError(f"search on 127.0.0.1:{port} answered {status}: {body[:300]!r}")
        return json.loads(body)["hits"]

    # --- the steps ----------------------------------------------------------------------------

    def prepare_services(self) -> None:
        import psycopg
        import redis

        with psycopg.connect(
            PG.replace("postgres://", "postgresql://") + "/postgres",
            autocommit=True,
            connect_timeout=5,
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DB}"')
        redis.Redis.from_url(REDIS, socket_timeout=5).flushdb()
        self.log(f"fresh PostgreSQL database {DB}, flushed Redis {REDIS}")

    def drop_services(self) -> None:
        import psycopg
        import redis

        with contextlib.suppress(Exception):
            redis.Redis.from_url(REDIS, socket_timeout=5).flushdb()
        with (
            contextlib.suppress(Exception),
            psycopg.connect(
                PG.replace("postgres://", "postgresql://") + "/postgres",
                autocommit=True,
                connect_timeout=5,
            ) as conn,
        ):
            conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')

    def environment(self) -> None:
        """deploy/gongkai.env.example with this run's database, Redis, secrets and paths."""
        example: dict[str, str] = {}
        for line in (DEPLOY / "gongkai.env.example").read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                key, _sep, value = line.partition("=")
                example[key] = value.strip('"')
        overrides = {
            "DATABASE_URL": f"{PG}/{DB}",
            "REDIS_URL": REDIS,
            "GONGKAI_SECRET_KEY": secrets.token_urlsafe(50),
            "GONGKAI_PII_KEY": secrets.token_hex(16),
            "GONGKAI_ALLOWED_HOSTS": HOST,
            "GONGKAI_CSRF_TRUSTED_ORIGINS": f"https://{HOST}:{HTTPS_PORT}",
            "GONGKAI_VAR_DIR": str(self.var),
            "GONGKAI_MEDIA_ROOT": str(self.var / "media"),
            "GONGKAI_PRIVATE_DIR": str(self.var / "private"),
            # No mail leaves a smoke test: SMTP to a closed loopback port fails at once, and a
            # failed notification is logged, never undoing the step that sent it.
            "GONGKAI_EMAIL_HOST": "127.0.0.1",
            "GONGKAI_EMAIL_PORT": "9",
        }
        unset = [k for k, v in example.items() if "CHANGE-ME" in v and k not in overrides]
        if unset:
            raise RuntimeError(f"the example environment has values to change not set: {unset}")
        if example.get("DJANGO_SETTINGS_MODULE") != "gongkai.config.settings.prod":
            raise RuntimeError("deploy/gongkai.env.example does not select the production settings")
        base = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "HOME")}
        self.env = {**base, **example, **overrides, "PYTHONUNBUFFERED": "1"}
        self.env["PATH"] = f"{BIN}:{self.env.get('PATH', '/usr/bin:/bin')}"
        # The operator's /etc/gongkai/gongkai.env, read by deploy/gongkai-manage below.
        (self.tmp / "gongkai.env").write_text(
            "".join(
                f'{k}="{v}"\n' if " " in v else f"{k}={v}\n"
                for k, v in {**example, **overrides}.items()
            )
        )

    def manage(self, *args: str, timeout: float = 120, **extra: str) -> str:
        """`sudo -u gongkai gongkai-manage ARGS` of the operator guide: the environment comes
        from the env file alone."""
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            "GONGKAI_ENV_FILE": str(self.tmp / "gongkai.env"),
            "GONGKAI_VENV": str(BIN.parent),
            **extra,
        }
        return self.run("sh", str(DEPLOY / "gongkai-manage"), *args, timeout=timeout, env=env)

    def certificate(self) -> None:
        cert, key = self.tmp / "tls" / "fullchain.pem", self.tmp / "tls" / "privkey.pem"
        cert.parent.mkdir()
        self.run(
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert), timeout=60,
        )  # fmt: skip
        # The client verifies the server against this certificate: a real TLS handshake.
        self.ssl_context = ssl.create_default_context(cafile=str(cert))

    def nginx_conf(self) -> Path:
        """deploy/nginx/gongkai.conf with this run's ports and paths, in a config of its own."""
        site = (DEPLOY / "nginx" / "gongkai.conf").read_text()
        replacements = {
            "127.0.0.1:8001": f"127.0.0.1:{APP1}",
            "127.0.0.1:8002": f"127.0.0.1:{APP2}",
            "listen 80;": f"listen 127.0.0.1:{HTTP_PORT};",
            "listen [::]:80;": "",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{HTTPS_PORT} ssl http2;",
            "listen [::]:443 ssl http2;": "",
            "server_name gongkai.example.gov.cn;": f"server_name {HOST};",
            "return 301 https://$host$request_uri;": (
                f"return 301 https://$host:{HTTPS_PORT}$request_uri;"
            ),
            "/etc/ssl/gongkai/": f"{self.tmp}/tls/",
            "/srv/gongkai/var/": f"{self.var}/",
            "/var/cache/nginx/gongkai": f"{self.tmp}/nginx-cache",
        }
        for old, new in replacements.items():
            if old not in site:
                raise RuntimeError(f"deploy/nginx/gongkai.conf no longer contains {old!r}")
            site = site.replace(old, new)
        (self.tmp / "nginx-site.conf").write_text(site)
        temp = self.tmp / "nginx-temp"
        temp.mkdir()
        conf = self.tmp / "nginx.conf"
        conf.write_text(
            f"""daemon off;
worker_processes 1;
pid {self.tmp}/nginx.pid;
error_log {self.tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {self.tmp}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    sendfile on;
    include {self.tmp}/nginx-site.conf;
}}
"""
        )
        return conf

    def install(self) -> None:
        self.manage("migrate", "--noinput", timeout=180)
        self.manage("collectstatic", "--noinput", timeout=180)
        self.manage("check", "--deploy", "--fail-level", "WARNING")
        self.admin_password = secrets.token_urlsafe(16)
        self.manage(
            "createsuperuser",
            "--noinput",
            DJANGO_SUPERUSER_USERNAME="admin",
            DJANGO_SUPERUSER_EMAIL="admin@example.gov.cn",
            DJANGO_SUPERUSER_PASSWORD=self.admin_password,
        )
        orgs = self.tmp / "orgs.csv"
        orgs.write_text(
            "code,name,parent_code,kind\n"
            f"{ORG_CODE},杭东市人民政府,,government\n"
            "113301000024900002,杭东市财政局,11330100002489948X,department\n"
        )
        self.manage("import_organisations", str(orgs))

    def start_servers(self) -> None:
        for name, port in (("app1", APP1), ("app2", APP2)):
            env = {**self.env, "GONGKAI_SEARCH_DIR": str(self.var / "search" / name)}
            self.start(
                name,
                str(BIN / "gunicorn"), "gongkai.config.wsgi",
                "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60",
                "--forwarded-allow-ips", "127.0.0.1", "--access-logfile", "-",
                env=env,
            )  # fmt: skip
        jobs_env = {**self.env, "GONGKAI_SEARCH_DIR": str(self.var / "search" / "jobs")}
        self.start("huey", str(BIN / "gongkai"), "run_huey", "--workers", "2", env=jobs_env)
        conf = self.nginx_conf()
        self.run(NGINX, "-t", "-c", str(conf), "-e", str(self.tmp / "nginx-error.log"))
        self.start("nginx", NGINX, "-c", str(conf), "-e", str(self.tmp / "nginx-error.log"))
        self.wait_port(APP1, "app1")
        self.wait_port(APP2, "app2")
        self.wait_port(HTTPS_PORT, "nginx")

    # --- the checks ---------------------------------------------------------------------------

    def check_security_headers(self) -> str:
        status, headers, body = self.request(HTTPS_PORT, "/", tls=True)
        assert status == 200, f"home page answered {status}"
        assert "nginx" in headers.get("server", ""), f"not served through nginx: {headers}"
        expected = {
            "strict-transport-security": "max-age=31536000; includeSubDomains; preload",
            "x-content-type-options": "nosniff",
            "x-frame-options": "DENY",
            "referrer-policy": "same-origin",
        }
        for name, value in expected.items():
            assert headers.get(name) == value, f"{name}: {headers.get(name)!r} != {value!r}"
        csp = headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, csp
        assert 'lang="zh' in body.decode(), "home page is not Chinese"
        return "HSTS, CSP, nosniff, DENY, same-origin over TLS"

    def check_http_redirects(self) -> str:
        status, headers, _body = self.request(HTTP_PORT, "/zfxxgk/?a=1")
        location = headers.get("location")
        assert status == 301, status
        assert location == f"https://{HOST}:{HTTPS_PORT}/zfxxgk/?a=1", location
        return location

    def check_static(self) -> str:
        static = self.var / "static"
        # The manifest (ManifestStaticFilesStorage) maps each file to its hashed name, which
        # the pages link and nginx caches for a year; the plain name keeps a week.
        manifest = json.loads((static / "staticfiles.json").read_text())["paths"]
        # The stylesheet the home page links: it must be a hashed name from the manifest.
        _status, _headers, page = self.request(HTTPS_PORT, "/", tls=True)
        linked = re.findall(r'href="/static/([^"]+\.css)"', page.decode())
        assert linked, "the home page links no stylesheet"
        hashed = linked[0]
        plain = next((p for p, h in manifest.items() if h == hashed), None)
        assert plain and plain != hashed, f"{hashed} is not a hashed name of the manifest"
        expected = {
            hashed: "public, max-age=31536000, immutable",
            plain: "public, max-age=604800",
        }
        for rel, cache_control in expected.items():
            status, headers, body = self.request(HTTPS_PORT, f"/static/{rel}", tls=True)
            assert status == 200, f"/static/{rel} answered {status}"
            assert headers.get("server", "").startswith("nginx"), headers.get("server")
            assert body == (static / rel).read_bytes(), "body differs from the collected file"
            assert headers.get("cache-control") == cache_control, (rel, headers)
            assert headers.get("x-content-type-options") == "nosniff", headers
            assert headers.get("strict-transport-security", "").startswith("max-age=31536000")
            # The .gz collectstatic wrote, sent as is (gzip_static).
            status, headers, body = self.request(
                HTTPS_PORT, f"/static/{rel}", tls=True, headers={"Accept-Encoding": "gzip"}
            )
            assert status == 200 and headers.get("content-encoding") == "gzip", headers
            assert gzip.decompress(body) == (static / rel).read_bytes()
        return f"/static/{hashed}: immutable, a year; /static/{plain}: a week; gzip"

    def login(self) -> str:
        """Sign in as the superuser through nginx, as a browser does; the session cookie."""
        origin = f"https://{HOST}:{HTTPS_PORT}"
        _status, headers, body = self.request(HTTPS_PORT, "/accounts/login/", tls=True)
        csrf_cookie = headers.get("set-cookie", "").split("csrftoken=", 1)[1].split(";", 1)[0]
        token = body.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": "admin", "password": self.admin_password}
        ).encode()
        status, headers, _body = self.request(
            HTTPS_PORT, "/accounts/login/", tls=True, method="POST", body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf_cookie}",
                "Origin": origin,
                "Referer": f"{origin}/accounts/login/",
            },
        )  # fmt: skip
        assert status == 302, f"login answered {status}"
        cookies = http.cookies.SimpleCookie(headers.get("set-cookie", ""))
        assert "sessionid" in cookies, f"no session cookie: {headers.get('set-cookie')}"
        return cookies["sessionid"].value

    def check_micro_cache(self) -> str:
        path = f"/policies/?smoke={secrets.token_hex(4)}"
        statuses = []
        for _ in range(2):
            status, headers, _body = self.request(HTTPS_PORT, path, tls=True)
            assert status == 200, f"{path} answered {status}"
            statuses.append(headers.get("x-cache-status"))
        # A loaded machine may take the 2 s between the two: then the stale copy is served.
        assert statuses[0] == "MISS" and statuses[1] in {"HIT", "STALE", "UPDATING"}, statuses
        # gzip on the way out (the app sends plain HTML).
        _s, headers, body = self.request(
            HTTPS_PORT, path, tls=True, headers={"Accept-Encoding": "gzip"}
        )
        assert headers.get("content-encoding") == "gzip", headers
        assert 'lang="zh' in gzip.decompress(body).decode()
        # Signed in: every request goes to the app, and the answer says private, no-store.
        session = self.login()
        seen = []
        for _ in range(2):
            status, headers, body = self.request(
                HTTPS_PORT, path, tls=True, headers={"Cookie": f"sessionid={session}"}
            )
            assert status == 200, f"{path} signed in answered {status}"
            seen.append(headers.get("x-cache-status"))
            assert "private" in headers.get("cache-control", ""), headers
            assert "no-store" in headers.get("cache-control", ""), headers
            assert "etag" not in headers, headers
            assert b'action="/accounts/logout/"' in body, "not the signed-in page"
        assert seen == ["BYPASS", "BYPASS"], f"signed in: {seen}"
        # A POST is never answered from the cache.
        status, headers, _body = self.request(
            HTTPS_PORT, path, tls=True, method="POST", body=b"",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        assert headers.get("x-cache-status") != "HIT", headers
        # And an anonymous reader still gets the shared, anonymous copy (the 2 s may have
        # passed meanwhile: then the previous copy while one request refreshes it, or a new one).
        _s, headers, body = self.request(HTTPS_PORT, path, tls=True)
        assert headers.get("x-cache-status") in {"HIT", "STALE", "UPDATING", "MISS"}, headers
        assert b'action="/accounts/logout/"' not in body, "a signed-in page was cached"
        return f"anonymous {statuses}, signed in {seen}, POST {status}, gzip"

    def check_media(self) -> str:
        image = self.var / "media" / "interpretations" / "smoke.png"
        image.parent.mkdir(parents=True, exist_ok=True)
        image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"smoke")
        status, headers, body = self.request(
            HTTPS_PORT, "/media/interpretations/smoke.png", tls=True
        )
        assert status == 200 and body == image.read_bytes(), status
        assert headers.get("content-type") == "image/png", headers
        # A reply letter on disk is not a public file: the app answers, with its 404.
        letter = self.var / "media" / "foi" / "1" / "答复书.pdf"
        letter.parent.mkdir(parents=True, exist_ok=True)
        letter.write_bytes(b"%PDF-1.7 private")
        path = "/media/foi/1/" + urllib.parse.quote("答复书.pdf")
        status, headers, body = self.request(HTTPS_PORT, path, tls=True)
        assert status == 404, f"{path} answered {status}"
        assert b"private" not in body
        # A letter in private storage: the permission-checked view answers the signed-in staff
        # member through nginx (X-Accel-Redirect to the internal location), never cached; the
        # same view refuses an anonymous visitor, and the internal location is not reachable.
        content = b"%PDF-1.7 smoke private letter " + secrets.token_hex(8).encode()
        (self.tmp / "letter.pdf").write_bytes(content)
        script = (
            "from django.core.files.base import ContentFile\n"
            "from pathlib import Path\n"
            "from gongkai.accounts.models import Organisation\n"
            "from gongkai.foi import services\n"
            "from gongkai.foi.models import CaseDocument\n"
            f"org = Organisation.objects.get(code='{ORG_CODE}')\n"
            "case, _code = services.case_submit(organisation=org, data={"
            "'applicant_type': 'natural', 'applicant_name': '李四', "
            "'id_document_type': 'resident_id', 'id_number': '110105199001011234', "
            "'phone': '13812341234', 'address': '浙江省杭东市西湖区文三路100号', "
            "'email': 'lisi@example.cn', 'info_title': '冒烟测试', 'info_doc_number': '', "
            "'info_description': '', 'provide_form': 'electronic', 'delivery_method': 'email'})\n"
            "doc = CaseDocument(case=case, kind='other', title='冒烟测试')\n"
            f"doc.pdf.save('x.pdf', ContentFile(Path('{self.tmp}/letter.pdf').read_bytes()))\n"
            "print('SMOKE', case.pk, doc.pk, doc.pdf.name)\n"
        )
        out = self.manage("shell", "-c", script)
        case_pk, doc_pk, name = out.split("SMOKE ", 1)[1].split()[:3]
        assert (self.var / "private" / name).read_bytes() == content
        url = f"/staff/foi/{case_pk}/documents/{doc_pk}.pdf"
        session = self.login()
        status, headers, body = self.request(
            HTTPS_PORT, url, tls=True, headers={"Cookie": f"sessionid={session}"}
        )
        assert status == 200 and body == content, f"{url} answered {status}"
        assert "no-store" in headers.get("cache-control", ""), headers
        assert "x-accel-redirect" not in headers, headers
        status, _headers, body = self.request(HTTPS_PORT, url, tls=True)
        assert status in (302, 403, 404) and content not in body, f"anonymous: {status}"
        status, _headers, body = self.request(HTTPS_PORT, f"/_private/{name}", tls=True)
        assert status == 404 and content not in body, f"/_private/ answered {status}"
        return (
            "图解 image served by nginx; a reply letter's public path is not (404); the private "
            "letter through the checked view via X-Accel-Redirect, no-store; /_private/ internal"
        )

    def check_upload_limit(self) -> str:
        limit = int(self.env["GONGKAI_MAX_ATTACHMENT_BYTES"])
        # A form with a file of the attachment limit, as the attachment form sends it. The app
        # must read the whole body to answer (here: CSRF token missing → 403 after parsing the
        # form; the CSRF cookie and Origin are there so the check gets that far), otherwise
        # gunicorn closes before nginx has sent everything and nginx answers 502.
        boundary = secrets.token_hex(12)
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        body = head + b"%PDF" + b"x" * (limit - 4) + tail
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": f"csrftoken={secrets.token_hex(16)}",
            "Origin": f"https://{HOST}:{HTTPS_PORT}",
        }
        status, _h, answer = self.request(
            HTTPS_PORT, "/accounts/login/", tls=True, method="POST", body=body, headers=headers
        )
        assert status == 403, f"a {len(body)}-byte form answered {status}: {answer[:200]!r}"
        # One over client_max_body_size is stopped by nginx before the app sees it.
        big = 61 * 1024 * 1024
        try:
            status, _h, _b = self.request(
                HTTPS_PORT, "/accounts/login/", tls=True, method="POST", body=b"x" * big
            )
        except OSError:
            # nginx may close while the client is still sending; its log says why.
            log = (self.tmp / "nginx-error.log").read_text(errors="replace")
            assert "client intended to send too large body" in log, "connection closed"
            status = 413
        assert status == 413, f"a {big}-byte body answered {status}"
        return f"a {len(body)}-byte form reaches the app, {big} bytes refused by nginx (413)"

    def check_systemd_units(self) -> str:
        # The units as installed: the web template instantiated for both ports.
        units = self.tmp / "units"
        units.mkdir()
        web = (DEPLOY / "systemd" / "gongkai-web@.service").read_text()
        names = []
        for port in (8001, 8002):
            (units / f"gongkai-web@{port}.service").write_text(web)
            names.append(f"gongkai-web@{port}.service")
        shutil.copy(DEPLOY / "systemd" / "gongkai-jobs.service", units)
        names.append("gongkai-jobs.service")
        done = subprocess.run(
            [SYSTEMD_ANALYZE, "verify", "--man=no", *(f"./{n}" for n in names)],
            cwd=units,
            env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        # systemd-analyze exits 0 on unknown keys and bad values: any output is a problem.
        problems = (done.stdout + done.stderr).strip()
        assert done.returncode == 0 and not problems, problems
        return ", ".join(names)

    def check_404(self) -> str:
        status, headers, body = self.request(HTTPS_PORT, "/no-such-page-smoke/", tls=True)
        text = body.decode()
        assert status == 404, status
        assert headers.get("content-type", "").startswith("text/html"), headers
        assert 'lang="zh-CN"' in text, "the 404 page is not marked lang=zh-CN"
        assert "页面不存在" in text, "the 404 page does not say 页面不存在"
        return "404 页面不存在, lang=zh-CN"

    def check_both_app_servers_serve(self) -> str:
        before = {n: self.tail(n, 10_000).count('"GET /') for n in ("app1", "app2")}
        for n in range(6):
            # Distinct addresses: the same one would be answered by nginx's micro-cache.
            status, _headers, _body = self.request(HTTPS_PORT, f"/zfxxgk/?n={n}", tls=True)
            assert status == 200, status
        time.sleep(0.5)
        after = {n: self.tail(n, 10_000).count('"GET /') for n in ("app1", "app2")}
        served = {n: after[n] - before[n] for n in after}
        assert all(v > 0 for v in served.values()), f"requests per app server: {served}"
        return f"requests per app server: {served}"

    def check_publish_then_search_elsewhere(self) -> str:
        word = "冒烟" + "".join(secrets.choice("甲乙丙丁戊己庚辛壬癸") for _ in range(4))
        # Both servers build their index and answer before the publication: nothing yet.
        assert self.app_search(APP1, word) == [], "found before it was published"
        assert self.app_search(APP2, word) == [], "found before it was published"
        env = {**self.env, "GONGKAI_SEARCH_DIR": str(self.var / "search" / "app1")}
        out = self.run(
            str(BIN / "python"), str(ROOT / "scripts" / "smoke_publish.py"),
            ORG_CODE, "admin", word, env=env,
        )  # fmt: skip
        item = json.loads(out.strip().splitlines()[-1])
        assert item["status"] == "published" and item["published"], item
        found: dict[int, float] = {}
        deadline = time.monotonic() + 10
        t0 = time.monotonic()
        while time.monotonic() < deadline and len(found) < 2:
            for port in (APP2, APP1):
                if port not in found and any(
                    h["title"].replace("<mark>", "").replace("</mark>", "") == item["title"]
                    for h in self.app_search(port, word)
                ):
                    found[port] = time.monotonic() - t0
            time.sleep(0.3)
        assert APP2 in found, f"app server 2 did not find “{item['title']}” within 10 s"
        assert APP1 in found, f"app server 1 did not find “{item['title']}” within 10 s"
        # The public page the hit links to, through nginx.
        url = self.app_search(APP2, word)[0]["url"]
        status, _headers, body = self.request(HTTPS_PORT, urllib.parse.urlsplit(url).path, tls=True)
        assert status == 200 and item["title"] in body.decode(), f"{url} answered {status}"
        return f"“{item['title']}” found on app 2 after {found[APP2]:.1f} s"

    def check_job_consumer(self) -> str:
        out = self.manage("jobs_check", "--json", "--timeout", "20")
        answer = json.loads(out.strip().splitlines()[-1])
        consumer = self.procs["huey"].pid
        assert answer["same_process"] is False, answer
        assert answer["pid"] == consumer, f"answered by pid {answer['pid']}, consumer {consumer}"
        assert answer["database"] == DB, answer
        return f"ping job executed by the consumer (pid {consumer})"

    # --- the run ------------------------------------------------------------------------------

    def steps(self) -> None:
        self.check("services: fresh PostgreSQL database and Redis db", self.prepare_services)
        self.environment()
        self.certificate()
        self.check("install: migrate, collectstatic, check --deploy, admin, agencies", self.install)
        if self.failed:
            return
        self.check("start: two gunicorn app servers, huey consumer, nginx", self.start_servers)
        if self.failed:
            return
        self.check("security headers over TLS", self.check_security_headers)
        self.check("plain HTTP redirects to HTTPS", self.check_http_redirects)
        self.check("static file from nginx with caching headers", self.check_static)
        self.check(
            "uploaded files: public image served, private letter only through the app",
            self.check_media,
        )
        self.check("Chinese 404 page", self.check_404)
        self.check("micro-cache: anonymous hit, signed in bypass, gzip", self.check_micro_cache)
        self.check("upload size: the attachment limit passes nginx", self.check_upload_limit)
        self.check("nginx balances over both app servers", self.check_both_app_servers_serve)
        self.check(
            "published on app server 1, found on app server 2",
            self.check_publish_then_search_elsewhere,
        )
        self.check("job executed by the huey consumer", self.check_job_consumer)
        if SYSTEMD_ANALYZE:
            self.check("systemd units verify", self.check_systemd_units)
        else:
            self.log("SKIP systemd units verify: no systemd-analyze on this machine")
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                self.failed.append(f"{name} exited early")
                self.log(f"FAIL {name} exited early ({proc.returncode})")

    def main(self) -> int:
        def on_alarm(_signum, _frame):
            raise Timeout(f"the smoke test took longer than {TIMEOUT} s")

        signal.signal(signal.SIGALRM, on_alarm)
        signal.alarm(TIMEOUT)
        try:
            self.steps()
        except Timeout as exc:
            self.failed.append("time limit")
            self.log(f"FAIL {exc}")
        except Exception as exc:
            self.failed.append("setup")
            self.log(f"FAIL setup: {type(exc).__name__}: {exc}")
        finally:
            signal.alarm(0)
            self.stop_all()
            self.drop_services()
        return self.finish()

    def finish(self) -> int:
        if self.failed:
            for name in ("app1", "app2", "huey", "nginx"):
                if (self.tmp / f"{name}.log").exists():
                    self.log(f"--- last lines of {name}.log ---\n{self.tail(name, 15)}")
        if os.environ.get("SMOKE_KEEP") == "1":
            self.log(f"kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)
        self.log(f"done in {time.monotonic() - self.started:.0f} s")
        print(f"{len(self.passed)} passed, {len(self.failed)} failed", flush=True)
        return 1 if self.failed else 0


if __name__ == "__main__":
    sys.exit(Smoke().main())
