// decision000.test.mjs: the decision page (issue 9, decisions) in Chromium. Reference case 000's
// agenda is a case on a DIR meeting in i_gang; the sekretær types the seed's first decision
// and the script shows the extraction's suggestion (Tonny Olsen, with his role) while typing,
// a phrase button appends its phrase in the page without sending the form, Bekræft (a button
// the script rendered) confirms the suggestion, and the save keeps it. axe-core (WCAG 2.1 AA)
// and html-validate run on the page. Ends with "N passed, N failed".
//
// usage: node decision000.test.mjs REFERAT EXAMPLES_DIR SEED_000
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { HtmlValidate } from "html-validate";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [referat, examples, seed] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), "referat-decision000-"));
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const PASSWORD = "korrekt hest batteri hæfteklamme";

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

const db = join(work, "decision.db");
const run = (...args) => execFileSync(referat, [...args, "--db", db], { encoding: "utf8" });
const version = (table, id) =>
  JSON.parse(run(table, "show", String(id), "--json")).version;

// The seed's agenda (without its decision) and its first decision's text.
function seedParts() {
  const text = readFileSync(seed, "utf8");
  const [head, rest] = text.split("## Beslutning i Direktionen den 20-12-2023");
  const [decision, bilag] = rest.split("## Bilag:");
  const entries = decision.split(/^- .*$/m).slice(1)
    .map((e) => e.trim().split("\n\n").map((p) => p.trim()).join("\n\n"));
  return { agenda: head + "## Bilag:" + bilag, entries };
}

function makeArchive(agenda) {
  const files = readdirSync(examples)
    .filter((f) => /^\d\d-.*\.(md|txt)$/.test(f))
    .map((f) => join(examples, f));
  execFileSync(referat, ["import", "--db", db, "--quiet", ...files], { stdio: "pipe" });
  execFileSync(referat, ["user", "add", "sofie", "--name", "Sofie Sekretær", "--password-stdin",
    "--db", db], { input: PASSWORD + "\n", stdio: "pipe" });
  run("user", "grant", "sofie", "DIR", "sekretaer");
  const mid = Number(/meeting (\d+)/.exec(run("meeting", "add", "DIR", "2023-12-20", "--start",
    "10:00", "--end", "12:00", "--place", "Mødelokale 1"))[1]);
  const path = join(work, "agenda.md");
  writeFileSync(path, agenda);
  const cid = Number(/case (\d+)/.exec(run("case", "new", "--meeting", String(mid), path,
    "--from", "md"))[1]);
  for (const step of ["indsend", "godkend", "saet_paa_dagsorden"])
    run("case", "step", String(cid), step, "--version", "1"); // steps keep the version
  for (const step of ["frigiv_dagsorden", "start"])
    run("meeting", "step", String(mid), step, "--version", String(version("meeting", mid)));
  return cid;
}

function startServer() {
  return new Promise((resolve, reject) => {
    const proc = spawn(referat, ["serve", "--db", db, "--listen", "127.0.0.1:0", "--quiet"], {
      stdio: ["ignore", "pipe", "inherit"],
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

const id = (name) => "#" + name.replace(/[^A-Za-z0-9_-]/g, "-");

let validator;
let lastHtml = null;

async function checkPage(page, label) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), WCAG);
  const v = r.violations.map((x) => `${x.id}: ${x.nodes[0].target.join(" ")} – ${x.help}`);
  assert(v.length === 0, `${label}: axe: ${v.join("\n    ")}`);
  const report = await validator.validateString(await lastHtml, label);
  const msgs = report.results.flatMap((x) =>
    x.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
  assert(report.valid, `${label}: html-validate:\n    ${msgs.slice(0, 15).join("\n    ")}`);
}

async function submit(page, selector) {
  await Promise.all([
    page.waitForEvent("framenavigated", { predicate: (f) => f === page.mainFrame(),
      timeout: 15000 }),
    page.click(selector),
  ]);
  await page.waitForLoadState("load");
}

async function main() {
  const { agenda, entries } = seedParts();
  assert(entries.length === 4, "the seed's four decisions");
  const cid = makeArchive(agenda);
  const { proc, base } = await startServer();
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  validator = new HtmlValidate({ extends: ["html-validate:recommended"] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 },
    locale: "da-DK" });
  await context.route("**/*", (route) =>
    route.request().url().startsWith(base) ? route.continue() : route.abort());
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("response", (r) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame())
      lastHtml = r.text().catch(() => "");
  });
  const url = base + `/arbejde/sag/${cid}/beslutning`;

  try {
    await test("log in as the sekretær", async () => {
      await page.goto(base + "/log-ind");
      await page.fill("#login", "sofie");
      await page.fill("#password", PASSWORD);
      await Promise.all([
        page.waitForEvent("framenavigated", { predicate: (f) => f === page.mainFrame() }),
        page.press("#password", "Enter"),
      ]);
      await page.waitForLoadState("load");
      assert(/\/arbejde$/.test(page.url()), `logged in: ${page.url()}`);
    });

    await test("the page, prefilled from the agenda, passes axe and html-validate", async () => {
      await page.goto(url);
      const t3 = await page.inputValue(id("b[3].tekst"));
      assert(t3 === "Jurist Maria Drejer Petersen deltog under drøftelsen.", `prefill: ${t3}`);
      await checkPage(page, "decision page");
    });

    await test("typing proposes the seed's owner live", async () => {
      await page.fill(id("b[1].tekst"), entries[0]);
      const li = page.locator(".suggestions[data-entry='1'] li.suggestion");
      await li.first().waitFor();
      const t = await li.first().innerText();
      assert(t.includes("Tonny Olsen (Chef for Borgerservice, IT og Digitalisering)"),
        `suggestion: ${t}`);
      assert(await li.count() === 1, "one suggestion");
    });

    await test("a phrase is appended in the page, nothing sent", async () => {
      const before = page.url();
      let navigated = false;
      const onNav = (f) => { if (f === page.mainFrame()) navigated = true; };
      page.on("framenavigated", onNav);
      await page.click("button[value='frase:4:2']");
      await page.waitForTimeout(300);
      page.off("framenavigated", onNav);
      assert(!navigated && page.url() === before, "no request");
      const t = await page.inputValue(id("b[4].tekst"));
      assert(t === "Drøftet.", `phrase: ${t}`);
    });

    await test("Bekræft on the script's suggestion, then save", async () => {
      await submit(page, ".suggestions[data-entry='1'] button[value='bekraeft:1:1']");
      assert(await page.inputValue(id("b[1].opf[1].ansvarlig")) === "Tonny Olsen",
        "confirmed into the form");
      assert(await page.inputValue(id("b[4].tekst")) === "Drøftet.", "the phrase kept");
      await submit(page, "button[value='gem']");
      assert(page.url().includes("gemt=1"), `saved: ${page.url()}`);
      assert(await page.inputValue(id("b[1].opf[1].ansvarlig")) === "Tonny Olsen",
        "the follow-up is saved");
      await checkPage(page, "decision page after the save");
    });

    await test("no script errors", async () => {
      assert(problems.length === 0, problems.join(" | "));
    });
  } finally {
    await browser.close();
    proc.kill("SIGTERM");
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.log(`FAIL setup\n  ${e.stack || e}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
