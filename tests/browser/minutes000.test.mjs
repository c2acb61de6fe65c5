// minutes000.test.mjs: the first proof of issue 9 in the browser. The meeting of reference case
// 000 (DIR, 20-12-2023, four sub-items at 10.30, 11.00, 11.15 and 11.30) runs from its agenda to
// its published minutes in Chromium, with the server's clock set by the test
// (REFERAT_CLOCK_FILE, util/clock.h: the file is rewritten to move time, nothing sleeps):
//   - the agenda (the seed without its decision) is put on the meeting with the CLI and released
//     with the meeting page's button;
//   - the meeting is started, the live view (/arbejde/moede/ID/live) counts down the first slot,
//     shows its overrun in text ("3 min over tid") and the next guest to call in, and "Næste
//     punkt" stamps each slot on the server's clock; the guests arrive during their sub-items
//     through the attendance form (/arbejde/moede/ID/fremmoede), after "Alle til stede";
//   - the seed's four decisions are written on the decision page (/arbejde/sag/ID/beslutning),
//     the extraction proposes exactly the seed's owners (Tonny Olsen; Ledelsessekretariatet;
//     Ledelsessekretariatet and Bettina Andersen) and the sekretær confirms them;
//   - the meeting is ended in the live view, the minutes sent for approval on the minutes page
//     (/arbejde/moede/ID/referat), approved there by the body's two members, and published;
//   - `referat export ID --to md`, read back with `referat convert`, equals the model of seed
//     000 field by field (title, route, sub-items and times, guests, decision body and date,
//     entries, follow-ups, dates, attachments);
//   - the portal shows the decisions only once the minutes are published (before: the agenda);
//   - axe-core (WCAG 2.1 AA) and html-validate pass on the live view (sekretær, member,
//     projector, ended) and the minutes page (sekretær and member, out for approval, approved).
// Ends with "N passed, N failed".
//
// usage: node minutes000.test.mjs REFERAT EXAMPLES_DIR SEED_000
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync }
  from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { HtmlValidate } from "html-validate";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [referat, examples, seed] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), "referat-minutes000-"));
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const PASSWORD = "korrekt hest batteri hæfteklamme";
const DECISION_HEAD = "## Beslutning i Direktionen den 20-12-2023";
const MINUTES = [30, 15, 15, 30]; // the seed's slots: 10.30-11.00, 11.00-11.15, ...

let passed = 0;
let failed = 0;
let stopped = null; // the first failed stage: the stages after it depend on it

function assert(cond, what) {
  if (!cond) throw new Error(what);
}

async function test(name, fn) {
  const t0 = Date.now();
  if (stopped) {
    failed++;
    console.log(`FAIL ${name}\n  not run: "${stopped}" failed`);
    return;
  }
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(2)}s)`);
  } catch (e) {
    failed++;
    stopped = name;
    const lines = String(e && e.stack ? e.stack : e).split("\n").slice(0, 8);
    console.log(`FAIL ${name}\n  ${lines.join("\n  ")}`);
  }
}

// Checks that do not stop the run (accessibility, the portal): a failure is counted, the
// meeting goes on.
async function check(name, fn) {
  const was = stopped;
  stopped = null;
  await test(name, fn);
  stopped = was;
}

const db = join(work, "minutes.db");
const clockFile = join(work, "clock");
// The server and every CLI call read the same clock.
const env = { ...process.env, REFERAT_CLOCK_FILE: clockFile };
const run = (...args) => execFileSync(referat, [...args, "--db", db], { encoding: "utf8", env });
const version = (table, id) => JSON.parse(run(table, "show", String(id), "--json")).version;

// The server's clock, in UTC (Copenhagen is UTC+1 in December). Written beside and renamed
// over the clock file, so that the server, which reads it on every call, never reads it half
// written.
function setClock(iso) {
  writeFileSync(clockFile + ".new", iso + "\n");
  renameSync(clockFile + ".new", clockFile);
}
const at = (hhmmss) => `2023-12-20T${hhmmss}Z`;

// The model `referat convert` reads from a file (its source layout aside).
function modelOf(path) {
  const j = JSON.parse(execFileSync(referat, ["convert", path, "--to", "json"],
    { encoding: "utf8", env }));
  const c = j.case || j;
  delete c.layout;
  return c;
}

// The archive: the examples, a sekretær and two members of DIR, the meeting of 20-12-2023 and
// the seed's agenda on it (its model without the decision, each sub-item with the length of its
// slot as the agenda's editor gives it: the timetable has no planned end without one), ready to
// be released (the case on the agenda).
function makeArchive(want) {
  const files = readdirSync(examples)
    .filter((f) => /^\d\d-.*\.(md|txt)$/.test(f))
    .map((f) => join(examples, f));
  execFileSync(referat, ["import", "--db", db, "--quiet", ...files], { stdio: "pipe", env });
  for (const [login, name, role] of [["sofie", "Sofie Sekretær", "sekretaer"],
    ["mette", "Mette Medlem", "medlem"], ["mads", "Mads Medlem", "medlem"]]) {
    execFileSync(referat, ["user", "add", login, "--name", name, "--password-stdin", "--db", db],
      { input: PASSWORD + "\n", stdio: "pipe", env });
    run("user", "grant", login, "DIR", role);
  }
  const mid = Number(/meeting (\d+)/.exec(run("meeting", "add", "DIR", "2023-12-20", "--start",
    "10:30", "--end", "12:00", "--place", "Mødelokale 1"))[1]);
  const agenda = JSON.parse(JSON.stringify(want));
  delete agenda.decisions;
  agenda.subitems.forEach((si, i) => { si.duration = MINUTES[i]; });
  const path = join(work, "agenda.json");
  writeFileSync(path, JSON.stringify(agenda));
  const cid = Number(/case (\d+)/.exec(run("case", "new", "--meeting", String(mid), path,
    "--from", "json"))[1]);
  for (const step of ["indsend", "godkend", "saet_paa_dagsorden"])
    run("case", "step", String(cid), step, "--version", "1"); // steps keep the version
  return { mid, cid };
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

// The field's id as src/web/form.h makes it from its name.
const id = (name) => "#" + name.replace(/[^A-Za-z0-9_-]/g, "-");
const squash = (s) => s.replace(/\s+/g, " ").trim();

let validator;

// A page of one person: its last navigation's HTML (what the server sent, for html-validate)
// and the script errors seen on it.
async function openPage(context, problems) {
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  page.lastHtml = null;
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("response", (r) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame())
      page.lastHtml = r.text().catch(() => "");
  });
  return page;
}

async function checkPage(page, label) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), WCAG);
  const v = r.violations.map((x) => `${x.id}: ${x.nodes[0].target.join(" ")} – ${x.help}`);
  assert(v.length === 0, `${label}: axe: ${v.join("\n    ")}`);
  const report = await validator.validateString(await page.lastHtml, label);
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

async function login(page, base, user) {
  await page.goto(base + "/log-ind");
  await page.fill("#login", user);
  await page.fill("#password", PASSWORD);
  await Promise.all([
    page.waitForEvent("framenavigated", { predicate: (f) => f === page.mainFrame() }),
    page.press("#password", "Enter"),
  ]);
  await page.waitForLoadState("load");
  assert(/\/arbejde$/.test(page.url()), `${user} logged in: ${page.url()}`);
}

async function main() {
  const want = modelOf(seed);
  const wd = want.decisions && want.decisions[0];
  assert(want.subitems.length === 4 && wd && wd.entries.length === 4 &&
    want.attachments.length === 6, "the seed is the reference case");
  setClock(at("08:00:00")); // 09:00 in Copenhagen, the morning of the meeting
  const { mid, cid } = makeArchive(want);
  const { proc, base } = await startServer();
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  validator = new HtmlValidate({ extends: ["html-validate:recommended"] });
  const problems = [];
  const newContext = async () => {
    const c = await browser.newContext({ viewport: { width: 1280, height: 900 },
      locale: "da-DK" });
    await c.route("**/*", (route) =>
      route.request().url().startsWith(base) ? route.continue() : route.abort());
    return c;
  };
  const secContext = await newContext();
  const page = await openPage(secContext, problems);
  const liveUrl = base + `/arbejde/moede/${mid}/live`;
  const attendanceUrl = base + `/arbejde/moede/${mid}/fremmoede`;
  const minutesUrl = base + `/arbejde/moede/${mid}/referat`;
  const decisionUrl = base + `/arbejde/sag/${cid}/beslutning`;
  const members = {};

  // What the public sees of the case: the portal's page, not logged in.
  const portalText = async () => {
    const anon = await newContext();
    const p = await anon.newPage();
    const r = await p.goto(base + `/sag/${cid}`);
    const text = r.status() === 200 ? squash(await p.innerText("main")) : "";
    const status = r.status();
    await anon.close();
    return { status, text };
  };
  const publicMeeting = async () => {
    const anon = await newContext();
    const p = await anon.newPage();
    const r = await p.goto(base + `/moede/${mid}`);
    const text = squash(await p.innerText("main"));
    await anon.close();
    assert(r.status() === 200, `the public meeting page: ${r.status()}`);
    return text;
  };
  const decisionWords = [
    "Oplægget blev godkendt",
    "Ledelsessekretariatet følger op",
    "Programmerne for både den 9. og den 10. blev godkendt",
  ];
  const noDecisionOnPortal = async (when) => {
    const { status, text } = await portalText();
    assert(status === 200 && text.includes(want.title),
      `${when}: the agenda is public (${status})`);
    for (const w of decisionWords)
      assert(!text.includes(w), `${when}: the portal shows the decision before publishing: ${w}`);
    assert(!text.includes("Beslutning i Direktionen"), `${when}: no decision heading`);
    const mt = await publicMeeting();
    assert(mt.includes(want.title) && !mt.includes("Referat offentliggjort") &&
      !mt.includes("Tonny Olsen: Til stede"),
    `${when}: the public meeting page without minutes or attendance: ${mt.slice(0, 400)}`);
  };

  // The live view's state as its JSON (the same the page renders).
  const liveJson = async (p = page) => {
    const r = await p.request.get(liveUrl + ".json");
    assert(r.status() === 200, `live.json: ${r.status()}`);
    return r.json();
  };
  // One person added to the attendance, arriving during row `row` of the timetable.
  const arrive = async (name, row) => {
    await page.goto(attendanceUrl);
    const n = await page.locator("fieldset.attendee").count();
    await page.fill(id(`navn-${n}`), name);
    await page.selectOption(id(`status-${n}`), "present");
    await page.selectOption(id(`kom-${n}`), String(row));
    await submit(page, 'form button[type=submit]:has-text("Gem fremmødet")');
    assert(page.url().includes("gemt=1"), `${name} saved: ${page.url()} ` +
      squash(await page.innerText("main")).slice(0, 300));
  };
  const nextItem = async () => {
    await page.goto(liveUrl);
    await submit(page, '.live-controls button:has-text("Næste punkt")');
    assert(/\/live$/.test(page.url()), `after Næste punkt: ${page.url()}`);
  };

  try {
    await test("log in as the sekretær", async () => {
      await login(page, base, "sofie");
    });

    await test("the agenda released on the meeting page", async () => {
      await page.goto(base + `/arbejde/moede/${mid}`);
      await submit(page, 'button:has-text("Frigiv dagsorden")');
      const text = await page.innerText("main");
      assert(text.includes("Dagsordenen er frigivet"), `released: ${text.slice(0, 400)}`);
    });

    await check("the portal shows the released agenda, no decision", async () => {
      await noDecisionOnPortal("released");
    });

    await test("the meeting started: the live view counts down the first slot", async () => {
      setClock(at("09:29:30")); // 10:29:30
      await page.goto(base + `/arbejde/moede/${mid}`);
      await submit(page, 'button:has-text("Start mødet")');
      const d = await liveJson();
      assert(d.state === "i_gang" && d.current === 1,
        `started: ${JSON.stringify(d).slice(0, 300)}`);
      assert(d.rows.length === 4, `four rows: ${d.rows.length}`);
      const planned = d.rows.map((r) => `${r.planned_start}-${r.planned_end}`).join(" ");
      assert(planned === "10.30-11.00 11.00-11.15 11.15-11.30 11.30-12.00",
        `the seed's slots: ${planned}`);
      assert(d.remaining === 1830 && d.remaining_text === "30:30 tilbage",
        `countdown on the server's clock: ${d.remaining} ${d.remaining_text}`);
      await page.goto(liveUrl);
      const text = squash(await page.innerText("main"));
      assert(/30:(30|29|28) tilbage/.test(text),
        `the countdown on the page: ${text.slice(0, 500)}`);
      assert(text.includes("Næste gæst: Vicki Nygaard Svendsen"),
        `the next guest to call in: ${text.slice(0, 500)}`);
    });

    await test("attendance: everyone present, Tonny Olsen arrives at sub-item 1", async () => {
      await page.goto(attendanceUrl);
      const text = await page.innerText("main");
      assert(text.includes("Mette Medlem") && text.includes("Mads Medlem"),
        "the body's members listed");
      await submit(page, 'button[name="handling"][value="alle"]');
      assert(page.url().includes("gemt=1"), `all present: ${page.url()}`);
      await arrive("Tonny Olsen", 1);
      await checkPage(page, "attendance");
    });

    await test("sub-item 1 runs over: '3 min over tid' in the live view", async () => {
      setClock(at("10:03:00")); // 11:03, the slot ended 11:00
      const d = await liveJson();
      assert(d.current === 1 && d.remaining === -180 && d.remaining_text === "3 min over tid",
        `overrun: ${d.current} ${d.remaining} ${d.remaining_text}`);
      await page.goto(liveUrl);
      const row = squash(await page.innerText('[aria-current="true"]'));
      assert(row.includes("3 min over tid"), `the current row says its overrun: ${row}`);
    });

    await check("the live view passes axe and html-validate (overrun shown)", async () => {
      await page.goto(liveUrl);
      await checkPage(page, "live view, sekretær");
      await page.goto(liveUrl + "?visning=projektor");
      await checkPage(page, "live view, projector");
    });

    await test("Næste punkt: sub-item 2 starts at 11.03, its guests arrive", async () => {
      await nextItem();
      const d = await liveJson();
      assert(d.current === 2, `row 2 current: ${d.current}`);
      assert(d.rows[0].actual_start === "10:29" && d.rows[0].actual_end === "11:03" &&
        d.rows[1].actual_start === "11:03", `stamped: ${JSON.stringify(d.rows.slice(0, 2))}`);
      assert(d.rows[0].status === "Færdig, 3 min over tid" && d.rows[0].over,
        `the overrun stays on the done row: ${d.rows[0].status}`);
      assert(d.next_guest && d.next_guest.name === "Maria Drejer Petersen",
        `next guest: ${JSON.stringify(d.next_guest)}`);
      const text = squash(await page.innerText("main"));
      assert(text.includes("Færdig, 3 min over tid"), "the overrun in text on the page");
      await arrive("Vicki Nygaard Svendsen", 2);
      await arrive("Marc Kromann Rasmussen", 2);
    });

    await test("Næste punkt: sub-items 3 and 4 on the clock, Maria Drejer Petersen arrives",
      async () => {
        setClock(at("10:15:00"));
        await nextItem();
        await arrive("Maria Drejer Petersen", 3);
        setClock(at("10:29:40"));
        await nextItem();
        const d = await liveJson();
        const times = d.rows.map((r) => `${r.actual_start}-${r.actual_end}`).join(" ");
        assert(d.current === 4 && times === "10:29-11:03 11:03-11:15 11:15-11:29 11:29-null",
          `stamps: ${d.current} ${times}`);
      });

    await check("a member reads the same live view, without controls", async () => {
      const ctx = await newContext();
      const p = await openPage(ctx, problems);
      await login(p, base, "mette");
      members.mette = { ctx, page: p };
      const a = await liveJson(p);
      const b = await liveJson();
      assert(JSON.stringify(a) === JSON.stringify(b), "the same state on a second device");
      await p.goto(liveUrl);
      assert(await p.locator('.live-controls, button:has-text("Næste punkt")').count() === 0,
        "no controls for a member");
      await checkPage(p, "live view, member");
      // Away from the live view: its script reloads the page when the meeting moves on.
      await p.goto(base + "/arbejde");
    });

    await test("the seed's four decisions written on the decision page", async () => {
      setClock(at("10:40:00"));
      await page.goto(decisionUrl);
      await page.fill(id("indledning"), wd.text);
      for (let i = 1; i <= 4; i++) {
        const en = wd.entries[i - 1];
        assert(await page.inputValue(`input[name="b[${i}].punkt"]`) === String(en.subitem),
          `entry ${i} is sub-item ${en.subitem}`);
        await page.fill(id(`b[${i}].titel`), en.title);
        await page.fill(id(`b[${i}].tekst`), en.text);
      }
      await submit(page, "button[value='gem']");
      assert(page.url().includes("gemt=1"), `saved: ${page.url()} ` +
        squash(await page.innerText("main")).slice(0, 400));
      for (let i = 1; i <= 4; i++)
        assert(await page.inputValue(id(`b[${i}].tekst`)) === wd.entries[i - 1].text,
          `entry ${i} as written`);
    });

    await test("the extraction proposes the seed's owners, the sekretær confirms them",
      async () => {
        const proposed = async () => {
          const out = [];
          for (let i = 1; i <= 4; i++)
            out.push(await page.locator(`.suggestions[data-entry='${i}'] li.suggestion`)
              .allInnerTexts());
          return out;
        };
        // A suggestion's line begins with its owner (and role), then the sentence it was read
        // from; the seed's owners, per entry, in any order.
        const wantOwners = wd.entries.map((en) => en.followups.map((f) => f.owner).sort());
        const texts = (await proposed()).map((l) => l.map(squash));
        const ownerOf = (t) => wd.entries.flatMap((en) => en.followups)
          .map((f) => f.owner).find((o) => t.startsWith(o)) || t;
        const owners = texts.map((l) => l.map(ownerOf).sort());
        assert(JSON.stringify(owners) === JSON.stringify(wantOwners),
          `the seed's owners proposed: ${JSON.stringify(owners)} want ` +
          `${JSON.stringify(wantOwners)}; ${JSON.stringify(texts)}`);
        assert(texts[0][0].startsWith("Tonny Olsen (Chef for Borgerservice, IT og Digitalisering)"),
          `with his role: ${texts[0][0]}`);
        assert(texts[3].some((t) => t.startsWith("Bettina Andersen (Økonomichef)")),
          `with her role: ${texts[3]}`);
        // Bekræft each in the seed's order, one at a time (each re-renders the form with the
        // rest).
        for (let i = 1; i <= 4; i++) {
          for (const owner of wd.entries[i - 1].followups.map((f) => f.owner)) {
            const li = () => page.locator(`.suggestions[data-entry='${i}'] li.suggestion`)
              .filter({ hasText: new RegExp("^\\s*" + owner) });
            assert(await li().count() === 1, `${owner} proposed at entry ${i}`);
            await Promise.all([
              page.waitForEvent("framenavigated", { predicate: (f) => f === page.mainFrame(),
                timeout: 15000 }),
              li().locator("button[value^='bekraeft:']").click(),
            ]);
            await page.waitForLoadState("load");
            assert(await li().count() === 0, `${owner} (entry ${i}) confirmed, no longer proposed`);
          }
        }
        await submit(page, "button[value='gem']");
        assert(page.url().includes("gemt=1"), `saved: ${page.url()}`);
        for (let i = 1; i <= 4; i++) {
          const fs = wd.entries[i - 1].followups;
          for (let k = 1; k <= fs.length; k++) {
            assert(await page.inputValue(id(`b[${i}].opf[${k}].ansvarlig`)) === fs[k - 1].owner,
              `entry ${i}, follow-up ${k}: ${fs[k - 1].owner}`);
          }
        }
        assert((await proposed()).every((l) => l.length === 0), "nothing left to propose");
        await checkPage(page, "decision page, confirmed");
      });

    await check("the portal shows no decision while the meeting is running", async () => {
      await noDecisionOnPortal("i_gang");
    });

    await test("the meeting ended in the live view", async () => {
      setClock(at("10:58:00"));
      await page.goto(liveUrl);
      await submit(page, '.live-controls button:has-text("Afslut mødet")');
      const d = await liveJson();
      assert(d.state === "afholdt" && d.current === null && d.rows[3].actual_end === "11:58",
        `ended: ${d.state} ${d.current} ${d.rows[3].actual_end}`);
      await page.goto(liveUrl);
      const text = squash(await page.innerText("main"));
      assert(text.includes("Mødet er afsluttet") && !text.includes("Næste punkt"),
        `read-only after: ${text.slice(0, 300)}`);
      await checkPage(page, "live view, ended");
    });

    await test("the minutes sent for approval on the minutes page", async () => {
      setClock(at("11:10:00"));
      await page.goto(minutesUrl);
      await checkPage(page, "minutes page, draft");
      await submit(page, 'button:has-text("Send referat til godkendelse")');
      const text = squash(await page.innerText("main"));
      assert(text.includes("Referat til godkendelse") && text.includes("Mette Medlem") &&
        text.includes("Mads Medlem"), `out for approval: ${text.slice(0, 500)}`);
      await checkPage(page, "minutes page, out for approval (sekretær)");
    });

    await check("the portal shows no decision while the minutes are out", async () => {
      await noDecisionOnPortal("referat_til_godkendelse");
    });

    await test("two members approve the minutes", async () => {
      for (const [who, when] of [["mette", "11:20:00"], ["mads", "11:25:00"]]) {
        setClock(at(when));
        if (!members[who]) {
          const ctx = await newContext();
          const p = await openPage(ctx, problems);
          await login(p, base, who);
          members[who] = { ctx, page: p };
        }
        const p = members[who].page;
        await p.goto(minutesUrl);
        if (who === "mette")
          await checkPage(p, "minutes page, member");
        await submit(p, 'button:has-text("Godkend referatet")');
        const text = squash(await p.innerText("main"));
        assert(text.includes("Du har godkendt referatet") || text.includes("Referat godkendt"),
          `${who} approved: ${text.slice(0, 400)}`);
      }
      await page.goto(minutesUrl);
      const text = squash(await page.innerText("main"));
      assert(text.includes("Referat godkendt"), `approved by both: ${text.slice(0, 500)}`);
      for (const answer of ["Mette Medlem Godkendt 20-12-2023 11:20 UTC",
        "Mads Medlem Godkendt 20-12-2023 11:25 UTC"])
        assert(text.includes(answer), `each member's answer with its time: ${answer}`);
      await checkPage(page, "minutes page, approved");
    });

    await check("the portal shows no decision before publishing", async () => {
      await noDecisionOnPortal("referat_godkendt");
    });

    await test("the minutes published", async () => {
      setClock(at("11:40:00"));
      await page.goto(base + `/arbejde/moede/${mid}/offentliggoerelse`);
      const guard = squash(await page.innerText("main"));
      assert(guard.includes("Kontrollen finder intet"),
        `the publish guard: ${guard.slice(0, 600)}`);
      await page.goto(base + `/arbejde/moede/${mid}`);
      await submit(page, 'button:has-text("Offentliggør")');
      const text = squash(await page.innerText("main"));
      assert(text.includes("Offentliggjort"), `published: ${text.slice(0, 400)}`);
    });

    await check("the portal shows the decisions once published", async () => {
      const { status, text } = await portalText();
      assert(status === 200, `the case on the portal: ${status}`);
      for (const w of decisionWords)
        assert(text.includes(w), `the decision on the portal: ${w}`);
      const mt = await publicMeeting();
      assert(mt.includes("Referat offentliggjort 20-12-2023"),
        `the meeting page's state: ${mt.slice(0, 300)}`);
      for (const line of ["Mette Medlem: Til stede", "Mads Medlem: Til stede",
        "Tonny Olsen: Til stede, kom under punkt 1",
        "Vicki Nygaard Svendsen: Til stede, kom under punkt 2",
        "Marc Kromann Rasmussen: Til stede, kom under punkt 2",
        "Maria Drejer Petersen: Til stede, kom under punkt 3"])
        assert(mt.includes(line),
          `the attendance of published minutes: ${line} in ${mt.slice(0, 800)}`);
    });

    await test("the md export reads back into the seed's model, field by field", async () => {
      const md = join(work, "sag.md");
      writeFileSync(md, run("export", String(cid), "--to", "md"));
      assert(readFileSync(md, "utf8").includes(DECISION_HEAD), "the export has the decision");
      const got = modelOf(md);
      const keys = [...new Set([...Object.keys(got), ...Object.keys(want)])].sort();
      const diff = keys.filter((k) => JSON.stringify(got[k]) !== JSON.stringify(want[k]));
      assert(diff.length === 0, "fields differ: " + diff.map((k) =>
        `${k}: got ${JSON.stringify(got[k])?.slice(0, 400)} want ` +
        `${JSON.stringify(want[k])?.slice(0, 400)}`).join("\n    "));
    });

    await check("the actual times are kept beside the planned (JSON export)", async () => {
      const j = JSON.parse(run("export", String(cid), "--to", "json"));
      const c = j.case || j;
      const got = c.subitems.map((si) => `${si.time} ${si.actual_start}-${si.actual_end}`);
      assert(JSON.stringify(got) === JSON.stringify(["10.30 10:29-11:03", "11.00 11:03-11:15",
        "11.15 11:15-11:29", "11.30 11:29-11:58"]), `planned and actual: ${got}`);
    });

    await check("the ledger is intact (referat audit verify)", async () => {
      run("audit", "verify");
    });

    await check("no script errors", async () => {
      assert(problems.length === 0, problems.join(" | "));
    });
  } finally {
    await browser.close();
    // The server reads the clock file until it has stopped: its folder goes after that.
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10000))]);
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
