"""The lab's JSON API: its events and their fields, every value checked before use, and the
answers as JSON-ready dicts. No value a client sends is ever used as a path: files arrive as
base64 bytes, samples and runs are chosen by name from what the server offers."""

from __future__ import annotations

import base64
import binascii
import json
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cnnlab.detect.learn import WHATS
from cnnlab.errors import CnnlabError, InvalidArgumentError, clip
from cnnlab.exercises import KINDS, LEVELS
from cnnlab.i18n import N_, _, group, resolve_lang, speaking, translate, unknown_name
from cnnlab.samples import get_kernel, kernel_names, sample_names
from cnnlab.text import is_text_run
from cnnlab.train import Run
from cnnlab.web import drawing, finding, generating, handlers, practice, textlab
from cnnlab.web.jobs import Cancelled
from cnnlab.web.limits import LIMITS, Limits, check_at_most
from cnnlab.web.render import error_html, kernel_text, png_data_uri

#: every event of the page: its fields and their kinds (text, number, choice, file, list)
EVENTS: dict[str, dict[str, str]] = {
    "conv": {"sample": "choice", "upload": "file", "kernel": "text", "stride": "number",
             "padding": "text", "dilation": "number", "mode": "choice", "row": "number",
             "col": "number"},
    "pool": {"sample": "choice", "upload": "file", "kind": "choice", "size": "number",
             "stride": "number", "padding": "number", "row": "number", "col": "number"},
    "model": {"model": "text", "shape": "text", "classes": "number"},
    "draw": {"drawing": "file", "runs": "list", "dx": "number", "dy": "number"},
    "practice": {"kind": "choice", "level": "choice", "seed": "number", "answer": "text",
                 "ticket": "text"},
    "generate": {"generator": "choice", "label": "number", "morph_to": "text", "seed": "number",
                 "count": "number"},
    "find": {"sample": "choice", "upload": "file", "what": "choice", "threshold": "number"},
    "text": {"run": "choice", "text": "text"},
}  # fmt: skip
#: what a field left out (or null) means, as on the page when it opens
DEFAULTS: dict[str, dict[str, Any]] = {
    "conv": {"sample": "bidoof-worked", "kernel": "deck", "stride": 1, "padding": "0",
             "dilation": 1, "mode": "correlate", "row": 0, "col": 0},
    "pool": {"sample": "bidoof", "kind": "max", "size": 2, "stride": 0, "padding": 0, "row": 0,
             "col": 0},
    "model": {"classes": 10},
    "draw": {"dx": 0, "dy": 0},
    "practice": {"kind": "conv-cell", "level": "easy", "seed": 0, "answer": "", "ticket": ""},
    "generate": {"generator": "", "label": 3, "morph_to": "", "seed": 0, "count": 16},
    "find": {"sample": "astronaut", "what": "faces", "threshold": ""},
    "text": {"run": "", "text": ""},
}  # fmt: skip

MAX_RUNS_PER_REQUEST = 4
#: the most characters of each text field, checked when a request is decoded (before any parse
#: or "did you mean"): a name of the Limits, or a number of characters
TEXT_CHARS: dict[tuple[str, str], str | int] = {
    ("conv", "kernel"): "kernel_text", ("conv", "padding"): 40, ("model", "model"): "spec_chars",
    ("model", "shape"): 100, ("practice", "answer"): 2000, ("practice", "ticket"): 32,
    ("generate", "morph_to"): 40, ("text", "text"): "text_chars",
}  # fmt: skip
CHOICE_CHARS = 100  # the most characters of a choice (every name the lab offers is shorter)
#: the fields people type at length, named as the page names them in a refusal
FIELD_WORDS: dict[tuple[str, str], str] = {
    ("model", "model"): N_("the spec"), ("text", "text"): N_("the text"),
    ("conv", "kernel"): N_("the kernel"), ("practice", "answer"): N_("the answer"),
}  # fmt: skip


@dataclass
class Lab:
    """What one server offers: its language, runs, limits and the guards around them."""

    lang: str = "en"
    runs: dict[str, Run] = field(default_factory=dict)  # id (folder name) → run
    token: str | None = None
    allowed_hosts: Sequence[str] = ("127.0.0.1", "localhost", "::1")
    limits: Limits = LIMITS
    workers: int = 4
    generators: dict[str, Run] = field(default_factory=dict)  # id → a generative run
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))  # signs tickets


def run_ids(runs: Sequence[Run]) -> dict[str, Run]:
    """Runs by a short, unique id (their folder names: ``mnist-small-cnn``, ``mnist-mlp~2``)."""
    out: dict[str, Run] = {}
    for run in runs:
        name, n = run.path.name, 1
        while name in out:
            n += 1
            name = f"{run.path.name}~{n}"
        out[name] = run
    return out


def choices(lab: Lab, event: str, name: str) -> tuple[str, ...]:
    """What the lab offers for the choice field ``name`` of ``event`` ("" where the page may
    leave it empty: an upload instead of a sample, the first run or generator)."""
    if name == "sample":
        return ("", *sample_names())
    offered = {
        ("conv", "mode"): ("correlate", "convolve"),
        ("pool", "kind"): tuple(handlers.POOL_KINDS),
        ("practice", "kind"): tuple(KINDS),
        ("practice", "level"): LEVELS,
        ("generate", "generator"): ("", *lab.generators),
        ("find", "what"): WHATS,
        ("text", "run"): ("", *textlab.text_runs(lab.runs)),
    }
    return offered[event, name]


def field_error(event: str, name: str, expected: str, value: Any) -> InvalidArgumentError:
    """A field the page sent that is not of its kind; ``expected`` is an English text marked
    ``N_`` (or one already in the current language)."""
    shown = clip(json.dumps(value)) if not isinstance(value, str) else repr(clip(value))
    expected = translate(expected, resolve_lang(), {})
    return InvalidArgumentError(
        _("field {name!r} of {event} is not valid; expected {expected}. Received: {shown}",
          name=name, event=event, expected=expected, shown=shown)
    )  # fmt: skip


def decode_file(event: str, name: str, value: Any, limits: Limits) -> bytes | None:
    """A file field: null, or the file's bytes as base64 (a ``data:`` URL is fine)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise field_error(event, name, N_("the file's bytes as base64 text, or null"), value)
    if len(value) > math.ceil(limits.upload_bytes * 4 / 3) + 256:
        raise InvalidArgumentError(
            _("the file in {name!r} is over the lab's limit; expected at most {mb} MB. "
              "Received: about {n:,} bytes", name=name, mb=limits.upload_bytes // 2**20,
              n=len(value) * 3 // 4)
        )  # fmt: skip
    text = value.split(",", 1)[1] if value.startswith("data:") and "," in value else value
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise field_error(event, name, N_("the file's bytes as base64 text, or null"),
                          value) from None  # fmt: skip


def is_number_field(value: Any) -> bool:
    """A number, or text short enough to be one (the handlers parse and check it)."""
    if isinstance(value, bool):
        return False
    return (
        value is None
        or isinstance(value, int | float)
        or (isinstance(value, str) and len(value) <= 40)
    )


def decode_text(lab: Lab, event: str, name: str, kind: str, value: Any) -> str:
    """A text or choice field: text (or a number) of at most its characters; a choice also one
    of those the lab offers, compared as sent (a close one is suggested for a short name)."""
    if value is None:
        value = ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise field_error(event, name, N_("text"), value)
    text = str(value)
    cap = TEXT_CHARS.get((event, name), CHOICE_CHARS)
    cap = getattr(lab.limits, cap) if isinstance(cap, str) else cap
    if len(text) > cap and (event, name) in FIELD_WORDS:  # as the tab itself would say it
        check_at_most(FIELD_WORDS[event, name], len(text), cap, N_("characters"))
    if len(text) > cap:
        raise InvalidArgumentError(
            _("field {name!r} of {event} is over the lab's limit; expected at most {most} "
              "characters. Received: {n} characters starting {start!r}", name=name, event=event,
              most=group(cap), n=group(len(text)), start=clip(text, 20))
        )  # fmt: skip
    if kind == "choice" and text not in choices(lab, event, name):
        offered = [c for c in choices(lab, event, name) if c]
        raise unknown_name(f"{event}.{name}", text, offered)  # the field's name, as code
    return text


def decode_fields(event: str, body: Any, lab: Lab) -> dict[str, Any]:
    """The event's fields from a JSON body, each of the kind :data:`EVENTS` says, text held to
    its length and choices to what the lab offers."""
    limits, fields = lab.limits, EVENTS[event]
    if not isinstance(body, dict):
        raise field_error(event, "(body)", N_("a JSON object"), body)
    unknown = sorted(set(body) - set(fields))
    if unknown:
        raise InvalidArgumentError(
            _("{event} has no field {name!r}; expected only: {known}. Received: {n} unknown "
              "field(s)", event=event, name=str(unknown[0])[:40], known=", ".join(fields),
              n=len(unknown))
        )  # fmt: skip
    out: dict[str, Any] = {}
    for name, kind in fields.items():
        value = body.get(name)
        if value is None:
            value = DEFAULTS[event].get(name)
        if kind == "file":
            out[name] = decode_file(event, name, value, limits)
        elif kind == "list":
            if value is None:
                value = []
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            if not ok or len(value) > MAX_RUNS_PER_REQUEST:
                expected = _("a list of at most {n} run names", n=MAX_RUNS_PER_REQUEST)
                raise field_error(event, name, expected, value)
            out[name] = value
        elif kind == "number":
            if not is_number_field(value):
                raise field_error(event, name, N_("a number"), value)
            out[name] = value
        else:  # text, choice
            out[name] = decode_text(lab, event, name, kind, value)
    return out


# ---- the events: fields in, a JSON-ready dict out ----


def _map_answer(view: handlers.ConvView, lang: str) -> dict:
    return {
        "input": png_data_uri(view.input_image),
        "map": png_data_uri(view.map_image),
        "sizes": view.sizes,
        "table": view.table,
        "explain": view.explain,
        "value": view.value,
        "message": view.message,
        "error": error_html(view.message, lang),
        # where the page outlines the cell and its window, and how a click maps to a cell
        "cell": view.cell,
        "window": view.window,
        "shape_in": None if view.input_image is None else list(view.input_image.shape),
        "shape_out": None if view.map_image is None else list(view.map_image.shape),
    }


def answer(lab: Lab, lang: str, event: str, f: dict[str, Any]) -> dict:
    """Run ``event`` with decoded fields ``f``; every refusal is a message in the answer."""
    if event == "conv":
        view = handlers.convolution(f["sample"], f["upload"], f["kernel"], f["stride"],
                                    f["padding"], f["dilation"], f["mode"], f["row"], f["col"],
                                    lang)  # fmt: skip
        return _map_answer(view, lang)
    if event == "pool":
        view = handlers.pooling(f["sample"], f["upload"], f["kind"], f["size"], f["stride"],
                                f["padding"], f["row"], f["col"], lang)  # fmt: skip
        return _map_answer(view, lang)
    if event == "model":
        model = handlers.model_summary(f["model"], f["shape"], f["classes"], lang, lab.limits)
        return {"table": model.table, "lines": model.lines, "message": model.message,
                "error": error_html(model.message, lang)}  # fmt: skip
    if event == "practice":
        view = practice.practice(f["kind"], f["level"], f["seed"], f["answer"], f["ticket"],
                                 lab.secret, lang)  # fmt: skip
        return {"question": view.question, "checked": view.checked, "correct": view.correct,
                "hint": view.hint, "solution": view.solution, "ticket": view.ticket,
                "message": view.message, "error": error_html(view.message, lang)}  # fmt: skip
    if event == "generate":
        return _generate_answer(lab, lang, f)
    if event == "find":
        return _find_answer(lang, f, lab)
    if event == "text":
        return _text_answer(lab, lang, f)
    return _draw_answer(lab, lang, f)


def _generate_answer(lab: Lab, lang: str, f: dict[str, Any]) -> dict:
    name = f["generator"] or next(iter(lab.generators), "")
    if name not in lab.generators and lab.generators:
        expected = _("names from: {names}", names=", ".join(lab.generators))
        view = generating.GenerateView(message=str(field_error("generate", "generator", expected,
                                                               name)))  # fmt: skip
    else:
        view = generating.generate_digits(lab.generators.get(name), f["label"], f["morph_to"],
                                          f["seed"], f["count"], lang, lab.limits)  # fmt: skip
    return {"grid": png_data_uri(view.grid), "frames": [png_data_uri(p) for p in view.frames],
            "note": view.note, "message": view.message,
            "error": error_html(view.message, lang)}  # fmt: skip


def _find_answer(lang: str, f: dict[str, Any], lab: Lab) -> dict:
    view = finding.find_in_picture(f["sample"], f["upload"], f["what"], f["threshold"], lang,
                                   lab.limits)  # fmt: skip
    return {"boxed": png_data_uri(view.boxed), "heat": png_data_uri(view.heat),
            "boxes": list(view.boxes), "number": view.number, "summary": view.summary,
            "message": view.message, "error": error_html(view.message, lang)}  # fmt: skip


def _text_answer(lab: Lab, lang: str, f: dict[str, Any]) -> dict:
    view = textlab.read_text(lab.runs, f["run"], f["text"], lang, lab.limits)
    return {"probs": view.probs, "chars": view.chars, "kernels": view.kernels, "note": view.note,
            "message": view.message, "error": error_html(view.message, lang)}  # fmt: skip


def _draw_answer(lab: Lab, lang: str, f: dict[str, Any]) -> dict:
    names = list(dict.fromkeys(f["runs"]))  # each run once
    missing = [name for name in names if name not in lab.runs]
    if missing:
        expected = _("names from: {names}", names=", ".join(lab.runs) or _("(none)"))
        draw = drawing.DrawView(message=str(field_error("draw", "runs", expected, missing[0])))
    else:
        runs = [lab.runs[name] for name in names]
        draw = drawing.predict_drawing(f["drawing"], runs, f["dx"], f["dy"], lang, lab.limits)
    return {
        "predictions": [{"name": p.name, "kind": p.kind, "probs": p.probs}
                        for p in draw.predictions],
        "seen": png_data_uri(draw.seen),
        "features": [{"layer": n, "shape": s, "image": png_data_uri(g)}
                     for n, s, g in draw.features],
        "note": draw.note,
        "message": draw.message,
        "error": error_html(draw.message, lang),
    }  # fmt: skip


def compute(lab: Lab, lang: str, event: str, body: bytes) -> bytes:
    """The JSON answer to one request body: checked, computed, or a message saying why not,
    every message in the page's language ``lang``."""
    with speaking(lang):
        return _compute(lab, lang, event, body)


def _compute(lab: Lab, lang: str, event: str, body: bytes) -> bytes:
    try:
        fields = decode_fields(event, json.loads(body), lab)
    except CnnlabError as exc:
        return _refusal(str(exc), lang)
    except (ValueError, RecursionError) as exc:  # JSON that does not parse, or nests too deep
        why = str(exc)[:100] or type(exc).__name__
        return _refusal(_("the request is not valid JSON; expected a JSON object. "
                          "Received: {why}", why=why), lang)  # fmt: skip
    try:
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is caught just below
            result = answer(lab, lang, event, fields)
    except Cancelled:  # its client has gone: nobody reads an answer
        raise
    except Exception as exc:  # a defect, not the user's input: say so, keep serving
        error = f"{type(exc).__name__}: {str(exc)[:200]}"
        return _refusal(_("the lab could not compute this ({error})", error=error), lang)
    try:
        return json.dumps(result, allow_nan=False).encode()
    except ValueError:  # a value too large for JSON (an input of 1e308s convolved to infinity)
        return _refusal(_("the result holds values too large to show (infinity); expected "
                          "inputs whose results stay finite. Received: an overflowing "
                          "result"), lang)  # fmt: skip


def _refusal(message: str, lang: str) -> bytes:
    return json.dumps({"message": message, "error": error_html(message, lang)}).encode()


def info(lab: Lab, lang: str) -> dict:
    """What the page needs to start, and what a test needs to attack every event."""
    return {
        "events": EVENTS,
        "samples": sample_names(),
        "kernels": {name: kernel_text(get_kernel(name)) for name in kernel_names()},
        "runs": [
            {
                "id": rid,
                "kind": "CNN" if drawing.is_cnn(run) else "MLP",
                "text": is_text_run(run),
                "note": drawing.run_note(run, lang),
            }
            for rid, run in lab.runs.items()
        ],
        "generators": list(lab.generators),
        "limits": lab.limits.__dict__,
        "exercises": list(KINDS),
    }
