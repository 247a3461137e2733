"""The lab's page: one HTML document per language, its script and style sheet, all served from
memory (the lab serves no file from disk). Every text is escaped; the page loads nothing from
outside the lab, and its Content-Security-Policy forbids it to.
"""

from __future__ import annotations

from importlib import resources

from cnnlab.exercises import KINDS, LEVELS
from cnnlab.exercises.text import kind_name
from cnnlab.models import PRESETS
from cnnlab.samples import get_kernel, kernel_names, sample_names
from cnnlab.viz._html import esc
from cnnlab.web.render import kernel_text
from cnnlab.web.text import t

#: the script and the style sheet, read once from the package
ASSETS = {
    name: (resources.files("cnnlab.web") / "assets" / name).read_bytes()
    for name in ("lab.js", "lab.css")
}


def _options(values, selected: str | None = None) -> str:
    return "".join(
        f'<option value="{esc(v)}"{" selected" if v == selected else ""}>{esc(v)}</option>'
        for v in values
    )


def _number(id_: str, label: str, value: int, least: int | None = None) -> str:
    low = f' min="{least}"' if least is not None else ""
    return (
        f'<label class="field small">{esc(label)}'
        f'<input id="{id_}" type="number" step="1"{low} value="{value}"></label>'
    )


def _text(id_: str, label: str, value: str = "", placeholder: str = "") -> str:
    hint = f' placeholder="{esc(placeholder)}"' if placeholder else ""
    return (
        f'<label class="field">{esc(label)}'
        f'<input id="{id_}" type="text" value="{esc(value)}"{hint} spellcheck="false"></label>'
    )


def _picture_inputs(prefix: str, default: str, lang: str) -> str:
    return (
        f'<label class="field">{esc(t("sample", lang))}'
        f'<select id="{prefix}-sample">{_options(sample_names(), default)}</select></label>'
        f'<div class="field"><span>{esc(t("upload", lang))}</span>'
        f'<div class="file-row"><label class="button" for="{prefix}-upload">'
        f"{esc(t('choose_file', lang))}</label>"
        f'<input id="{prefix}-upload" class="hidden-file" type="file" '
        f'accept=".png,.jpg,.jpeg,.csv,.tsv,.txt,.npy">'
        f'<span id="{prefix}-upload-name" class="file-name">{esc(t("no_file", lang))}</span>'
        f'<button id="{prefix}-upload-clear" type="button" class="link">'
        f"{esc(t('clear_file', lang))}</button></div></div>"
    )


def _outputs(prefix: str, map_key: str, lang: str) -> str:
    return (
        '<div class="outputs">'
        f'<div class="pics"><figure><figcaption>{esc(t("input_img", lang))}</figcaption>'
        f'<div class="pic-box"><img id="{prefix}-input" class="pic" '
        f'alt="{esc(t("input_img", lang))}"><div id="{prefix}-input-mark" class="mark-box" '
        "hidden></div></div></figure>"
        f"<figure><figcaption>{esc(t(map_key, lang))}</figcaption>"
        f'<div class="pic-box"><img id="{prefix}-map" class="pic pick" '
        f'alt="{esc(t(map_key, lang))}" title="{esc(t("click_cell", lang))}">'
        f'<div id="{prefix}-map-mark" class="mark-box" hidden></div></div></figure></div>'
        f'<div id="{prefix}-error" aria-live="polite"></div>'
        f'<div id="{prefix}-sizes"></div><div id="{prefix}-table" class="cells"></div>'
        f'<div id="{prefix}-explain"></div></div>'
    )


def _cell_inputs(prefix: str, col: int, lang: str) -> str:
    return (
        f'<p class="hint">{esc(t("pick_cell", lang))}</p><div class="row">'
        f"{_number(prefix + '-row', t('row', lang), 0, 0)}"
        f"{_number(prefix + '-col', t('col', lang), col, 0)}</div>"
    )


def _radio(name: str, label: str, values: tuple[str, ...], lang: str) -> str:
    """Radio buttons whose values are the library's words and whose labels are the page's."""
    items = "".join(
        f'<label class="choice"><input type="radio" name="{name}" value="{v}"'
        f"{' checked' if i == 0 else ''}>{esc(t('choice_' + v, lang))}</label>"
        for i, v in enumerate(values)
    )
    return f'<fieldset class="field"><legend>{esc(label)}</legend>{items}</fieldset>'


def _conv_tab(lang: str) -> str:
    controls = (
        _picture_inputs("conv", "bidoof-worked", lang)
        + f'<label class="field">{esc(t("kernel_pick", lang))}'
        f'<select id="conv-named">{_options(kernel_names(), "deck")}</select></label>'
        + _text("conv-kernel", t("kernel_text", lang), kernel_text(get_kernel("deck")))
        + '<div class="row">'
        + _number("conv-stride", t("stride", lang), 1, 1)
        + _number("conv-dilation", t("dilation", lang), 1, 1)
        + "</div>"
        + _text("conv-padding", t("padding", lang), "0")
        + _radio("conv-mode", t("mode", lang), ("correlate", "convolve"), lang)
        + _cell_inputs("conv", 0, lang)
        + f'<button id="conv-compute" class="primary" type="button">{esc(t("compute", lang))}'
        "</button>"
    )
    return _two_columns(controls, _outputs("conv", "map_img", lang))


def _pool_tab(lang: str) -> str:
    controls = (
        _picture_inputs("pool", "bidoof", lang)
        + _radio("pool-kind", t("kind", lang), ("max", "avg"), lang)
        + '<div class="row">'
        + _number("pool-size", t("size", lang), 2, 1)
        + _number("pool-stride", t("pool_stride", lang), 0, 0)
        + _number("pool-padding", t("pool_padding", lang), 0, 0)
        + "</div>"
        + _cell_inputs("pool", 1, lang)
        + f'<button id="pool-compute" class="primary" type="button">{esc(t("compute", lang))}'
        "</button>"
    )
    return _two_columns(controls, _outputs("pool", "pooled_img", lang))


def _model_tab(lang: str) -> str:
    return (
        '<div class="row wide">'
        f'<label class="field grow">{esc(t("model", lang))}'
        '<input id="model-spec" type="text" list="model-presets" value="lenet5" '
        'spellcheck="false"></label>'
        f'<datalist id="model-presets">{_options(PRESETS)}</datalist>'
        + _text("model-shape", t("input_shape", lang), "", "1x28x28")
        + _number("model-classes", t("classes", lang), 10, 1)
        + "</div>"
        f'<button id="model-summarize" class="primary" type="button">'
        f"{esc(t('summarize', lang))}</button>"
        '<div id="model-error" aria-live="polite"></div>'
        '<div id="model-table"></div><div id="model-lines"></div>'
    )


def _draw_tab(lang: str) -> str:
    canvas = (
        f'<p class="hint">{esc(t("sketch", lang))}</p>'
        f'<canvas id="draw-canvas" width="280" height="280" aria-label="{esc(t("sketch", lang))}">'
        "</canvas>"
        '<div class="row">'
        f'<button id="draw-predict" class="primary" type="button">{esc(t("predict", lang))}'
        "</button>"
        f'<button id="draw-clear" type="button">{esc(t("clear", lang))}</button></div>'
        f'<fieldset class="field"><legend>{esc(t("models_pick", lang))}</legend>'
        '<div id="draw-runs"></div></fieldset>'
    )
    sliders = "".join(
        f'<label class="field">{esc(t(key, lang))} <output id="draw-{axis}-value">0</output>'
        f'<input id="draw-{axis}" type="range" min="-6" max="6" step="1" value="0"></label>'
        for axis, key in (("dx", "shift_x"), ("dy", "shift_y"))
    )
    results = (
        f'<p class="hint">{esc(t("shift_hint", lang))}</p>{sliders}'
        '<div id="draw-note" aria-live="polite"></div><div id="draw-error"></div>'
        '<div id="draw-results" class="results"></div>'
        f"<figure><figcaption>{esc(t('seen', lang))}</figcaption>"
        f'<img id="draw-seen" class="pic small-pic" alt="{esc(t("seen", lang))}"></figure>'
    )
    features = f'<h3>{esc(t("features", lang))}</h3><div id="draw-features" class="features"></div>'
    return _two_columns(canvas, results) + features


def _practice_tab(lang: str) -> str:
    kinds = "".join(
        f'<label class="choice"><input type="checkbox" name="practice-kind" value="{k}" '
        f"checked>{esc(kind_name(k, lang))}</label>"
        for k in KINDS
    )
    levels = "".join(f'<option value="{v}">{esc(t("level_" + v, lang))}</option>' for v in LEVELS)
    controls = (
        f'<p class="hint">{esc(t("practice_intro", lang))}</p>'
        f'<fieldset class="field"><legend>{esc(t("kinds_pick", lang))}</legend>{kinds}</fieldset>'
        f'<label class="field">{esc(t("level", lang))}<select id="practice-level">{levels}'
        "</select></label>"
        f'<button id="practice-new" class="primary" type="button">'
        f"{esc(t('new_exercise', lang))}</button>"
        '<p id="practice-score" aria-live="polite"></p>'
    )
    work = (
        '<div id="practice-error"></div><div id="practice-question"></div>'
        + _text("practice-answer", t("your_answer", lang))
        + f'<button id="practice-check" type="button">{esc(t("check", lang))}</button>'
        '<div id="practice-verdict" aria-live="polite"></div><div id="practice-solution"></div>'
    )
    return _two_columns(controls, work)


def _generate_tab(lang: str) -> str:
    controls = (
        f'<p class="hint">{esc(t("gen_intro", lang))}</p><div class="row">'
        + _number("gen-label", t("gen_label", lang), 3, 0)
        + _text("gen-morph", t("gen_morph_to", lang), "", "8")
        + _number("gen-seed", t("gen_seed", lang), 0, 0)
        + _number("gen-count", t("gen_count", lang), 16, 1)
        + '</div><div class="row">'
        f'<button id="gen-make" class="primary" type="button">{esc(t("gen_make", lang))}</button>'
        f'<button id="gen-morph-go" type="button">{esc(t("gen_morph", lang))}</button></div>'
    )
    results = (
        '<div id="gen-note" aria-live="polite"></div><div id="gen-error"></div>'
        f'<img id="gen-frame" class="pic small-pic" alt="{esc(t("gen_frame", lang))}" hidden>'
        f'<img id="gen-grid" class="pic" alt="{esc(t("gen_grid", lang))}" hidden>'
    )
    return _two_columns(controls, results)


def _text_tab(lang: str) -> str:
    controls = (
        f'<p class="hint">{esc(t("text_intro", lang))}</p>'
        f'<label class="field">{esc(t("text_label", lang))}'
        f'<textarea id="text-input" rows="3" spellcheck="false">{esc(t("text_example", lang))}'
        "</textarea></label>"
        f'<label class="field">{esc(t("text_run", lang))}<select id="text-run"></select></label>'
    )
    results = (
        '<div id="text-note" aria-live="polite"></div><div id="text-error"></div>'
        '<div id="text-results" class="results"></div>'
        f'<h3>{esc(t("text_kernels", lang))}</h3><p id="text-colored" class="colored"></p>'
    )
    return _two_columns(controls, results)


def _find_tab(lang: str) -> str:
    controls = (
        f'<p class="hint">{esc(t("find_intro", lang))}</p>'
        + _picture_inputs("find", "astronaut", lang)
        + _radio("find-what", t("find_what", lang), ("faces", "digits"), lang)
        + _text("find-threshold", t("threshold", lang), "", "0.9")
        + f'<button id="find-go" class="primary" type="button">{esc(t("find_go", lang))}'
        "</button>"
    )
    pics = "".join(
        f"<figure><figcaption>{esc(t(key, lang))}</figcaption>"
        f'<img id="find-{name}" class="pic" alt="{esc(t(key, lang))}"></figure>'
        for name, key in (("boxed", "boxes_img"), ("heat", "heat_img"))
    )
    outputs = (
        f'<div id="find-error" aria-live="polite"></div><p id="find-summary"></p>'
        f'<p id="find-number-line" hidden>{esc(t("number_read", lang))} '
        '<b id="find-number"></b></p>'
        f'<div class="pics">{pics}</div><ol id="find-boxes"></ol>'
    )
    return _two_columns(controls, outputs)


def _two_columns(left: str, right: str) -> str:
    return f'<div class="columns"><div class="controls">{left}</div><div>{right}</div></div>'


TABS = (("conv", "tab_conv", _conv_tab), ("pool", "tab_pool", _pool_tab),
        ("model", "tab_model", _model_tab), ("draw", "tab_draw", _draw_tab),
        ("practice", "tab_practice", _practice_tab), ("generate", "tab_generate", _generate_tab),
        ("find", "tab_find", _find_tab), ("text", "tab_text", _text_tab))  # fmt: skip

#: the words the script itself writes into the page
SCRIPT_WORDS = ("busy", "net_error", "no_file", "probability", "empty_canvas", "no_run", "error",
                "right", "wrong", "hint_word", "score")  # fmt: skip


def page_html(lang: str) -> str:
    """The whole page in ``lang`` (``"en"`` or ``"es"``)."""
    other = "es" if lang == "en" else "en"
    buttons = "".join(
        f'<button role="tab" id="tab-{key}" aria-controls="panel-{key}" '
        f'aria-selected="{"true" if i == 0 else "false"}" type="button">{esc(t(label, lang))}'
        "</button>"
        for i, (key, label, _) in enumerate(TABS)
    )
    panels = "".join(
        f'<section role="tabpanel" id="panel-{key}" aria-labelledby="tab-{key}"'
        f"{'' if i == 0 else ' hidden'}>{build(lang)}</section>"
        for i, (key, _, build) in enumerate(TABS)
    )
    words = "".join(f'<span data-key="{k}">{esc(t(k, lang))}</span>' for k in SCRIPT_WORDS)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(t('title', lang))}</title>"
        '<link rel="stylesheet" href="/assets/lab.css"></head>'
        f'<body data-lang="{lang}"><header id="cnnlab-head"><h1>{esc(t("title", lang))}</h1>'
        f'<a href="/{other}/" hreflang="{other}">{esc(t("other_lang", lang))}</a></header>'
        f"<p>{esc(t('intro', lang))} {esc(t('offline', lang))}</p>"
        f'<nav role="tablist">{buttons}</nav>{panels}'
        f'<div id="words" hidden>{words}</div>'
        '<script src="/assets/lab.js"></script></body></html>'
    )
