"""The browser lab's page: four tabs wired to :mod:`cnnlab.web.handlers` (Gradio Blocks).

Only layout and wiring live here; every number comes from the handlers, which call the library.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr

from cnnlab.models import PRESETS
from cnnlab.samples import get_kernel, kernel_names, sample_names
from cnnlab.web import handlers
from cnnlab.web.render import error_html, kernel_text
from cnnlab.web.text import t

#: local fonts only: the page never asks a font server for anything
THEME = gr.themes.Soft(
    primary_hue="blue",
    font=["DejaVu Sans", "Helvetica Neue", "Arial", "sans-serif"],
    font_mono=["DejaVu Sans Mono", "Menlo", "Consolas", "monospace"],
)

CSS = """
.gradio-container { max-width: 1280px !important; margin: 0 auto; }
#cnnlab-head { display: flex; justify-content: space-between; align-items: baseline; }
#cnnlab-head h1 { margin: 0; font-size: 1.6rem; }
#cnnlab-head a { font-weight: bold; }
.cnnlab-error { border: 2px solid #c0392b; background: #fdecea; color: #7b1d12;
                border-radius: 8px; padding: 8px 12px; }
.cnnlab-error pre { white-space: pre-wrap; margin: 4px 0 0; font-size: 13px; }
table.matrix { border-collapse: collapse; margin: 4px 12px 10px 0; font-size: 12.5px;
               font-variant-numeric: tabular-nums; }
table.matrix caption { text-align: left; font-weight: bold; padding-bottom: 2px; }
table.matrix th { color: #6b7280; font-weight: normal; padding: 1px 5px; }
table.matrix td { text-align: right; padding: 1px 5px; border: 1px solid #e5e7eb; }
table.matrix td.mark { background: #fde68a; font-weight: bold; outline: 2px solid #d97706; }
.pair { display: flex; flex-wrap: wrap; gap: 8px; }
pre.sizes { font-size: 13px; background: #f3f4f6; padding: 8px; border-radius: 6px; }
p.dot { font-family: "DejaVu Sans Mono", monospace; font-size: 13px; overflow-wrap: anywhere; }
.pixelated img { image-rendering: pixelated; }
.summary table { border-collapse: collapse; font-size: 14px; margin: 4px 0 8px; }
.summary th, .summary td { border: none; border-bottom: 1px solid #e5e7eb; padding: 3px 12px; }
.summary th { background: #eef2f8; text-align: left; }
.summary .num { text-align: right; font-variant-numeric: tabular-nums; }
.summary tr.total td { font-weight: bold; border-top: 2px solid #1f2937; }
"""


def _header(lang: str) -> str:
    other = "es" if lang == "en" else "en"
    return (
        f'<div id="cnnlab-head"><h1>{t("title", lang)}</h1>'
        f'<a href="../{other}/" hreflang="{other}">{t("other_lang", lang)}</a></div>'
        f"<p>{t('intro', lang)} {t('offline', lang)}</p>"
    )


def _picture_inputs(lang: str, default: str) -> tuple[gr.Dropdown, gr.File]:
    sample = gr.Dropdown(sample_names(), value=default, label=t("sample", lang))
    upload = gr.File(
        label=t("upload", lang),
        file_types=[".png", ".jpg", ".jpeg", ".csv", ".tsv", ".txt", ".npy"],
        type="filepath",
        height=130,
    )
    return sample, upload


def _picture(label: str, height: int) -> gr.Image:
    """An output picture drawn with square pixels; download and full screen, no sharing."""
    return gr.Image(
        label=label,
        elem_classes="pixelated",
        interactive=False,
        height=height,
        format="png",
        buttons=["download", "fullscreen"],
    )


def _outputs(lang: str, map_key: str) -> dict:
    with gr.Row():
        shown = {
            "input": _picture(t("input_img", lang), 300),
            "map": _picture(t(map_key, lang), 300),
        }  # fmt: skip
    shown["error"] = gr.HTML()
    shown["sizes"] = gr.HTML()
    shown["table"] = gr.HTML()
    shown["explain"] = gr.HTML()
    return shown


def _show(view, lang: str) -> tuple:
    """A ConvView as the values of (input, map, sizes, table, explain, error)."""
    if view.message:
        gr.Warning(view.message.splitlines()[0])
    return (view.input_image, view.map_image, view.sizes, view.table, view.explain,
            error_html(view.message, lang))  # fmt: skip


def _conv_tab(lang: str) -> tuple:
    """Convolution controls and outputs; returns the (fn, inputs, outputs) to run on load."""
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            sample, upload = _picture_inputs(lang, "bidoof-worked")
            named = gr.Dropdown(kernel_names(), value="deck", label=t("kernel_pick", lang))
            kernel = gr.Textbox(kernel_text(get_kernel("deck")), label=t("kernel_text", lang))
            with gr.Row():
                stride = gr.Number(1, label=t("stride", lang), precision=0, minimum=1)
                dilation = gr.Number(1, label=t("dilation", lang), precision=0, minimum=1)
            padding = gr.Textbox("0", label=t("padding", lang))
            mode = gr.Radio(["correlate", "convolve"], value="correlate", label=t("mode", lang))
            gr.Markdown(t("pick_cell", lang))
            with gr.Row():
                row = gr.Number(0, label=t("row", lang), precision=0, minimum=0)
                col = gr.Number(0, label=t("col", lang), precision=0, minimum=0)
            go = gr.Button(t("compute", lang), variant="primary", elem_id="conv-compute")
        with gr.Column(scale=2):
            out = _outputs(lang, "map_img")
    inputs = [sample, upload, kernel, stride, padding, dilation, mode, row, col]
    targets = [out[k] for k in ("input", "map", "sizes", "table", "explain", "error")]

    def run(*values):
        return _show(handlers.convolution(*values, lang=lang), lang)

    fill = named.input(lambda name: kernel_text(get_kernel(name)), named, kernel)
    fill.then(run, inputs, targets)
    for trigger in (go.click, kernel.submit, padding.submit, row.submit, col.submit):
        trigger(run, inputs, targets)
    for picked in (sample.input, upload.upload, upload.clear, mode.input):
        picked(run, inputs, targets)
    return run, inputs, targets


def _pool_tab(lang: str) -> None:
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            sample, upload = _picture_inputs(lang, "bidoof")
            kind = gr.Radio(["max", "avg"], value="max", label=t("kind", lang))
            with gr.Row():
                size = gr.Number(2, label=t("size", lang), precision=0, minimum=1)
                stride = gr.Number(0, label=t("pool_stride", lang), precision=0, minimum=0)
                padding = gr.Number(0, label=t("pool_padding", lang), precision=0, minimum=0)
            gr.Markdown(t("pick_cell", lang))
            with gr.Row():
                row = gr.Number(0, label=t("row", lang), precision=0, minimum=0)
                col = gr.Number(1, label=t("col", lang), precision=0, minimum=0)
            go = gr.Button(t("compute", lang), variant="primary", elem_id="pool-compute")
        with gr.Column(scale=2):
            out = _outputs(lang, "pooled_img")
    inputs = [sample, upload, kind, size, stride, padding, row, col]
    targets = [out[k] for k in ("input", "map", "sizes", "table", "explain", "error")]

    def run(*values):
        return _show(handlers.pooling(*values, lang=lang), lang)

    for trigger in (go.click, sample.input, upload.upload, upload.clear, kind.input):
        trigger(run, inputs, targets)


def _model_tab(lang: str) -> tuple:
    """Spec or preset, input shape, classes; returns the (fn, inputs, outputs) to run on load."""
    with gr.Row():
        model = gr.Dropdown(
            list(PRESETS), value="lenet5", allow_custom_value=True, label=t("model", lang),
            scale=3,
        )  # fmt: skip
        shape = gr.Textbox("", label=t("input_shape", lang), placeholder="1x28x28", scale=1)
        classes = gr.Number(10, label=t("classes", lang), precision=0, minimum=1, scale=1)
    go = gr.Button(t("summarize", lang), variant="primary", elem_id="model-summarize")
    error, table, lines = gr.HTML(), gr.HTML(), gr.HTML()

    def run(*values):
        view = handlers.model_summary(*values, lang=lang)
        if view.message:
            gr.Warning(view.message.splitlines()[0])
        return view.table, view.lines, error_html(view.message, lang)

    go.click(run, [model, shape, classes], [table, lines, error])
    shape.submit(run, [model, shape, classes], [table, lines, error])
    return run, [model, shape, classes], [table, lines, error]


def _draw_tab(lang: str, run_folder: str | None) -> tuple:
    """Run folder, sketchpad and top-3; returns the (fn, inputs, outputs) to run on load."""
    with gr.Row():
        folder = gr.Textbox(run_folder or "", label=t("run_folder", lang), scale=4)
        load = gr.Button(t("load_run", lang), scale=1)
    run_note, error = gr.Markdown(), gr.HTML()
    with gr.Row():
        sketch = gr.Sketchpad(
            label=t("sketch", lang), type="numpy", image_mode="L", canvas_size=(280, 280),
            brush=gr.Brush(colors=["#000000"], default_size=12, color_mode="fixed"),
            layers=False, transforms=(), height=380,
        )  # fmt: skip
        with gr.Column():
            top = gr.Label(num_top_classes=3, label=t("top3", lang))
            seen = _picture(t("seen", lang), 180)
            go = gr.Button(t("predict", lang), variant="primary", elem_id="draw-predict")
            note = gr.Markdown(elem_id="draw-note")

    def info(path):
        view = handlers.run_info(path, lang)
        return view.note, error_html(view.message, lang)

    def predict(image, path):
        view = handlers.predict_drawing(image, path, lang)
        if view.message:
            gr.Warning(view.message.splitlines()[0])
        return view.probs or None, view.seen, view.note, error_html(view.message, lang)

    load.click(info, folder, [run_note, error])
    folder.submit(info, folder, [run_note, error])
    go.click(predict, [sketch, folder], [top, seen, note, error])
    return info, [folder], [run_note, error]


def build_blocks(lang: str = "en", run_folder: str | None = None) -> gr.Blocks:
    """The whole page in ``lang``; ``run_folder`` fills the Draw tab's run."""
    with gr.Blocks(title=t("title", lang), analytics_enabled=False) as page:
        gr.HTML(_header(lang))
        with gr.Tabs():
            with gr.Tab(t("tab_conv", lang), id="conv"):
                on_load = [_conv_tab(lang)]
            with gr.Tab(t("tab_pool", lang), id="pool"):
                _pool_tab(lang)
            with gr.Tab(t("tab_model", lang), id="model"):
                on_load.append(_model_tab(lang))
            with gr.Tab(t("tab_draw", lang), id="draw"):
                on_load.append(_draw_tab(lang, run_folder))
        for fn, inputs, outputs in on_load:
            page.load(fn, inputs, outputs)
    return page
