"""Small requests that used to cost a lot: files built to be slow to decode or parse, requests
that never finish, answers that are not JSON. Each is refused quickly with a message."""

from __future__ import annotations

import base64
import io
import json
import socket
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from cnnlab.errors import InputFileError
from cnnlab.imageio import MAX_JPEG_SCANS, MAX_PNG_CHUNKS, read_image
from cnnlab.inputs import load_matrix_bytes
from cnnlab.web import server as lab_server
from cnnlab.web.server import start_background


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with_chunks(n: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.zeros((4, 4), np.uint8)).save(buf, format="PNG")
    png = buf.getvalue()
    ihdr_end = 8 + 25  # signature, then the 25-byte IHDR chunk
    return png[:ihdr_end] + chunk(b"teXt", b"") * n + png[ihdr_end:]


def test_jpeg_with_thousands_of_scans_is_refused_before_decoding():
    buf = io.BytesIO()
    Image.fromarray(np.zeros((8, 8), np.uint8)).save(buf, format="JPEG", progressive=True)
    data = buf.getvalue()
    assert read_image(data).shape == (8, 8)  # a real progressive JPEG passes
    bomb = (
        data[:-2] + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" * (MAX_JPEG_SCANS + 5) + b"\xff\xd9"
    )
    with pytest.raises(InputFileError, match="too many scans"):
        read_image(bomb)


def test_png_with_a_million_chunks_is_refused_before_decoding():
    assert read_image(png_with_chunks(10)).shape == (4, 4)
    with pytest.raises(InputFileError, match="too many chunks"):
        read_image(png_with_chunks(MAX_PNG_CHUNKS + 1))


@pytest.mark.parametrize("data", [b"0\n" * 3_000_000, b"0," * 3_000_000, b"0 " * 3_000_000])
def test_text_matrices_are_counted_before_they_are_parsed(data):
    with pytest.raises(InputFileError, match="expected at most 2,000,000"):
        load_matrix_bytes(data, "big.csv", 2_000_000)


def npy_header(shape: tuple, version: tuple[int, int] = (3, 0)) -> bytes:
    header = repr({"descr": "<f8", "fortran_order": False, "shape": shape}).encode()
    header += b" " * (63 - (len(header) + 12) % 64) + b"\n"
    return b"\x93NUMPY" + bytes(version) + struct.pack("<I", len(header)) + header


def test_npy_headers_of_every_version_are_checked():
    with pytest.raises(InputFileError, match="10,000,000,000 values"):
        load_matrix_bytes(npy_header((100_000, 100_000)), "big.npy", 2_000_000)
    with pytest.raises(InputFileError, match="declares more values than it holds"):
        load_matrix_bytes(npy_header((100, 100)) + b"\0" * 80, "short.npy", 2_000_000)
    with pytest.raises(InputFileError, match=r"version 9\.0"):
        load_matrix_bytes(npy_header((2, 2), (9, 0)), "odd.npy", 2_000_000)


@pytest.fixture(scope="module")
def lab():
    server = start_background("127.0.0.1", 0, "en")
    yield server
    server.stop()


def send(lab, raw: bytes, wait: float = 10) -> bytes:
    host, port = lab.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk_ := sock.recv(65536):
            chunks.append(chunk_)
    return b"".join(chunks)


def post(lab, body: bytes, path: str = "/en/api/conv") -> tuple[int, bytes]:
    head = (f"POST {path} HTTP/1.1\r\nHost: {lab.url.removeprefix('http://')}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode()  # fmt: skip
    answer = send(lab, head + body)
    return int(answer.split(b" ", 2)[1]), answer.split(b"\r\n\r\n", 1)[1]


def test_bad_json_huge_numbers_and_infinite_results_are_messages(lab):
    status, body = post(lab, b"[" * 100_000)
    assert status == 200 and "not valid JSON" in json.loads(body)["message"]
    status, body = post(lab, b'{"sample": "bidoof", "stride": ' + b"9" * 400 + b"}")
    assert "stride must be a whole number" in json.loads(body)["message"]
    huge = io.BytesIO()
    np.save(huge, np.full((4, 4), 1e308))
    upload = "data:;base64," + base64.b64encode(huge.getvalue()).decode()
    status, body = post(lab, json.dumps({"upload": upload, "kernel": "1,1;1,1"}).encode())
    assert status == 200 and "too large to show" in json.loads(body)["message"]


def test_every_answer_carries_the_security_headers(lab):
    for target in ("/nowhere", "/en/api/info", "/assets/none.js"):
        answer = send(lab, f"GET {target} HTTP/1.1\r\nHost: {lab.url[7:]}\r\n"
                           "Connection: close\r\n\r\n".encode())  # fmt: skip
        assert b"content-security-policy: default-src 'none'" in answer.lower()
    wrong_host = send(lab, b"GET /en/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
    assert b" 400 " in wrong_host and b"x-content-type-options: nosniff" in wrong_host.lower()


def test_a_body_that_never_arrives_is_dropped(lab, monkeypatch):
    monkeypatch.setattr(lab_server, "BODY_SECONDS", 1.0)
    head = (f"POST /en/api/conv HTTP/1.1\r\nHost: {lab.url[7:]}\r\n"
            "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{").encode()  # fmt: skip
    answer = send(lab, head, wait=20)
    assert b" 408 " in answer.split(b"\r\n", 1)[0]


def test_an_endless_request_head_is_cut_short(lab):
    host, port = lab.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET /en/ HTTP/1.1\r\nHost: {host}:{port}\r\nX: ".encode())
        try:
            for _ in range(64):  # up to 4 MB of one header line
                sock.sendall(b"a" * 65536)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed the connection: what we want
        answer = sock.recv(65536)
    assert answer == b"" or b" 400 " in answer.split(b"\r\n", 1)[0]


def test_limit_messages_follow_the_page_language():
    from starlette.testclient import TestClient

    from cnnlab.web.server import make_app

    client = TestClient(make_app("es", allowed_hosts=["testserver"]))
    es = client.post("/es/api/conv", json={"sample": "camera", "padding": "3000"}).json()
    assert es["message"].startswith("el relleno (padding) supera el límite del laboratorio")
    assert "Recibido: 3\u2009000" in es["message"]  # Spanish thousands: a thin space
    en = client.post("/en/api/conv", json={"sample": "camera", "padding": "3000"}).json()
    assert en["message"].startswith("padding is over the lab's limit")
    assert "Received: 3,000" in en["message"]


def test_every_refusal_of_the_api_follows_the_page_language():
    from starlette.testclient import TestClient

    from cnnlab.web.server import make_app

    client = TestClient(make_app("en", allowed_hosts=["testserver"]))
    field = client.post("/es/api/conv", json={"sample": "camera", "stride": [1]}).json()
    assert field["message"].startswith("el campo 'stride' de conv no es válido; se esperaba "
                                       "un número")  # fmt: skip
    extra = client.post("/es/api/pool", json={"colour": 1}).json()
    assert extra["message"].startswith("pool no tiene el campo 'colour'")
    broken = client.post("/es/api/conv", content=b"{", headers={"content-type": "application/json"})
    assert broken.json()["message"].startswith("la solicitud no es JSON válido")
    missing = client.post("/es/api/nothing", json={})
    assert (missing.status_code, missing.text) == (404, "no encontrado\n")
    plain = client.post("/es/api/conv", content=b"{}", headers={"content-type": "text/plain"})
    assert plain.status_code == 415 and plain.text.startswith("se esperaba Content-Type")
    assert client.post("/en/api/nothing", json={}).text == "not found\n"


def test_a_connection_that_sends_no_request_head_is_closed(lab, monkeypatch):
    from cnnlab.web import guards

    monkeypatch.setattr(guards, "HEAD_SECONDS", 1.0)
    host, port = lab.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=15) as idle:
        idle.sendall(b"GET /en/ HTTP/1.1\r\nHost: ")  # and then nothing more
        assert idle.recv(1024) == b""  # closed by the server, not by our timeout


def test_tall_text_matrices_are_refused_before_parsing():
    tall = b"1\n" + b"1\r" * 100_000  # line breaks that splitlines() honours
    with pytest.raises(InputFileError, match="per side"):
        load_matrix_bytes(tall, "tall.csv", 2_000_000, False, 2048)


def test_refusals_are_not_cached_and_keys_are_digests():
    from starlette.testclient import TestClient

    from cnnlab.web.server import make_app

    app = make_app("en", allowed_hosts=["testserver"])
    client = TestClient(app)
    cache = app.state.serving.cache
    for n in range(3):
        client.post("/en/api/practice", json={"kind": f"nope{n}"})
    assert cache.items == {}
    client.post("/en/api/conv", json={"sample": "bidoof-worked"})
    (key,) = cache.items
    assert len(key[2]) == 20  # a digest of the body, not the body
