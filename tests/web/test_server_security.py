"""The lab attacked as a stranger would: every field of every event (read from the running
server, so a new tab is attacked the day it appears) and every route, with paths to a secret
made here; wrong Host headers, cross-site posts, oversized bodies, a missing token."""

from __future__ import annotations

import base64
import json
import secrets
import socket
import urllib.parse

import pytest

from cnnlab.web.server import make_app, start_background

TOKEN = secrets.token_hex(16)
NUMBERS = ("31415", "27182", "16180")  # the secret's values, were it ever read as a matrix


@pytest.fixture(scope="module")
def secret(tmp_path_factory):
    """A file only a path-following server could read: a valid CSV carrying a random token."""
    path = tmp_path_factory.mktemp("private") / "secret.csv"
    path.write_text(f"# {TOKEN}\n{NUMBERS[0]},{NUMBERS[1]}\n{NUMBERS[2]},1\n")
    return path


@pytest.fixture(scope="module")
def lab(web_run, web_mlp, web_gen):
    server = start_background("127.0.0.1", 0, "en", [web_run, web_mlp, web_gen])
    yield server
    server.stop()


def raw(lab, request: bytes) -> bytes:
    """Send exact bytes (no client-side URL clean-up) and return the whole answer."""
    host, port = lab.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def get(lab, target: str, host: str | None = None, extra: str = "") -> bytes:
    host = lab.url.removeprefix("http://") if host is None else host
    return raw(lab, f"GET {target} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n"
               .encode())  # fmt: skip


def post(lab, target: str, body: bytes, headers: str = "", host: str | None = None) -> bytes:
    host = host or lab.url.removeprefix("http://")
    head = (f"POST {target} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {len(body)}\r\n"
            f"{headers or 'Content-Type: application/json' + chr(13) + chr(10)}"
            "Connection: close\r\n\r\n")  # fmt: skip
    return raw(lab, head.encode() + body)


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def body_of(answer: bytes) -> dict:
    return json.loads(answer.split(b"\r\n\r\n", 1)[1])


def leaks(answer: bytes) -> bool:
    text = answer.decode("latin-1")
    return TOKEN in text or any(n in text for n in NUMBERS)


def hostile_values(path) -> list:
    """What a client might send instead of a value: the secret's path in every dress."""
    p = str(path)
    quoted = urllib.parse.quote(p, safe="")
    return [
        p, f"file://{p}", "../" * 12 + p.lstrip("/"), quoted, urllib.parse.quote(quoted),
        {"path": p, "meta": {"_type": "gradio.FileData"}}, {"path": p}, {"url": f"file://{p}"},
        [p], base64.b64encode(p.encode()).decode(), "data:text/csv;base64,"
        + base64.b64encode(p.encode()).decode(), "~/" + p, p.replace("/", "\\"),
    ]  # fmt: skip


def test_every_field_of_every_event_never_reads_the_secret(lab, secret):
    info = body_of(get(lab, "/en/api/info"))
    events = info["events"]
    assert {"conv", "pool", "model", "draw"} <= set(events)
    tried = 0
    for event, fields in events.items():
        for name in fields:
            for value in hostile_values(secret):
                answer = post(lab, f"/en/api/{event}", json.dumps({name: value}).encode())
                assert status(answer) == 200, (event, name, value)
                assert not leaks(answer), (event, name, value)
                tried += 1
    assert tried >= 13 * 20


@pytest.mark.parametrize(
    "target",
    [
        "/file={p}", "/gradio_api/file={p}", "/en/gradio_api/file={p}", "/assets/..{p}",
        "/assets/%2e%2e%2f%2e%2e{p}", "/assets/{q}", "/assets/lab.js/../../..{p}", "/{q}",
        "//{p}", "/en/..%2f..%2f..{p}", "/en/api/..%2f..{p}", "/static/{q}", "/en/file={q}",
        "/assets/%252e%252e%252f{q}", "/en/api/info?path={q}",
    ],
)  # fmt: skip
def test_no_route_serves_a_file(lab, secret, target):
    p, q = str(secret), urllib.parse.quote(str(secret), safe="")
    answer = get(lab, target.format(p=p, q=q))
    assert not leaks(answer)
    assert status(answer) in (200, 400, 404, 405) and (status(answer) != 200 or "info" in target)


@pytest.mark.parametrize(
    "target", ["/openapi.json", "/docs", "/redoc", "/monitoring", "/en/monitoring",
               "/en/gradio_api/info", "/gradio_api/upload", "/en/config"],
)  # fmt: skip
def test_api_docs_and_monitoring_are_not_served(lab, target):
    assert status(get(lab, target)) in (404, 405)


def test_host_header_must_name_this_computer(lab):
    port = lab.url.rsplit(":", 1)[1]
    assert status(get(lab, "/en/", f"127.0.0.1:{port}")) == 200
    assert status(get(lab, "/en/", f"localhost:{port}")) == 200
    for evil in (f"evil.example:{port}", "attacker.test", f"127.0.0.1.nip.io:{port}", ""):
        answer = get(lab, "/en/", evil)
        assert status(answer) == 400 and b"cnnlab" not in answer
    body = json.dumps({"sample": "bidoof-worked"}).encode()
    assert status(post(lab, "/en/api/conv", body, host="rebind.example")) == 400


def test_cross_site_posts_and_other_content_types_are_refused(lab):
    body = json.dumps({"sample": "bidoof-worked"}).encode()
    json_type = "Content-Type: application/json\r\n"
    assert status(post(lab, "/en/api/conv", body)) == 200
    assert status(post(lab, "/en/api/conv", body, json_type + "Origin: http://evil.example\r\n"))\
        == 403  # fmt: skip
    site = json_type + "Sec-Fetch-Site: cross-site\r\n"
    assert status(post(lab, "/en/api/conv", body, site)) == 403
    form = b"sample=bidoof-worked"
    for kind in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                 "text/plain"):  # fmt: skip
        assert status(post(lab, "/en/api/conv", form, f"Content-Type: {kind}\r\n")) == 415


def test_oversized_bodies_are_refused_before_they_are_read(lab):
    head = (f"POST /en/api/conv HTTP/1.1\r\nHost: {lab.url.removeprefix('http://')}\r\n"
            "Content-Type: application/json\r\nContent-Length: 900000000\r\n"
            "Connection: close\r\n\r\n{")  # fmt: skip
    answer = raw(lab, head.encode())
    assert status(answer) == 413 and b"limit" in answer


def test_limits_are_messages_and_the_server_keeps_serving(lab):
    for fields, words in [
        ({"sample": "camera", "padding": "3000"}, "padding is over the lab's limit"),
        ({"sample": "camera", "kernel": ";".join(["1," * 199 + "1"] * 200), "padding": "full"},
         "over the lab's limit"),
        ({"model": "relu " * 400}, "the spec is over the lab's limit; expected at most 1,000"),
        ({"runs": ["../../etc"], "drawing": None}, "names from: digits-run, digits-mlp"),
        ({"upload": "A" * 16_790_000}, "over the lab's limit; expected at most 12 MB"),
    ]:  # fmt: skip
        event = "model" if "model" in fields else "draw" if "runs" in fields else "conv"
        answer = post(lab, f"/en/api/{event}", json.dumps(fields).encode())
        assert words in body_of(answer)["message"]
    answer = body_of(post(lab, "/en/api/conv", json.dumps({"sample": "bidoof-worked"}).encode()))
    assert answer["value"] == 750.0 and answer["message"] == ""


def test_text_from_run_files_and_errors_is_escaped(web_run):
    from starlette.testclient import TestClient

    web_run.config["classes"] = ["<img src=http://evil.example/x>", *list(range(1, 10))]
    try:
        client = TestClient(make_app("en", [web_run], allowed_hosts=["testserver"]))
        answer = client.post("/en/api/model", json={"model": "conv(<img src=x onerror=1>)"})
        assert "<img" not in answer.json()["error"] and "&lt;img" in answer.json()["error"]
        page = client.get("/en/")
        assert "<img src=http" not in page.text
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
    finally:
        web_run.config["classes"] = list(range(10))


def test_a_token_guards_every_request(web_run):
    from starlette.testclient import TestClient

    client = TestClient(make_app("en", [web_run], "tok-12345678", ["testserver"]))
    assert client.get("/en/").status_code == 403
    assert client.post("/en/api/conv", json={}).status_code == 403
    first = client.get("/en/?token=tok-12345678")
    assert first.status_code == 200 and "cnnlab_token" in first.headers["set-cookie"]
    assert "samesite=strict" in first.headers["set-cookie"].lower()
    assert client.post("/en/api/conv", json={}).json()["value"] == 750.0  # cookie kept
    other = TestClient(make_app("en", [web_run], "tok-12345678", ["testserver"]))
    headers = {"Authorization": "token tok-12345678"}
    assert other.get("/en/api/info", headers=headers).status_code == 200
    assert other.get("/en/api/info", headers={"Authorization": "token wrong"}).status_code == 403
