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
  /* The month stays text ("2021-09"): it names the slider's steps. */
  const provinces = d3.csvParse(text("strife-provinces") || "", (row) => {
    const month = row.month;
    d3.autoType(row);
    row.month = month;
    return row;
  });
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
  for (const [key, title] of series) {
    if (!national.length || !(key in national[0])) continue;
    const rows = national.map((r) => ({ date: fmtDate(r.date), v: r[key] }));
    const fig = document.createElement("figure");
    fig.dataset.chart = "series-" + key;
    const svg = Plot.plot({
      width: 440,
      height: 200,
      marginLeft: 56,
      x: { type: "utc", label: null },
      y: { grid: true, label: title },
      marks: [Plot.lineY(rows, { x: "date", y: "v", stroke: "#1f4e79" })],
    });
    fig.append(svg);
    const cap = document.createElement("figcaption");
    cap.textContent = title;
    fig.append(cap);
    holder.append(fig);
    charts["series-" + key] = { rows: rows.length, svg };
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

  /* Where the report comes from. */
  const foot = document.getElementById("provenance");
  foot.textContent =
    `strife ${summary.strife_version || "?"}, scenario ${summary.scenario || "?"} ` +
    `(${summary.scenario_hash || "?"}), seed ${summary.seed}, ` +
    `${summary.ticks_run} of ${summary.ticks} days, agent scale ${summary.agent_scale}`;
})();
