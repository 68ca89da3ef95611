// The monitor dashboard's script, served at /dashboard.js: polls /api/snapshot every 1.5 s and redraws the page.
// Every figure of a model is its last closed window's (the monitor says which); the open window is shown only as
// "in progress, n events". Window history comes from the monitor (?since=), so trends survive page loads.
"use strict";
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;",
  "'":"&#39;"})[c]);
const num = (v, d = 3) => (v === null || v === undefined || !isFinite(v)) ? "–" : Number(v).toFixed(d);
const int = (v) => Number(v).toLocaleString("en-US");
const pct = (v, d = 2) => (v === null || v === undefined || !isFinite(v)) ? "–" : (100 * v).toFixed(d) + " %";
// Latencies arrive in nanoseconds. A batch's latency shared over its transactions is often under a microsecond in a
// release build, so the unit follows the value (a fixed "ms" would read 0.00 ms).
const unitOf = (ns) => ns >= 1e6 ? {d: 1e6, u: "ms"} : ns >= 1e3 ? {d: 1e3, u: "µs"} : {d: 1, u: "ns"};
const digits = (v) => v >= 100 ? 0 : v >= 10 ? 1 : 2;
const lat = (ns) => { const {d, u} = unitOf(ns); const v = ns / d; return (d === 1 ? v.toFixed(0) :
  v.toFixed(digits(v))) + " " + u; };
const chip = (level) =>
  `<span class="chip ${esc(level)}">${esc(level === "unspecified" ? "n/a" : level)}</span>`;
const clock = (us) => new Date(us / 1000).toISOString().slice(11, 16);
// A compact axis number: 1234.5 → "1.2k", 0.25 → "0.25".
const short = (v) => Math.abs(v) >= 1e6 ? (v / 1e6).toFixed(1) + "M" : Math.abs(v) >= 1e3 ? (v / 1e3).toFixed(1)
  + "k" : Math.abs(v) >= 10 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2);
function duration(s) {
  s = Math.floor(s); const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600),
    m = Math.floor(s % 3600 / 60);
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : m ? `${m}m ${s % 60}s` : `${s}s`;
}
let selected = null, picked = null, chosenByUser = false, last = null;
const windows = {};   // model → window start (µs) → history window with per-feature statistics, from the monitor
let since = 0;        // the next poll asks for the windows starting after the newest one held

// The version shown by default: the most recently registered one that is not idle (else the newest).
function newest(models) {
  const live = models.filter((m) => !m.idle);
  const pool = live.length ? live : models;
  return pool.reduce((a, b) => (b.registered_at_unix_us > a.registered_at_unix_us ? b : a), pool[0]);
}

function keep(history, length) {
  for (const w of history) {
    const book = windows[w.model_version] = windows[w.model_version] || {};
    book[w.start_unix_us] = w;
    since = Math.max(since, w.start_unix_us + 1);
  }
  // Bounded: the 60 most recent windows of each model.
  for (const book of Object.values(windows)) {
    const keys = Object.keys(book).map(Number).sort((a, b) => a - b);
    for (const k of keys.slice(0, Math.max(0, keys.length - 60))) delete book[k];
  }
}

// The model's windows, oldest first, with the empty windows between them filled in as gaps.
function series(model, length) {
  const book = windows[model] || {};
  const keys = Object.keys(book).map(Number).sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) for (let t = keys[i - 1] + length; t < keys[i]; t += length) out.push({start_unix_us: t, events: 0});
    out.push(book[keys[i]]);
  }
  return out.slice(-60);
}

// The PSI trend against the feature's own thresholds (the dashed line is its alert threshold).
function sparkline(values, warn, alert) {
  const vals = values.filter((v) => v !== null);
  if (vals.length === 0) return "";
  const w = 90, h = 20, max = Math.max(alert * 1.2, ...vals);
  const x = (i) => values.length === 1 ? w - 3 : 2 + i * (w - 5) / (values.length - 1);
  const y = (v) => h - 2 - (h - 4) * Math.min(v, max) / max;
  const lastV = vals[vals.length - 1];
  const color = lastV >= alert ? "var(--alert)" : lastV >= warn ? "var(--warn)" : "var(--ok)";
  return `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" aria-hidden="true">` +
    `<line x1="0" x2="${w}" y1="${y(alert)}" y2="${y(alert)}" stroke="#f3c1bb" stroke-dasharray="2 2"/>` +
    segments(values.map((v, i) => v === null ? null : [x(i), y(v)]))
      .map((s) => `<path d="${path(s)}" fill="none" stroke="${color}" stroke-width="1.5"/>`).join("") + `</svg>`;
}

// Runs of consecutive non-null points: an empty window is a gap in the line, never a drop to zero.
function segments(points) {
  const out = []; let run = [];
  for (const p of points) { if (p) run.push(p); else if (run.length) { out.push(run); run = []; } }
  if (run.length) out.push(run);
  return out;
}
const path = (pts) => pts.map((p, i) => `${i ? "L" : "M"}${p[0].toFixed(1)},${p[1].toFixed(1)}`).join("");

function chart(svg, xs, lines, opts) {
  const W = 560, H = 220, L = 56, R = 12, T = 10, B = 26;
  let out = "";
  if (xs.length === 0) { svg.innerHTML = `<text x="${W / 2}" y="${H / 2}" text-anchor="middle">` +
    "no closed window yet</text>"; return; }
  const all = [];
  for (const s of lines) for (const v of s.values) if (v !== null && isFinite(v)) all.push(v);
  if (opts.band) for (const b of opts.band) if (b) all.push(b[0], b[1]);
  if (opts.base !== undefined) all.push(opts.base);
  const top = Math.max(...all, 1e-9) * 1.1;
  const x = (i) => xs.length === 1 ? (L + W - R) / 2 : L + i * (W - L - R) / (xs.length - 1);
  const y = (v) => T + (H - T - B) * (1 - v / top);
  for (let g = 0; g <= 4; g++) {
    const v = top * g / 4;
    out += `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#eaeef2"/>`;
    out += `<text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${opts.fmt(v)}</text>`;
  }
  const step = Math.max(1, Math.ceil(xs.length / 6));
  xs.forEach((t, i) => { if ((i % step === 0 && xs.length - 1 - i >= step / 2) || i === xs.length - 1)
    out += `<text x="${x(i)}" y="${H - 8}" text-anchor="middle">${esc(t)}</text>`; });
  if (opts.band) for (const run of segments(opts.band.map((b, i) => b ? [i, b] : null))) {
    const up = run.map(([i, b]) => `${x(i)},${y(b[1])}`), lo = run.map(([i, b]) => `${x(i)},${y(b[0])}`);
    out += `<polygon points="${up.concat(lo.reverse()).join(" ")}" fill="#b6d5f5" opacity="0.7"/>`;
  }
  if (opts.base !== undefined) out += `<line x1="${L}" x2="${W - R}" y1="${y(opts.base)}" y2="${y(opts.base)}"` +
    ` stroke="var(--orange)" stroke-width="1.5" stroke-dasharray="6 4"/>`;
  for (const s of lines) {
    const pts = s.values.map((v, i) => v === null ? null : [x(i), y(v)]);
    for (const run of segments(pts)) out += `<path d="${path(run)}" fill="none" stroke="${s.color}"` +
      ` stroke-width="2"/>`;
    pts.forEach((p, i) => { if (p) out += `<circle cx="${p[0]}" cy="${p[1]}" r="2.5" fill="${s.color}">` +
      `<title>${esc(xs[i])}: ${esc(opts.fmt(s.values[i]))}</title></circle>`; });
  }
  svg.innerHTML = out;
}

// Reference vs live shares per bin. The bins are the training quantiles, drawn equally wide: a heavy-tailed
// amount then reads bin by bin (each about the same share of training values) instead of one tall bar at zero.
function overlay(svg, d, note) {
  const W = 560, H = 220, L = 48, R = 10, T = 10, B = 34;
  if (!d) { svg.innerHTML = ""; return; }
  const n = d.reference_shares.length;
  const live = d.closed_counts.reduce((a, b) => a + b, 0);
  const shares = d.closed_counts.map((c) => live ? c / live : 0);
  const top = Math.max(...d.reference_shares, ...shares, 1e-9) * 1.1;
  const bw = (W - L - R) / n, y = (v) => T + (H - T - B) * (1 - v / top);
  let out = "";
  for (let g = 0; g <= 4; g++) {
    const v = top * g / 4;
    out += `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#eaeef2"/>` +
      `<text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${(100 * v).toFixed(v < 0.1 ? 1 : 0)} %</text>`;
  }
  d.reference_shares.forEach((s, i) => { out += `<rect class="ref" x="${(L + i * bw + 1).toFixed(1)}" ` +
    `y="${y(s).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${(y(0) - y(s)).toFixed(1)}">` +
    `<title>training ${(100 * s).toFixed(2)} %</title></rect>`; });
  if (live) {
    const pts = shares.map((s, i) => [L + (i + 0.5) * bw, y(s)]);
    out += `<path class="live" d="${path(pts)}"/>` + pts.map((p, i) => `<circle class="live" cx="${p[0].toFixed(1)}"` +
      ` cy="${p[1].toFixed(1)}" r="3"><title>live ${(100 * shares[i]).toFixed(2)} % (${int(d.closed_counts[i])})` +
      `</title></circle>`).join("");
  }
  // Edge labels under the bin boundaries, thinned to about eight.
  const every = Math.max(1, Math.ceil(d.edges.length / 8));
  d.edges.forEach((e, i) => { if (i % every === 0) out += `<text x="${(L + (i + 1) * bw).toFixed(1)}" ` +
    `y="${H - 18}" text-anchor="middle">${esc(short(e))}</text>`; });
  out += `<text x="${(W + L) / 2}" y="${H - 3}" text-anchor="middle">training quantile bins (edges shown)` +
    `</text>`;
  svg.innerHTML = out;
  note.textContent = live ? `${int(live)} live values` + (d.closed_missing ? `, ${int(d.closed_missing)} missing`
    : "") + ` · ${int(d.reference_count)} training values` : "no values in the last closed window";
}

function render(snap) {
  last = snap;
  keep(snap.history, snap.window_length_seconds * 1e6);
  if (!snap.models.length) { $("window").textContent = "no model has reported yet"; }
  if (!chosenByUser || !snap.models.some((m) => m.model_version === selected))
    selected = snap.models.length ? newest(snap.models).model_version : null;
  $("models").innerHTML = snap.models.map((m) => `<button type="button" aria-pressed="${m.model_version ===
    selected}" data-v="${esc(m.model_version)}">${esc(m.model_version)}${m.idle ? " · idle" : ""}</button>`)
    .join("");
  for (const b of $("models").querySelectorAll("button"))
    b.onclick = () => { selected = b.dataset.v; chosenByUser = true; render(last); };
  const model = snap.models.find((m) => m.model_version === selected);
  if (model) $("report").href = "/report.html?model=" + encodeURIComponent(model.model_version);
  $("k-events").textContent = int(snap.events_total);
  $("k-events-s").textContent = model ? `${int(model.events_total)} by this model` : "";
  $("k-uptime").textContent = duration(snap.uptime_seconds);
  $("k-started").textContent = "since " + new Date(snap.started_at_unix_us / 1000).toISOString()
    .slice(0, 16).replace("T", " ") + " UTC";
  if (model) {
    const r = model.window_rates, l = model.window_latency;
    const at = snap.window_length_seconds % 60 ? (us) => new Date(us / 1000).toISOString().slice(11, 19)
      : clock;
    const which = model.window_closed ? `window ${at(model.window_start_unix_us)}–${at(model.window_end_unix_us)}`
      + " UTC" : "no window closed yet";
    $("window").textContent = `${which} · ${snap.window_length_seconds}s windows` +
      (model.idle ? ` · idle for ${model.idle_windows} windows` : "");
    $("k-open").textContent = int(model.open_window_events);
    $("k-open-s").textContent = `in progress since ${at(model.open_window_start_unix_us)} UTC, events so far`;
    $("k-rate").textContent = model.window_closed ? num(model.throughput_per_second, 1) : "–";
    $("k-rate-s").textContent = which;
    $("drift-window").textContent = which;
    $("k-flag").innerHTML = r.events ? `${pct(r.flag_rate)} ${chip(r.status)}` : `– ${chip("unspecified")}`;
    $("k-flag-s").textContent = (r.events ? `95 % interval ${pct(r.flag_rate_low)}–${pct(r.flag_rate_high)}`
      : "no events in the last closed window") + " · training " + pct(r.base_flag_rate) + " · " + which;
    $("k-p99").textContent = l.count ? lat(l.p99_ns) : "–";
    $("k-p99-s").textContent = l.count ? `p50 ${lat(l.p50_ns)} · p99.9 ${lat(l.p999_ns)} · ${which}`
      : "no events in the last closed window";
    renderDrift(model, snap);
    renderOverlays(model, which);
    renderCharts(snap, model);
  }
  renderAlerts(snap.alerts.filter((a) => a.level === "warn" || a.level === "alert"));
  renderLabels(snap);
  $("producers").tBodies[0].innerHTML = snap.producers.length ? snap.producers.map((p) =>
    `<tr><td>${esc(p.producer_id)}</td><td>${int(p.events)}</td><td>${int(p.last_sequence)}</td>` +
    `<td>${p.missing ? chip("warn").replace(">warn<", ">" + int(p.missing) + "<") : "0"}</td>` +
    `<td>${int(p.duplicates)}</td><td>${int(p.reported_dropped)}</td><td>${p.gaps.slice(-3).map((g) =>
    g.first === g.last ? `${g.first}` : `${g.first}–${g.last}`).join(", ") || "–"}</td></tr>`).join("")
    : `<tr><td colspan="7" class="empty">no producers yet</td></tr>`;
  // Read by the browser test: at phone width nothing may scroll sideways.
  document.body.dataset.overflowX = String(document.documentElement.scrollWidth > window.innerWidth);
}

function renderDrift(model, snap) {
  const feats = model.drift.features.slice();
  feats.sort((a, b) => (b.name === "Amount") - (a.name === "Amount"));
  const hist = series(model.model_version, snap.window_length_seconds * 1e6);
  const trend = (name) => hist.map((w) => {
    const f = name === "score" ? w.score : (w.features || []).find((x) => x.name === name);
    return f && f.count ? f.psi : null;
  });
  // An empty window has no statistics: dashes, not zeros.
  const val = (f, v) => f.count === 0 ? "–" : num(v);
  // The thresholds the status is judged on; the letter says where they come from (c calibrated, m monitor).
  const mark = {calibrated: " c", monitor: " m"};
  const limits = (f) => `<span title="${esc(f.threshold_source)}">${num(f.warn_threshold, 2)} / ` +
    `${num(f.alert_threshold, 2)}${mark[f.threshold_source] || ""}</span>`;
  const row = (f, cls) => `<tr class="${cls}${f.name === picked ? " picked" : ""}" data-f="${esc(f.name)}">` +
    `<td>${esc(f.name)}</td><td>${val(f, f.psi)}</td>` +
    `<td>${val(f, f.js_distance)}</td><td>${val(f, f.ks_statistic)}</td>` +
    `<td>${val(f, f.wasserstein_normed)}</td>` +
    `<td>${chip(f.status)}</td><td>${limits(f)}</td>` +
    `<td>${sparkline(trend(f.name), f.warn_threshold, f.alert_threshold)}</td><td>${int(f.count)}</td></tr>`;
  $("drift").tBodies[0].innerHTML = model.reference_known ? feats.map((f) => row(f, "")).join("") +
    row(model.drift.score, "score") :
    `<tr><td colspan="9" class="empty">reference profile not registered: drift is not computed</td></tr>`;
  for (const tr of $("drift").tBodies[0].rows) tr.onclick = () => { picked = tr.dataset.f; render(last); };
  $("drift-note").innerHTML = `<span>dataset drift ${chip(model.drift.status)} ` +
    `${pct(model.drift.drift_share, 0)} of inputs at alert: alert when at least half of the inputs are at alert, ` +
    "warn when at least 30 % are at warn or above</span><span>thresholds: PSI warn / alert per input; c calibrated " +
    "at training from chunks of the training data (mean + 2σ / + 3σ, never below 0.1 / 0.25), m set on the " +
    "monitor, else the defaults 0.1 / 0.25</span>" +
    "<span>trend: the monitor's last 60 windows; click a row for its distribution</span>";
}

function renderOverlays(model, which) {
  const find = (name) => model.distributions.find((d) => d.name === name);
  const amount = find("Amount") || model.distributions[0];
  $("ov-amount-title").textContent = `${amount ? amount.name : "Amount"} · ${which} vs training`;
  overlay($("ov-amount"), amount, $("ov-amount-note"));
  $("ov-score-title").textContent = `Score · ${which} vs training`;
  overlay($("ov-score"), find("score"), $("ov-score-note"));
  const p = picked && find(picked);
  $("ov-pick-title").textContent = p ? `${p.name} · ${which} vs training` : "Pick a feature in the drift table";
  overlay($("ov-pick"), p, $("ov-pick-note"));
}

function renderCharts(snap, model) {
  const hist = series(model.model_version, snap.window_length_seconds * 1e6);
  const xs = hist.map((w) => clock(w.start_unix_us));
  const base = model.window_rates.base_flag_rate;
  chart($("flag"), xs, [{values: hist.map((w) => w.events ? w.flag_rate : null), color: "var(--blue)"}],
    {band: hist.map((w) => w.events ? [w.flag_rate_low, w.flag_rate_high] : null), base,
      fmt: (v) => pct(v, v < 0.01 ? 2 : 1)});
  // One unit for the whole axis, chosen from the largest value shown; the title names it.
  const {d, u} = unitOf(Math.max(0, ...hist.map((w) => w.events && w.latency.count ? w.latency.p999_ns : 0)));
  const q = (k) => hist.map((w) => w.events && w.latency.count ? w.latency[k] / d : null);
  $("lat-unit").textContent = u;
  chart($("lat"), xs, [
    {values: q("p50_ns"), color: "var(--blue)"}, {values: q("p99_ns"), color: "var(--purple)"},
    {values: q("p999_ns"), color: "var(--orange)"}], {fmt: (v) => v === 0 ? "0" : v.toFixed(digits(v)) + " " + u});
}

function renderAlerts(active) {
  const what = (a) => a.kind === "feature_drift" ? `drift in ${a.feature}` : a.kind === "score_drift" ?
    "score drift" : a.kind.replace("_", " ") + (a.feature ? ` (${a.feature})` : "");
  $("alerts").innerHTML = active.length ? active.map((a) => `<li>${chip(a.level)}<div><div class="what">` +
    `${esc(what(a))}</div><div class="why">${esc(a.reason)}</div><div class="why">` +
    `${a.since_unix_us ? "since " + clock(a.since_unix_us) + " UTC" : ""}` +
    `${a.window_start_unix_us ? " · last window " + clock(a.window_start_unix_us) + " UTC" : ""}` +
    `${a.model_version ? " · " + esc(a.model_version) : ""}</div></div></li>`).join("")
    : `<li class="empty">no active alerts</li>`;
}

// A label statistic with its Wilson interval when one is given (labels partial); "–" where undefined.
function withInterval(v, low, high) {
  if (v === null || v === undefined || !isFinite(v)) return "–";
  const ci = low !== null && high !== null && isFinite(low) && isFinite(high)
    ? ` <span class="ci">${num(low, 2)}–${num(high, 2)}</span>` : "";
  return num(v, 3) + ci;
}

// A day of the event time. Event times before 1970-02 count from the data's own start (the ULB data's Time is
// seconds since its first transaction), so those days read "day 1", "day 2", never as 1970 dates.
const dayName = (d) => d.startsWith("1970-01-") ? `day ${Number(d.slice(8))}` : d;

function renderLabels(snap) {
  const days = snap.label_metrics.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d.day));
  const dash = (v, d) => v === null || v === undefined || !isFinite(v) ? "–" : num(v, d);
  const row = (first, model, p, ap, cp, cls) => {
    const share = p.label_coverage;
    return `<tr${cls ? ` class="${cls}"` : ""}><td>${first}</td><td>${esc(model)}</td><td>${int(p.transactions)}` +
      `</td><td>${int(p.labelled)}${share !== null && share < 1 ? ` (${pct(share, 0)})` : ""}</td>` +
      `<td>${p.labelled ? pct(p.fraud_rate) : "–"}</td>` +
      `<td>${withInterval(p.precision, p.precision_low, p.precision_high)}</td>` +
      `<td>${withInterval(p.recall, p.recall_low, p.recall_high)}</td><td>${ap}</td><td>${cp}</td></tr>`;
  };
  let body = days.slice(-10).map((d) => row(esc(dayName(d.day)), d.model_version, d.performance,
    d.frauds ? dash(d.average_precision) : "–", d.frauds ? dash(d.card_precision_at_100, 2) : "–", "")).join("");
  const model = snap.models.find((m) => m.model_version === selected);
  if (model && model.label_performance.labelled) body += row("all kept", model.model_version,
    model.label_performance, "–", "–", "total");
  $("labels").tBodies[0].innerHTML = body ||
    `<tr><td colspan="9" class="empty">no labels reported yet (sentinel labels, replay --labels-after)</td></tr>`;
  const partial = days.some((d) => d.labelled < d.transactions);
  const threshold = model ? num(model.label_performance.threshold) : "–";
  $("labels-note").innerHTML = `<span>precision and recall at the model's threshold (${threshold}) over the ` +
    "labelled transactions; – where undefined (nothing flagged, no fraud)</span>" + (partial ? "<span>labels " +
    "arrive late: a day with part of its transactions labelled shows its share, and each rate its 95 % Wilson " +
    "interval from the labelled counts (the labelled ones taken as a random sample of the scored); AP and CP@100 " +
    "are over the labelled ones only</span>" : "");
}

async function poll() {
  try {
    const query = since ? `since=${since}&features=1` : "history=60&features=1";
    const response = await fetch(`/api/snapshot?${query}`, {cache: "no-store"});
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    const snap = await response.json();
    render(snap);
    $("live").textContent = "● live · " + new Date(snap.generated_at_unix_us / 1000).toISOString()
      .slice(11, 19) + " UTC";
    $("live").className = "";
  } catch (error) {
    $("live").textContent = "○ stale: " + error.message;
    $("live").className = "stale";
  }
  setTimeout(poll, 1500);
}
poll();
