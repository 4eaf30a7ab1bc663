/* SPDX-License-Identifier: MIT */
/* strife's report: the charts of one run's outputs, drawn from the data
   blocks the report carries (docs/report.md).  Plot and d3 are inlined
   before this script; nothing is fetched. */
"use strict";
(function () {
  const text = (id) => {
    const el = document.getElementById(id);
    return el ? el.textContent : null;
  };
  const summary = JSON.parse(text("strife-summary") || "{}");
  const national = d3.csvParse(text("strife-national") || "", d3.autoType);
  /* A CSV block, numbers read as numbers but the columns 'keep' as text
     (a month such as "2021-09" names the slider's steps, not a date). */
  const parse = (id, keep) =>
    d3.csvParse(text(id) || "", (row) => {
      const kept = keep.map((k) => row[k]);
      d3.autoType(row);
      keep.forEach((k, i) => (row[k] = kept[i]));
      return row;
    });
  const provinces = parse("strife-provinces", ["month"]);
  const geo = JSON.parse(text("strife-geo") || '{"features": []}');
  const charts = {};
  window.strifeReport = { charts, summary };

  strifeCharts.rewind(geo);

  const fmtDate = (s) => (s instanceof Date ? s : new Date(s));
  const series = [
    ["isk_fighters", "IS-K fighters"],
    ["attacks", "IS-K attacks a day in Afghanistan"],
    ["fatalities", "deaths in IS-K attacks a day"],
    ["legit_public", "public legitimacy (mean)"],
    ["legit_hardliner", "hardliners' legitimacy"],
    ["legit_us", "US view of the Taliban"],
    ["legit_pakistan", "Pakistan's view"],
    ["legit_china", "China's view"],
    ["forces", "Taliban forces"],
    ["treasury", "treasury, US$ million"],
    ["active_public", "active citizens (agents)"],
    ["jailed", "jailed citizens (agents)"],
    ["ttp", "TTP fighters"],
    ["ttp_attacks", "TTP attacks a day in Pakistan"],
  ];
  const holder = document.getElementById("series");
  /* A chart over time into 'holder', named for the tests. */
  function timeChart(name, rows, label, caption, extra) {
    holder.append(strifeCharts.figure(name, caption, {
      width: 440,
      height: 210,
      marginLeft: 56,
      x: { type: "utc", label: null },
      y: { grid: true, label },
      ...extra,
    }, charts, rows.length));
  }
  for (const [key, title] of series) {
    if (!national.length || !(key in national[0])) continue;
    const rows = national.map((r) => ({ date: fmtDate(r.date), v: r[key] }));
    timeChart("series-" + key, rows, title, title, {
      marks: [Plot.lineY(rows, { x: "date", y: "v", stroke: "#1f4e79" })],
    });
  }

  /* A results database: each series by month, per arm, its median and
     5-95 % band over the runs; the outcomes per arm, and each arm's
     paired difference from the first with its 90 % interval. */
  const monthly = parse("strife-monthly", ["arm", "month"]);
  const arms = summary.arms || [];
  /* The points of a design or a calibration's proposals: their runs
     together, one band. */
  const pooled = arms.length > 8;
  if (pooled) for (const r of monthly) r.arm = "all runs";
  for (const [key, title] of monthly.length ? series : []) {
    if (!(key in monthly[0])) continue;
    const bands = strifeCharts.bands(monthly, (r) => r[key]);
    timeChart("bands-" + key, bands, title + " (by month)",
      title + ": median and 5-95 % band over the runs, by arm", {
        color: { domain: pooled ? ["all runs"] : arms, legend: true },
        marks: [
          Plot.areaY(bands, {
            x: "date", y1: "lo", y2: "hi", fill: "arm", fillOpacity: 0.15,
          }),
          Plot.lineY(bands, { x: "date", y: "mid", stroke: "arm" }),
        ],
      });
  }
  const outcomes = parse("strife-outcomes", ["arm", "name"]);
  const compared = !summary.kind || ["compare", "sweep"].includes(summary.kind);
  if (outcomes.length && arms.length > 1 && compared) {
    const sec = document.getElementById("comparison");
    sec.hidden = false;
    const by = d3.group(outcomes, (r) => r.name, (r) => r.arm);
    const table = document.createElement("table");
    table.id = "comparison-table";
    const head = table.insertRow();
    for (const h of ["outcome", ...arms]) head.insertCell().textContent = h;
    const diffs = [];
    for (const [name, perArm] of by) {
      const row = table.insertRow();
      row.insertCell().textContent = name;
      const base = new Map(
        (perArm.get(arms[0]) || []).map((r) => [r.rep, r.value])
      );
      for (const arm of arms) {
        const v = (perArm.get(arm) || []).map((r) => r.value)
          .filter((x) => x != null && isFinite(x));
        row.insertCell().textContent = v.length
          ? `${d3.format(".4~g")(d3.mean(v))} [${d3.format(".3~g")(
              d3.quantile(v, 0.05))}, ${d3.format(".3~g")(d3.quantile(v, 0.95))}]`
          : "-";
        if (arm === arms[0]) continue;
        const d = (perArm.get(arm) || [])
          .filter((r) => base.has(r.rep) && r.value != null)
          .map((r) => r.value - base.get(r.rep))
          .filter((x) => isFinite(x))
          .sort(d3.ascending);
        if (d.length)
          diffs.push({ name, arm, mean: d3.mean(d),
                       lo: d3.quantile(d, 0.05), hi: d3.quantile(d, 0.95) });
      }
    }
    sec.append(table);
    const keyOutcomes = new Set(["isk_fighters_end", "attacks", "fatalities",
      "legit_public_end", "forces_end", "ttp_attacks_in_pakistan"]);
    const shown = diffs.filter((d) => keyOutcomes.has(d.name));
    for (const name of keyOutcomes) {
      const rows = shown.filter((d) => d.name === name);
      if (!rows.length) continue;
      const fig = document.createElement("figure");
      fig.dataset.chart = "diff-" + name;
      const svg = Plot.plot({
        width: 440,
        height: 60 + 30 * rows.length,
        marginLeft: 140,
        x: { grid: true, label: `${name}: arm - ${arms[0]} (mean, 90 % of runs)` },
        y: { label: null },
        marks: [
          Plot.ruleX([0], { stroke: "#999" }),
          Plot.ruleY(rows, { y: "arm", x1: "lo", x2: "hi", stroke: "#1f4e79" }),
          Plot.dot(rows, { y: "arm", x: "mean", fill: "#1f4e79" }),
        ],
      });
      fig.append(svg);
      sec.append(fig);
      charts["diff-" + name] = { rows: rows.length, svg };
    }
  }

  /* A figure with a Plot chart into section 'sec', named for the tests. */
  function figure(sec, name, caption, options, rows) {
    const fig = strifeCharts.figure(name, caption, options, charts, rows);
    let box = sec.querySelector(".charts");
    if (!box) {
      box = document.createElement("div");
      box.className = "charts";
      sec.append(box);
    }
    box.append(fig);
  }
  const fmt = d3.format(".4~g");
  const day = (s) => new Date(s + "T00:00:00Z");

  /* The model against the record: each scored figure over its period, on
     the runs' median and 5-95 % band over the same days. */
  const scored = parse("strife-score", ["file", "quantity", "place", "unit",
    "start", "end", "window"]).map((r) => {
      const t0 = day(r.start), t1 = new Date(+day(r.end) + 864e5);
      const range = r.value == null;
      return { ...r, t0, t1, mid: new Date((+t0 + +t1) / 2),
        y: range ? (r.low + r.high) / 2 : r.value, range,
        where: r.window === "in" ? "in the fit window" : "after it" };
    });
  if (scored.length) {
    const sec = document.getElementById("score");
    sec.hidden = false;
    const table = document.createElement("table");
    table.id = "score-table";
    const head = table.insertRow();
    for (const h of ["window", "figures", "inside the 90 % band"])
      head.insertCell().textContent = h;
    for (const w of ["in", "out"]) {
      const rows = scored.filter((r) => r.window === w);
      if (!rows.length) continue;
      const row = table.insertRow();
      row.insertCell().textContent = w === "in" ? "in the fit window" : "after it";
      row.insertCell().textContent = rows.length;
      row.insertCell().textContent = d3.sum(rows, (r) => r.inside);
    }
    sec.append(table);
    const byQ = d3.group(scored, (r) => r.quantity + (r.place ? "@" + r.place : ""));
    for (const [q, rows] of byQ) {
      figure(sec, "score-" + q, `${q} (${rows[0].unit}): the record against ` +
        "the runs' median and 5-95 % band over each figure's period", {
        width: 440, height: 230, marginLeft: 56,
        x: { type: "utc", label: null },
        y: { grid: true, label: `${q}, ${rows[0].unit}` },
        color: { domain: ["in the fit window", "after it"],
                 range: ["#1f4e79", "#d95f02"], legend: true },
        marks: [
          Plot.rect(rows, { x1: "t0", x2: "t1", y1: "q05", y2: "q95",
                            fill: "#bbb", fillOpacity: 0.5 }),
          Plot.ruleY(rows, { x1: "t0", x2: "t1", y: "median", stroke: "#555" }),
          Plot.ruleX(rows.filter((r) => r.range),
                     { x: "mid", y1: "low", y2: "high", stroke: "where",
                       strokeWidth: 2 }),
          Plot.dot(rows, { x: "mid", y: "y", fill: "where", r: 3.5,
            symbol: (r) => (r.inside ? "circle" : "diamond"),
            title: (r) => `${q} ${r.start}..${r.end}: ` +
              (r.range ? `${fmt(r.low)}-${fmt(r.high)}` : fmt(r.value)) +
              `; model ${fmt(r.median)} [${fmt(r.q05)}, ${fmt(r.q95)}]` +
              (r.inside ? ", inside" : ", outside") +
              ` (${r.file}:${r.idx})` }),
        ],
      }, rows.length);
    }
  }

  /* Forecast skill: each series' fan against the record after the
     window, and the model's skill by months ahead against each naive
     forecast. */
  const skill = parse("strife-skill", ["quantity", "place", "unit", "start",
    "forecaster"]).map((r) => ({ ...r, date: day(r.start) }));
  if (skill.length) {
    const sec = document.getElementById("skill");
    sec.hidden = false;
    const naive = ["persistence", "conflictology", "trend"];
    const bucket = (h) => (h <= 3 ? "1-3" : h <= 12 ? "4-12" : "13+");
    for (const [q, rows] of d3.group(skill, (r) => r.quantity +
        (r.place ? "@" + r.place : "") + (r.span === 3 ? " (quarterly)" : ""))) {
      const model = rows.filter((r) => r.forecaster === "model");
      const others = rows.filter((r) => r.forecaster !== "model");
      figure(sec, "fan-" + q, `${q} (${model[0].unit}) after the fit window: ` +
        "the model's 5-95 % and 25-75 % bands and median, the naive " +
        "forecasts' medians (dashed) and the record (dots)", {
        width: 440, height: 240, marginLeft: 56,
        x: { type: "utc", label: null },
        y: { grid: true, label: `${q}, ${model[0].unit}` },
        color: { domain: ["model", ...naive, "record"],
                 range: ["#1f4e79", "#7570b3", "#1b9e77", "#e7298a", "#d95f02"],
                 legend: true },
        marks: [
          Plot.areaY(model, { x: "date", y1: "q05", y2: "q95", fill: "#1f4e79",
                              fillOpacity: 0.12 }),
          Plot.areaY(model, { x: "date", y1: "q25", y2: "q75", fill: "#1f4e79",
                              fillOpacity: 0.25 }),
          Plot.lineY(model, { x: "date", y: "q50", stroke: "forecaster" }),
          Plot.lineY(others, { x: "date", y: "q50", stroke: "forecaster",
                               strokeDasharray: "4,3" }),
          Plot.dot(model, { x: "date", y: "observed", fill: "#d95f02", r: 3,
            title: (r) => `${r.start}: ${fmt(r.observed)}; model ` +
              `${fmt(r.q50)} [${fmt(r.q05)}, ${fmt(r.q95)}], CRPS ${fmt(r.crps)}` }),
        ],
      }, model.length);
      /* Mean CRPS by months ahead and forecaster, then the skill. */
      const mean = d3.rollup(rows, (v) => d3.mean(v, (r) => r.crps),
        (r) => bucket(r.horizon), (r) => r.forecaster);
      const bars = [];
      for (const [b, byWho] of mean)
        for (const w of naive)
          if (byWho.has(w) && byWho.has("model"))
            bars.push({ months: b, against: w,
                        skill: 1 - byWho.get("model") / byWho.get(w) });
      figure(sec, "skill-" + q, `${q}: the model's skill against each naive ` +
        "forecast, by months ahead (1 - CRPS model / CRPS naive)", {
        width: 440, height: 250, marginLeft: 56, marginBottom: 40,
        x: { domain: ["1-3", "4-12", "13+"].flatMap((b) => naive.map(
               (w) => `${b} ${w}`)).filter((k) => bars.some(
               (r) => `${r.months} ${r.against}` === k)),
             tickFormat: (k) => k.split(" ")[0], label: "months ahead" },
        y: { grid: true, label: "skill" },
        color: { domain: naive, range: ["#7570b3", "#1b9e77", "#e7298a"],
                 legend: true },
        marks: [
          Plot.ruleY([0], { stroke: "#999" }),
          Plot.barY(bars, { x: (r) => `${r.months} ${r.against}`, y: "skill",
            fill: "against",
            title: (r) => `${r.months} months ahead, against ${r.against}: ` +
              d3.format("+.2f")(r.skill) }),
        ],
      }, bars.length);
    }
  }

  /* Sensitivity: the indices of each parameter per outcome, with their
     95 % bootstrap intervals. */
  const indices = parse("strife-sensitivity", ["outcome", "parameter", "measure"]);
  if (indices.length) {
    const sec = document.getElementById("sensitivity");
    const morris = indices.some((r) => r.measure === "mu_star");
    document.getElementById("sensitivity-what").textContent = morris
      ? "Morris's elementary effects: mu* (bars, in the outcome's units per " +
        "full range of the parameter) with its 95 % bootstrap interval, " +
        "and sigma (dots)."
      : "Sobol indices: first order S1 and total ST (bars), with their " +
        "95 % bootstrap intervals.";
    for (const [outcome, rows] of d3.group(indices, (r) => r.outcome)) {
      if (!rows.some((r) => r.value)) continue; /* moved by no parameter */
      const bars = rows.filter((r) => r.measure !== "sigma");
      const sigma = rows.filter((r) => r.measure === "sigma");
      const rank = d3.groupSort(bars, (v) => -d3.max(v, (r) => r.value),
        (r) => r.parameter);
      const y = (r) => (morris ? r.parameter : `${r.parameter} ${r.measure}`);
      figure(sec, "sens-" + outcome, `${outcome}: ` +
        (morris ? "mu* and sigma" : "S1 and ST") + " of each parameter", {
        width: 440, height: 50 + 24 * bars.length, marginLeft: 190,
        x: { grid: true, label: outcome },
        y: { label: null, domain: bars.map(y).sort((a, b) =>
          rank.indexOf(a.split(" ")[0]) - rank.indexOf(b.split(" ")[0])) },
        color: { domain: morris ? ["mu_star"] : ["S1", "ST"], legend: !morris,
                 range: ["#1f4e79", "#9ecae1"] },
        marks: [
          Plot.barX(bars, { y, x: "value", fill: "measure" }),
          Plot.ruleY(bars.filter((r) => r.lo != null),
                     { y, x1: "lo", x2: "hi", stroke: "#222" }),
          ...(sigma.length
            ? [Plot.dot(sigma, { y, x: "value", fill: "#d95f02" })] : []),
        ],
      }, bars.length);
    }
    sec.hidden = !sec.querySelector("figure");
  }

  /* Calibration: each free parameter's prior and its posterior, the last
     generation's particles weighted. */
  const particles = parse("strife-posterior", ["key"]);
  if (particles.length && (summary.free || []).length) {
    const sec = document.getElementById("calibration");
    sec.hidden = false;
    for (const f of summary.free) {
      const rows = particles.filter((r) => r.key === f.key);
      const log = f.prior === "log-uniform";
      const to = log ? Math.log : (x) => x, from = log ? Math.exp : (x) => x;
      const dens = f.prior === "normal"
        ? (x) => Math.exp(-0.5 * ((x - f.mean) / f.sd) ** 2)
        : log ? (x) => 1 / x : () => 1;
      const n = 12, a = to(f.lo), w = (to(f.hi) - a) / n;
      const total = d3.sum(rows, (r) => r.weight) || 1;
      const bins = d3.range(n).map((i) => {
        const x1 = from(a + i * w), x2 = from(a + (i + 1) * w);
        const steps = d3.range(20).map((k) => x1 + ((k + 0.5) / 20) * (x2 - x1));
        const mass = (d3.mean(steps, dens) * (x2 - x1));
        const post = d3.sum(rows.filter((r) => r.value >= x1 &&
          (r.value < x2 || (i === n - 1 && r.value <= x2))), (r) => r.weight);
        return { x1, x2, mass, post: post / total / (x2 - x1) };
      });
      const norm = d3.sum(bins, (b) => b.mass) || 1;
      for (const b of bins) b.prior = b.mass / norm / (b.x2 - b.x1);
      figure(sec, "prior-" + f.key, `${f.key}: prior (${f.prior || "uniform"} ` +
        `on ${fmt(f.lo)}-${fmt(f.hi)}, outlined) and posterior ` +
        `(${rows.length} particles, filled)`, {
        width: 440, height: 200, marginLeft: 56,
        x: { type: log ? "log" : "linear", label: f.key, domain: [f.lo, f.hi] },
        y: { grid: true, label: "density" },
        marks: [
          Plot.rectY(bins, { x1: "x1", x2: "x2", y: "post", fill: "#1f4e79",
                             fillOpacity: 0.6 }),
          Plot.rectY(bins, { x1: "x1", x2: "x2", y: "prior", fill: "none",
                             stroke: "#d95f02" }),
        ],
      }, bins.length);
    }
  }

  /* The parameters with their sources: the first arm's (a database), or
     the run's scenario. */
  const flat = [];
  const scen = JSON.parse(text("strife-scenario") || "{}");
  const walk = (o, path) => {
    for (const [k, v] of Object.entries(o)) {
      const key = path ? `${path}.${k}` : k;
      if (v && typeof v === "object" && !Array.isArray(v)) walk(v, key);
      else flat.push({ key, value: JSON.stringify(v),
                       source: (scen.sources || {})[key] || "" });
    }
  };
  for (const k of Object.keys(scen))
    if (!["sources", "calibration", "description", "name"].includes(k))
      walk({ [k]: scen[k] }, "");
  const params = flat.length ? flat
    : parse("strife-parameters", ["key", "value", "source"]);
  if (params.length) {
    const sec = document.getElementById("parameters");
    sec.hidden = false;
    document.getElementById("parameters-what").textContent = flat.length
      ? "The run's scenario (scenario.json): each value with its source."
      : `The parameters of the first arm (${arms[0] || "?"}), each with its source.`;
    const table = document.createElement("table");
    table.id = "parameters-table";
    const head = table.insertRow();
    for (const h of ["parameter", "value", "source"])
      head.insertCell().textContent = h;
    for (const p of params) {
      const row = table.insertRow();
      row.insertCell().textContent = p.key;
      row.insertCell().textContent = p.value;
      row.insertCell().textContent = p.source || "";
    }
    sec.append(table);
  }

  /* The province map: a quantity by month, chosen with a slider. */
  const months = Array.from(new Set(provinces.map((r) => r.month))).sort();
  const slider = document.getElementById("month");
  const label = document.getElementById("month-label");
  const which = document.getElementById("quantity");
  const map = document.getElementById("map");
  map.dataset.chart = "map";
  slider.max = String(Math.max(0, months.length - 1));
  slider.value = slider.max;
  function drawMap() {
    const month = months[+slider.value];
    const q = which.value;
    label.textContent = month || "";
    const byIso = new Map(
      provinces.filter((r) => r.month === month).map((r) => [r.iso, r[q]])
    );
    const all = provinces.map((r) => r[q]).filter((v) => v != null);
    const svg = Plot.plot({
      width: 560,
      height: 420,
      projection: { type: "mercator", domain: geo },
      color: {
        type: "linear",
        domain: [d3.min(all), d3.max(all)],
        scheme: "YlOrRd",
        legend: true,
        label: which.options[which.selectedIndex].text,
      },
      marks: [
        Plot.geo(geo.features, {
          fill: (f) => byIso.get(f.id),
          stroke: "#555",
          strokeWidth: 0.5,
          title: (f) => `${f.properties.name}: ${byIso.get(f.id)}`,
        }),
      ],
    });
    map.replaceChildren(svg);
    if (summary.kind)
      document.getElementById("map-what").textContent =
        `The median over the runs of the first arm (${arms[0] || "?"}).`;
    charts.map = { month, quantity: q, provinces: byIso.size, svg };
  }
  slider.addEventListener("input", drawMap);
  which.addEventListener("change", drawMap);
  if (months.length) drawMap();
  else document.getElementById("provinces").hidden = true;

  /* Where the report comes from. */
  const foot = document.getElementById("provenance");
  if (summary.kind)
    foot.textContent =
      `strife ${summary.strife_version || "?"}, ${summary.kind} of ` +
      `${arms.length} arms (${summary.scenario_hash || "?"}), seed ` +
      `${summary.seed}; made by: ${summary.command || "?"}`;
  else
    foot.textContent =
      `strife ${summary.strife_version || "?"}, scenario ${summary.scenario || "?"} ` +
      `(${summary.scenario_hash || "?"}), seed ${summary.seed}, ` +
      `${summary.ticks_run} of ${summary.ticks} days, agent scale ${summary.agent_scale}`;

  /* Opened as REPORT#svg (strife report --svg): each chart as a
     standalone SVG file's text, by name, in a JSON block the command
     reads back from the page.  A chart's legend comes before it, so its
     last svg is the chart. */
  if (location.hash === "#svg") {
    const out = {};
    for (const el of document.querySelectorAll("[data-chart]")) {
      const svgs = el.querySelectorAll("svg");
      if (svgs.length)
        out[el.dataset.chart] = new XMLSerializer().serializeToString(
          svgs[svgs.length - 1]);
    }
    const block = document.createElement("script");
    block.type = "application/json";
    block.id = "strife-svg";
    block.textContent = JSON.stringify(out).replace(/</g, "\\u003c");
    document.body.append(block);
  }
})();
