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

  /* d3-geo reads a ring the other way round from RFC 7946: a province
     drawn as given covers the globe less the province.  Each ring is
     turned where it does. */
  for (const f of geo.features) {
    if (d3.geoArea(f) > 2 * Math.PI) {
      const polys =
        f.geometry.type === "Polygon"
          ? [f.geometry.coordinates]
          : f.geometry.coordinates;
      for (const p of polys) for (const ring of p) ring.reverse();
    }
  }

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
    const fig = document.createElement("figure");
    fig.dataset.chart = name;
    const svg = Plot.plot({
      width: 440,
      height: 210,
      marginLeft: 56,
      x: { type: "utc", label: null },
      y: { grid: true, label },
      ...extra,
    });
    fig.append(svg);
    const cap = document.createElement("figcaption");
    cap.textContent = caption;
    fig.append(cap);
    holder.append(fig);
    charts[name] = { rows: rows.length, svg };
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
  for (const [key, title] of monthly.length ? series : []) {
    if (!(key in monthly[0])) continue;
    const bands = d3
      .flatRollup(
        monthly,
        (v) => ({
          lo: d3.quantile(v, 0.05, (r) => r[key]),
          mid: d3.quantile(v, 0.5, (r) => r[key]),
          hi: d3.quantile(v, 0.95, (r) => r[key]),
        }),
        (r) => r.arm,
        (r) => r.month
      )
      .map(([arm, month, q]) => ({ arm, date: new Date(month + "-15"), ...q }));
    timeChart("bands-" + key, bands, title + " (by month)",
      title + ": median and 5-95 % band over the runs, by arm", {
        color: { domain: arms, legend: true },
        marks: [
          Plot.areaY(bands, {
            x: "date", y1: "lo", y2: "hi", fill: "arm", fillOpacity: 0.15,
          }),
          Plot.lineY(bands, { x: "date", y: "mid", stroke: "arm" }),
        ],
      });
  }
  const outcomes = parse("strife-outcomes", ["arm", "name"]);
  if (outcomes.length && arms.length > 1) {
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

  /* The province map: a quantity by month, chosen with a slider. */
  const months = Array.from(new Set(provinces.map((r) => r.month))).sort();
  const slider = document.getElementById("month");
  const label = document.getElementById("month-label");
  const which = document.getElementById("quantity");
  const map = document.getElementById("map");
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
    charts.map = { month, quantity: q, provinces: byIso.size, svg };
  }
  slider.addEventListener("input", drawMap);
  which.addEventListener("change", drawMap);
  if (months.length) drawMap();
  else document.getElementById("provinces").hidden = true;

  /* Where the report comes from. */
  const foot = document.getElementById("provenance");
  if (summary.kind) {
    foot.textContent =
      `strife ${summary.strife_version || "?"}, ${summary.kind} of ` +
      `${arms.length} arms (${summary.scenario_hash || "?"}), seed ` +
      `${summary.seed}; made by: ${summary.command || "?"}`;
    return;
  }
  foot.textContent =
    `strife ${summary.strife_version || "?"}, scenario ${summary.scenario || "?"} ` +
    `(${summary.scenario_hash || "?"}), seed ${summary.seed}, ` +
    `${summary.ticks_run} of ${summary.ticks} days, agent scale ${summary.agent_scale}`;
})();
