"""The two class notebooks run top to bottom on the small digits set, and teach the same code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = ("ayudantia-cnn-es.ipynb", "cnn-walkthrough-en.ipynb")


def _cells(name: str) -> list[dict]:
    """The cells, each source as one string (the file may store it as a list of lines)."""
    cells = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]
    for c in cells:
        c["source"] = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
    return cells


def test_notebooks_are_stored_without_outputs_and_share_their_code():
    code = {}
    for name in NAMES:
        cells = _cells(name)
        assert all(not c.get("outputs") and not c.get("execution_count") for c in cells
                   if c["cell_type"] == "code")  # fmt: skip
        code[name] = [c["source"].replace('LANG = "es"', 'LANG = "en"') for c in cells
                      if c["cell_type"] == "code"]  # fmt: skip
    assert code[NAMES[0]] == code[NAMES[1]]
    assert any("pip" in c and "install" in c for c in code[NAMES[0]][:1])  # installs first


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom(name, deck_pages, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("CNNLAB_NOTEBOOK_SMALL", "1")
    monkeypatch.setenv("CNNLAB_NOTEBOOK_OUT", str(deck_pages["out"]))
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": "."}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 6  # the figures are drawn inline
    text = "".join(o.get("text", "") for o in outputs)
    assert "✓" in text and "index.html" in text
