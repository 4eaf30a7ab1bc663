// SPDX-License-Identifier: MIT
// What the browser tests share: counted checks, Debian's chromium
// launched headless, and every chart's marks with those bound to data.
import { chromium } from "playwright-core";

let fail = 0, pass = 0;

// Counts a check; prints what failed.
export function check(ok, what) {
  if (ok) pass++;
  else {
    fail++;
    console.error("FAIL: " + what);
  }
}

// Prints "NAME: N passed, N failed" and exits with the verdict.
export function done(name) {
  console.log(`${name}: ${pass} passed, ${fail} failed`);
  process.exit(fail ? 1 : 0);
}

// Chromium headless (CHROMIUM, or /usr/bin/chromium), as root too.
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--no-first-run"],
  });
}

// Each chart of 'selector' (figures with data-chart): its name, how many
// marks it drew and how many of them are bound to data.
export function chartMarks(page, selector) {
  return page.$$eval(selector, (fs) =>
    fs.map((f) => {
      const marks = [...f.querySelectorAll("g[aria-label] > *")].filter(
        (e) => ["path", "circle", "line", "rect"].includes(e.tagName));
      return { name: f.dataset.chart, marks: marks.length,
               bound: marks.filter((e) => e.__data__ !== undefined).length };
    }));
}
