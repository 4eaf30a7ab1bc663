// SPDX-License-Identifier: MIT
// Opens a report in headless chromium and checks that each chart drew
// marks bound to data, and that the map's slider changes the map.
// Usage: node report.mjs REPORT.html SCREENSHOT.png
import { chromium } from "playwright-core";

const [file, shot] = process.argv.slice(2);
const exe = process.env.CHROMIUM || "/usr/bin/chromium";
let fail = 0, pass = 0;
const check = (ok, what) => {
  if (ok) pass++;
  else {
    fail++;
    console.error("FAIL: " + what);
  }
};

const browser = await chromium.launch({ executablePath: exe, headless: true,
                                        args: ["--no-sandbox"] });
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
  const figs = await page.$$eval("figure[data-chart]", (fs) =>
    fs.map((f) => {
      const marks = [...f.querySelectorAll("g[aria-label] > *")].filter(
        (e) => ["path", "circle", "line", "rect"].includes(e.tagName));
      return { name: f.dataset.chart, marks: marks.length,
               bound: marks.filter((e) => e.__data__ !== undefined).length };
    }));
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
  if (!hasMap) {
    check(bands >= 8 && diffs >= 3, `database report: ${bands} band charts, ${diffs} difference charts`);
    const rows = await page.$$eval("#comparison-table tr", (r) => r.length);
    check(rows > 10, `comparison table: ${rows} rows`);
  } else check(series.length >= 8, `series charts: ${series.length}`);
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
console.log(`report in chromium: ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
