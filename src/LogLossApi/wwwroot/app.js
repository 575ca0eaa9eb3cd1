// The explainer: the article's walk-through for the article's ten points or your own data. Every number and picture
// comes from this service's endpoints; the page only checks that each cell is a number and says so in plain words.
"use strict";

const ARTICLE = {
  x: [-2.2, -1.4, -0.8, 0.2, 0.4, 0.8, 1.2, 2.2, 2.9, 4.6],
  labels: [0, 0, 1, 0, 1, 1, 1, 1, 1, 1],
};

const rows = document.querySelector("#samples tbody");
let pending = null;
let generation = 0;

const mode = () => document.querySelector('input[name="mode"]:checked').value;

function input(name, label, value) {
  const field = document.createElement("input");
  field.type = "text";
  field.inputMode = "decimal";
  field.name = name;
  field.setAttribute("aria-label", label);
  field.value = value; // set as a property, never spliced into markup: pasted text stays text
  return field;
}

function td(className, ...children) {
  const cell = document.createElement("td");
  if (className) cell.className = className;
  children.forEach((c) => cell.appendChild(c));
  return cell;
}

function error() {
  const span = document.createElement("span");
  span.className = "field-error";
  return span;
}

function addRow({ x = "", label = "", probability = "", weight = "1" } = {}) {
  const row = document.createElement("tr");
  const fitted = document.createElement("output");
  fitted.className = "fitted x-only";
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "remove";
  remove.textContent = "×";
  const loss = td("loss");
  row.append(
    td("index"),
    td("x-only", input("x", "", x), error()),
    td("", input("label", "", label), error()),
    td("", fitted, input("probability", "", probability), error()),
    td("p-only", input("weight", "", weight), error()),
    loss,
    td("", remove));
  row.querySelector('[name="probability"]').classList.add("p-only");
  rows.appendChild(row);
}

/** Numbers every row, and names every control by its row for screen readers. */
function renumber() {
  [...rows.children].forEach((row, i) => {
    row.querySelector(".index").textContent = i;
    for (const [name, text] of [["x", "x"], ["label", "label"], ["probability", "P(y = 1)"], ["weight", "weight"]]) {
      row.querySelector(`[name="${name}"]`).setAttribute("aria-label", `${text} of point ${i}`);
    }
    row.querySelector(".remove").setAttribute("aria-label", `Remove point ${i}`);
    row.querySelector('[name="x"] + .field-error').dataset.key = `x[${i}]`;
    row.querySelector('[name="label"] + .field-error').dataset.key = mode() === "x" ? `y[${i}]` : `labels[${i}]`;
    row.querySelector('[name="probability"] + .field-error').dataset.key = `probabilities[${i}]`;
    row.querySelector('[name="weight"] + .field-error').dataset.key = `weights[${i}]`;
  });
}

function fill(points) {
  rows.innerHTML = "";
  points.forEach((p) => addRow(p));
  renumber();
  schedule();
}

function article() {
  document.querySelector("#mean-loss").textContent = "…";
  const points = ARTICLE.x.map((x, i) => ({ x, label: ARTICLE.labels[i], probability: "", weight: "1" }));
  if (mode() === "p") {
    // The probabilities the article's model gives them, as the fit endpoint returns them.
    fitArticle().then((p) => fill(points.map((point, i) => ({ ...point, probability: p[i] }))));
    return;
  }
  fill(points);
}

async function fitArticle() {
  const response = await fetch("v1/logistic-regression", { method: "POST", headers: headers("application/json"), body: JSON.stringify({ x: ARTICLE.x, y: ARTICLE.labels }) });
  return (await response.json()).probabilities;
}

/** A cell as a number, or what to type instead, in plain words. */
function check(name, text) {
  const value = text.trim();
  const percent = /^(-?\d+(\.\d+)?)\s*%$/.exec(value);
  const comma = /^-?\d+,\d+$/.test(value);
  const number = value !== "" && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value) ? Number(value) : NaN;
  const between = "Enter a number between 0 and 1";
  switch (name) {
    case "x":
      if (value === "") return { error: "Enter a number." };
      if (comma) return { error: `Use a dot for decimals: ${value.replace(",", ".")}.` };
      return Number.isFinite(number) ? { value: number } : { error: "Enter a number, such as -1.5 or 2." };
    case "label":
      if (mode() === "x") return number === 0 || number === 1 ? { value: number } : { error: "Enter 0 or 1: the class of this point." };
      if (Number.isFinite(number) && number >= 0 && number <= 1) return { value: number };
      return { error: `${between} (0 or 1 for a hard label).` };
    case "probability":
      if (percent) return { error: `${between}: ${value} is ${Number(percent[1]) / 100}.` };
      if (comma) return { error: `${between}, with a dot for decimals: ${value.replace(",", ".")}.` };
      if (Number.isFinite(number) && number >= 0 && number <= 1) return { value: number };
      return { error: value === "" ? `${between}.` : `${between}: the probability that this point is positive.` };
    default:
      if (comma) return { error: `Use a dot for decimals: ${value.replace(",", ".")}.` };
      return Number.isFinite(number) && number >= 0 ? { value: number } : { error: "Enter a weight of 0 or more (1 counts the point once)." };
  }
}

function headers(accept) {
  const h = { "Content-Type": "application/json", Accept: accept };
  const key = document.querySelector("#api-key").value;
  if (key) h["X-Api-Key"] = key;
  return h;
}

function clearErrors() {
  document.querySelectorAll(".field-error[data-key]").forEach((e) => { e.textContent = ""; });
  document.querySelectorAll("input.invalid").forEach((e) => { e.classList.remove("invalid"); e.removeAttribute("aria-invalid"); });
}

function markError(target, message) {
  target.textContent = (target.textContent ? target.textContent + " " : "") + message;
  const field = target.previousElementSibling;
  if (field && field.tagName === "INPUT") {
    field.classList.add("invalid");
    field.setAttribute("aria-invalid", "true");
  }
}

/** Shows each error of a problem next to the cell its key names; the rest above the walk-through. */
function showProblem(problem) {
  const errors = problem.errors || { $: [problem.detail || problem.title] };
  for (const [key, messages] of Object.entries(errors)) {
    const target = document.querySelector(`.field-error[data-key="${CSS.escape(key)}"]`) || document.querySelector("#form-error");
    markError(target, (target.id === "form-error" && key !== "$" ? key + ": " : "") + messages.join(" "));
  }
}

function number(value, digits = 4) {
  return value === null || value === undefined ? "–" : Number(value).toFixed(digits);
}

/** The columns of the table as numbers, or false after marking every cell that is not one. */
function columns() {
  const names = mode() === "x" ? ["x", "label"] : ["label", "probability", "weight"];
  const read = Object.fromEntries(names.map((n) => [n, []]));
  let ok = true;
  for (const row of rows.children) {
    for (const name of names) {
      const field = row.querySelector(`[name="${name}"]`);
      const result = check(name, field.value);
      if (result.error) {
        markError(field.nextElementSibling, result.error);
        ok = false;
      }
      read[name].push(result.value);
    }
  }
  if (rows.children.length < 2) {
    markError(document.querySelector("#form-error"), "Add at least two points.");
    ok = false;
  }
  return ok && read;
}

async function post(path, request, accept = "application/json") {
  const response = await fetch(path, { method: "POST", headers: headers(accept), body: JSON.stringify(request) });
  return { ok: response.ok, response };
}

function showResult(result, fit) {
  const unit = result.unit;
  document.querySelector("#mean-loss").textContent = number(result.meanLoss);
  document.querySelector("#unit-label").textContent = unit;
  document.querySelector("#mean-loss-figure").textContent = `${number(result.meanLoss)} ${unit}`;
  document.querySelector("#loss-header").textContent = `loss (${unit})`;
  const clipped = result.clippedCount;
  document.querySelector("#summary-note").textContent = clipped > 0
    ? `· ${clipped} ${clipped === 1 ? "probability was" : "probabilities were"} clipped: a probability of exactly 0 or 1 would cost an infinite loss.`
    : `· over ${result.count} points`;
  [...rows.children].forEach((row, i) => {
    row.querySelector(".loss").textContent = number(result.losses[i]);
    row.querySelector(".fitted").textContent = fit ? number(fit.probabilities[i]) : "";
    const p = row.querySelector('[name="probability"]');
    p.classList.toggle("clipped", mode() === "p" && (p.value.trim() === "0" || p.value.trim() === "1"));
  });
  document.querySelector("#model").textContent = fit
    ? `p(x) = σ(${number(fit.coefficients[0])} x ${fit.intercept < 0 ? "−" : "+"} ${number(Math.abs(fit.intercept))})` : "";
  const classes = document.querySelector("#classes tbody");
  classes.innerHTML = "";
  for (const [name, c] of [["positive (y = 1)", result.classes.positive], ["negative (y = 0)", result.classes.negative]]) {
    const row = document.createElement("tr");
    for (const text of [name, c.count, number(c.weight, 2), `${number(c.lossSum)} ${unit}`, `${number(c.meanLoss)} ${unit}`]) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.appendChild(cell);
    }
    row.firstChild.className = name.startsWith("positive") ? "positive" : "negative";
    classes.appendChild(row);
  }
  document.querySelectorAll("#entropy output[data-field]").forEach((o) => {
    o.textContent = o.dataset.field === "baseRate" ? number(result.entropy.baseRate) : `${number(result.entropy[o.dataset.field])} ${unit}`;
  });
  const gain = result.entropy.informationGain;
  document.querySelector("#gain-text").textContent = gain >= 0
    ? `The model gains ${number(gain)} ${unit} per point over always predicting the base rate.`
    : `The model loses ${number(-gain)} ${unit} per point against always predicting the base rate: it does worse than knowing only the share of positives.`;
}

/** Nothing computed from earlier data stays on the page once the table no longer scores. */
function clearResults() {
  document.querySelector("#mean-loss").textContent = "–";
  document.querySelector("#mean-loss-figure").textContent = "–";
  document.querySelector("#summary-note").textContent = "· fix the highlighted cells";
  rows.querySelectorAll(".loss, .fitted").forEach((c) => { c.textContent = ""; });
  document.querySelector("#classes tbody").innerHTML = "";
  document.querySelector("#model").textContent = "";
  document.querySelectorAll("#entropy output[data-field]").forEach((o) => { o.textContent = "–"; });
  document.querySelector("#gain-text").textContent = "–";
  document.querySelectorAll(".chart").forEach((c) => { c.innerHTML = ""; });
  document.querySelector("#stale").hidden = false;
}

async function drawCharts(regression, scored, hardLabels, mine) {
  // Figure 7 ("either") is drawn in the order of x when there is an x, else in input order from the probabilities.
  const charts = [...document.querySelectorAll(".chart")].filter((c) => c.dataset.source !== "regression" || regression);
  document.querySelector("#soft-note").hidden = hardLabels;
  await Promise.all(charts.map(async (chart) => {
    if (chart.dataset.kind === "reliability" && !hardLabels) {
      chart.innerHTML = "";
      return;
    }
    const fitted = chart.dataset.source === "regression" || (chart.dataset.source === "either" && regression);
    const path = fitted ? "v1/logistic-regression/chart" : "v1/log-loss/chart";
    const { ok, response } = await post(`${path}?kind=${chart.dataset.kind}`, fitted ? regression : scored, "image/svg+xml");
    const svg = ok ? await response.text() : "";
    if (mine === generation) chart.innerHTML = svg;
  }));
}

async function score() {
  const mine = ++generation;
  clearErrors();
  const data = columns();
  if (!data) {
    clearResults();
    return;
  }
  const options = {
    unit: document.querySelector('input[name="unit"]:checked').value,
    labelSmoothing: Number(document.querySelector("#smoothing").value || 0),
  };
  let fit = null;
  let regression = null;
  let scored;
  if (mode() === "x") {
    regression = { x: data.x, y: data.label };
    const fitted = await post("v1/logistic-regression", regression);
    if (mine !== generation) return;
    fit = await fitted.response.json();
    if (!fitted.ok) {
      showProblem(fit);
      clearResults();
      return;
    }
    scored = { labels: data.label, probabilities: fit.probabilities, options };
  } else {
    scored = { labels: data.label, probabilities: data.probability, weights: data.weight, options };
  }
  const { ok, response } = await post("v1/log-loss", scored);
  if (mine !== generation) return;
  const result = await response.json();
  if (!ok) {
    showProblem(result);
    clearResults();
    return;
  }
  document.querySelector("#stale").hidden = true;
  showResult(result, fit);
  const hard = result.classes.positive.count + result.classes.negative.count === result.count;
  await drawCharts(regression, scored, hard, mine);
}

function schedule() {
  clearTimeout(pending);
  pending = setTimeout(() => { score().catch((e) => { document.querySelector("#form-error").textContent = String(e); }); }, 250);
}

/** RFC 4180 fields: commas and line breaks inside double quotes, "" for a quote. */
function csvRecords(text) {
  const records = [];
  let record = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === "," || c === ";" || c === "\t") { record.push(field.trim()); field = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(field.trim());
      if (record.some((f) => f !== "")) records.push(record);
      record = [];
      field = "";
    } else field += c;
  }
  record.push(field.trim());
  if (record.some((f) => f !== "")) records.push(record);
  return { records, open: quoted };
}

/** Reads pasted CSV by its header row; an unknown or missing column is said, never guessed. */
function readCsv(text) {
  const wanted = mode() === "x" ? ["x", "label"] : ["label", "probability", "weight"];
  const { records, open } = csvRecords(text);
  if (open) return { error: "A quoted field is never closed: every \" needs its partner." };
  if (records.length < 2) return { error: `Paste a header row (${wanted.join(", ")}) and at least one row of numbers.` };
  const header = records[0].map((f) => f.toLowerCase().replace(/^y$/, "label"));
  if (header.some((f) => f === "")) return { error: "A column of the header has no name: remove a leading index column (pandas' to_csv(index=False))." };
  const unknown = header.find((c) => !wanted.includes(c));
  if (unknown !== undefined) return { error: `Unknown column "${unknown}" in the header: use ${wanted.join(", ")}${mode() === "p" ? " (weight is optional)" : ""}.` };
  const missing = wanted.filter((c) => c !== "weight").find((c) => !header.includes(c));
  if (missing) return { error: `The header has no ${missing} column.` };
  const ragged = records.findIndex((r) => r.length !== header.length);
  if (ragged > 0) return { error: `Row ${ragged} has ${records[ragged].length} fields; the header has ${header.length}.` };
  const at = (record, name) => (header.includes(name) ? record[header.indexOf(name)] : "1");
  return { points: records.slice(1).map((r) => ({ x: at(r, "x"), label: at(r, "label"), probability: at(r, "probability"), weight: at(r, "weight") })) };
}

function useCsv() {
  const message = document.querySelector("#csv-error");
  const read = readCsv(document.querySelector("#csv").value);
  message.textContent = read.error || "";
  if (!read.error) fill(read.points);
}

/** The figures the current data has, in order: what Previous and Next step through. */
const shownSteps = () => [...document.querySelectorAll(".step")].filter((s) => s.offsetParent !== null);

function stepName(step) {
  return step.id === "figure-reliability" ? "Reliability" : `Figure ${step.id.replace("figure-", "")}`;
}

/** The figure whose top has scrolled up to the summary bar, or −1 above the first. */
function currentStep(steps) {
  const bar = document.querySelector("#summary").getBoundingClientRect().bottom;
  let current = -1;
  steps.forEach((s, i) => { if (s.getBoundingClientRect().top <= bar + 8) current = i; });
  return current;
}

function step(by) {
  const steps = shownSteps();
  const target = Math.min(steps.length - 1, Math.max(0, currentStep(steps) + by));
  // Just below the summary bar, whatever its height on this screen: once scrolled, it sticks to the top.
  const bar = document.querySelector("#summary").getBoundingClientRect().height;
  window.scrollTo({ top: window.scrollY + steps[target].getBoundingClientRect().top - bar, behavior: "instant" });
  showStep();
}

function showStep() {
  const steps = shownSteps();
  const current = currentStep(steps);
  document.querySelector("#step-label").textContent = current < 0 ? "Start" : `${stepName(steps[current])} · ${current + 1} of ${steps.length}`;
  document.querySelector("#previous-step").disabled = current <= 0;
  document.querySelector("#next-step").disabled = current >= steps.length - 1;
}

function applyMode() {
  document.body.dataset.mode = mode();
  document.querySelector("#skipped").hidden = mode() === "x";
  document.querySelector("#csv").placeholder = mode() === "x" ? "x,label\n-2.2,0\n0.4,1" : "label,probability,weight\n0,0.2,1\n1,0.7,2";
  renumber();
}

rows.addEventListener("input", schedule);
rows.addEventListener("click", (event) => {
  if (event.target.classList.contains("remove")) {
    event.target.closest("tr").remove();
    renumber();
    schedule();
  }
});
document.querySelector("#add-row").addEventListener("click", () => { addRow({ x: "0", label: "1", probability: "0.5" }); renumber(); schedule(); });
document.querySelector("#reset").addEventListener("click", article);
document.querySelector("#use-csv").addEventListener("click", useCsv);
document.querySelector("#options").addEventListener("input", schedule);
document.querySelector("#mode").addEventListener("change", () => { applyMode(); article(); });
document.querySelector("#next-step").addEventListener("click", () => step(1));
document.querySelector("#previous-step").addEventListener("click", () => step(-1));
window.addEventListener("scroll", showStep, { passive: true });
applyMode();
article();
showStep();
