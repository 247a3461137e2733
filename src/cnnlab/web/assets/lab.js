// cnnlab's browser lab: sends the page's values to the lab's JSON API and shows the answers.
// Every HTML fragment inserted here was built and escaped by the server; text from the client
// side goes in with textContent only.
"use strict";

const LANG = document.body.dataset.lang;
const API = `/${LANG}/api/`;
const WORDS = {};
document.querySelectorAll("#words [data-key]").forEach((el) => {
  WORDS[el.dataset.key] = el.textContent;
});
const $ = (id) => document.getElementById(id);
// the server has turned a ?token= into a cookie: take it out of the address bar, which a
// projector shows to the whole room (and which history and bookmarks would keep)
if (new URLSearchParams(location.search).has("token")) {
  const clean = new URL(location.href);
  clean.searchParams.delete("token");
  history.replaceState(history.state, "", clean.pathname + clean.search + clean.hash);
}
const latest = {}; // the newest request of each event: older answers are dropped

async function call(event, body) {
  const ticket = (latest[event] = (latest[event] || 0) + 1);
  const response = await fetch(API + event, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
  let answer;
  try {
    answer = await response.json();
  } catch (err) {
    throw new Error(`HTTP ${response.status}`);
  }
  if (ticket !== latest[event]) return null;
  return answer;
}

function showError(target, text) {
  const box = document.createElement("div");
  box.className = "cnnlab-error";
  box.setAttribute("role", "alert");
  const title = document.createElement("b");
  title.textContent = WORDS.error;
  const pre = document.createElement("pre");
  pre.textContent = text;
  box.append(title, pre);
  $(target).replaceChildren(box);
}

async function run(event, body, target, show) {
  const panel = $(target).closest("section");
  panel.classList.add("busy");
  try {
    const answer = await call(event, body);
    if (answer) show(answer);
  } catch (err) {
    showError(target, WORDS.net_error.replace("{detail}", err.message));
  } finally {
    panel.classList.remove("busy");
  }
}

// ---- tabs ----
const tabs = [...document.querySelectorAll("[role=tab]")];
tabs.forEach((tab) =>
  tab.addEventListener("click", () => {
    tabs.forEach((other) => {
      const chosen = other === tab;
      other.setAttribute("aria-selected", String(chosen));
      $(other.getAttribute("aria-controls")).hidden = !chosen;
    });
  })
);

// ---- picture inputs (Convolution and Pooling) ----
const uploads = {};

function pictureInputs(prefix, recompute) {
  const input = $(`${prefix}-upload`);
  input.addEventListener("change", () => {
    const file = input.files[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      uploads[prefix] = reader.result; // a data: URL, decoded and checked by the server
      $(`${prefix}-upload-name`).textContent = file.name;
      recompute();
    };
    reader.readAsDataURL(file);
  });
  $(`${prefix}-upload-clear`).addEventListener("click", () => {
    uploads[prefix] = null;
    input.value = "";
    $(`${prefix}-upload-name`).textContent = WORDS.no_file;
    recompute();
  });
  $(`${prefix}-sample`).addEventListener("change", recompute);
}

const mapShapes = {}; // prefix -> [rows, cols] of the map on screen, for clicks on its picture

// Outline [top, left, bottom, right) of a picture whose shape is [rows, cols], in percent of
// the picture, so the box follows the picture whatever size the page gives it.
function outline(id, box, shape) {
  const mark = $(id);
  mark.hidden = !(box && shape);
  if (mark.hidden) return;
  const [top, left, bottom, right] = box;
  Object.assign(mark.style, {
    top: `${(100 * top) / shape[0]}%`, left: `${(100 * left) / shape[1]}%`,
    height: `${(100 * (bottom - top)) / shape[0]}%`, width: `${(100 * (right - left)) / shape[1]}%`,
  });
}

function showMap(prefix, answer) {
  $(`${prefix}-input`).src = answer.input || "";
  $(`${prefix}-map`).src = answer.map || "";
  $(`${prefix}-error`).innerHTML = answer.error;
  $(`${prefix}-sizes`).innerHTML = answer.sizes;
  $(`${prefix}-table`).innerHTML = answer.table;
  $(`${prefix}-explain`).innerHTML = answer.explain;
  mapShapes[prefix] = answer.shape_out;
  outline(`${prefix}-input-mark`, answer.window, answer.shape_in);
  const cell = answer.cell && [answer.cell[0], answer.cell[1], answer.cell[0] + 1, answer.cell[1] + 1];
  outline(`${prefix}-map-mark`, cell, answer.shape_out);
}

function pickCell(prefix, row, col, recompute) {
  $(`${prefix}-row`).value = row;
  $(`${prefix}-col`).value = col;
  recompute();
}

// A click on a cell of the map's table, or on the map's picture, explains that cell; the row
// and column boxes follow, and typing in them still works.
function clickableCells(prefix, recompute) {
  $(`${prefix}-table`).addEventListener("click", (e) => {
    const cell = e.target.closest("td");
    if (!cell) return;
    const row = cell.parentElement;
    pickCell(prefix, [...row.parentElement.children].indexOf(row),
      [...row.children].indexOf(cell) - 1, recompute); // first child is a th
  });
  $(`${prefix}-map`).addEventListener("click", (e) => {
    const shape = mapShapes[prefix];
    const picture = e.currentTarget.getBoundingClientRect();
    if (!shape || !picture.width || !picture.height) return;
    const at = (offset, side, n) => Math.min(n - 1, Math.max(0, Math.floor((offset / side) * n)));
    pickCell(prefix, at(e.clientY - picture.top, picture.height, shape[0]),
      at(e.clientX - picture.left, picture.width, shape[1]), recompute);
  });
}

const checked = (name) => document.querySelector(`input[name=${name}]:checked`).value;

function onEnter(ids, fn) {
  ids.forEach((id) => $(id).addEventListener("keydown", (e) => e.key === "Enter" && fn()));
}

// ---- Convolution ----
function convolve() {
  const body = {
    sample: $("conv-sample").value,
    upload: uploads.conv || null,
    kernel: $("conv-kernel").value,
    stride: $("conv-stride").value,
    padding: $("conv-padding").value,
    dilation: $("conv-dilation").value,
    mode: checked("conv-mode"),
    row: $("conv-row").value,
    col: $("conv-col").value,
  };
  return run("conv", body, "conv-error", (a) => showMap("conv", a));
}
pictureInputs("conv", convolve);
clickableCells("conv", convolve);
$("conv-compute").addEventListener("click", convolve);
onEnter(["conv-kernel", "conv-stride", "conv-padding", "conv-dilation", "conv-row", "conv-col"],
  convolve);
document.querySelectorAll("input[name=conv-mode]").forEach((r) =>
  r.addEventListener("change", convolve));
let kernelTexts = {};
$("conv-named").addEventListener("change", () => {
  const text = kernelTexts[$("conv-named").value];
  if (text !== undefined) $("conv-kernel").value = text;
  convolve();
});

// ---- Pooling ----
function pool() {
  const body = {
    sample: $("pool-sample").value,
    upload: uploads.pool || null,
    kind: checked("pool-kind"),
    size: $("pool-size").value,
    stride: $("pool-stride").value,
    padding: $("pool-padding").value,
    row: $("pool-row").value,
    col: $("pool-col").value,
  };
  return run("pool", body, "pool-error", (a) => showMap("pool", a));
}
pictureInputs("pool", pool);
clickableCells("pool", pool);
$("pool-compute").addEventListener("click", pool);
onEnter(["pool-size", "pool-stride", "pool-padding", "pool-row", "pool-col"], pool);
document.querySelectorAll("input[name=pool-kind]").forEach((r) => r.addEventListener("change", pool));

// ---- Model ----
function summarize() {
  const body = {
    model: $("model-spec").value,
    shape: $("model-shape").value,
    classes: $("model-classes").value,
  };
  return run("model", body, "model-error", (a) => {
    $("model-error").innerHTML = a.error;
    $("model-table").innerHTML = a.table;
    $("model-lines").innerHTML = a.lines;
  });
}
$("model-summarize").addEventListener("click", summarize);
onEnter(["model-spec", "model-shape", "model-classes"], summarize);

// ---- Draw a digit ----
const canvas = $("draw-canvas");
const ink = canvas.getContext("2d");
let drawn = false;

function blank() {
  ink.fillStyle = "#fff";
  ink.fillRect(0, 0, canvas.width, canvas.height);
  drawn = false;
}
blank();

function at(e) {
  const box = canvas.getBoundingClientRect();
  return [(e.clientX - box.left) * (canvas.width / box.width),
          (e.clientY - box.top) * (canvas.height / box.height)];
}

let last = null;
canvas.addEventListener("pointerdown", (e) => {
  canvas.setPointerCapture(e.pointerId);
  last = at(e);
  ink.fillStyle = "#000";
  ink.beginPath();
  ink.arc(last[0], last[1], 9, 0, 2 * Math.PI);
  ink.fill();
  drawn = true;
});
canvas.addEventListener("pointermove", (e) => {
  if (!last) return;
  const now = at(e);
  ink.strokeStyle = "#000";
  ink.lineWidth = 18;
  ink.lineCap = "round";
  ink.beginPath();
  ink.moveTo(last[0], last[1]);
  ink.lineTo(now[0], now[1]);
  ink.stroke();
  last = now;
});
const lift = () => {
  if (last) {
    last = null;
    predict();
  }
};
canvas.addEventListener("pointerup", lift);
canvas.addEventListener("pointercancel", lift);

function chosenRuns() {
  return [...document.querySelectorAll("#draw-runs input:checked")].map((c) => c.value);
}

function bars(prediction) {
  const card = document.createElement("div");
  card.className = "model-card";
  const title = document.createElement("h4");
  title.textContent = `${prediction.name} (${prediction.kind})`;
  const top = document.createElement("div");
  top.className = "top";
  top.textContent = prediction.probs[0][0];
  card.append(title, top);
  prediction.probs.slice(0, 10).forEach(([label, p], i) => {
    const row = document.createElement("div");
    row.className = i === 0 ? "bar-row best" : "bar-row";
    const name = document.createElement("span");
    name.textContent = label;
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.setAttribute("role", "meter");
    bar.setAttribute("aria-label", `${label} ${WORDS.probability}`);
    bar.setAttribute("aria-valuenow", p.toFixed(4));
    const fill = document.createElement("span");
    fill.style.width = `${(100 * p).toFixed(1)}%`;
    bar.append(fill);
    const value = document.createElement("span");
    const pct = (100 * p).toFixed(1);
    value.textContent = `${LANG === "es" ? pct.replace(".", ",") : pct} %`;
    row.append(name, bar, value);
    card.append(row);
  });
  card.dataset.top = prediction.probs[0][0];
  return card;
}

function showDrawing(a) {
  $("draw-note").textContent = a.note;
  $("draw-error").innerHTML = a.error;
  $("draw-results").replaceChildren(...a.predictions.map(bars));
  $("draw-seen").src = a.seen || "";
  const layers = a.features.map((f) => {
    const fig = document.createElement("figure");
    const cap = document.createElement("figcaption");
    cap.textContent = `${f.layer} · ${f.shape}`;
    const img = document.createElement("img");
    img.alt = cap.textContent;
    img.onload = () => {
      img.width = Math.min(720, img.naturalWidth * Math.max(1, Math.floor(360 / img.naturalHeight)));
    };
    img.src = f.image;
    fig.append(cap, img);
    return fig;
  });
  $("draw-features").replaceChildren(...layers);
}

function predict() {
  const body = {
    drawing: drawn ? canvas.toDataURL("image/png") : null,
    runs: chosenRuns(),
    dx: $("draw-dx").value,
    dy: $("draw-dy").value,
  };
  return run("draw", body, "draw-error", showDrawing);
}
$("draw-predict").addEventListener("click", predict);
$("draw-clear").addEventListener("click", () => {
  blank();
  predict();
});
["dx", "dy"].forEach((axis) =>
  $(`draw-${axis}`).addEventListener("input", () => {
    $(`draw-${axis}-value`).textContent = $(`draw-${axis}`).value;
    if (drawn) predict();
  })
);

// ---- Text tab: the language of a typed sentence, its characters coloured by kernel response ----
let textTimer = null;

function showText(a) {
  $("text-note").textContent = a.note || "";
  $("text-error").innerHTML = a.error;
  const shown = { name: $("text-run").value, kind: "text", probs: a.probs || [] };
  const results = shown.probs.length ? [bars(shown)] : [];
  $("text-results").replaceChildren(...results);
  const spans = (a.chars || []).map(([c, s]) => {
    const span = document.createElement("span");
    span.textContent = c;
    span.dataset.strength = s;
    span.style.backgroundColor = `rgba(255, 140, 0, ${s.toFixed(3)})`;
    return span;
  });
  $("text-colored").replaceChildren(...spans);
}

function readText() {
  const body = { run: $("text-run").value, text: $("text-input").value };
  return run("text", body, "text-error", showText);
}

function textRuns(runs) {
  const options = runs.map((r) => {
    const option = document.createElement("option");
    option.value = r.id;
    option.textContent = `${r.id} (${r.kind})`;
    option.title = r.note;
    return option;
  });
  $("text-run").replaceChildren(...options);
  readText();
}
$("text-input").addEventListener("input", () => {
  clearTimeout(textTimer);
  textTimer = setTimeout(readText, 150); // one request per pause in typing
});
$("text-run").addEventListener("change", readText);

// ---- start: what the lab offers, then the first answers ----
(async () => {
  try {
    const response = await fetch(API + "info", { credentials: "same-origin" });
    const info = await response.json();
    kernelTexts = info.kernels;
    textRuns(info.runs.filter((r) => r.text));
    const runs = info.runs.filter((r) => !r.text).map((r, i) => {
      const label = document.createElement("label");
      label.className = "choice";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = r.id;
      box.checked = i < 2;
      box.addEventListener("change", () => drawn && predict());
      label.title = r.note;
      label.append(box, document.createTextNode(` ${r.id} (${r.kind})`));
      return label;
    });
    $("draw-runs").replaceChildren(...runs);
    $("draw-note").textContent = runs.length ? "" : WORDS.no_run;
  } catch (err) {
    showError("draw-error", WORDS.net_error.replace("{detail}", err.message));
  }
  convolve();
  pool();
  summarize();
})();

// ---- Practice: exercises checked by the lab; the score stays in this browser ----
const practice = { kind: null, seed: 0, ticket: "", done: false };
const tally = JSON.parse(sessionStorage.getItem("cnnlab-score") || '{"right":0,"done":0}');

function showScore() {
  $("practice-score").textContent = WORDS.score
    .replace("{right}", tally.right).replace("{done}", tally.done);
}

function newExercise() {
  const kinds = [...document.querySelectorAll("input[name=practice-kind]:checked")].map((c) => c.value);
  const pool = kinds.length ? kinds : [...document.querySelectorAll("input[name=practice-kind]")]
    .map((c) => c.value);
  const draw = new Uint32Array(2);
  crypto.getRandomValues(draw);
  Object.assign(practice, { kind: pool[draw[0] % pool.length], seed: draw[1] % 2147483647,
                            level: $("practice-level").value, ticket: "", done: false });
  $("practice-answer").value = "";
  $("practice-verdict").replaceChildren();
  $("practice-solution").replaceChildren();
  const body = { kind: practice.kind, level: practice.level, seed: practice.seed };
  return run("practice", body, "practice-error", (a) => {
    $("practice-error").innerHTML = a.error;
    $("practice-question").innerHTML = a.question;
  });
}

function checkAnswer() {
  if (practice.kind === null || practice.done || !$("practice-answer").value.trim()) return;
  const body = { kind: practice.kind, level: practice.level, seed: practice.seed,
                 answer: $("practice-answer").value, ticket: practice.ticket };
  return run("practice", body, "practice-error", (a) => {
    $("practice-error").innerHTML = a.error;
    if (!a.checked) return;
    const verdict = document.createElement("p");
    verdict.className = a.correct ? "right" : "wrong";
    verdict.textContent = a.correct ? WORDS.right : `${WORDS.wrong} ${a.hint ? WORDS.hint_word + " " + a.hint : ""}`;
    $("practice-verdict").replaceChildren(verdict);
    $("practice-solution").innerHTML = a.solution;
    practice.ticket = a.ticket || "";
    if (a.correct || a.solution) {
      practice.done = true;
      tally.done += 1;
      tally.right += a.correct ? 1 : 0;
      sessionStorage.setItem("cnnlab-score", JSON.stringify(tally));
      showScore();
    }
  });
}
$("practice-new").addEventListener("click", newExercise);
$("practice-level").addEventListener("change", newExercise);
$("practice-check").addEventListener("click", checkAnswer);
onEnter(["practice-answer"], checkAnswer);
showScore();
newExercise();

// ---- generate ----
let genTimer = null;

function showGenerated(a) {
  $("gen-error").innerHTML = a.error;
  $("gen-note").textContent = a.note || "";
  $("gen-grid").hidden = !a.grid;
  if (a.grid) $("gen-grid").src = a.grid;
  clearInterval(genTimer);
  const frames = a.frames || [];
  $("gen-frame").hidden = frames.length === 0;
  if (frames.length) {
    let i = 0;
    const next = () => { $("gen-frame").src = frames[i % frames.length]; i += 1; };
    next();
    genTimer = setInterval(next, 180);
  }
}

function generateDigits(morphing) {
  const body = { label: $("gen-label").value, seed: $("gen-seed").value,
                 count: $("gen-count").value, morph_to: morphing ? $("gen-morph").value : "" };
  return run("generate", body, "gen-error", showGenerated);
}

$("gen-make").addEventListener("click", () => generateDigits(false));
$("gen-morph-go").addEventListener("click", () => generateDigits(true));
onEnter(["gen-label", "gen-seed", "gen-count"], () => generateDigits(false));
onEnter(["gen-morph"], () => generateDigits(true));

// ---- Find ----
function findThings() {
  const body = {
    sample: $("find-sample").value,
    upload: uploads.find || null,
    what: checked("find-what"),
    threshold: $("find-threshold").value,
  };
  return run("find", body, "find-error", (a) => {
    $("find-error").innerHTML = a.error;
    $("find-boxed").src = a.boxed || "";
    $("find-heat").src = a.heat || "";
    $("find-summary").textContent = a.summary || "";
    $("find-number").textContent = a.number || "";
    $("find-number-line").hidden = !a.number;
    const items = (a.boxes || []).map((b) => {
      const li = document.createElement("li");
      li.textContent = b.text;
      return li;
    });
    $("find-boxes").replaceChildren(...items);
  });
}
pictureInputs("find", findThings);
$("find-go").addEventListener("click", findThings);
document
  .querySelectorAll("input[name=find-what]")
  .forEach((r) => r.addEventListener("change", findThings));
