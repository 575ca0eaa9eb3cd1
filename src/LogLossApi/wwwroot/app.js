// The explainer: a table of labels and probabilities, scored by this service's own endpoints on every change.
"use strict";

const SEED = {
  labels: [0, 0, 1, 0, 1, 1, 1, 1, 1, 1],
  probabilities: [0.18501694588837675, 0.33066645716621124, 0.46953487599649574, 0.7005509561946973, 0.7396807160034903,
    0.8073813101077348, 0.8607888409403036, 0.9423394207361665, 0.9699431223066409, 0.9940973546598824],
};

const rows = document.querySelector("#samples tbody");
let pending = null;
let generation = 0;

function addRow(label, probability, weight = 1) {
  const index = rows.children.length;
  const row = document.createElement("tr");
  row.innerHTML =
    `<td>${index}</td>` +
    `<td><input type="text" inputmode="decimal" name="label"><span class="field-error" data-key="labels[${index}]"></span></td>` +
    `<td><input type="text" inputmode="decimal" name="probability"><span class="field-error" data-key="probabilities[${index}]"></span></td>` +
    `<td><input type="text" inputmode="decimal" name="weight"><span class="field-error" data-key="weights[${index}]"></span></td>` +
    `<td class="loss"></td>` +
    `<td><button type="button" class="remove" title="remove this row">×</button></td>`;
  // Values are set as properties, never spliced into the markup: pasted text stays text.
  row.querySelector('[name="label"]').value = label;
  row.querySelector('[name="probability"]').value = probability;
  row.querySelector('[name="weight"]').value = weight;
  rows.appendChild(row);
}

function fill(labels, probabilities, weights) {
  rows.innerHTML = "";
  labels.forEach((label, i) => addRow(label, probabilities[i], weights ? weights[i] : 1));
  schedule();
}

function renumber() {
  [...rows.children].forEach((row, i) => {
    row.children[0].textContent = i;
    row.querySelector('[name="label"] + .field-error').dataset.key = `labels[${i}]`;
    row.querySelector('[name="probability"] + .field-error').dataset.key = `probabilities[${i}]`;
    row.querySelector('[name="weight"] + .field-error').dataset.key = `weights[${i}]`;
  });
}

/** JSON numbers from the cells; text that is not a number is sent as a string so that the API names the cell. */
function cell(text) {
  const trimmed = text.trim();
  return trimmed !== "" && !Number.isNaN(Number(trimmed)) ? Number(trimmed) : trimmed;
}

function body() {
  const labels = [...rows.querySelectorAll('[name="label"]')].map((i) => cell(i.value));
  const probabilities = [...rows.querySelectorAll('[name="probability"]')].map((i) => cell(i.value));
  const weights = [...rows.querySelectorAll('[name="weight"]')].map((i) => cell(i.value));
  const unit = document.querySelector('input[name="unit"]:checked').value;
  const smoothing = Number(document.querySelector("#smoothing").value || 0);
  return { labels, probabilities, weights, options: { unit, labelSmoothing: smoothing } };
}

function headers(accept) {
  const h = { "Content-Type": "application/json", Accept: accept };
  const key = document.querySelector("#api-key").value;
  if (key) h["X-Api-Key"] = key;
  return h;
}

function clearErrors() {
  document.querySelectorAll(".field-error[data-key]").forEach((e) => { e.textContent = ""; });
  document.querySelectorAll("input.invalid").forEach((e) => e.classList.remove("invalid"));
}

/** Shows each error next to the cell its key names (labels[3], probabilities[3], options.…); the rest above the table. */
function showErrors(problem) {
  const errors = problem.errors || { $: [problem.detail || problem.title] };
  for (const [key, messages] of Object.entries(errors)) {
    const target = document.querySelector(`.field-error[data-key="${CSS.escape(key)}"]`) || document.querySelector("#form-error");
    target.textContent = (target.textContent ? target.textContent + " " : "") + (key === "$" || target.id !== "form-error" ? "" : key + ": ") + messages.join(" ");
    const input = target.previousElementSibling;
    if (input && input.tagName === "INPUT") input.classList.add("invalid");
  }
}

function number(value, digits = 4) {
  return value === null || value === undefined ? "–" : Number(value).toFixed(digits);
}

function showResult(result) {
  document.querySelector("#mean-loss").textContent = number(result.meanLoss);
  document.querySelector("#unit-label").textContent = result.unit;
  document.querySelector("#standard-error").textContent = number(result.standardError);
  document.querySelector("#count").textContent = result.count;
  (result.losses || []).forEach((loss, i) => { rows.children[i].querySelector(".loss").textContent = number(loss); });
  const classes = document.querySelector("#classes tbody");
  classes.innerHTML = "";
  for (const [name, c] of [["positive (y = 1)", result.classes.positive], ["negative (y = 0)", result.classes.negative]]) {
    const row = document.createElement("tr");
    row.innerHTML = `<td class="${name.startsWith("positive") ? "positive" : "negative"}">${name}</td><td>${c.count}</td><td>${number(c.weight, 2)}</td><td>${number(c.lossSum)}</td><td>${number(c.meanLoss)}</td>`;
    classes.appendChild(row);
  }

  document.querySelectorAll("#entropy output[data-field]").forEach((o) => { o.textContent = number(result.entropy[o.dataset.field]); });
}

/** Nothing that was computed from earlier data stays on the page once the table no longer scores. */
function clearResults() {
  for (const o of ["#mean-loss", "#standard-error", "#count"]) document.querySelector(o).textContent = "–";
  rows.querySelectorAll(".loss").forEach((c) => { c.textContent = ""; });
  document.querySelector("#classes tbody").innerHTML = "";
  document.querySelectorAll("#entropy output[data-field]").forEach((o) => { o.textContent = "–"; });
  document.querySelectorAll(".chart").forEach((c) => { c.innerHTML = ""; });
  document.querySelector("#stale").hidden = false;
}

async function drawCharts(request, mine) {
  for (const chart of document.querySelectorAll(".chart")) {
    const response = await fetch(`v1/log-loss/chart?kind=${chart.dataset.kind}`, { method: "POST", headers: headers("image/svg+xml"), body: JSON.stringify(request) });
    if (mine !== generation) return;
    chart.innerHTML = response.ok ? await response.text() : "";
  }
}

async function score() {
  const mine = ++generation;
  const request = body();
  const response = await fetch("v1/log-loss", { method: "POST", headers: headers("application/json"), body: JSON.stringify(request) });
  if (mine !== generation) return;
  clearErrors();
  const json = await response.json();
  if (!response.ok) {
    showErrors(json);
    clearResults();
    return;
  }

  document.querySelector("#stale").hidden = true;
  showResult(json);
  await drawCharts(request, mine);
}

function schedule() {
  clearTimeout(pending);
  pending = setTimeout(() => { score().catch((e) => { document.querySelector("#form-error").textContent = String(e); }); }, 250);
}

const CSV_COLUMNS = ["label", "probability", "weight"];

/**
 * Reads pasted CSV by its header when it has one (columns label, probability and optionally weight, in any order),
 * else as label,probability[,weight]. An unknown or missing column is said, never guessed.
 */
function readCsv(text) {
  const lines = text.trim().split(/\r?\n/).filter((l) => l.trim() !== "");
  const split = (line) => line.split(/[,;\t]/).map((f) => f.trim());
  if (lines.length === 0) return { error: "No rows found." };
  let columns = CSV_COLUMNS;
  const first = split(lines[0]);
  const hasHeader = first.some((f) => f !== "" && Number.isNaN(Number(f)));
  if (hasHeader) {
    columns = first.map((f) => f.replace(/^"(.*)"$/, "$1").toLowerCase());
    const unknown = columns.find((c) => !CSV_COLUMNS.includes(c));
    if (unknown !== undefined) return { error: `Unknown column "${unknown}" in the header: use label, probability and optionally weight.` };
    const missing = ["label", "probability"].find((c) => !columns.includes(c));
    if (missing) return { error: `The header has no ${missing} column.` };
    lines.shift();
  }

  // With a header every row is as wide as it; without one a row is label,probability or label,probability,weight.
  const parsed = lines.map(split);
  const fits = (f) => (hasHeader ? f.length === columns.length : f.length === 2 || f.length === 3);
  const ragged = parsed.findIndex((f) => !fits(f));
  if (parsed.length === 0) return { error: "No rows found below the header." };
  if (ragged >= 0) return { error: `Row ${ragged + 1} has ${parsed[ragged].length} fields; the columns are ${(hasHeader ? columns : CSV_COLUMNS).join(",")}.` };
  const field = (name) => { const k = columns.indexOf(name); return k < 0 ? null : parsed.map((f) => f[k] ?? "1"); };
  return { labels: field("label"), probabilities: field("probability"), weights: field("weight") };
}

function useCsv() {
  const error = document.querySelector("#csv-error");
  const read = readCsv(document.querySelector("#csv").value);
  error.textContent = read.error || "";
  if (!read.error) fill(read.labels, read.probabilities, read.weights);
}

rows.addEventListener("input", schedule);
rows.addEventListener("click", (event) => {
  if (event.target.classList.contains("remove")) {
    event.target.closest("tr").remove();
    renumber();
    schedule();
  }
});
document.querySelector("#add-row").addEventListener("click", () => { addRow(1, 0.5); schedule(); });
document.querySelector("#reset").addEventListener("click", () => fill(SEED.labels, SEED.probabilities));
document.querySelector("#use-csv").addEventListener("click", useCsv);
document.querySelector("#options").addEventListener("input", schedule);
fill(SEED.labels, SEED.probabilities);
