// dateline web page: events table, event view, timeline, actor network and map, all from /api.
// Text that comes from articles is only ever put into the page with text nodes (textContent / createTextNode),
// never parsed as HTML; links are only made for http(s) URLs.
"use strict";
const DATE_SOURCE = { sentence: "· dated by its sentence", narrative: "· dated by an earlier sentence of the story",
  publication: "· no date in the story: the publication day" };

const SVG = "http://www.w3.org/2000/svg";
const PAGE = 50;
const QUADS = [
  ["1", "verbal cooperation", "#6baed6"], ["2", "material cooperation", "#2171b5"],
  ["3", "verbal conflict", "#fd8d3c"], ["4", "material conflict", "#cb181d"], ["none", "no class", "#bdbdbd"],
];
const FILTER_NAMES = ["actor", "country", "type", "quad_class", "status", "sector", "mode", "min_confidence", "since",
  "until", "near", "text"];
const SORTS = [["-date", "newest first"], ["date", "oldest first"], ["-reports", "most reported"],
  ["-confidence", "most confident"], ["goldstein", "most conflictual"], ["-goldstein", "most cooperative"],
  ["type", "type A-Z"], ["-type", "type Z-A"]];
const state = { offset: 0, event: null, world: null, key: sessionStorage.getItem("dateline-key") || "" };

// ---- small DOM helpers ------------------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  for (const c of children) append(node, c);
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  setAttrs(node, attrs);
  for (const c of children) append(node, c);
  return node;
}

function setAttrs(node, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || /^on/i.test(k)) continue; // never event-handler attributes
    node.setAttribute(k, String(v));
  }
}

function append(node, child) {
  if (child === null || child === undefined || child === false) return;
  node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

function safeUrl(url) {
  try {
    const u = new URL(String(url), location.href);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch (e) {
    return null;
  }
}

function goldsteinColour(g) {
  if (g === null || g === undefined) return "#969696";
  const t = Math.max(-1, Math.min(1, g / 10));
  const grey = [150, 150, 150];
  const end = t < 0 ? [203, 24, 29] : [35, 139, 69];
  const mix = grey.map((c, i) => Math.round(c + (end[i] - c) * Math.abs(t)));
  return `rgb(${mix[0]},${mix[1]},${mix[2]})`;
}

function actorNames(list) {
  return (list || []).map((a) => a.name || a.text).filter(Boolean);
}

// ---- API ---------------------------------------------------------------------------------------------------------

async function api(path) {
  const headers = state.key ? { Authorization: "Bearer " + state.key } : {};
  const res = await fetch(path, { headers });
  if (res.status === 401) {
    document.getElementById("keyform").hidden = false;
    throw new Error("this server needs an API key to read");
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const d = body.detail;
    throw new Error(Array.isArray(d) ? d.map((x) => x.msg).join("; ") : d || res.statusText);
  }
  return body;
}

function showError(err) {
  const box = document.getElementById("error");
  box.hidden = !err;
  box.textContent = err ? String(err.message || err) : "";
}

// ---- filters and location hash -----------------------------------------------------------------------------------

function currentFilters() {
  const form = document.getElementById("filters");
  const out = {};
  for (const name of FILTER_NAMES) {
    const v = form.elements[name].value.trim();
    if (v) out[name] = v;
  }
  return out;
}

function currentSort() {
  return document.getElementById("filters").elements.sort.value || "-date";
}

function query(extra) {
  const p = new URLSearchParams({ ...currentFilters(), ...(extra || {}) });
  return p.toString();
}

function writeHash() {
  const p = new URLSearchParams(currentFilters());
  if (currentSort() !== "-date") p.set("sort", currentSort());
  if (state.event) p.set("event", state.event);
  if (state.offset) p.set("offset", String(state.offset));
  const h = p.toString();
  history.replaceState(null, "", h ? "#" + h : location.pathname);
}

function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  const form = document.getElementById("filters");
  for (const name of FILTER_NAMES) form.elements[name].value = p.get(name) || "";
  form.elements.sort.value = p.get("sort") || "-date";
  state.offset = Math.max(0, parseInt(p.get("offset") || "0", 10) || 0);
  state.event = p.get("event");
}

function setFilter(name, value) {
  const form = document.getElementById("filters");
  form.elements[name].value = value;
  state.offset = 0;
  refresh();
}

// ---- events table ------------------------------------------------------------------------------------------------

function actorCell(list) {
  const td = el("td");
  (list || []).forEach((a, i) => {
    if (i) append(td, ", ");
    const key = a.id || a.name || a.text;
    const b = el("button", { type: "button", class: "link actor", title: "show events of this actor" },
      a.name || a.text || "?");
    b.addEventListener("click", (ev) => { ev.stopPropagation(); setFilter("actor", key); });
    append(td, b);
  });
  return td;
}

function eventRow(e) {
  const loc = e.location || {};
  const tr = el("tr", { tabindex: "0", "data-id": e.id, class: e.id === state.event ? "selected" : null },
    el("td", { class: "nowrap" }, e.date || e.doc_published || ""),
    el("td", null, el("span", { class: "type q" + (e.quad_class || "none") }, e.type || "")),
    actorCell(e.source), actorCell(e.target),
    el("td", { class: "wide" }, loc.name || loc.text || ""),
    el("td", { class: "wide sentence" }, el("div", { class: "clamp" }, e.sentence || "")));
  const open = () => openEvent(e.id);
  tr.addEventListener("click", open);
  tr.addEventListener("keydown", (ev) => { if (ev.key === "Enter") open(); });
  return tr;
}

async function loadEvents() {
  const data = await api("/api/events?" + query({ sort: currentSort(), limit: PAGE, offset: state.offset }));
  // the download holds every event the filters match, in the table's order (the API's CSV: the flat columns)
  document.getElementById("csv").href = "/api/events?" + query({ sort: currentSort(), limit: 1000, format: "csv" });
  document.getElementById("jsonl").href = "/api/events?" + query({ sort: currentSort(), limit: 1000, format: "jsonl" });
  const body = clear(document.querySelector("#events tbody"));
  for (const e of data.events) body.appendChild(eventRow(e));
  if (!data.events.length) body.appendChild(el("tr", null, el("td", { colspan: 6, class: "hint" }, "No events match.")));
  document.getElementById("prev").disabled = state.offset === 0;
  document.getElementById("next").disabled = data.next_offset === null;
  const last = state.offset + data.events.length;
  document.getElementById("page").textContent = data.events.length ? `${state.offset + 1}–${last}` : "";
}

// ---- event view --------------------------------------------------------------------------------------------------

function highlighted(sentence, spans) {
  const p = el("p", { class: "sentence", id: "event-sentence" });
  let at = 0;
  for (const s of spans || []) {
    if (s.start < at || s.end > sentence.length) continue;
    append(p, sentence.slice(at, s.start));
    append(p, el("mark", { class: s.role, title: s.role }, sentence.slice(s.start, s.end)));
    at = s.end;
  }
  append(p, sentence.slice(at));
  return p;
}

function actorList(list) {
  if (!list || !list.length) return "—";
  // the argument phrase, when larger than the mention: "Germany · DEU — “Germany's largest bank”"
  return (list || []).map((a) => [a.name || a.text, a.country, a.sector].filter(Boolean).join(" · ")
    + (a.phrase ? ` — “${a.phrase}”` : "")).join("; ");
}

function field(dl, label, value) {
  dl.appendChild(el("dt", null, label));
  dl.appendChild(el("dd", null, value === null || value === undefined || value === "" ? "—" : value));
}

function link(url, text) {
  const href = safeUrl(url);
  return href ? el("a", { href, rel: "noopener noreferrer nofollow", target: "_blank" }, text || url) : (text || "");
}

function renderEvent(e) {
  const view = clear(document.getElementById("event-view"));
  view.appendChild(el("h3", null, `${e.type || "event"} — ${e.date || e.doc_published || "undated"}`));
  view.appendChild(highlighted(e.sentence || "", e.highlights));
  const dl = el("dl");
  const loc = e.location || {};
  const trig = e.trigger || {};
  field(dl, "Trigger", trig.text);
  field(dl, "Source", actorList(e.source));
  field(dl, "Target", actorList(e.target));
  field(dl, "Time", [e.date, e.date_precision && `(${e.date_precision})`, e.date_text && `“${e.date_text}”`,
    DATE_SOURCE[e.date_source]].filter(Boolean).join(" "));
  field(dl, "Place", [loc.name || loc.text, loc.admin1, loc.country,
    loc.lat !== undefined && loc.lat !== null ? `${(+loc.lat).toFixed(2)}, ${(+loc.lon).toFixed(2)}` : null]
    .filter(Boolean).join(" · "));
  field(dl, "Code", [e.cameo && `CAMEO ${e.cameo}`, e.mode, (e.context || []).join(", ")].filter(Boolean).join(" · "));
  field(dl, "Goldstein", e.goldstein === null ? null : `${e.goldstein} (QuadClass ${e.quad_class ?? "—"})`);
  field(dl, "Status", `${e.status} · confidence ${e.confidence === null ? "—" : (+e.confidence).toFixed(2)}`);
  field(dl, "Reports", `${e.reports ?? 1} report(s) from ${(e.sources || []).join(", ") || "—"}`);
  view.appendChild(dl);
  const named = [...(e.source || []), ...(e.target || [])].filter((a) => a.id || a.name);
  if (named.length) {
    const p = el("p", { class: "profiles" }, "Actor profiles: ");
    named.forEach((a, i) => {
      if (i) append(p, " · ");
      const b = el("button", { type: "button", class: "link profile", "data-actor": a.id || a.name },
        a.name || a.text);
      b.addEventListener("click", () => openActor(a.id || a.name));
      append(p, b);
    });
    view.appendChild(p);
  }
  const prov = e.provenance || [];
  if (prov.length) {
    view.appendChild(el("h4", null, "Reports"));
    const ul = el("ul", { class: "provenance" });
    for (const r of prov) {
      ul.appendChild(el("li", null,
        el("span", { class: "meta" }, [r.doc_published, r.doc_source].filter(Boolean).join(" · ") + " "),
        link(r.url, r.title || r.doc_id), el("br"), el("span", { class: "quote" }, r.sentence || "")));
    }
    view.appendChild(ul);
  }
}

async function openEvent(id) {
  state.event = id;
  writeHash();
  for (const tr of document.querySelectorAll("#events tbody tr")) {
    tr.classList.toggle("selected", tr.getAttribute("data-id") === id);
  }
  try {
    renderEvent(await api("/api/events/" + encodeURIComponent(id)));
    showError(null);
    if (window.matchMedia("(max-width: 900px)").matches) {
      document.getElementById("event-panel").scrollIntoView({ block: "start" });
    }
  } catch (err) {
    showError(err);
  }
}

// ---- actor page ----------------------------------------------------------------------------------------------------

function renderActor(a) {
  // who it is, how active, with whom and doing what: /api/actors/{id}
  const view = clear(document.getElementById("event-view"));
  view.appendChild(el("h3", { class: "actor-name" }, a.name || a.id));
  const dl = el("dl");
  field(dl, "Country · sector", [a.country, a.sector].filter(Boolean).join(" · "));
  field(dl, "Events", `${a.events} (${a.as_source} as source, ${a.as_target} as target)`);
  const days = a.by_day || [];
  field(dl, "Active", days.length ? `${days[0].day} – ${days[days.length - 1].day}` : null);
  field(dl, "Types", Object.entries(a.by_type || {}).map(([t, n]) => `${t} ${n}`).join(", "));
  view.appendChild(dl);
  view.appendChild(el("h4", null, "Partners"));
  const ul = el("ul", { class: "partners" });
  for (const p of (a.partners || []).slice(0, 15)) {
    const b = el("button", { type: "button", class: "link partner", "data-actor": p.id }, p.name || p.id);
    b.addEventListener("click", () => openActor(p.id));
    ul.appendChild(el("li", null, b, ` ${[p.country, `${p.events} event(s)`,
      p.goldstein === null ? null : `mean Goldstein ${p.goldstein}`].filter(Boolean).join(" · ")}`));
  }
  if (!ul.children.length) ul.appendChild(el("li", { class: "hint" }, "none"));
  view.appendChild(ul);
  const show = el("button", { type: "button", id: "actor-events" }, "Show its events");
  show.addEventListener("click", () => setFilter("actor", a.actor_id || a.name || a.id));
  view.appendChild(show);
}

async function openActor(id) {
  try {
    renderActor(await api("/api/actors/" + encodeURIComponent(id)));
    showError(null);
  } catch (err) {
    showError(err);
  }
}

// ---- timeline ----------------------------------------------------------------------------------------------------

function dayRange(first, last) {
  const out = [];
  const d = new Date(first + "T00:00:00Z");
  const end = new Date(last + "T00:00:00Z");
  while (d <= end && out.length < 5000) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

function timelineBins(byDay) {
  if (!byDay.length) return [];
  let days = dayRange(byDay[0].day, byDay[byDay.length - 1].day);
  let keyOf = (d) => d;
  let unit = "day";
  if (days.length > 400) { // long spans: one bar a month, a year for spans over 20 years
    const months = new Set(days.map((d) => d.slice(0, 7)));
    [keyOf, unit] = months.size > 240 ? [(d) => d.slice(0, 4), "year"] : [(d) => d.slice(0, 7), "month"];
    days = [...new Set(days.map(keyOf))];
  }
  const bins = new Map(days.map((d) => [d, { key: d, unit, "1": 0, "2": 0, "3": 0, "4": 0, none: 0 }]));
  for (const row of byDay) {
    const b = bins.get(keyOf(row.day));
    if (b) for (const [q] of QUADS) b[q] += row[q] || 0;
  }
  return [...bins.values()];
}

function setDates(since, until) {
  const form = document.getElementById("filters");
  form.elements.since.value = since;
  form.elements.until.value = until;
  state.offset = 0;
  refresh();
}

function brushable(chart, bins, x0, bw, H) {
  // a drag across the bars sets the date filter to the bins it covers; a click, to one bin
  const at = (ev) => {
    const r = chart.getBoundingClientRect();
    const x = ((ev.clientX - r.left) / r.width) * chart.viewBox.baseVal.width;
    return Math.min(bins.length - 1, Math.max(0, Math.floor((x - x0) / bw)));
  };
  let start = null;
  const band = svg("rect", { class: "brush", y: 0, height: H, width: 0, x: x0 });
  chart.appendChild(band);
  const draw = (a, b) => setAttrs(band, { x: x0 + Math.min(a, b) * bw, width: (Math.abs(b - a) + 1) * bw });
  chart.addEventListener("pointerdown", (ev) => { start = at(ev); draw(start, start); });
  chart.addEventListener("pointermove", (ev) => { if (start !== null) draw(start, at(ev)); });
  chart.addEventListener("pointerup", (ev) => {
    if (start === null) return;
    const [a, b] = [start, at(ev)].sort((p, q) => p - q);
    start = null;
    setDates(bins[a].key, bins[b].key);
  });
}

function renderTimeline(stats) {
  const box = clear(document.getElementById("timeline"));
  const bins = timelineBins(stats.by_day || []);
  if (!bins.length) { box.appendChild(el("p", { class: "hint" }, "No dated events.")); return; }
  const W = 800, H = 200, L = 34, B = 22, T = 8;
  const max = Math.max(1, ...bins.map((b) => QUADS.reduce((s, [q]) => s + b[q], 0)));
  const bw = Math.min(48, (W - L - 4) / bins.length);
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "events per day by QuadClass" });
  chart.appendChild(svg("line", { x1: L, y1: H - B, x2: W, y2: H - B, class: "axis" }));
  chart.appendChild(svg("text", { x: L - 4, y: T + 10, class: "tick", "text-anchor": "end" }, String(max)));
  chart.appendChild(svg("text", { x: L - 4, y: H - B, class: "tick", "text-anchor": "end" }, "0"));
  bins.forEach((b, i) => {
    let y = H - B;
    const g = svg("g", { class: "bar" });
    const total = QUADS.reduce((s, [q]) => s + b[q], 0);
    g.appendChild(svg("title", null, `${b.key}: ${total} event(s)`));
    for (const [q, , colour] of QUADS) {
      if (!b[q]) continue;
      const h = (b[q] / max) * (H - B - T);
      y -= h;
      g.appendChild(svg("rect", { x: L + i * bw + 0.5, y, width: Math.max(1, bw - 1), height: h, fill: colour }));
    }
    chart.appendChild(g);
  });
  brushable(chart, bins, L, bw, H - B);
  document.querySelector("#timeline-h small").textContent = `events per ${bins[0].unit} by QuadClass; drag to filter`;
  const first = bins[0].key, last = bins[bins.length - 1].key;
  if (bins.length * bw < 200) { // a short range: one label under the bars
    chart.appendChild(svg("text", { x: L, y: H - 6, class: "tick" }, first === last ? first : `${first} – ${last}`));
  } else {
    chart.appendChild(svg("text", { x: L, y: H - 6, class: "tick" }, first));
    chart.appendChild(svg("text", { x: L + bins.length * bw, y: H - 6, class: "tick", "text-anchor": "end" }, last));
  }
  box.appendChild(chart);
}

// ---- network -----------------------------------------------------------------------------------------------------

function layout(nodes, edges, W, H) {
  const n = nodes.length;
  const index = new Map(nodes.map((d, i) => [d.id, i]));
  const pos = nodes.map((d, i) => ({
    x: W / 2 + (W / 3) * Math.cos((2 * Math.PI * i) / n), y: H / 2 + (H / 3) * Math.sin((2 * Math.PI * i) / n),
  }));
  const k = Math.sqrt((W * H) / Math.max(1, n)) * 0.4;
  let temp = W / 8;
  for (let it = 0; it < 250; it++) {
    const disp = pos.map(() => ({ x: 0, y: 0 }));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = pos[i].x - pos[j].x || 0.01, dy = pos[i].y - pos[j].y || 0.01;
        const d2 = Math.max(dx * dx + dy * dy, 25), f = (k * k) / d2;
        disp[i].x += dx * f; disp[i].y += dy * f; disp[j].x -= dx * f; disp[j].y -= dy * f;
      }
    }
    for (const e of edges) {
      const a = index.get(e.source), b = index.get(e.target);
      if (a === undefined || b === undefined || a === b) continue;
      const dx = pos[a].x - pos[b].x, dy = pos[a].y - pos[b].y;
      const d = Math.sqrt(dx * dx + dy * dy) || 0.01, f = d / k;
      disp[a].x -= dx * f; disp[a].y -= dy * f; disp[b].x += dx * f; disp[b].y += dy * f;
    }
    for (let i = 0; i < n; i++) {
      disp[i].x += (W / 2 - pos[i].x) * 0.3; disp[i].y += (H / 2 - pos[i].y) * 0.3; // gravity: keeps components in
      const len = Math.sqrt(disp[i].x ** 2 + disp[i].y ** 2) || 1;
      pos[i].x = Math.min(W - 50, Math.max(50, pos[i].x + (disp[i].x / len) * Math.min(len, temp)));
      pos[i].y = Math.min(H - 15, Math.max(25, pos[i].y + (disp[i].y / len) * Math.min(len, temp)));
    }
    temp *= 0.97;
  }
  return pos;
}

const LABEL_CHAR_W = 5.6, LABEL_H = 11;  // the label font's average character width and line height (px)

function placeLabels(nodes, pos, maxN, W, H) {
  // the busiest actors are labelled first, each above, below, right or left of its node where its box overlaps no
  // label placed before and stays inside the chart; a label that fits nowhere is left out (the node's tooltip names it)
  const placed = [];
  const out = new Array(nodes.length).fill(null);
  const order = nodes.map((d, i) => i).sort((a, b) => nodes[b].events - nodes[a].events);
  for (const i of order) {
    const d = nodes[i];
    const text = d.label.length > 22 ? d.label.slice(0, 21) + "…" : d.label;
    const w = text.length * LABEL_CHAR_W, r = 4 + 8 * Math.sqrt(d.events / maxN);
    const { x, y } = pos[i];
    const spots = [[x - w / 2, y - r - 2 - LABEL_H, "middle", x, y - r - 3], [x - w / 2, y + r + 2, "middle", x, y + r + LABEL_H],
      [x + r + 2, y - LABEL_H / 2, "start", x + r + 2, y + 4], [x - r - 2 - w, y - LABEL_H / 2, "end", x - r - 2, y + 4]];
    for (const [bx, by, anchor, tx, ty] of spots) {
      const box = { x0: bx, y0: by, x1: bx + w, y1: by + LABEL_H };
      const inside = box.x0 >= 0 && box.x1 <= W && box.y0 >= 0 && box.y1 <= H;
      if (inside && !placed.some((q) => box.x0 < q.x1 && q.x0 < box.x1 && box.y0 < q.y1 && q.y0 < box.y1)) {
        placed.push(box);
        out[i] = { text, attrs: { x: tx, y: ty, "text-anchor": anchor, "data-box": [box.x0, box.y0, box.x1, box.y1].join(",") } };
        break;
      }
    }
  }
  return out;
}

function renderNetwork(net) {
  const box = clear(document.getElementById("network"));
  const nodes = net.nodes || [], edges = net.edges || [];
  if (!nodes.length) { box.appendChild(el("p", { class: "hint" }, "No actor pairs.")); return; }
  const W = 600, H = 420;
  const pos = layout(nodes, edges, W, H);
  const at = new Map(nodes.map((d, i) => [d.id, pos[i]]));
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "actor network" });
  const maxE = Math.max(1, ...edges.map((e) => e.events));
  for (const e of edges) {
    const a = at.get(e.source), b = at.get(e.target);
    const src = nodes.find((d) => d.id === e.source), tgt = nodes.find((d) => d.id === e.target);
    const line = svg(e.source === e.target ? "circle" : "line", e.source === e.target
      ? { cx: a.x, cy: a.y - 10, r: 10, fill: "none" }
      : { x1: a.x, y1: a.y, x2: b.x, y2: b.y });
    setAttrs(line, { stroke: goldsteinColour(e.goldstein), "stroke-width": 1 + 5 * Math.sqrt(e.events / maxE),
      class: "edge", "stroke-opacity": 0.8 });
    line.appendChild(svg("title", null,
      `${src.label} → ${tgt.label}: ${e.events} event(s), mean Goldstein ${e.goldstein ?? "—"}`));
    chart.appendChild(line);
  }
  const maxN = Math.max(1, ...nodes.map((d) => d.events));
  const labels = placeLabels(nodes, pos, maxN, W, H);
  nodes.forEach((d, i) => {
    const g = svg("g", { class: "node", tabindex: "0", "data-id": d.id });
    g.appendChild(svg("circle", { cx: pos[i].x, cy: pos[i].y, r: 4 + 8 * Math.sqrt(d.events / maxN) }));
    if (labels[i]) g.appendChild(svg("text", labels[i].attrs, labels[i].text));
    g.appendChild(svg("title", null, `${d.label}${d.country ? " (" + d.country + ")" : ""}: ${d.events} event(s)`));
    g.addEventListener("click", () => setFilter("actor", d.id));
    g.addEventListener("keydown", (ev) => { if (ev.key === "Enter") setFilter("actor", d.id); });
    chart.appendChild(g);
  });
  box.appendChild(chart);
}

// ---- map ---------------------------------------------------------------------------------------------------------

const MAP_W = 720, MAP_H = 360;
const project = (lon, lat) => [((lon + 180) / 360) * MAP_W, ((90 - lat) / 180) * MAP_H];

function worldPath(world) {
  const parts = [];
  for (const ring of world.rings || []) {
    let d = "";
    for (let i = 0; i < ring.length; i += 2) {
      const [x, y] = project(ring[i], ring[i + 1]);
      d += (i ? "L" : "M") + x.toFixed(1) + " " + y.toFixed(1);
    }
    parts.push(d + "Z");
  }
  return parts.join("");
}

async function renderMap(places) {
  const box = clear(document.getElementById("map"));
  if (!state.world) {
    try { state.world = await (await fetch("/static/world-110m.json")).json(); } catch (e) { state.world = { rings: [] }; }
  }
  const chart = svg("svg", { viewBox: `0 10 ${MAP_W} 290`, role: "img", "aria-label": "map of event locations" });
  chart.appendChild(svg("rect", { x: 0, y: 0, width: MAP_W, height: MAP_H, class: "sea" }));
  chart.appendChild(svg("path", { d: worldPath(state.world), class: "land", "fill-rule": "evenodd" }));
  const maxE = Math.max(1, ...places.map((p) => p.events));
  for (const p of places) {
    const [x, y] = project(p.lon, p.lat);
    const c = svg("circle", { cx: x, cy: y, r: 2.5 + 7 * Math.sqrt(p.events / maxE), class: "place",
      fill: goldsteinColour(p.goldstein) });
    c.appendChild(svg("title", null, `${p.name || "?"}${p.country ? " (" + p.country + ")" : ""}: ${p.events} event(s)`));
    c.addEventListener("click", () => setFilter("near", `${(+p.lat).toFixed(3)},${(+p.lon).toFixed(3)},50`));
    chart.appendChild(c);
  }
  box.appendChild(chart);
  if (!places.length) box.appendChild(el("p", { class: "hint" }, "No located events."));
  const fit = fittedView(places);
  setView(chart, fit);
  zoomable(chart, fit);
  const reset = el("button", { type: "button", id: "map-fit", title: "fit the map to the events shown" }, "Fit");
  reset.addEventListener("click", () => setView(chart, fittedView(places)));
  box.appendChild(reset);
}

// the map's view: [x, y, width, height] in map units; it fits the filtered events, the wheel zooms, a drag pans
const WORLD_VIEW = [0, 10, MAP_W, 290];

function fittedView(places) {
  if (!places.length) return WORLD_VIEW.slice();
  const pts = places.map((p) => project(p.lon, p.lat));
  const xs = pts.map((q) => q[0]);
  const ys = pts.map((q) => q[1]);
  const pad = 12;
  let [x0, x1, y0, y1] = [Math.min(...xs) - pad, Math.max(...xs) + pad, Math.min(...ys) - pad, Math.max(...ys) + pad];
  const ratio = WORLD_VIEW[2] / WORLD_VIEW[3];
  const w = Math.max(x1 - x0, (y1 - y0) * ratio, 40);  // the panel's aspect, and never closer than a region
  const h = w / ratio;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return [cx - w / 2, cy - h / 2, w, h];
}

function setView(chart, view) {
  chart.setAttribute("viewBox", view.map((v) => v.toFixed(2)).join(" "));
  chart.dataset.view = view.join(",");
}

function zoomable(chart, start) {
  let view = start.slice();
  chart.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    view = chart.dataset.view.split(",").map(Number);
    const r = chart.getBoundingClientRect();
    const fx = (ev.clientX - r.left) / r.width;
    const fy = (ev.clientY - r.top) / r.height;
    const k = ev.deltaY < 0 ? 0.8 : 1.25;
    const w = Math.min(Math.max(view[2] * k, 20), WORLD_VIEW[2] * 1.5);
    const h = w * view[3] / view[2];
    setView(chart, [view[0] + (view[2] - w) * fx, view[1] + (view[3] - h) * fy, w, h]);
  }, { passive: false });
  let drag = null;
  chart.addEventListener("pointerdown", (ev) => {
    if (ev.target.classList && ev.target.classList.contains("place")) return;  // a point's click filters
    drag = { x: ev.clientX, y: ev.clientY, view: chart.dataset.view.split(",").map(Number) };
  });
  chart.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const r = chart.getBoundingClientRect();
    const dx = (ev.clientX - drag.x) * drag.view[2] / r.width;
    const dy = (ev.clientY - drag.y) * drag.view[3] / r.height;
    setView(chart, [drag.view[0] - dx, drag.view[1] - dy, drag.view[2], drag.view[3]]);
  });
  for (const end of ["pointerup", "pointerleave"]) chart.addEventListener(end, () => { drag = null; });
}

// ---- page --------------------------------------------------------------------------------------------------------

function legends() {
  const quad = clear(document.getElementById("quad-legend"));
  for (const [, label, colour] of QUADS.slice(0, 4)) {
    quad.appendChild(el("li", null, el("span", { class: "swatch", "data-colour": colour }), label));
  }
  const gold = clear(document.getElementById("goldstein-legend"));
  for (const [g, label] of [[-10, "conflict (−10)"], [0, "neutral (0)"], [10, "cooperation (+10)"]]) {
    gold.appendChild(el("li", null, el("span", { class: "swatch", "data-colour": goldsteinColour(g) }), label));
  }
  for (const s of document.querySelectorAll(".swatch")) s.style.background = s.getAttribute("data-colour");
}

async function refresh() {
  writeHash();
  showError(null);
  const q = query();
  try {
    const [stats, net, places] = await Promise.all([
      api("/api/stats?" + q), api("/api/network?" + q), api("/api/places?" + q), loadEvents(),
    ]);
    document.getElementById("summary").textContent = `${stats.events} event(s) match`;
    renderFacets(stats);
    renderTimeline(stats);
    renderNetwork(net);
    await renderMap(places.places || []);
  } catch (err) {
    showError(err);
    document.getElementById("summary").textContent = "";
  }
  document.body.setAttribute("data-ready", String(Date.now()));
}

async function fillChoices() {
  try {
    const meta = await api("/api/meta");
    const form = document.getElementById("filters");
    for (const t of meta.types) form.elements.type.appendChild(el("option", { value: t }, t));
    for (const s of meta.statuses) form.elements.status.appendChild(el("option", { value: s }, s));
    const actors = await api("/api/actors?limit=200");
    const list = clear(document.getElementById("actor-list"));
    for (const a of actors.actors) list.appendChild(el("option", { value: a.name || a.id }));
  } catch (err) {
    showError(err);
  }
}

// ---- live: new events show without a reload (dateline watch, ingest or the POST API writing meanwhile) -------------

const LIVE_EVERY_MS = 15000;

async function watchStore() {
  try {
    const health = await api("/api/health");
    if (state.dataVersion !== undefined && health.data_version !== state.dataVersion) {
      await refresh();
      document.getElementById("live").textContent =
        `updated ${new Date().toLocaleTimeString()}: ${health.events} events in the store`;
    }
    state.dataVersion = health.data_version;
  } catch (err) { /* the next poll tries again; errors of the views show in refresh() */ }
}

const FACETS = [["type", "by_type"], ["quad_class", "by_quad_class"], ["status", "by_status"],
  ["country", "by_country"], ["sector", "by_sector"]];

function renderFacets(stats) {
  // counts of the matching events by type, status, actor country and sector; a click filters (again: clears it)
  const list = clear(document.getElementById("facets"));
  const form = document.getElementById("filters");
  for (const [name, field] of FACETS) {
    const counts = Object.entries(stats[field] || {}).filter(([k]) => k !== "none").sort((a, b) => b[1] - a[1]);
    if (!counts.length) continue;
    list.appendChild(el("li", { class: "facet-name" }, name === "quad_class" ? "QuadClass" : name));
    for (const [value, n] of counts) {
      const on = form.elements[name].value.toUpperCase() === value.toUpperCase();
      const label = name === "quad_class" ? (QUADS.find(([q]) => q === value) || [, value])[1] : value;
      const button = el("button", { type: "button", class: on ? "facet on" : "facet", "data-facet": name,
        "data-value": value, "aria-pressed": String(on) }, `${label} ${n}`);
      button.addEventListener("click", () => setFilter(name, on ? "" : value));
      list.appendChild(el("li", null, button));
    }
  }
}

function sortByColumn(key) {
  // a column header sorts by its key; a second click reverses the order
  const select = document.getElementById("filters").elements.sort;
  select.value = select.value === key ? "-" + key : key;
  state.offset = 0;
  refresh();
}

function fillSorts() {
  const select = clear(document.getElementById("filters").elements.sort);
  for (const [value, label] of SORTS) select.appendChild(el("option", { value }, label));
  select.addEventListener("change", () => { state.offset = 0; refresh(); });
  for (const th of document.querySelectorAll("#events th[data-sort]")) {
    th.tabIndex = 0;
    th.addEventListener("click", () => sortByColumn(th.dataset.sort));
    th.addEventListener("keydown", (ev) => { if (ev.key === "Enter") sortByColumn(th.dataset.sort); });
  }
}

async function start() {
  legends();
  fillSorts();
  await fillChoices();
  readHash();
  const form = document.getElementById("filters");
  form.addEventListener("submit", (ev) => { ev.preventDefault(); state.offset = 0; refresh(); });
  document.getElementById("clear").addEventListener("click", () => { form.reset(); state.offset = 0; refresh(); });
  document.getElementById("prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE); refresh();
  });
  document.getElementById("next").addEventListener("click", () => { state.offset += PAGE; refresh(); });
  document.getElementById("keyform").addEventListener("submit", (ev) => {
    ev.preventDefault();
    state.key = document.getElementById("key").value.trim();
    sessionStorage.setItem("dateline-key", state.key);
    document.getElementById("keyform").hidden = true;
    fillChoices().then(refresh);
  });
  window.addEventListener("hashchange", async () => { // links and the back button
    readHash();
    await refresh();
    if (state.event) openEvent(state.event);
  });
  await refresh();
  if (state.event) openEvent(state.event);
  await watchStore();
  setInterval(watchStore, LIVE_EVERY_MS);
}

document.addEventListener("DOMContentLoaded", start);
