// The monitor dashboard's script, served at /dashboard.js: polls /api/snapshot every 1.5 s and redraws the page.
"use strict";
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;",
  "'":"&#39;"})[c]);
const num = (v, d = 3) => (v === null || v === undefined) ? "–" : Number(v).toFixed(d);
const int = (v) => Number(v).toLocaleString("en-US");
const pct = (v, d = 2) => (v === null || v === undefined) ? "–" : (100 * v).toFixed(d) + "%";
// Latencies arrive in nanoseconds. A batch's latency shared over its transactions is often under a microsecond in a
// release build, so the unit follows the value (a fixed "ms" would read 0.00 ms).
const unitOf = (ns) => ns >= 1e6 ? {d: 1e6, u: "ms"} : ns >= 1e3 ? {d: 1e3, u: "µs"} : {d: 1, u: "ns"};
const digits = (v) => v >= 100 ? 0 : v >= 10 ? 1 : 2;
const lat = (ns) => { const {d, u} = unitOf(ns); const v = ns / d; return (d === 1 ? v.toFixed(0) :
  v.toFixed(digits(v))) + " " + u; };
const chip = (level) =>
  `<span class="chip ${esc(level)}">${esc(level === "unspecified" ? "n/a" : level)}</span>`;
const clock = (us) => new Date(us / 1000).toISOString().slice(11, 16);
function duration(s) {
  s = Math.floor(s); const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600),
    m = Math.floor(s % 3600 / 60);
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : m ? `${m}m ${s % 60}s` : `${s}s`;
}
let selected = null;
const trends = {};   // model → feature → [{w: window start, psi}] for windows seen since the page loaded

function remember(model) {
  const book = trends[model.model_version] = trends[model.model_version] || {};
  for (const f of model.drift.features.concat([model.drift.score])) {
    const list = book[f.name] = book[f.name] || [];
    const last = list[list.length - 1];
    if (last && last.w === model.window_start_unix_us) last.psi = f.psi;
    else list.push({w: model.window_start_unix_us, psi: f.psi});
    if (list.length > 30) list.shift();
  }
}

function sparkline(points) {
  const vals = points.map((p) => p.psi).filter((v) => v !== null);
  if (vals.length === 0) return "";
  const w = 90, h = 20, max = Math.max(0.3, ...vals);
  const x = (i) => vals.length === 1 ? w - 3 : 2 + i * (w - 5) / (vals.length - 1);
  const y = (v) => h - 2 - (h - 4) * Math.min(v, max) / max;
  const path = vals.map((v, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join("");
  const color = vals[vals.length - 1] >= 0.25 ? "var(--alert)" : vals[vals.length - 1] >= 0.1 ? "var(--warn)"
    : "var(--ok)";
  return `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" aria-hidden="true">` +
    `<line x1="0" x2="${w}" y1="${y(0.25)}" y2="${y(0.25)}" stroke="#f3c1bb" stroke-dasharray="2 2"/>` +
    `<path d="${path}" fill="none" stroke="${color}" stroke-width="1.5"/>` +
    `<circle cx="${x(vals.length - 1)}" cy="${y(vals[vals.length - 1])}" r="2" fill="${color}"/></svg>`;
}

function chart(svg, xs, series, opts) {
  const W = 560, H = 220, L = 52, R = 12, T = 10, B = 26;
  let out = "";
  if (xs.length === 0) { svg.innerHTML = `<text x="${W / 2}" y="${H / 2}" text-anchor="middle">` +
    "no windows yet</text>"; return; }
  const all = [];
  for (const s of series) for (const v of s.values) if (v !== null && isFinite(v)) all.push(v);
  if (opts.band) for (const b of opts.band) { all.push(b[0], b[1]); }
  if (opts.base !== undefined) all.push(opts.base);
  let top = Math.max(...all, 1e-9) * 1.1;
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
  if (opts.band) {
    const up = opts.band.map((b, i) => `${x(i)},${y(b[1])}`);
    const lo = opts.band.map((b, i) => `${x(i)},${y(b[0])}`);
    out += `<polygon points="${up.concat(lo.reverse()).join(" ")}" fill="#b6d5f5" opacity="0.7"/>`;
  }
  if (opts.base !== undefined) out += `<line x1="${L}" x2="${W - R}" y1="${y(opts.base)}"` +
    ` y2="${y(opts.base)}"` +
    ` stroke="var(--orange)" stroke-width="1.5" stroke-dasharray="6 4"/>`;
  for (const s of series) {
    const pts = s.values.map((v, i) => v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    out += `<polyline points="${pts.filter(Boolean).join(" ")}" fill="none" stroke="${s.color}"` +
      ` stroke-width="2"/>`;
    pts.forEach((p, i) => { if (p) out += `<circle cx="${x(i)}" cy="${y(s.values[i])}" r="2.5" ` +
      `fill="${s.color}"><title>${esc(xs[i])}: ${esc(opts.fmt(s.values[i]))}</title></circle>`; });
  }
  svg.innerHTML = out;
}

function render(snap) {
  if (!snap.models.length) { $("window").textContent = "no model has reported yet"; }
  if (!selected || !snap.models.some((m) => m.model_version === selected))
    selected = snap.models.length ? snap.models[0].model_version : null;
  $("models").innerHTML = snap.models.map((m) => `<button type="button" aria-pressed="${m.model_version ===
    selected}" data-v="${esc(m.model_version)}">${esc(m.model_version)}</button>`).join("");
  for (const b of $("models").querySelectorAll("button"))
    b.onclick = () => { selected = b.dataset.v; render(snap); };
  snap.models.forEach(remember);
  const model = snap.models.find((m) => m.model_version === selected);
  $("k-events").textContent = int(snap.events_total);
  $("k-events-s").textContent = model ? `${int(model.events_total)} by this model` : "";
  $("k-uptime").textContent = duration(snap.uptime_seconds);
  $("k-started").textContent = "since " + new Date(snap.started_at_unix_us / 1000).toISOString()
    .slice(0, 16).replace("T", " ") + " UTC";
  const active = snap.alerts.filter((a) => a.level === "warn" || a.level === "alert");
  $("k-alerts").textContent = active.length;
  $("k-alerts-s").textContent = `${active.filter((a) => a.level === "alert").length} alert · ` +
    `${active.filter((a) => a.level === "warn").length} warn`;
  $("k-alerts").className = "v" + (active.some((a) => a.level === "alert") ? " bad" : "");
  if (model) {
    const r = model.window_rates, l = model.window_latency;
    // The current window, or the last complete one while the current window has too few events.
    // Seconds only when windows are not whole minutes ("07:25:00–07:25:20", not "07:25–07:25").
    const at = snap.window_length_seconds % 60 ? (us) => new Date(us / 1000).toISOString().slice(11, 19)
      : clock;
    $("window").textContent = (model.window_complete ? `window ${at(model.window_start_unix_us)}–` +
      `${at(model.window_end_unix_us)} UTC (last complete)` :
      `current window since ${at(model.window_start_unix_us)} UTC`) + " · " +
      `${snap.window_length_seconds}s windows` + (model.reference_known ? "" : " · no reference profile");
    $("k-rate").textContent = num(model.throughput_per_second, 1);
    const which = model.window_complete ? "last complete window" : "current window";
    $("k-rate-s").textContent = which;
    $("drift-window").textContent = which;
    $("k-flag").innerHTML = r.events ? `${pct(r.flag_rate)} ${chip(r.status)}` : `– ${chip(r.status)}`;
    $("k-flag-s").textContent = (r.events ? `CI ${pct(r.flag_rate_low)}–${pct(r.flag_rate_high)}`
      : "no events in this window yet") + " · base " + pct(r.base_flag_rate);
    $("k-p99").textContent = l.count ? lat(l.p99_ns) : "–";
    $("k-p99-s").textContent = l.count ? `p50 ${lat(l.p50_ns)} · p99.9 ${lat(l.p999_ns)} · per transaction`
      : "no events";
    renderDrift(model);
    renderCharts(snap, model);
  }
  renderAlerts(active);
  $("labels").tBodies[0].innerHTML = snap.label_metrics.length ? snap.label_metrics.slice(-10).map((d) =>
    `<tr><td>${esc(d.day)}</td><td>${esc(d.model_version)}</td><td>${int(d.transactions)}</td>` +
    `<td>${int(d.labelled)}</td><td>${int(d.frauds)}</td><td>${num(d.average_precision)}</td>` +
    `<td>${num(d.card_precision_at_100, 2)}</td></tr>`).join("")
    : `<tr><td colspan="7" class="empty">no labels reported yet</td></tr>`;
  $("producers").tBodies[0].innerHTML = snap.producers.length ? snap.producers.map((p) =>
    `<tr><td>${esc(p.producer_id)}</td><td>${int(p.events)}</td><td>${int(p.last_sequence)}</td>` +
    `<td>${p.missing ? chip("warn").replace(">warn<", ">" + int(p.missing) + "<") : "0"}</td>` +
    `<td>${int(p.duplicates)}</td><td>${int(p.reported_dropped)}</td><td>${p.gaps.slice(-3).map((g) =>
    g.first === g.last ? `${g.first}` : `${g.first}–${g.last}`).join(", ") || "–"}</td></tr>`).join("")
    : `<tr><td colspan="7" class="empty">no producers yet</td></tr>`;
}

function renderDrift(model) {
  const feats = model.drift.features.slice();
  feats.sort((a, b) => (b.name === "Amount") - (a.name === "Amount"));
  const book = trends[model.model_version] || {};
  // An empty window (just rolled over) has no statistics yet: dashes, not zeros.
  const val = (f, v) => f.count === 0 ? "–" : num(v);
  const row = (f, cls) => `<tr class="${cls}"><td>${esc(f.name)}</td><td>${val(f, f.psi)}</td>` +
    `<td>${val(f, f.js_distance)}</td><td>${val(f, f.ks_statistic)}</td>` +
    `<td>${val(f, f.wasserstein_normed)}</td>` +
    `<td>${chip(f.status)}</td><td>${sparkline(book[f.name] || [])}</td><td>${int(f.count)}</td></tr>`;
  $("drift").tBodies[0].innerHTML = model.reference_known ? feats.map((f) => row(f, "")).join("") +
    row(model.drift.score, "score") :
    `<tr><td colspan="8" class="empty">reference profile not registered: drift is not computed</td></tr>`;
  $("drift-note").innerHTML = `<span>dataset drift ${chip(model.drift.status)} ` +
    `${pct(model.drift.drift_share, 0)} of inputs at alert</span><span>PSI warn ≥ 0.1, alert ≥ 0.25</span>` +
    "<span>trend: windows seen since this page opened</span>";
}

function renderCharts(snap, model) {
  const hist = snap.history.filter((w) => w.model_version === model.model_version);
  const r = model.window_rates, l = model.window_latency;
  const xs = hist.map((w) => clock(w.start_unix_us)).concat(r.events ? ["now"] : []);
  const rates = hist.map((w) => w.events ? w.flag_rate : null).concat(r.events ? [r.flag_rate] : []);
  const band = hist.map((w) => [w.flag_rate_low, w.flag_rate_high])
    .concat(r.events ? [[r.flag_rate_low, r.flag_rate_high]] : []);
  chart($("flag"), xs, [{values: rates, color: "var(--blue)"}],
    {band, base: r.base_flag_rate, fmt: (v) => pct(v, v < 0.01 ? 2 : 1)});
  const sums = hist.map((w) => w.latency).concat(l.count ? [l] : []);
  // One unit for the whole axis, chosen from the largest value shown; the title names it.
  const {d, u} = unitOf(Math.max(0, ...sums.map((s) => s.count ? s.p999_ns : 0)));
  const q = (k) => sums.map((s) => s.count ? s[k] / d : null);
  $("lat-unit").textContent = u;
  chart($("lat"), xs.slice(xs.length - sums.length), [
    {values: q("p50_ns"), color: "var(--blue)"}, {values: q("p99_ns"), color: "var(--purple)"},
    {values: q("p999_ns"), color: "var(--orange)"}], {fmt: (v) => v === 0 ? "0" : v.toFixed(digits(v)) + " " + u});
}

function renderAlerts(active) {
  const what = (a) => a.kind === "feature_drift" ? `drift in ${a.feature}` : a.kind === "score_drift" ?
    "score drift" : a.kind.replace("_", " ") + (a.feature ? ` (${a.feature})` : "");
  $("alerts").innerHTML = active.length ? active.map((a) => `<li>${chip(a.level)}<div><div class="what">` +
    `${esc(what(a))}</div><div class="why">${esc(a.reason)}` +
    `${a.since_unix_us ? " · since " + clock(a.since_unix_us) + " UTC" : ""}` +
    `${a.model_version ? " · " + esc(a.model_version) : ""}</div></div></li>`).join("")
    : `<li class="empty">no active alerts</li>`;
}

async function poll() {
  try {
    const response = await fetch("/api/snapshot", {cache: "no-store"});
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
