"""Every text and choice field of every event (read from the lab's own API info) is held to its
length when the request is decoded, and no refusal repeats more than 60 characters of what it
received; with the smaller points of the same review: a spec of separators only, the practice
solution, CSV line breaks."""

from __future__ import annotations

import base64
import json

import pytest
from starlette.testclient import TestClient

from cnnlab.errors import InputFileError
from cnnlab.inputs import load_matrix_bytes
from cnnlab.web.server import make_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client():
    return TestClient(make_app("en", allowed_hosts=["testserver"]))


def post(client, event: str, fields: dict, lang: str = "en") -> dict:
    answer = client.post(f"/{lang}/api/{event}", json=fields)
    assert answer.status_code == 200
    return answer.json()


def test_every_text_and_choice_field_is_capped_and_never_echoed_long(client):
    events = client.get("/en/api/info").json()["events"]
    fields = [(e, f) for e, kinds in events.items() for f, k in kinds.items()
              if k in ("text", "choice")]  # fmt: skip
    assert len(fields) >= 12
    for event, name in fields:
        huge = post(client, event, {name: "Q" * 100_000})  # refused at decoding
        assert huge["message"] and len(json.dumps(huge)) < 1000, (event, name)
        for value in ("Q" * 100_000, "face" + "Q" * 150):  # and a length some fields take
            text = json.dumps(post(client, event, {name: value}))
            assert "Q" * 61 not in text, (event, name)


def test_choices_are_checked_before_anything_else_and_suggested_only_when_short(client):
    near = post(client, "find", {"what": "face"})["message"]
    assert near.startswith("unknown find.what 'face'") and "Did you mean 'faces'?" in near
    long = post(client, "find", {"what": "faces" * 8})["message"]  # 40 characters: too long
    assert "Did you mean" not in long and long.startswith("unknown find.what")
    spanish = post(client, "conv", {"mode": "corelate"}, "es")["message"]
    assert spanish.startswith("conv.mode: 'corelate' no es un nombre conocido")


def test_a_spec_of_separators_only_is_refused_with_a_message(client):
    for spec in (",", "->", " , -> "):
        message = post(client, "model", {"model": spec})["message"]
        assert message.startswith("model spec has no layers, only separators"), message


def test_the_practice_solution_needs_a_wrong_answer_first(client):
    exercise = {"kind": "output-size", "level": "easy", "seed": 3}
    assert "ticket" in client.get("/en/api/info").json()["events"]["practice"]
    forged = post(client, "practice", {**exercise, "answer": "99999", "ticket": "0" * 32})
    assert forged["checked"] and not forged["correct"]
    assert forged["solution"] == "" and forged["hint"] and len(forged["ticket"]) == 32
    second = post(client, "practice", {**exercise, "answer": "99998", "ticket": forged["ticket"]})
    assert second["solution"] and not second["hint"]
    other = post(client, "practice", {**exercise, "seed": 4, "answer": "99999",
                                      "ticket": forged["ticket"]})  # fmt: skip
    assert other["solution"] == ""  # a ticket is good for its own exercise only
    old_page = post(client, "practice", {**exercise, "answer": "99999", "tries": 1})
    assert "has no field 'tries'" in old_page["message"]


def test_csv_with_cr_only_line_breaks_reads_as_its_rows(client):
    data = b"1,2,3\r4,5,6\r7,8,9\r"
    assert load_matrix_bytes(data, "cr.csv", 2_000_000, False, 2048).shape == (3, 3)
    upload = base64.b64encode(data).decode()
    answer = post(client, "conv", {"upload": upload, "kernel": "1", "row": 2, "col": 2})
    assert answer["message"] == "" and answer["value"] == 9.0


@pytest.mark.parametrize(
    "data, words",
    [(b"1,2\n3," + b"x" * 100_000 + b"\n", "is not a number"),
     (b"1,2\n" + b"3," * 1000 + b"4\n", "ragged rows")],
)  # fmt: skip
def test_file_readers_echo_at_most_60_characters_of_a_bad_cell_or_line(data, words):
    with pytest.raises(InputFileError, match=words) as caught:
        load_matrix_bytes(data, "bad.csv")
    assert len(str(caught.value)) < 300
