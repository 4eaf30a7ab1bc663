/* SPDX-License-Identifier: MIT */
/* What the report and the dashboard draw alike (docs/report.md,
   docs/api.md): inlined after Plot and d3, before the page's own
   script. */
"use strict";
window.strifeCharts = {
  /* d3-geo reads a ring the other way round from RFC 7946: a province
     drawn as given covers the globe less the province.  Each ring is
     turned where it does. */
  rewind(geo) {
    for (const f of geo.features) {
      if (d3.geoArea(f) <= 2 * Math.PI) continue;
      const polys =
        f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const p of polys) for (const ring of p) ring.reverse();
    }
    return geo;
  },

  /* Rows of (arm, month, value) to each arm's median and 5-95 % band by
     month, over the runs. */
  bands(rows, value) {
    return d3
      .flatRollup(
        rows,
        (v) => ({
          lo: d3.quantile(v, 0.05, value),
          mid: d3.quantile(v, 0.5, value),
          hi: d3.quantile(v, 0.95, value),
          n: v.length,
        }),
        (r) => r.arm,
        (r) => r.month
      )
      .map(([arm, month, q]) => ({ arm, date: new Date(month + "-15"), ...q }));
  },

  /* A <figure data-chart=NAME> holding the Plot chart of 'options' and a
     caption; the chart is kept in registry[name] for the tests. */
  figure(name, caption, options, registry, rows) {
    const fig = document.createElement("figure");
    fig.dataset.chart = name;
    const svg = Plot.plot(options);
    fig.append(svg);
    const cap = document.createElement("figcaption");
    cap.textContent = caption;
    fig.append(cap);
    registry[name] = { rows, svg };
    return fig;
  },
};
