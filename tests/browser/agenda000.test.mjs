// agenda000.test.mjs: the proof of issue 8 in the browser (integration). A sekretær of DIR
// builds the agenda of the reference case 000 through the staff forms in Chromium: the case
// with its four sub-items at 10.30, 11.00, 11.15 and 11.30, their guests and roles (rows added
// with the form's buttons), Indstilling, and six bilag of which four are closed, with their
// journal and document numbers (files uploaded with setInputFiles); releases the agenda on the
// meeting page. Then `referat export ID --to md`, read back with `referat convert`, must equal
// the seed's model without the decision, field by field; and the portal, to a reader who is
// not logged in, shows the closed bilag by title only (no link, no file) and serves the open
// ones. axe-core and html-validate run on the editor (blank, prefilled from a template with
// its help text) and on the bilag page. Ends with "N passed, N failed".
//
// usage: node agenda000.test.mjs REFERAT EXAMPLES_DIR SEED_000
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
const work = mkdtempSync(join(tmpdir(), "referat-agenda000-"));
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const PASSWORD = "korrekt hest batteri hæfteklamme";
const MARKER = "KANARIE-LUKKET-7Q2";
const MINUTES = [30, 15, 15, 30]; // the seed's slots: 10.30-11.00, 11.00-11.15, ...

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

const db = join(work, "agenda.db");
const run = (...args) => execFileSync(referat, [...args, "--db", db], { encoding: "utf8" });

// The archive: the examples, a sekretær of DIR, a meeting planned in referat (made before the
// library is imported, so its agenda has no recurring items), then DIR's library.
function makeArchive() {
  const files = readdirSync(examples)
    .filter((f) => /^\d\d-.*\.(md|txt)$/.test(f))
    .map((f) => join(examples, f));
  execFileSync(referat, ["import", "--db", db, "--quiet", ...files], { stdio: "pipe" });
  execFileSync(referat, ["user", "add", "sofie", "--name", "Sofie Sekretær", "--password-stdin",
    "--db", db], { input: PASSWORD + "\n", stdio: "pipe" });
  run("user", "grant", "sofie", "DIR", "sekretaer");
  const mid = Number(/meeting (\d+)/.exec(run("meeting", "add", "DIR", "2027-01-06", "--start",
    "10:30", "--end", "12:00", "--place", "Mødelokale 1"))[1]);
  run("library", "import", join(examples, "library", "DIR.library.json"));
  return mid;
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

// The model `referat convert` reads from a file, without what an agenda has not yet.
function modelOf(path) {
  const j = JSON.parse(execFileSync(referat, ["convert", path, "--to", "json"],
    { encoding: "utf8" }));
  const c = j.case || j;
  for (const k of ["layout", "decisions", "format"]) delete c[k];
  return c;
}

// The field's id as src/web/form.h makes it from its name.
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

// Clicks a submit button and waits for the page it leads to (also a form posted to itself).
async function submit(page, selector) {
  await Promise.all([
    page.waitForEvent("framenavigated", { predicate: (f) => f === page.mainFrame(),
      timeout: 15000 }),
    page.click(selector),
  ]);
  await page.waitForLoadState("load");
}

async function main() {
  const mid = makeArchive();
  const want = modelOf(seed);
  assert(want.subitems.length === 4 && want.attachments.length === 6 &&
    want.attachments.filter((a) => !a.public).length === 4, "the seed is the reference case");
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
  page.on("response", (r) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame())
      lastHtml = r.text().catch(() => "");
  });
  let cid = 0;
  const files = {}; // bilag number -> the bytes uploaded

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

    await test("the editor with a template: help beside the fields, never in them", async () => {
      await page.goto(base + `/arbejde/moede/${mid}/sag/ny`);
      await page.selectOption("#skabelon", { label: "Punkter til behandling" });
      await submit(page, "form.template button");
      assert(/skabelon=\d+/.test(page.url()), `a GET with the template: ${page.url()}`);
      const help = await page.innerText(`${id("sagsfremstilling")}-help`);
      assert(help.includes("Skriv kort, hvorfor punkterne"), `help shown: ${help}`);
      const values = await page.$$eval("input, textarea", (els) => els.map((e) => e.value));
      assert(!values.some((v) => v.includes("Skriv kort, hvorfor")), "help in no value");
      assert((await page.inputValue(id("indledning"))).startsWith("Direktionen har følgende"),
        "the template's text prefilled");
      await checkPage(page, "editor, from a template");
    });

    await test("case 000 typed into the forms, rows added with the buttons", async () => {
      await page.goto(base + `/arbejde/moede/${mid}/sag/ny`);
      await checkPage(page, "editor, blank");
      await page.fill(id("titel"), want.title);
      await page.selectOption(id("adgang"), "aaben");
      await page.fill(id("sagsgang"), want.route.join(", "));
      await page.fill(id("sagsfremstilling"), want.presentation);
      await page.fill(id("indledning"), want.intro);
      await page.fill(id("indstilling"), want.recommendation);
      const fillRow = async (i) => {
        const si = want.subitems[i - 1];
        const p = `punkt[${i}].`;
        await page.fill(id(p + "titel"), si.title);
        await page.fill(id(p + "start"), si.time);
        await page.fill(id(p + "minutter"), String(MINUTES[i - 1]));
        await page.fill(id(p + "tekst"), si.text || "");
      };
      const fillGuest = async (i, k) => {
        const g = want.subitems[i - 1].guests[k - 1];
        const p = `punkt[${i}].gaest[${k}].`;
        await page.fill(id(p + "navn"), g.name);
        await page.fill(id(p + "rolle"), g.role || "");
        await page.fill(id(p + "enhed"), "Norddjurs Kommune");
        await page.fill(id(p + "email"), g.name.split(" ")[0].toLowerCase() + "@norddjurs.dk");
      };
      // The form has two blank sub-items with one guest row each.
      await fillRow(1);
      await fillGuest(1, 1);
      await fillRow(2);
      await fillGuest(2, 1);
      await submit(page, 'button[name="tilfoej"][value="gaest-2"]');
      await fillGuest(2, 2);
      await fillRow(3);
      await fillGuest(3, 1);
      await submit(page, 'button[name="tilfoej"][value="punkt"]');
      await fillRow(4);
      // static/referat.js: the new row's time computed in the page, before anything is sent,
      // and a changed duration moves the line at once.
      const slot = (i) => page.locator("fieldset.subitem").nth(i - 1).locator("p.slot").innerText();
      assert((await slot(4)).includes("11.30\u201312.00"), `row 4 live: ${await slot(4)}`);
      await page.fill(id("punkt[1].minutter"), "20");
      assert((await slot(1)).includes("10.30\u201310.50"), `row 1 live: ${await slot(1)}`);
      await page.fill(id("punkt[4].minutter"), "45");
      assert((await slot(4)).includes("efter mødets afslutning"),
        `past the end: ${await slot(4)}`);
      await page.fill(id("punkt[1].minutter"), String(MINUTES[0]));
      await page.fill(id("punkt[4].minutter"), String(MINUTES[3]));
      const times = await page.$$eval("fieldset.subitem p.meta",
        (ps) => ps.map((p) => p.innerText));
      assert(times[0].includes("10.30") || times[0].includes("10:30"), `times shown: ${times}`);
      await submit(page, 'button[name="handling"][value="gem"]');
      const m = /\/arbejde\/sag\/(\d+)/.exec(page.url());
      assert(m, `saved: ${page.url()} ${await page.innerText("main")}`);
      cid = Number(m[1]);
    });

    await test("six bilag uploaded, four of them closed", async () => {
      assert(cid, "the case was saved");
      for (const a of want.attachments) {
        await page.goto(base + `/arbejde/sag/${cid}/bilag`);
        await page.fill("#nyt-titel", a.title);
        await page.selectOption("#nyt-adgang", a.public ? "aaben" : "lukket");
        await page.fill("#nyt-journal", a.journal || "");
        await page.fill("#nyt-flag", a.flag || "");
        await page.fill("#nyt-dokument", a.document || "");
        const bytes = Buffer.from(`%PDF-1.4\n% bilag ${a.number}` +
          (a.public ? "" : ` ${MARKER}`) + "\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" +
          "trailer\n%%EOF\n");
        files[a.number] = bytes;
        await page.setInputFiles("#nyt-fil", { name: `bilag${a.number}.pdf`,
          mimeType: "application/octet-stream", buffer: bytes });
        await submit(page, 'section.bilag form button[type=submit]:has-text("Tilføj bilaget")');
        assert(page.url().includes(`gemt=${a.number}`), `bilag ${a.number}: ${page.url()}`);
      }
      await checkPage(page, "bilag page");
    });

    await test("the agenda released on the meeting page", async () => {
      await page.goto(base + `/arbejde/moede/${mid}`);
      await submit(page, 'button:has-text("Frigiv dagsorden")');
      const text = await page.innerText("main");
      assert(text.includes("Dagsordenen er frigivet"), `released: ${text.slice(0, 400)}`);
    });

    await test("the md export reads back into the seed's model without the decision", async () => {
      const md = join(work, "sag.md");
      writeFileSync(md, run("export", String(cid), "--to", "md"));
      const got = modelOf(md);
      const keys = [...new Set([...Object.keys(got), ...Object.keys(want)])].sort();
      const diff = keys.filter((k) => JSON.stringify(got[k]) !== JSON.stringify(want[k]));
      assert(diff.length === 0, "fields differ: " + diff.map((k) =>
        `${k}: got ${JSON.stringify(got[k])?.slice(0, 300)} want ` +
        `${JSON.stringify(want[k])?.slice(0, 300)}`).join("\n    "));
    });

    await test("the portal: closed bilag by title only, open bilag served", async () => {
      const anon = await browser.newContext();
      await anon.route("**/*", (route) =>
        route.request().url().startsWith(base) ? route.continue() : route.abort());
      const p = await anon.newPage();
      const r = await p.goto(base + `/moede/${mid}`);
      assert(r.status() === 200 && (await p.innerText("main")).includes(want.title),
        `the meeting on the portal: ${r.status()}`);
      await p.goto(base + `/sag/${cid}`);
      const html = await p.content();
      assert(!html.includes(MARKER), "nothing closed on the portal");
      for (const a of want.attachments) {
        const li = await p.$(`#bilag-${a.number}`);
        assert(li, `bilag ${a.number} listed`);
        const t = (await li.innerText()).replace(/\s+/g, " ");
        assert(t.includes(a.title), `bilag ${a.number}: its title (${t})`);
        const link = await li.$("a");
        const got = await anon.request.get(base + `/sag/${cid}/bilag/${a.number}`);
        if (a.public) {
          assert(link, `open bilag ${a.number} is a link`);
          const body = await got.body();
          assert(got.status() === 200 && body.equals(files[a.number]),
            `open bilag ${a.number} served: ${got.status()}`);
        } else {
          assert(!link && t.includes("Lukket bilag") && !t.includes("Journalnummer"),
            `closed bilag ${a.number}: title only (${t})`);
          assert(got.status() >= 400 && !(await got.text()).includes(MARKER),
            `closed bilag ${a.number} not served: ${got.status()}`);
        }
      }
      await anon.close();
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
