// SPDX-License-Identifier: MIT
// Opens a report in headless chromium and checks that each chart drew
// marks bound to data, and that the map's slider changes the map.
// Usage: node report.mjs REPORT.html SCREENSHOT.png
import { check, done, launch, chartMarks } from "./lib.mjs";

const [file, shot] = process.argv.slice(2);
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // Nothing may be fetched: the report is offline.
  const fetched = [];
  page.on("request", (r) => { if (!r.url().startsWith("file:")) fetched.push(r.url()); });
  await page.goto("file://" + file);
  await page.waitForSelector("figure[data-chart] svg");
  const hasMap = await page.$eval("#provinces", (s) => !s.hidden);
  const kind = await page.evaluate(() => window.strifeReport.summary.kind || "");
  check(errors.length === 0, "page errors: " + errors.join("; "));
  check(fetched.length === 0, "fetched: " + fetched.join(", "));
  // Each series chart: a line path whose points are the run's days.
  const series = await page.$$eval("figure[data-chart^='series-']", (figs) =>
    figs.map((f) => {
      const line = f.querySelector("g[aria-label='line'] path");
      const d = line ? line.getAttribute("d") || "" : "";
      return { name: f.dataset.chart, bound: !!(line && line.__data__),
               points: (d.match(/L/g) || []).length + (d ? 1 : 0),
               rows: window.strifeReport.charts[f.dataset.chart].rows };
    }));
  // Every chart: its marks drawn, each bound to data.
  const figs = await chartMarks(page, "figure[data-chart]");
  check(figs.length >= 8, `charts: ${figs.length}`);
  for (const f of figs)
    check(f.marks > 0 && f.bound === f.marks,
          `${f.name}: ${f.marks} marks, ${f.bound} bound to data`);
  for (const s of series)
    check(s.bound && s.points > 1 && s.points <= s.rows,
          `${s.name}: bound ${s.bound}, ${s.points} points of ${s.rows} rows`);
  // A database's report: a band chart per series and arm, the table.
  const bands = figs.filter((f) => f.name.startsWith("bands-")).length;
  const diffs = figs.filter((f) => f.name.startsWith("diff-")).length;
  if (kind) {
    check(bands >= 8, `database report: ${bands} band charts`);
    check(hasMap, "database report: no province map");
  } else check(series.length >= 8, `series charts: ${series.length}`);
  if (kind === "compare" || kind === "sweep") {
    check(diffs >= 3, `comparison: ${diffs} difference charts`);
    const rows = await page.$$eval("#comparison-table tr", (r) => r.length);
    check(rows > 10, `comparison table: ${rows} rows`);
  }
  // The rows of a data block of the page (CSV, less its head).
  const blockRows = (id) => page.evaluate((id) => {
    const el = document.getElementById(id);
    return el ? el.textContent.trim().split("\n").length - 1 : 0;
  }, id);
  // Marks of a kind in the figures whose name starts with 'prefix'.
  const marks = (prefix, mark) => page.$$eval(`figure[data-chart^='${prefix}']`,
    (fs, mark) => fs.map((f) => ({ name: f.dataset.chart,
      n: f.querySelectorAll(`g[aria-label='${mark}'] > *`).length,
      bound: [...f.querySelectorAll(`g[aria-label='${mark}'] > *`)]
        .filter((e) => e.__data__ !== undefined).length })), mark);
  if (kind === "score") {
    // A point per scored figure, each over its band.
    const figures = await blockRows("strife-score");
    const dots = await marks("score-", "dot");
    const bandsDrawn = await marks("score-", "rect");
    const n = dots.reduce((a, f) => a + f.n, 0);
    check(figures > 10 && n === figures, `score: ${n} points of ${figures} figures scored`);
    check(bandsDrawn.reduce((a, f) => a + f.bound, 0) === figures,
          "score: a band per figure");
    const rows = await page.$$eval("#score-table tr", (r) => r.length);
    check(rows === 3, `score table: ${rows} rows (head, in window, after)`);
    // The forecasts after the window: a record dot per month the model
    // forecast, a skill bar per horizon and naive forecast.
    const skill = await page.evaluate(() =>
      d3.csvParse(document.getElementById("strife-skill").textContent));
    const months = skill.filter((r) => r.forecaster === "model").length;
    const fanDots = (await marks("fan-", "dot")).reduce((a, f) => a + f.bound, 0);
    check(months > 5 && fanDots === months, `fan: ${fanDots} record dots of ${months} months`);
    const bars = (await marks("skill-", "bar")).reduce((a, f) => a + f.bound, 0);
    check(bars >= 3, `skill: ${bars} bars`);
  }
  if (kind === "sensitivity") {
    // A bar per parameter (Morris's mu*; Sobol's S1 and ST) per outcome.
    const bars = await marks("sens-", "bar");
    const p = await page.evaluate(() => new Set(d3.csvParse(
      document.getElementById("strife-sensitivity").textContent)
      .map((r) => r.parameter)).size);
    const morris = await page.evaluate(() => document.getElementById(
      "strife-sensitivity").textContent.includes("mu_star"));
    const n = bars.reduce((a, f) => a + f.bound, 0);
    check(bars.length >= 1 && n === p * bars.length * (morris ? 1 : 2),
          `sensitivity: ${n} bars in ${bars.length} charts, ${p} parameters`);
    const rules = await marks("sens-", "rule");
    check(rules.every((f) => f.n === f.bound && f.n > 0), "sensitivity: no interval drawn");
  }
  if (kind === "calibrate") {
    // Each free parameter: its prior and posterior over 12 bins.
    const free = await page.evaluate(() => window.strifeReport.summary.free.length);
    const rects = await marks("prior-", "rect");
    check(free > 0 && rects.length === free, `calibration: ${rects.length} charts of ${free} free parameters`);
    check(rects.every((f) => f.bound === 24), "calibration: a chart without its 12 + 12 bins");
    const particles = await blockRows("strife-posterior");
    check(particles >= free, `posterior: ${particles} rows`);
  }
  // The parameters with their sources.
  const params = await page.$$eval("#parameters-table tr", (rs) => rs.slice(1).map(
    (r) => r.cells[2].textContent));
  check(params.length > 50 && params.filter((s) => s.length > 5).length > 50,
        `parameters: ${params.length} rows, ${params.filter((s) => s.length > 5).length} with a source`);
  // The map: a shape per province, bound to a feature, filled by data.
  const map = () => page.$$eval("#map g[aria-label='geo'] path", (ps) => ({
    n: ps.length,
    bound: ps.filter((p) => p.__data__ !== undefined).length,
    fills: ps.map((p) => p.getAttribute("fill")).join("|"),
    month: document.getElementById("month-label").textContent,
  }));
  if (hasMap) {
  const last = await map();
  check(last.n === 34 && last.bound === 34, `map: ${last.n} shapes, ${last.bound} bound`);
  await page.$eval("#month", (s) => { s.value = "0"; s.dispatchEvent(new Event("input")); });
  const first = await map();
  check(first.month !== last.month, `slider: month ${last.month} -> ${first.month}`);
  check(first.fills !== last.fills, "slider: the map's fills did not change");
  await page.selectOption("#quantity", "legit_public");
  const legit = await map();
  check(legit.fills !== first.fills, "quantity: the map's fills did not change");
  }
  if (shot) await page.screenshot({ path: shot, fullPage: true });
} finally {
  await browser.close();
}
done("report in chromium");
