"""The link check must not become a server-side request forgery tool (issue 19 item 5).

A real HTTP server on 127.0.0.1 records every request it receives: links pointing at it must
produce a finding saying why they were not checked, and the server must see nothing.
"""

import http.server
import threading
import time

import pytest

from gongkai.checks.item_checks import (
    LinkRefused,
    address_problem,
    broken_link_findings,
    http_fetcher,
)


class Recorder(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        self.hits: list[tuple[str, str]] = []
        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(http.server.BaseHTTPRequestHandler):
    server: Recorder

    def _answer(self) -> None:
        self.server.hits.append((self.command, self.path))
        port = self.server.server_address[1]
        if self.path.startswith("/hop/"):
            # /hop/N redirects N more times, then to /ok, on the allowed name "localhost".
            left = int(self.path.rsplit("/", 1)[1])
            target = f"/hop/{left - 1}" if left > 1 else "/ok"
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{port}{target}")
            self.end_headers()
        elif self.path == "/to-loopback":
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{port}/secret")
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(3)
            self.send_response(200)
            self.end_headers()
        elif self.path == "/endless":
            if self.command == "HEAD":
                self.send_response(405)
                self.end_headers()
                return
            # No Content-Length and a body that never ends: only a capped read returns.
            self.send_response(200)
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"x" * 65536)
            except OSError:
                return
        else:
            self.send_response(200 if self.path == "/ok" else 404)
            self.end_headers()

    do_HEAD = _answer
    do_GET = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    srv = Recorder()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "本机地址"),
        ("::1", "本机地址"),
        ("10.1.2.3", "内网或保留地址"),
        ("172.16.0.1", "内网或保留地址"),
        ("192.168.1.1", "内网或保留地址"),
        ("fd12:3456::1", "内网或保留地址"),
        ("169.254.1.1", "链路本地地址"),
        ("fe80::1", "链路本地地址"),
        ("169.254.169.254", "云平台元数据地址"),
        ("fd00:ec2::254", "云平台元数据地址"),
        ("224.0.0.1", "组播地址"),
        ("ff02::1", "组播地址"),
        ("0.0.0.0", "未指定地址"),  # noqa: S104 - an address under test, not a bind
        ("::", "未指定地址"),
        ("240.0.0.1", "内网或保留地址"),
        ("100.64.0.1", "内网或保留地址"),
        ("::ffff:127.0.0.1", "本机地址"),
        ("2002:7f00:1::1", "本机地址"),
        ("8.8.8.8", ""),
        ("2400:3200::1", ""),
    ],
)
def test_address_rule(address, problem):
    assert address_problem(address) == problem


def test_loopback_link_is_not_requested_and_says_why(server):
    links = [f"{server.base}/ok", "http://localhost:9/x", "http://[::1]:9/"]
    found = broken_link_findings(
        links, fetcher=lambda u: http_fetcher(u, timeout=2), source="body", source_label="正文"
    )
    assert [f.message for f in found] == [
        f"正文：链接 {server.base}/ok 指向内网地址（127.0.0.1，本机地址），未检查",
        f"正文：链接 http://localhost:9/x 指向内网地址（{_first_localhost()}，本机地址），未检查",
        "正文：链接 http://[::1]:9/ 指向内网地址（::1，本机地址），未检查",
    ]
    assert server.hits == []


def _first_localhost() -> str:
    import socket

    return str(socket.getaddrinfo("localhost", 9, type=socket.SOCK_STREAM)[0][4][0])


def test_metadata_address_literal_is_refused_without_a_connection():
    started = time.monotonic()
    result = http_fetcher("http://169.254.169.254/latest/meta-data/", timeout=5)
    assert result == LinkRefused("指向内网地址（169.254.169.254，云平台元数据地址），未检查")
    # Refused before any connection attempt (an attempt would hang on the timeout).
    assert time.monotonic() - started < 1


def test_redirect_to_loopback_is_refused_at_the_redirect(server, settings):
    # Test-only: "localhost" stands in for a public site so the first hop is served locally.
    settings.GONGKAI_LINK_CHECK_ALLOW_HOSTS = ["localhost"]
    port = server.server_address[1]
    result = http_fetcher(f"http://localhost:{port}/to-loopback", timeout=2)
    assert result == LinkRefused(
        f"重定向到 http://127.0.0.1:{port}/secret，指向内网地址（127.0.0.1，本机地址），未检查"
    )
    assert server.hits == [("HEAD", "/to-loopback")]


def test_redirects_are_followed_and_capped(server, settings):
    settings.GONGKAI_LINK_CHECK_ALLOW_HOSTS = ["localhost"]
    port = server.server_address[1]
    assert http_fetcher(f"http://localhost:{port}/hop/5", timeout=2) == 200
    assert len(server.hits) == 6
    server.hits.clear()
    assert http_fetcher(f"http://localhost:{port}/hop/6", timeout=2) == LinkRefused(
        "重定向超过 5 次，未检查"
    )
    assert [path for _, path in server.hits] == [f"/hop/{n}" for n in (6, 5, 4, 3, 2, 1)]


def test_slow_server_is_cut_off_by_the_timeout(server, settings):
    settings.GONGKAI_LINK_CHECK_ALLOW_HOSTS = ["127.0.0.1"]
    started = time.monotonic()
    assert http_fetcher(f"{server.base}/slow", timeout=0.5, total=1) is None
    assert time.monotonic() - started < 2


def test_endless_body_is_read_only_up_to_the_cap(server, settings):
    settings.GONGKAI_LINK_CHECK_ALLOW_HOSTS = ["127.0.0.1"]
    started = time.monotonic()
    assert http_fetcher(f"{server.base}/endless", timeout=2) == 200
    assert time.monotonic() - started < 2
    assert server.hits == [("HEAD", "/endless"), ("GET", "/endless")]
