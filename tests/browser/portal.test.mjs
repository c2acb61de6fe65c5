// portal.test.mjs: browser tests of the portal. Starts the real `referat serve` on 127.0.0.1
// over an archive of examples/, drives /usr/bin/chromium with playwright-core, opens every page
// type, uses the search form and its filters, runs axe-core (WCAG 2.1 A and AA) and
// html-validate on every page type, and saves screenshots (desktop and phone) in
// $SHOT_DIR (default /tmp/referat-shots). Ends with "N passed, N failed".
//
// usage: node portal.test.mjs REFERAT EXAMPLES_DIR
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { HtmlValidate } from "html-validate";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [referat, examples] = process.argv.slice(2);
const shotDir = process.env.SHOT_DIR || "/tmp/referat-shots";
const work = mkdtempSync(join(tmpdir(), "referat-browser-"));
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

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

function makeArchive() {
  const db = join(work, "browser.db");
  const files = readdirSync(examples)
    .filter((f) => /^\d\d-.*\.(md|txt)$/.test(f))
    .map((f) => join(examples, f));
  execFileSync(referat, ["import", "--db", db, "--quiet", ...files], { stdio: "pipe" });
  return db;
}

function startServer(db) {
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

async function json(base, path) {
  const r = await fetch(base + path);
  return r.json();
}

// The URLs of one page of each type, found through the API.
async function pageTypes(base) {
  const cases = (await json(base, "/api/cases?per_page=100")).items;
  const open = cases.find((c) => c.key === "01-digitaliseringsstrategi");
  const closed = cases.find((c) => !c.public);
  const many = cases.find((c) => c.key === "10-mange-punkter");
  const meetings = (await json(base, "/api/meetings?body=DIR")).items;
  const meeting = meetings.find((m) => m.date === many.date);
  const follow = (await json(base, "/api/followups?per_page=100")).items;
  const html = await (await fetch(base + "/opfoelgning")).text();
  const person = html.match(/href="(\/person\/\d+)"/)[1];
  return {
    front: "/",
    body: "/organ/DIR",
    bodyYear: "/organ/DIR/2024",
    meeting: `/moede/${meeting.id}`,
    case: `/sag/${open.id}`,
    caseMany: `/sag/${many.id}`,
    caseClosed: `/sag/${closed.id}`,
    search: "/soeg?q=budgetseminar",
    searchEmpty: "/soeg",
    searchZero: "/soeg?q=budgetseminar&organ=TM",
    searchBad: "/soeg?q=x&fra=2023-13-01",
    followups: "/opfoelgning",
    followupsAll: `/opfoelgning?status=alle&ansvarlig=${encodeURIComponent(follow[0].owner)}`,
    person,
    notFound: "/findes/ikke",
    badRequest: "/sag/%FF",
    exportHtml: `/sag/${open.id}.html`,
  };
}

async function main() {
  mkdirSync(shotDir, { recursive: true });
  const db = makeArchive();
  const { proc, base } = await startServer(db);
  const userDataDir = mkdtempSync(join(tmpdir(), "referat-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
    locale: "da-DK",
  });
  // Nothing leaves the machine: every request not for the portal is refused.
  await context.route("**/*", (route) =>
    route.request().url().startsWith(base) ? route.continue() : route.abort(),
  );
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));

  try {
    const urls = await pageTypes(base);
    const validator = new HtmlValidate({
      extends: ["html-validate:recommended"],
    });

    const expectStatus = { searchBad: 400, notFound: 404, badRequest: 400 };
    for (const [kind, path] of Object.entries(urls)) {
      await test(`page ${kind}: loads, styled, no console errors`, async () => {
        problems.length = 0;
        const resp = await page.goto(base + path);
        assert(resp.status() === (expectStatus[kind] || 200), `${path}: status ${resp.status()}`);
        if (kind !== "exportHtml") {
          // The stylesheet applied (the header has its brand colour), with CSP in force.
          const bg = await page.$eval("header.site", (e) => getComputedStyle(e).backgroundColor);
          assert(bg === "rgb(13, 59, 102)", `${path}: stylesheet not applied (${bg})`);
          assert(await page.$("main#indhold"), `${path}: main landmark`);
          assert((await page.$$("h1")).length === 1, `${path}: one h1`);
        }
        // An error page's own status is logged by Chromium; anything else is a fault.
        const own = expectStatus[kind] ? `status of ${expectStatus[kind]}` : null;
        const rest = problems.filter((p) => !(own && p.startsWith("Failed to load resource") &&
          p.includes(own)));
        assert(rest.length === 0, `${path}: console: ${rest.join(" | ")}`);
      });

      await test(`page ${kind}: axe-core WCAG 2.1 A+AA, zero violations`, async () => {
        await page.goto(base + path);
        await page.evaluate(axeSource);
        const r = await page.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
          WCAG,
        );
        const v = r.violations.map(
          (x) => `${x.id} (${x.nodes.length}): ${x.nodes[0].target.join(" ")} – ${x.help}`,
        );
        assert(v.length === 0, `${path}: ${v.join("\n    ")}`);
        assert(r.passes.length > 5, `${path}: axe ran only ${r.passes.length} rules`);
      });

      await test(`page ${kind}: html-validate, zero errors`, async () => {
        const text = await (await fetch(base + path)).text();
        const report = await validator.validateString(text, path);
        const msgs = report.results.flatMap((r) =>
          r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`),
        );
        assert(report.valid, `${path}:\n    ${msgs.slice(0, 15).join("\n    ")}`);
      });
    }

    await test("search form from the front page, then the filters", async () => {
      await page.goto(base + "/");
      await page.fill("#q", "budgetseminar");
      await Promise.all([page.waitForURL(/\/soeg\?q=budgetseminar/), page.press("#q", "Enter")]);
      const hits = await page.$$("ol.hits > li");
      assert(hits.length >= 1, "results listed");
      assert(await page.$("ol.hits mark"), "highlighted match");
      assert((await page.inputValue("#q")) === "budgetseminar", "query kept in the form");
      // Body filter: Teknik- og Miljøudvalget never discussed it.
      await page.selectOption("#organ", "TM");
      await Promise.all([page.waitForURL(/organ=TM/), page.click("form.searchform button")]);
      assert((await page.textContent("main")).includes("Ingen resultater"), "filtered to zero");
      assert(await page.$('a:has-text("Søg uden filtre")'), "help offers dropping filters");
      // Date filters: back to all bodies, from a date after every meeting.
      await page.selectOption("#organ", "");
      await page.fill("#fra", "2030-01-01");
      await Promise.all([page.waitForURL(/fra=2030-01-01/), page.click("form.searchform button")]);
      assert((await page.textContent("main")).includes("Ingen resultater"), "date filter");
      await page.fill("#fra", "2023-01-01");
      await page.fill("#til", "2023-12-31");
      await Promise.all([page.waitForURL(/til=2023-12-31/), page.click("form.searchform button")]);
      assert((await page.$$("ol.hits > li")).length >= 1, "2023 has budgetseminar");
    });

    await test("follow-up filter by owner", async () => {
      await page.goto(base + "/opfoelgning");
      const owners = await page.$$eval("#ansvarlig option", (o) => o.map((x) => x.value));
      assert(owners.includes("Ledelsessekretariatet"), "owner list");
      await page.selectOption("#ansvarlig", "Ledelsessekretariatet");
      await Promise.all([page.waitForURL(/ansvarlig=/), page.click("form.searchform button")]);
      const heads = await page.$$eval("main h2", (h) => h.map((x) => x.textContent));
      assert(heads.length === 1 && heads[0] === "Ledelsessekretariatet", `groups: ${heads}`);
    });

    // ---- issue 10, notices: the subscription form on a body's page, keyboard and all: a
    // malformed address comes back at its field (400), a good one gets "Tjek din e-mail";
    // both pages pass axe-core and html-validate.
    await test("subscription form: error at the field, then the answer", async () => {
      const check = async (what, form) => {
        await page.evaluate(axeSource);
        const r = await page.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
          WCAG,
        );
        const v = r.violations.map((x) => `${x.id}: ${x.nodes[0].target.join(" ")}`);
        assert(v.length === 0, `${what}: axe: ${v.join(" | ")}`);
        // The markup as sent (the same POST again), not the browser's serialisation.
        const sent = await fetch(base + "/organ/DIR/abonnement", {
          method: "POST",
          headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(form).toString(),
        });
        const report = await validator.validateString(await sent.text(), what);
        const msgs = report.results.flatMap((x) => x.messages.map((m) => m.message));
        assert(report.valid, `${what}: html-validate: ${msgs.slice(0, 5).join(" | ")}`);
      };
      await page.goto(base + "/organ/DIR");
      await page.fill("#email", "ikke-en-adresse");
      await page.selectOption("#emne", "referater");
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/organ/DIR/abonnement")),
        page.click("section.subscribe button[type=submit]"),
      ]);
      assert(resp.status() === 400, `malformed: ${resp.status()}`);
      await page.waitForSelector("#email[aria-invalid=true]");
      assert((await page.inputValue("#email")) === "ikke-en-adresse", "what was typed kept");
      assert((await page.inputValue("#emne")) === "referater", "the choice kept");
      await check("the form's error page", { email: "ikke-en-adresse", emne: "referater" });
      await page.fill("#email", "borger@example.dk");
      const [ok] = await Promise.all([
        page.waitForNavigation(),
        page.press("#email", "Enter"),
      ]);
      assert(ok.status() === 200, `subscribed: ${ok.status()}`);
      const h1 = await page.textContent("h1");
      assert(h1 === "Tjek din e-mail", `the answer: ${h1}`);
      assert(!(await page.content()).includes("borger@example.dk"), "the address shown");
      await check("the answer page", { email: "borger@example.dk", emne: "begge" });
    });
    // ---- end issue 10, notices ----

    await test("keyboard: skip link first, visible focus", async () => {
      await page.goto(base + urls.case);
      await page.keyboard.press("Tab");
      await page.waitForFunction(() => document.activeElement.className === "skip", null,
        { timeout: 5000 }).catch(() => {});
      const focused = await page.evaluate(() => document.activeElement.className);
      assert(focused === "skip", `first tab stop is the skip link (${focused})`);
      const box = await page.$eval(".skip", (e) => e.getBoundingClientRect().width);
      assert(box > 50, "skip link visible when focused");
      await page.keyboard.press("Enter");
      // The jump to the fragment lands asynchronously; a loaded machine shows the race.
      await page.waitForURL(/#indhold$/, { timeout: 5000 }).catch(() => {});
      assert(page.url().endsWith("#indhold"), "skip link jumps to content");
      await page.keyboard.press("Tab");
      const outline = await page.evaluate(
        () => getComputedStyle(document.activeElement).outlineStyle,
      );
      assert(outline === "solid", `focus outline (${outline})`);
    });

    await test("phone: no horizontal scrolling", async () => {
      await page.setViewportSize({ width: 360, height: 740 });
      for (const kind of ["front", "case", "caseMany", "meeting", "search", "followups"]) {
        await page.goto(base + urls[kind]);
        const w = await page.evaluate(() => document.documentElement.scrollWidth);
        assert(w <= 360, `${kind}: page is ${w}px wide on a 360px screen`);
      }
      // At 375 px nothing is clipped inside a table's scroll box either: long Danish
      // compounds wrap, so the Tid/Punkt table fits.
      await page.setViewportSize({ width: 375, height: 740 });
      for (const kind of ["case", "caseMany", "meeting"]) {
        await page.goto(base + urls[kind]);
        // The reference cases' compounds are long; make one longer than the screen.
        await page.$$eval(".scroll td:not(.time)", (tds) => {
          for (const td of tds.slice(0, 2))
            td.append(" Digitaliseringsstyregruppemødeforberedelsesarbejdsgruppen");
        });
        const clipped = await page.$$eval(".scroll", (els) =>
          els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.scrollWidth),
        );
        assert(clipped.length === 0, `${kind}: tables clipped at 375px: ${clipped}`);
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    await test("print: navigation and forms hidden", async () => {
      await page.goto(base + urls.case);
      await page.emulateMedia({ media: "print" });
      const hidden = await page.$$eval("header.site, footer.site, .exports", (els) =>
        els.map((e) => getComputedStyle(e).display),
      );
      await page.emulateMedia({ media: "screen" });
      assert(hidden.every((d) => d === "none"), `print display: ${hidden}`);
    });

    await test("screenshots, desktop and phone", async () => {
      const shots = ["front", "body", "meeting", "case", "caseClosed", "search", "searchZero",
        "followups", "person", "notFound"];
      for (const [label, vp] of [["desktop", { width: 1280, height: 900 }],
        ["phone", { width: 390, height: 844 }]]) {
        await page.setViewportSize(vp);
        for (const kind of shots) {
          await page.goto(base + urls[kind]);
          await page.screenshot({ path: join(shotDir, `${kind}-${label}.png`), fullPage: true });
        }
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      assert(readdirSync(shotDir).filter((f) => f.endsWith(".png")).length >= 20, "saved");
    });
  } finally {
    await context.close();
    // Wait for the server's goodbye so that the summary line is the last one printed.
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    rmSync(userDataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

main()
  .catch((e) => {
    failed++;
    console.log(`FAIL setup\n  ${e.stack || e}`);
  })
  .finally(() => {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
