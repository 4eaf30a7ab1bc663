// SPDX-License-Identifier: MIT
// The dashboard in headless chromium, against a running `strife serve`:
// start a small comparison, see its progress and a chart with data, move
// the map by month, cancel a second comparison; then hostile requests,
// each refused with a 4xx and a JSON error, changing nothing.
// Usage: node dashboard.mjs URL ROOT SCREENSHOT.png
import { readdirSync } from "node:fs";
import { check, done, launch, chartMarks } from "./lib.mjs";

const [url, root, shot] = process.argv.slice(2);
const jobsDir = () => { try { return readdirSync(root + "/jobs").sort().join(","); } catch { return ""; } };

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1150, height: 1000 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const elsewhere = [];
  page.on("request", (r) => { if (!r.url().startsWith(url)) elsewhere.push(r.url()); });
  await page.goto(url);
  await page.waitForFunction(() => window.strifeDashboard && window.strifeDashboard.ready);
  const boxes = await page.$$eval("input[name=policy]", (b) => b.length);
  check(boxes === 4, `policy boxes: ${boxes}`);
  const levers = await page.$$eval("#levers select", (s) => s.map((x) => x.dataset.key));
  check(levers.length === 3, `levers: ${levers.join(", ")}`);

  // A small comparison: progress, then the charts with data.
  await page.fill("#runs", "3");
  await page.fill("#scale", "4000");
  await page.selectOption("select[data-key='foreign.us']", "intel-sharing");
  await page.click("#go");
  await page.waitForSelector("#jobs tr[data-job='1']");
  await page.waitForFunction(() => {
    const bar = document.querySelector("#jobs tr[data-job='1'] progress");
    return bar && bar.value > 0;
  }, null, { timeout: 60000 });
  check(true, "progress seen");
  await page.waitForSelector("#jobs tr[data-job='1'][data-state='done']", { timeout: 120000 });
  await page.waitForFunction(() => {
    const s = window.strifeDashboard.shown;
    return s && s.runs === 6;
  }, null, { timeout: 30000 });
  const charts = await chartMarks(page, "#charts figure[data-chart]");
  check(charts.length === 2, `charts: ${charts.map((c) => c.name).join(", ")}`);
  for (const c of charts)
    check(c.marks > 0 && c.bound === c.marks, `${c.name}: ${c.marks} marks, ${c.bound} bound`);
  const dots = await page.$$eval("figure[data-chart='outcomes'] g[aria-label='dot'] > *", (d) => d.length);
  check(dots === 6, `outcomes: ${dots} dots for 6 runs`);
  const usSet = await page.$eval("#jobs tr[data-job='1'] td:nth-child(2)", (t) => t.textContent);
  check(/status-quo, anti-terror-push x 3/.test(usSet), `job row: ${usSet}`);

  // The map: 34 provinces bound; the slider changes the month and fills.
  await page.waitForFunction(() => window.strifeDashboard.map);
  const map = () => page.$$eval("#map g[aria-label='geo'] path", (ps) => ({
    n: ps.length, bound: ps.filter((p) => p.__data__ !== undefined).length,
    fills: ps.map((p) => p.getAttribute("fill")).join("|"),
    month: document.getElementById("month-label").textContent }));
  const last = await map();
  check(last.n === 34 && last.bound === 34, `map: ${last.n} shapes, ${last.bound} bound`);
  await page.$eval("#month", (s) => { s.value = "3"; s.dispatchEvent(new Event("input")); });
  await page.waitForFunction((m) => document.getElementById("month-label").textContent !== m,
                             last.month);
  const other = await map();
  check(other.fills !== last.fills, `slider: ${last.month} -> ${other.month}, fills changed`);
  if (shot) await page.screenshot({ path: shot, fullPage: true });

  // A second, long comparison, cancelled.
  await page.fill("#runs", "400");
  await page.click("#go");
  await page.waitForSelector("#jobs tr[data-job='2']");
  await page.click("#jobs tr[data-job='2'] button.cancel");
  await page.waitForSelector("#jobs tr[data-job='2'][data-state='cancelled']", { timeout: 120000 });
  const j2 = await (await fetch(url + "api/jobs/2")).json();
  check(j2.state === "cancelled" && j2.done < j2.total,
        `cancelled: ${j2.state}, ${j2.done} of ${j2.total} runs`);
  check(errors.length === 0, "page errors: " + errors.join("; "));
  check(elsewhere.length === 0, "requests elsewhere: " + elsewhere.join(", "));

  // A database's report, served: its band charts drawn, nothing refused
  // by the page's security policy.
  const links = await page.$$eval("#databases a", (as) => as.map((a) => a.getAttribute("href")));
  check(links.includes("/api/report?db=jobs%2Fjob-0001.db"), `report links: ${links.join(", ")}`);
  const rp = await browser.newPage();
  const rerr = [];
  rp.on("pageerror", (e) => rerr.push(String(e)));
  rp.on("console", (m) => { if (m.type() === "error") rerr.push(m.text()); });
  await rp.goto(url + "api/report?db=jobs%2Fjob-0001.db");
  await rp.waitForSelector("figure[data-chart] svg");
  const bands = await rp.$$eval("figure[data-chart^='bands-']", (f) => f.length);
  check(bands >= 8 && rerr.length === 0, `served report: ${bands} band charts, errors ${rerr.join("; ")}`);
} finally {
  await browser.close();
}

// Hostile requests: each a 4xx with a JSON error; nothing changes.
const before = { jobs: (await (await fetch(url + "api/jobs")).json()).length, files: jobsDir() };
const job = (body) => ({ method: "POST", headers: { "Content-Type": "application/json" },
                         body: JSON.stringify(body) });
const base = { scenario: "scenarios/afghanistan-2021.json", policies: ["status-quo"], runs: 2 };
const hostile = [
  ["oversized body", "api/jobs", { method: "POST", body: "x".repeat(70000) }, 413],
  ["malformed JSON", "api/jobs", { method: "POST", body: "{\"scenario\":" }, 400],
  ["not an object", "api/jobs", { method: "POST", body: "[1,2]" }, 400],
  ["unknown key", "api/jobs", job({ ...base, evil: 1 }), 400],
  ["unknown scenario key", "api/jobs", job({ ...base, set: { "isk.nope": 1 } }), 400],
  ["out-of-range value", "api/jobs", job({ ...base, set: { "isk.attack_rate": 7 } }), 400],
  ["out-of-range runs", "api/jobs", job({ ...base, runs: 0 }), 400],
  ["too many runs", "api/jobs", job({ ...base, runs: 10000000 }), 400],
  ["unknown policy", "api/jobs", job({ ...base, policies: ["surrender"] }), 400],
  ["a path key", "api/jobs", job({ ...base, set: { "data.provinces": "/etc/passwd" } }), 400],
  ["../ scenario", "api/jobs", job({ ...base, scenario: "../../etc/passwd.json" }), 403],
  ["absolute scenario", "api/jobs", job({ ...base, scenario: "/etc/passwd.json" }), 400],
  ["../ database", "api/results?db=../../x.db&series=attacks", {}, 403],
  ["../ report", "api/report?db=../x.db", {}, 403],
  ["a report of no database", "api/report?db=nothing.db", {}, 404],
  ["encoded ../ database", "api/results?db=jobs%2F..%2F..%2Fx.db&series=attacks", {}, 403],
  ["absolute database", "api/provinces?db=/etc/x.db&quantity=attacks", {}, 400],
  ["not a database", "api/results?db=scenarios/afghanistan-2021.json&series=attacks", {}, 400],
  ["SQL in a series", "api/results?db=jobs/job-0001.db&series=attacks)--", {}, 400],
  ["unknown quantity", "api/provinces?db=jobs/job-0001.db&quantity=secrets", {}, 400],
  ["unknown query key", "api/state?x=1", {}, 400],
  ["a key that is not UTF-8", "api/state?%FF=1", {}, 400],
  ["a month that is not one", "api/provinces?db=jobs/job-0001.db&quantity=attacks&month=%FF", {}, 400],
  ["a key cut in a character", "api/jobs", { method: "POST", body: `{"${"a".repeat(63)}é":1}` }, 400],
  ["a quoted policy", "api/jobs", job({ ...base, policies: ["\"status-quo\""] }), 400],
  ["unknown job", "api/jobs/77", {}, 404],
  ["cancel by GET", "api/jobs/1/cancel", {}, 405],
  ["DELETE", "api/jobs/1", { method: "DELETE" }, 405],
  ["unknown path", "etc/passwd", {}, 404],
  ["another site's page", "api/jobs", { ...job(base), headers: { Origin: "http://evil.example" } }, 403],
];
for (const [what, path, opts, want] of hostile) {
  const r = await fetch(url + path, opts);
  const body = await r.json().catch(() => null);
  check(r.status === want && body && typeof body.error === "string",
        `${what}: status ${r.status} (want ${want}), body ${JSON.stringify(body)}`);
}
const after = { jobs: (await (await fetch(url + "api/jobs")).json()).length, files: jobsDir() };
check(after.jobs === before.jobs && after.files === before.files,
      `nothing changed: jobs ${before.jobs} -> ${after.jobs}, files ${before.files} -> ${after.files}`);
done("dashboard in chromium");
