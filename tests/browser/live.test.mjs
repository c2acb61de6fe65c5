// live.test.mjs: the live meeting view in the browser (issue 9, live). With the server's clock
// set by the test (REFERAT_CLOCK_FILE): the countdown ticks in the page between polls (live.js),
// a member's page follows the sekretær's "Næste punkt" by itself (live.js polls live.json and
// reloads), overrun is shown in text and colour, the page works without script, and axe-core
// (WCAG 2.1 A and AA) and html-validate pass on the live view, the projector view and the
// attendance form. Ends with "N passed, N failed". LIVE_DEBUG=1 prints the pages' console and
// requests.
//
// usage: node live.test.mjs REFERAT EXAMPLES_DIR
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { HtmlValidate } from "html-validate";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [referat, examples] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), "referat-live-"));
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const PASSWORD = "korrekt hest batteri hæfteklamme";
const clock = join(work, "clock");
const env = { ...process.env, REFERAT_CLOCK_FILE: clock };
const setClock = (iso) => writeFileSync(clock, iso + "\n");

let passed = 0;
let failed = 0;

function assert(cond, what) {
  if (!cond) throw new Error(what);
}

async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(2)}s)`);
  } catch (e) {
    failed++;
    const lines = String(e && e.stack ? e.stack : e).split("\n").slice(0, 8);
    console.log(`FAIL ${name}\n  ${lines.join("\n  ")}`);
  }
}

const db = join(work, "live.db");
const run = (...args) => execFileSync(referat, [...args, "--db", db], { encoding: "utf8", env });

// The archive: the examples, a sekretær and a member of DIR, a released meeting with one case
// of three sub-items (10.00, 5 + 5 + 10 minutes; a guest on the second), started at 10:00:20.
function makeArchive() {
  const files = readdirSync(examples)
    .filter((f) => /^\d\d-.*\.(md|txt)$/.test(f))
    .map((f) => join(examples, f));
  execFileSync(referat, ["import", "--db", db, "--quiet", ...files], { stdio: "pipe", env });
  for (const [login, name, role] of [["sidse", "Sidse Sekretær", "sekretaer"],
    ["mette", "Mette Medlem", "medlem"]]) {
    execFileSync(referat, ["user", "add", login, "--name", name, "--password-stdin", "--db", db],
      { input: PASSWORD + "\n", stdio: "pipe", env });
    run("user", "grant", login, "DIR", role);
  }
  const mid = Number(/meeting (\d+)/.exec(run("meeting", "add", "DIR", "2026-12-20", "--start",
    "10:00", "--end", "12:00", "--place", "Mødelokale 1"))[1]);
  const model = join(work, "case.json");
  writeFileSync(model, JSON.stringify({
    format: "referat-case/1", title: "Punkter til behandling", public: true, route: ["DIR"],
    has_table: true, subitems: [
      { time: "10.00", duration: 5, title: "Status på budgettet" },
      { duration: 5, title: "Digitaliseringsstrategi",
        guests: [{ name: "Tonny Olsen", role: "Chef for Borgerservice, IT og Digitalisering" }] },
      { duration: 10, title: "Eventuelt" }],
  }));
  const cid = /case (\d+) version/.exec(run("case", "new", "--meeting", String(mid), model))[1];
  for (const step of ["indsend", "godkend", "saet_paa_dagsorden"])
    run("case", "step", cid, step, "--version", "1");
  run("meeting", "step", String(mid), "frigiv_dagsorden", "--version", "1");
  setClock("2026-12-20T09:00:20Z"); // 10:00:20 in Copenhagen
  run("meeting", "step", String(mid), "start", "--version", "2");
  return mid;
}

function startServer() {
  return new Promise((resolve, reject) => {
    const proc = spawn(referat, ["serve", "--db", db, "--listen", "127.0.0.1:0", "--quiet"], {
      stdio: ["ignore", "pipe", "inherit"], env,
    });
    let out = "";
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) resolve({ proc, base: `http://127.0.0.1:${m[1]}` });
    });
    proc.on("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
}

let validator;

// A page of one person, keeping the last HTML the server sent for html-validate.
async function person(browser, base, login, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 },
    locale: "da-DK", ...options });
  await context.route("**/*", (route) =>
    route.request().url().startsWith(base) ? route.continue() : route.abort());
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  const tab = { page, html: null, problems: [] };
  page.on("pageerror", (e) => tab.problems.push(String(e)));
  page.on("console", (m) => { if (process.env.LIVE_DEBUG) console.log("console:", m.text()); });
  page.on("requestfinished", (r) => { if (process.env.LIVE_DEBUG) console.log("req:", r.url()); });
  page.on("response", (r) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame())
      tab.html = r.text().catch(() => "");
  });
  await page.goto(base + "/log-ind");
  await page.fill("#login", login);
  await page.fill("#password", PASSWORD);
  await Promise.all([
    page.waitForEvent("framenavigated", { predicate: (f) => f === page.mainFrame() }),
    page.press("#password", "Enter"),
  ]);
  await page.waitForLoadState("load");
  assert(/\/arbejde$/.test(page.url()), `${login} logged in: ${page.url()}`);
  return tab;
}

async function checkPage(tab, label) {
  await tab.page.evaluate(axeSource);
  const r = await tab.page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), WCAG);
  const v = r.violations.map((x) => `${x.id}: ${x.nodes[0].target.join(" ")} – ${x.help}`);
  assert(v.length === 0, `${label}: axe: ${v.join("\n    ")}`);
  const report = await validator.validateString(await tab.html, label);
  const msgs = report.results.flatMap((x) =>
    x.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
  assert(report.valid, `${label}: html-validate:\n    ${msgs.slice(0, 15).join("\n    ")}`);
}

const current = (page) => page.innerText("tr.live-current th");

async function main() {
  setClock("2026-12-20T08:30:00Z");
  const mid = makeArchive();
  const { proc, base } = await startServer();
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  validator = new HtmlValidate({ extends: ["html-validate:recommended"] });
  const live = `${base}/arbejde/moede/${mid}/live`;
  try {
    const sek = await person(browser, base, "sidse");
    const member = await person(browser, base, "mette");

    await test("the countdown ticks between polls, from the server's clock", async () => {
      await sek.page.goto(live);
      const t0 = await sek.page.innerText("#live-count");
      assert(/^4:(40|39|38) tilbage$/.test(t0), `counting down to 10:05: ${t0}`);
      await sek.page.waitForTimeout(2300);
      const t1 = await sek.page.innerText("#live-count");
      assert(t1 !== t0 && /^4:3\d tilbage$/.test(t1), `ticked: ${t0} -> ${t1}`);
      assert((await current(sek.page)).includes("1.1 Status"), "row 1.1 is current");
      assert((await sek.page.innerText(".live-now")).includes("Næste gæst: Tonny Olsen"),
        "the next guest to call in");
      await checkPage(sek, "live view (sekretær)");
    });

    await test("a member's page follows the sekretær's Næste punkt by itself", async () => {
      await member.page.goto(live);
      assert(await member.page.locator("text=Næste punkt").count() === 0,
        "no controls for a member");
      assert((await current(member.page)).includes("1.1"), "the member sees row 1.1");
      setClock("2026-12-20T09:04:00Z");
      await Promise.all([
        sek.page.waitForEvent("framenavigated", { predicate: (f) => f === sek.page.mainFrame() }),
        sek.page.click("button:has-text('Næste punkt')"),
      ]);
      await sek.page.waitForLoadState("load");
      assert((await current(sek.page)).includes("1.2 Digitalisering"), "stamped: row 1.2");
      // live.js polls every 5 seconds and reloads when the current row changed.
      await member.page.waitForFunction(() => {
        const th = document.querySelector("tr.live-current th");
        return th && th.textContent.includes("1.2");
      }, null, { timeout: 15000 });
      assert(member.problems.length === 0, `no script errors: ${member.problems}`);
    });

    await test("overrun in text and colour; the projector view", async () => {
      setClock("2026-12-20T09:13:00Z"); // row 1.2 was planned to end at 10:10
      await member.page.goto(live + "?visning=projektor");
      const count = member.page.locator("p.live-count");
      const text = await count.innerText();
      assert(/^3 min over tid/.test(text), `overrun in words: ${text}`);
      assert(await count.evaluate((el) => el.classList.contains("live-over")),
        "and in colour (class live-over)");
      const colour = await count.evaluate((el) => getComputedStyle(el).color);
      assert(colour === "rgb(155, 28, 28)", `the overrun colour: ${colour}`);
      assert(await member.page.locator("#live form").count() === 0, "read-only: no form");
      await checkPage(member, "projector view");
    });

    await test("the page works without script", async () => {
      const plain = await person(browser, base, "mette", { javaScriptEnabled: false });
      await plain.page.goto(live);
      assert((await current(plain.page)).includes("1.2"), "the same current row");
      assert((await plain.page.innerText("#live-count")).includes("over tid"),
        "the countdown as the server computed it");
      await plain.page.context().close();
    });

    await test("the attendance form", async () => {
      await sek.page.goto(`${base}/arbejde/moede/${mid}/fremmoede`);
      assert((await sek.page.innerText("main")).includes("Mette Medlem"), "the members listed");
      await checkPage(sek, "attendance");
      await Promise.all([
        sek.page.waitForEvent("framenavigated", { predicate: (f) => f === sek.page.mainFrame() }),
        sek.page.click("button:has-text('Alle til stede')"),
      ]);
      await sek.page.waitForLoadState("load");
      assert((await sek.page.innerText("main")).includes("Fremmødet er gemt"), "saved");
    });
    assert(sek.problems.length === 0, `no script errors: ${sek.problems}`);
  } finally {
    await browser.close();
    const exited = new Promise((resolve) => proc.on("exit", resolve));
    proc.kill("SIGTERM");
    await exited; // the server's outbox lock lives in the work folder
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.log(`FAIL ${e && e.stack ? e.stack : e}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
