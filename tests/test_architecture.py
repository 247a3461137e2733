"""The package's shape, read from its source: imports point down the layer order of
docs/architecture.md, never in a cycle, at module top; no function over 40 lines, no module over
400. New modules are checked the day they appear; there is no list of exceptions."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "cnnlab"

#: the layer order, lowest first (docs/architecture.md); a module's layer is its first name
LAYERS = (
    {"errors", "fileio", "i18n", "imageio", "html", "cpu", "delimited", "_version"},
    {"ops"},
    {"samples", "data", "models", "inputs", "shipped"},
    {"train"},
    {"viz"},
    {"experiments", "exercises", "generate", "detect", "text"},
    {"present", "deck"},
    {"cli", "web"},
    {"__init__", "__main__", "main", "serve_cmd"},
)
#: heavy libraries needed by one feature only, which may be imported inside the function that
#: uses them (the reason is on the line): each costs 0.3-1.5 s of every command's start
LAZY_OK = {"onnx", "onnxruntime", "playwright", "sklearn", "skimage", "mnist1d"}
#: optional language identifiers, used only by the text comparison (the dev extra)
LAZY_OK |= {"langid", "langdetect", "lingua"}
#: the catalog compiler, needed only when a .po file is new to the cache (cnnlab.i18n)
LAZY_OK |= {"babel"}


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(("cnnlab", *parts)).removesuffix(".__init__")
        out[name] = path
    return out


def layer(name: str) -> int:
    parts = name.split(".")
    first = parts[1] if len(parts) > 1 else "__init__"
    for i, names in enumerate(LAYERS):
        if first in names:
            return i
    raise AssertionError(f"{name} is in no layer; add its package to LAYERS and the docs")


def imported(node: ast.AST, name: str, is_pkg: bool, known) -> list[str]:
    """The cnnlab modules an import statement uses: ``from X import y`` is X.y when y is a
    module, and X itself when y is one of X's own names."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    assert isinstance(node, ast.ImportFrom)
    base = node.module or ""
    if node.level:
        package = name.split(".") if is_pkg else name.split(".")[:-1]
        base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
    subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known]
    return subs if len(subs) == len(node.names) else [base, *subs]


def imports() -> dict[str, list[tuple[str, bool, int]]]:
    """module → [(imported cnnlab module, at module top?, line)]."""
    known, out = modules(), {}
    for name, path in known.items():
        tree, found = ast.parse(path.read_text(encoding="utf-8")), []
        top = {id(n) for n in tree.body} | {
            id(n) for stmt in tree.body if isinstance(stmt, ast.If | ast.Try)
            for n in ast.walk(stmt)
        }  # fmt: skip
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                targets = imported(node, name, path.name == "__init__.py", known)
                found += [(t, id(node) in top, node.lineno) for t in targets if t in known]
        out[name] = found
    return out


def lazy_attribute_imports(path: Path) -> set[int]:
    """Lines of imports inside a module ``__getattr__`` (PEP 562: attributes loaded on use)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        n.lineno for f in tree.body
        if isinstance(f, ast.FunctionDef) and f.name == "__getattr__" for n in ast.walk(f)
        if isinstance(n, ast.Import | ast.ImportFrom)
    }  # fmt: skip


def test_imports_point_down_and_cli_and_web_never_meet():
    wrong = []
    for name, found in imports().items():
        for target, _, line in found:
            if layer(target) > layer(name):
                wrong.append(f"{name}:{line} imports {target} (a higher layer)")
            pair = {[*name.split("."), ""][1], [*target.split("."), ""][1]}
            if pair == {"cli", "web"}:
                wrong.append(
                    f"{name}:{line} imports {target} (cli and web never import each other)"
                )
    assert wrong == []


def test_no_import_cycles():
    graph = {name: {t for t, _, _ in found if t != name} for name, found in imports().items()}
    # a package imports its own modules by definition: ignore edges from a package to its parts
    for name in graph:
        graph[name] = {t for t in graph[name] if not t.startswith(name + ".")}
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(" → ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_cnnlab_imports_sit_at_module_top():
    known = modules()
    inner = []
    for name, found in imports().items():
        lazy = lazy_attribute_imports(known[name])
        inner += [f"{name}:{line} {t}" for t, top, line in found if not top and line not in lazy]
    assert inner == []


def test_lazy_imports_are_only_heavy_optional_libraries_with_a_reason():
    wrong = []
    for name, path in modules().items():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    target = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                    if func.name == "__getattr__":
                        continue
                    reason = "#" in lines[node.lineno - 1]
                    if (target or "").split(".")[0] not in {t.split(".")[0] for t in LAZY_OK}:
                        wrong.append(f"{name}:{node.lineno} imports {target} inside {func.name}")
                    elif not reason:
                        wrong.append(f"{name}:{node.lineno} lazy {target} without a reason")
    assert wrong == []


@pytest.mark.parametrize("limit", [40])
def test_no_function_over_40_lines(limit):
    long = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = node.end_lineno - node.lineno + 1
                if size > limit:
                    long.append(f"{name}.{node.name}: {size} lines")
    assert long == []


def test_no_module_over_400_lines():
    long = [f"{n}: {len(p.read_text().splitlines())}" for n, p in modules().items()
            if len(p.read_text().splitlines()) > 400]  # fmt: skip
    assert long == []
