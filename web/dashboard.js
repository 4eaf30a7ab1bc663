/* SPDX-License-Identifier: MIT */
/* strife's dashboard (docs/api.md): starts comparisons, follows their
   progress by server-sent events, and draws the results as runs finish:
   each series by month with its 5-95 % band per arm, the runs' outcomes,
   and the provinces by month.  Plot and d3 are inlined before this
   script; everything else comes from this server's API. */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { db: null, jobs: new Map(), charts: {}, map: null,
                  months: [], loading: 0, pending: false };
  window.strifeDashboard = state;
  const error = (msg) => ($("error").textContent = msg || "");

  async function api(path, opts) {
    const r = await fetch(path, opts);
    const body = await r.json().catch(() => ({ error: r.statusText }));
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  }

  /* The form: scenarios, one box a policy, a list a lever. */
  async function setup() {
    const info = await api("/api/scenarios");
    for (const s of info.scenarios.filter((s) => s.model === "afghan")) {
      const o = new Option(`${s.name} (${s.path})`, s.path);
      $("scenario").append(o);
    }
    for (const k of info.keys) {
      const values = k.range.split("|");
      const deflt = JSON.parse(k.default);
      if (k.key === "policy") {
        for (const v of values) {
          const l = document.createElement("label");
          const box = document.createElement("input");
          box.type = "checkbox";
          box.name = "policy";
          box.value = v;
          box.checked = v === "status-quo" || v === "anti-terror-push";
          l.append(box, " " + v);
          $("policies").append(l);
        }
      } else if (k.type === "string") {
        const l = document.createElement("label");
        l.title = k.doc;
        const sel = document.createElement("select");
        sel.dataset.key = k.key;
        for (const v of values) sel.append(new Option(v, v, false, v === deflt));
        l.append(k.key + " ", sel);
        $("levers").append(l);
      }
    }
  }

  async function start(ev) {
    ev.preventDefault();
    error("");
    const set = {};
    for (const sel of $("levers").querySelectorAll("select"))
      set[sel.dataset.key] = sel.value;
    const body = {
      scenario: $("scenario").value,
      policies: [...document.querySelectorAll("input[name=policy]:checked")]
        .map((b) => b.value),
      set,
      runs: +$("runs").value,
      scale: +$("scale").value,
    };
    try {
      const job = await api("/api/jobs", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      follow(job);
      show(job.db);
    } catch (e) {
      error(e.message);
    }
  }

  /* A job's row, kept up to date by its event stream. */
  function row(job) {
    let tr = document.querySelector(`#jobs tr[data-job="${job.id}"]`);
    if (!tr) {
      tr = document.createElement("tr");
      tr.dataset.job = job.id;
      for (let i = 0; i < 6; i++) tr.insertCell();
      tr.cells[3].append(document.createElement("progress"));
      const cancel = document.createElement("button");
      cancel.textContent = "cancel";
      cancel.className = "cancel";
      cancel.onclick = () =>
        api(`/api/jobs/${job.id}/cancel`, { method: "POST" })
          .catch((e) => error(e.message));
      tr.cells[4].append(cancel);
      const open = document.createElement("button");
      open.textContent = "show";
      open.onclick = () => show(job.db);
      tr.cells[5].append(open);
      $("jobs").tBodies[0].prepend(tr);
    }
    tr.cells[0].textContent = job.id;
    tr.cells[1].textContent = job.policies.join(", ") + ` x ${job.runs}`;
    tr.cells[2].textContent = job.state + (job.cancelling ? " (cancelling)" : "") +
      (job.error ? ": " + job.error : "");
    tr.dataset.state = job.state;
    const bar = tr.cells[3].firstChild;
    bar.max = job.total;
    bar.value = job.done;
    bar.title = `${job.done} of ${job.total} runs`;
    tr.cells[4].firstChild.disabled = job.state !== "running";
  }

  function follow(job) {
    state.jobs.set(job.id, job);
    row(job);
    const es = new EventSource(`/api/jobs/${job.id}/events`);
    es.addEventListener("job", (m) => {
      const j = JSON.parse(m.data);
      const before = state.jobs.get(j.id);
      state.jobs.set(j.id, j);
      row(j);
      if (state.db === j.db && (j.done !== before.done || j.state !== "running"))
        refresh();
      if (j.state !== "running") {
        es.close();
        databases();
      }
    });
  }

  /* The results of the database shown, at most one request at a time. */
  async function refresh() {
    if (!state.db) return;
    if (state.loading) {
      state.pending = true;
      return;
    }
    state.loading = 1;
    try {
      const res = await api(`/api/results?db=${encodeURIComponent(state.db)}` +
                            `&series=${$("series").value}`);
      draw(res);
      await mapMonths(res.arms);
      error("");
    } catch (e) {
      error(e.message);
    }
    state.loading = 0;
    if (state.pending) {
      state.pending = false;
      refresh();
    }
  }

  function show(db) {
    state.db = db;
    $("current").textContent = "of " + db;
    state.months = [];
    refresh();
  }

  const chart = (name, caption, spec) =>
    strifeCharts.figure(name, caption, spec, state.charts);

  /* The series by month (median and 5-95 % band over the runs, per arm)
     and each run's outcome, per arm. */
  function draw(res) {
    const rows = res.rows.map(([arm, rep, month, v]) => ({ arm, rep, month, v }));
    const bands = strifeCharts.bands(rows, (r) => r.v);
    const runs = new Set(rows.map((r) => r.arm + "/" + r.rep)).size;
    const label = $("series").options[$("series").selectedIndex].text;
    const figs = [];
    if (bands.length)
      figs.push(chart("series", `${label}: median and 5-95 % band over ${runs} runs`, {
        width: 520, height: 260, marginLeft: 56,
        x: { type: "utc", label: null }, y: { grid: true, label },
        color: { domain: res.arms, legend: true },
        marks: [
          Plot.areaY(bands, { x: "date", y1: "lo", y2: "hi", fill: "arm", fillOpacity: 0.15 }),
          Plot.lineY(bands, { x: "date", y: "mid", stroke: "arm" }),
        ],
      }));
    const out = res.outcomes.filter((o) => o[2] === "isk_fighters_end" && o[3] != null)
      .map(([arm, rep, , v]) => ({ arm, rep, v }));
    if (out.length)
      figs.push(chart("outcomes", "IS-K fighters at the end: each run (dot) and the arm's mean (tick)", {
        width: 520, height: 60 + 40 * res.arms.length, marginLeft: 130,
        x: { grid: true, label: "IS-K fighters at the end" }, y: { domain: res.arms, label: null },
        color: { domain: res.arms },
        marks: [
          Plot.dot(out, { x: "v", y: "arm", stroke: "arm" }),
          Plot.tickX(out, Plot.groupY({ x: "mean" }, { x: "v", y: "arm", stroke: "#000", strokeWidth: 2 })),
        ],
      }));
    $("charts").replaceChildren(...figs);
    state.shown = { db: state.db, runs, bands: bands.length, outcomes: out.length };
  }

  /* The provinces: the months of the first run, then the map. */
  async function mapMonths(arms) {
    const sel = $("arm");
    if ([...sel.options].map((o) => o.value).join("|") !== arms.join("|"))
      sel.replaceChildren(...arms.map((a) => new Option(a, a)));
    const atEnd = +$("month").value === state.months.length - 1;
    const p = await provinces();
    if (!p || !p.months.length) return;
    if (p.months.length !== state.months.length) {
      state.months = p.months;
      $("month").max = String(Math.max(0, p.months.length - 1));
      if (atEnd || !state.map) $("month").value = $("month").max;
    }
    await drawMap();
  }

  async function provinces(month) {
    if (!state.db || !$("arm").value) return null;
    const q = new URLSearchParams({ db: state.db, quantity: $("quantity").value,
                                    arm: $("arm").value });
    if (month) q.set("month", month);
    try {
      return await api("/api/provinces?" + q);
    } catch (e) {
      error(e.message);
      return null;
    }
  }

  let geo = null;
  async function drawMap() {
    if (!geo) {
      geo = strifeCharts.rewind(await (await fetch("/api/map")).json());
    }
    const month = state.months[+$("month").value];
    const p = await provinces(month);
    if (!p) return;
    $("month-label").textContent = p.month;
    const values = Object.values(p.values).filter((v) => v != null);
    const svg = Plot.plot({
      width: 560, height: 420,
      projection: { type: "mercator", domain: geo },
      color: { type: "linear", domain: [d3.min(values) || 0, d3.max(values) || 1],
               scheme: "YlOrRd", legend: true,
               label: `${$("quantity").selectedOptions[0].text}, ${p.arm}, mean over runs` },
      marks: [Plot.geo(geo.features, {
        fill: (f) => p.values[f.id], stroke: "#555", strokeWidth: 0.5,
        title: (f) => `${f.properties.name}: ${p.values[f.id]}`,
      })],
    });
    $("map").replaceChildren(svg);
    state.map = { month: p.month, quantity: p.quantity, arm: p.arm,
                  provinces: Object.keys(p.values).length, svg };
  }

  async function databases() {
    const list = await api("/api/databases");
    const body = $("databases").tBodies[0];
    body.replaceChildren();
    for (const d of list) {
      const tr = body.insertRow();
      tr.insertCell().textContent = d.db;
      tr.insertCell().textContent = d.bytes;
      const b = document.createElement("button");
      b.textContent = "show";
      b.onclick = () => show(d.db);
      const a = document.createElement("a");
      a.textContent = "report";
      a.href = "/api/report?db=" + encodeURIComponent(d.db);
      a.target = "_blank";
      const cell = tr.insertCell();
      cell.append(b, " ", a);
    }
  }

  $("start").addEventListener("submit", start);
  $("series").addEventListener("change", refresh);
  $("month").addEventListener("input", drawMap);
  $("quantity").addEventListener("change", drawMap);
  $("arm").addEventListener("change", drawMap);
  (async () => {
    try {
      const st = await api("/api/state");
      $("about").textContent = `strife ${st.version}; at most ${st.limits.max_jobs} ` +
        `comparisons at once and ${st.limits.max_runs} runs per arm`;
      await setup();
      for (const j of st.jobs) {
        state.jobs.set(j.id, j);
        row(j);
        if (j.state === "running") follow(j);
      }
      await databases();
      state.ready = true;
    } catch (e) {
      error(e.message);
    }
  })();
})();
