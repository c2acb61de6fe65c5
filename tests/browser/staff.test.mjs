// staff.test.mjs: browser tests of logging in and out, the staff area (/arbejde), the settings
// and password pages. Starts the real `referat serve` on 127.0.0.1 over an archive of examples/
// with accounts made by `referat user`, drives /usr/bin/chromium with playwright-core, goes the
// whole way from the front page to logging out with the keyboard only, runs axe-core (WCAG 2.1
// A and AA) and html-validate on every staff page, and saves screenshots (desktop and phone) in
// $SHOT_DIR (default /tmp/referat-shots). Ends with "N passed, N failed".
//
// usage: node staff.test.mjs REFERAT EXAMPLES_DIR
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { HtmlValidate } from "html-validate";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [referat, examples] = process.argv.slice(2);
const shotDir = process.env.SHOT_DIR || "/tmp/referat-shots";
const work = mkdtempSync(join(tmpdir(), "referat-staff-"));
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const PASSWORD = "korrekt hest batteri hæfteklamme";
const MARKER = "KANARIE-LUKKET-7Q2";

// The accounts: a member of DIR, an administrator (no roles), and one whose password changes.
const USERS = {
  anna: { name: "Anna Andersen", grants: [["DIR", "medlem"]] },
  ada: { name: "Ada Administrator", admin: true },
  bent: { name: "Bent Bertelsen", grants: [["ØK", "sekretaer"]] },
  sofie: { name: "Sofie Sekretær", grants: [["DIR", "sekretaer"]] },
  // editor (issue 8): two secretaries of DIR
  sofie: { name: "Sofie Sekretær", grants: [["DIR", "sekretaer"]] },
  sune: { name: "Sune Sekretær", grants: [["DIR", "sekretaer"]] },
};
// The agenda's pages (issue 8): two meetings of DIR planned in referat, two cases on the
// first one's agenda (so the move and udsæt buttons are there).
const agenda = {};

let passed = 0;
let failed = 0;
let plannedMeeting = 0; // editor (issue 8)

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
  const db = join(work, "staff.db");
  const files = readdirSync(examples)
    .filter((f) => /^\d\d-.*\.(md|txt)$/.test(f))
    .map((f) => join(examples, f));
  execFileSync(referat, ["import", "--db", db, "--quiet", ...files], { stdio: "pipe" });
  for (const [login, u] of Object.entries(USERS)) {
    execFileSync(referat, ["user", "add", login, "--name", u.name, "--password-stdin",
      ...(u.admin ? ["--admin"] : []), "--db", db], { input: PASSWORD + "\n", stdio: "pipe" });
    for (const [body, role] of u.grants || [])
      execFileSync(referat, ["user", "grant", login, body, role, "--db", db], { stdio: "pipe" });
  }
  const run = (...args) => execFileSync(referat, [...args, "--db", db], { encoding: "utf8" });
  const meetingOf = (out) => Number(/meeting (\d+)/.exec(out)[1]);
  agenda.planned = meetingOf(run("meeting", "add", "DIR", "2027-05-04", "--start", "09:00",
    "--end", "12:00", "--place", "Rådhuset, mødelokale 1"));
  agenda.later = meetingOf(run("meeting", "add", "DIR", "2027-06-01"));
  for (const name of ["Budgetopfølgning", "Orientering om rekruttering"]) {
    const path = join(work, `${name}.md`);
    writeFileSync(path, `## **${name}**\n\n*Åben Sag*\n\n### **Sagsgang**\n\nDIR\n\n` +
      "### **Sagsfremstilling**\n\nTekst.\n\n### Indstilling\n\nDet indstilles, at sagen " +
      "tages til efterretning.\n");
    run("case", "new", "--meeting", String(agenda.planned), path);
  }
  // editor (issue 8): a meeting planned in referat to write cases on
  plannedMeeting = Number(String(execFileSync(referat, ["meeting", "add", "DIR", "2026-12-16",
    "--start", "10:30", "--end", "12:00", "--place", "Mødelokale 1", "--db", db],
    { stdio: "pipe" })).match(/\d+/)[0]);
  // The body library (issue 8, library): the examples' library of DIR.
  execFileSync(referat, ["library", "import", join(examples, "library", "DIR.library.json"),
    "--db", db], { stdio: "pipe" });
  return db;
}

// Invitations (issue 8): a failed invitation (its error and the retry button shown) to a DIR
// case, at the latest meeting the case is on, and a guest link to it. Returns the meeting's id.
const GUEST_TOKEN = "BrowserGaest" + "x".repeat(31);
// The store keeps a link as the BLAKE2b-256 of its token (node's crypto has only -512).
const blake2b256 = (t) => execFileSync("python3", ["-c",
  "import hashlib,sys; print(hashlib.blake2b(sys.argv[1].encode(), digest_size=32).hexdigest())",
  t]).toString().trim();
function addInvitation(db) {
  const sql = `
    CREATE TEMP TABLE pick AS SELECT m.id AS meeting, a.case_id AS case_id, m.date AS date
      FROM agenda a JOIN meeting m ON m.id = a.meeting_id JOIN body b ON b.id = m.body_id
      WHERE b.code = 'DIR' AND NOT EXISTS (SELECT 1 FROM agenda a2 JOIN meeting m2
        ON m2.id = a2.meeting_id WHERE a2.case_id = a.case_id AND (m2.date > m.date
        OR (m2.date = m.date AND m2.id > m.id)))
      ORDER BY m.date DESC LIMIT 1;
    INSERT INTO invitation (case_id, email, name, uid, sequence, method, dtstart, dtend,
      subitems, state, error, attempts, created_at)
      SELECT case_id, 'gaest@example.dk', 'Gæst Gæstesen', 'browser@referat', 0, 'REQUEST',
        date || 'T10:30', date || 'T11:00', '[1]', 'failed',
        'SMTP 127.0.0.1:25 answered 550: RCPT failed', 1, '2024-01-01T00:00:00Z' FROM pick;
    INSERT INTO guest_link (hash, case_id, email, expires_at, created_at)
      SELECT '${blake2b256(GUEST_TOKEN)}', case_id, 'gaest@example.dk', 4102444800,
        '2024-01-01T00:00:00Z' FROM pick;
    SELECT meeting FROM pick;`;
  return Number(execFileSync("sqlite3", [db, sql], { stdio: ["ignore", "pipe", "pipe"] })
    .toString().trim());
}

// The body library (issue 8, library): the ids of DIR's items, by name.
function libraryIds(db) {
  const out = execFileSync(referat, ["library", "list", "--body", "DIR", "--json", "--db", db]);
  return Object.fromEntries(JSON.parse(out).map((i) => [i.name, i.id]));
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

// One browser tab with its own cookies. It remembers the last page it loaded (the HTML as the
// server sent it, for html-validate) and every console error.
async function newTab(browser, base) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 },
    locale: "da-DK" });
  // Nothing leaves the machine: every request not for the portal is refused.
  await context.route("**/*", (route) =>
    route.request().url().startsWith(base) ? route.continue() : route.abort(),
  );
  const page = await context.newPage();
  const tab = { context, page, base, problems: [], last: null };
  page.on("console", (m) => {
    if (m.type() === "error") tab.problems.push(m.text());
  });
  page.on("pageerror", (e) => tab.problems.push(String(e)));
  page.on("response", (r) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame() &&
        (r.status() < 300 || r.status() >= 400))
      tab.last = { response: r, text: r.text().catch((e) => `(body lost: ${e})`) };
  });
  return tab;
}

// What has the keyboard focus, and whether the focus is visible on it.
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body)
      return { tag: "body", text: "", visible: false };
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0;
    const shadow = cs.boxShadow !== "none" && cs.boxShadow !== "";
    const r = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      type: el.type || "",
      text: (el.innerText || el.value || "").trim(),
      href: el.getAttribute("href"),
      nav: el.closest("nav") ? el.closest("nav").getAttribute("aria-label") : null,
      visible: (outline || shadow) && r.width > 0 && r.height > 0,
      style: `outline ${cs.outlineStyle} ${cs.outlineWidth}, box-shadow ${cs.boxShadow}`,
    };
  });
}

// Presses Tab (Shift+Tab with back) until want(focus) holds; every stop on the way must show
// its focus. Returns the focus.
async function tabTo(page, want, what, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    const f = await focused(page);
    if (f.tag !== "body")
      assert(f.visible, `focus not visible on <${f.tag}> "${f.text}" (${f.style})`);
    if (want(f))
      return f;
  }
  throw new Error(`${what}: not reached in ${max} presses of ${back ? "Shift+Tab" : "Tab"}`);
}

// Activates the focused element with a key and waits for the page it leads to (a new one,
// even when its address is the same: a form posted to itself).
async function activate(page, key, url) {
  await Promise.all([
    page.waitForEvent("framenavigated", { predicate: (f) => f === page.mainFrame(),
      timeout: 10000 }),
    page.keyboard.press(key),
  ]);
  await page.waitForLoadState("load");
  assert(url.test(page.url()), `${key} led to ${page.url()}, want ${url}`);
}

// Types into the focused field, replacing what it holds.
async function retype(page, text) {
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  if (text)
    await page.keyboard.type(text);
}

async function axe(page, label) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
    WCAG,
  );
  const v = r.violations.map(
    (x) => `${x.id} (${x.nodes.length}): ${x.nodes[0].target.join(" ")} – ${x.help}`,
  );
  assert(v.length === 0, `${label}: axe: ${v.join("\n    ")}`);
  assert(r.passes.length > 5, `${label}: axe ran only ${r.passes.length} rules`);
}

let validator;

async function validate(tab, label) {
  assert(tab.last, `${label}: no page loaded`);
  const text = await tab.last.text;
  const report = await validator.validateString(text, label);
  const msgs = report.results.flatMap((r) =>
    r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`),
  );
  assert(report.valid, `${label}: html-validate:\n    ${msgs.slice(0, 15).join("\n    ")}`);
}

// Both checkers on the page the tab shows now, and no console errors besides the page's own
// status when it is an error page.
async function checkPage(tab, label, status = 200) {
  const got = tab.last.response.status();
  assert(got === status, `${label}: status ${got}, want ${status}`);
  assert((await tab.page.$$("h1")).length === 1, `${label}: one h1`);
  await axe(tab.page, label);
  await validate(tab, label);
  const own = status >= 400 ? `status of ${status}` : null;
  const rest = tab.problems.filter((p) => !(own && p.startsWith("Failed to load resource") &&
    p.includes(own)));
  tab.problems.length = 0;
  assert(rest.length === 0, `${label}: console: ${rest.join(" | ")}`);
}

// Logs in through the form (typing, then Enter in the password field).
async function login(tab, user, password = PASSWORD) {
  const { page, base } = tab;
  await page.goto(base + "/log-ind");
  await page.focus("#login");
  await retype(page, user);
  await page.focus("#password");
  await page.keyboard.type(password);
  await activate(page, "Enter", /\/arbejde$/);
}

async function textOf(page, sel) {
  const el = await page.$(sel);
  return el ? (await el.innerText()).replace(/\s+/g, " ").trim() : null;
}

async function main() {
  mkdirSync(shotDir, { recursive: true });
  const db = makeArchive();
  const invitationMeeting = addInvitation(db); // issue 8
  const { proc, base } = await startServer(db);
  const browser = await chromium.launch({
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
  });
  validator = new HtmlValidate({ extends: ["html-validate:recommended"] });
  const tabs = [];
  const open = async () => {
    const t = await newTab(browser, base);
    tabs.push(t);
    return t;
  };

  try {
    const cases = (await json(base, "/api/cases?per_page=100")).items;
    const closedDir = cases.find((c) => !c.public && c.body === "DIR");
    const closedOther = cases.find((c) => !c.public && c.body !== "DIR");
    const openDir = cases.find((c) => c.public && c.body === "DIR" && c.date);
    const meeting = (await json(base, "/api/meetings?body=DIR")).items[0];
    assert(closedDir && closedOther && openDir && meeting, "the examples have what we need");
    const lib = libraryIds(db);
    // ---- issue 10, followups: a follow-up of a closed DIR case (its page as the member and
    // as the sekretær), with a note, so that the history has one ----
    const followup = Number(execFileSync("sqlite3", [db, `SELECT f.id FROM followup f JOIN
      "case" c ON c.id = f.case_id WHERE c.id = ${closedDir.id} ORDER BY f.id LIMIT 1`])
      .toString().trim());
    execFileSync("sqlite3", [db, `INSERT INTO followup_note (followup_id, at, author, text)
      VALUES (${followup}, '2026-01-05T10:00:00Z', 'Sofie Sekretær', 'Aftalt med HR')`]);
    // ---- end issue 10, followups ----

    await test("keyboard only: front page, log in, staff navigation, log out", async () => {
      const tab = await open();
      const { page } = tab;
      await page.goto(base + "/");
      const skip = await tabTo(page, () => true, "first stop");
      assert(skip.text === "Gå til indholdet", `first tab stop is the skip link (${skip.text})`);
      await tabTo(page, (f) => f.tag === "a" && f.text === "Log ind", "Log ind in the header");
      await activate(page, "Enter", /\/log-ind$/);
      await tabTo(page, (f) => f.id === "login", "the login field");
      await page.keyboard.type("anna");
      const pw = await tabTo(page, () => true, "after the login field");
      assert(pw.id === "password", `Tab from the login goes to the password (${pw.id})`);
      await page.keyboard.type(PASSWORD);
      // Back and forth: Shift+Tab returns to the login, which kept what was typed.
      const again = await tabTo(page, () => true, "back", { back: true });
      assert(again.id === "login" && again.text === "anna", `Shift+Tab: ${again.id}`);
      await tabTo(page, (f) => f.id === "password", "the password again");
      const button = await tabTo(page, () => true, "after the password");
      assert(button.tag === "button" && button.text === "Log ind", `submit: ${button.text}`);
      await activate(page, " ", /\/arbejde$/);
      assert((await textOf(page, "h1")) === "Arbejdsområde", "landed on the staff area");
      assert((await textOf(page, "header .account")).includes("Anna Andersen"),
        "the header names the person");

      // The tab order from the top of the page reaches every link of the staff navigation, in
      // the order they stand in.
      const links = await page.$$eval("nav.worknav a", (as) => as.map((a) => a.getAttribute(
        "href")));
      // (8 with Biblioteker, issue 8, library)
      assert(links.length === 8, `a member's staff navigation has 8 links (${links})`);
      const reached = [];
      await tabTo(page, (f) => {
        if (f.nav === "Arbejdsområde")
          reached.push(f.href);
        return f.href === links[links.length - 1] && f.nav === "Arbejdsområde";
      }, "the staff navigation's last link");
      assert(JSON.stringify(reached) === JSON.stringify(links), `tab order: ${reached}`);

      // Every page of the staff navigation, each reached from the one before by the keyboard.
      const labels = await page.$$eval("nav.worknav a", (as) => as.map((a) => a.textContent));
      for (let i = 0; i < links.length; i++) {
        await tabTo(page, (f) => f.nav === "Arbejdsområde" && f.href === links[i],
          `the link ${labels[i]}`);
        await activate(page, "Enter", new RegExp(links[i].replace(/\//g, "\\/") + "$"));
        const current = await textOf(page, "nav.worknav a[aria-current=page]");
        assert(current === labels[i], `${links[i]}: marked current: ${current}`);
        assert((await page.$$("h1")).length === 1, `${links[i]}: one h1`);
      }

      // Log out with the header's button.
      const out = await tabTo(page, (f) => f.tag === "button" && f.text === "Log ud",
        "Log ud in the header");
      assert(out.nav === "Hovedmenu", `Log ud sits in the header's menu (${out.nav})`);
      await activate(page, "Enter", /\/log-ind\?ud=1$/);
      assert((await textOf(page, "[role=status]")) === "Du er logget ud.", "logged out notice");
      assert(await page.$("header a[href='/log-ind']"), "the header offers Log ind again");
      await page.goto(base + "/arbejde");
      assert(/\/log-ind\?tilbage=%2Farbejde$/.test(page.url()), `staff area: ${page.url()}`);
    });

    await test("wrong password: the error is an alert, reachable, the login kept", async () => {
      const tab = await open();
      const { page } = tab;
      await page.goto(base + "/log-ind");
      await tabTo(page, (f) => f.id === "login", "the login field");
      await page.keyboard.type("anna");
      await tabTo(page, (f) => f.id === "password", "the password field");
      await page.keyboard.type("forkert adgangskode her");
      await activate(page, "Enter", /\/log-ind$/);
      assert(tab.last.response.status() === 401, `status ${tab.last.response.status()}`);
      const alert = await page.$("[role=alert]");
      assert(alert, "an element with role=alert");
      const msg = (await alert.innerText()).trim();
      assert(msg === "Forkert brugernavn eller adgangskode.", `message: ${msg}`);
      assert((await page.inputValue("#login")) === "anna", "the login is kept");
      assert((await page.inputValue("#password")) === "", "the password field is empty");
      const alertId = await alert.getAttribute("id");
      for (const field of ["#login", "#password"]) {
        const d = (await page.getAttribute(field, "aria-describedby")) || "";
        assert(alertId && d.split(" ").includes(alertId), `${field} described by the error`);
      }
      // The focus lands on the field to fix, so a screen reader reads the error with it.
      const f = await focused(page);
      assert(f.id === "password", `focus after the error: ${f.tag}#${f.id}`);
      // And the right password still works from here, with the keyboard.
      await page.keyboard.type(PASSWORD);
      await activate(page, "Enter", /\/arbejde$/);
    });

    await test("closed case: a DIR member sees it in full, the public only its title", async () => {
      const member = await open();
      await login(member, "anna");
      await member.page.goto(base + `/sag/${closedDir.id}`);
      const note = await textOf(member.page, ".closednote");
      assert(note && note.startsWith("Lukket sag. Du ser hele sagen"), `member sees: ${note}`);
      const full = await textOf(member.page, "main");
      assert(full.includes(MARKER) && full.includes("Sagsfremstilling"), "member: the text");
      // Another body's closed case stays closed to her.
      await member.page.goto(base + `/sag/${closedOther.id}`);
      const other = await textOf(member.page, "main");
      assert(!other.includes("Du ser hele sagen") && !other.includes(MARKER),
        "another body's closed case is not shown to a DIR member");

      const anon = await open();
      await anon.page.goto(base + `/sag/${closedDir.id}`);
      const text = await textOf(anon.page, "main");
      assert(text.includes(closedDir.title), "the public sees the title");
      assert(text.includes("kun titlen er offentlig"), "and is told why");
      assert(!text.includes(MARKER) && !text.includes("Sagsfremstilling"), "and nothing else");
    });

    await test("settings: an administrator changes them with the keyboard", async () => {
      const tab = await open();
      const { page } = tab;
      await login(tab, "ada");
      // The admin's staff navigation has the two pages more; Indstillinger by the keyboard.
      await tabTo(page, (f) => f.nav === "Arbejdsområde" && f.text === "Indstillinger",
        "Indstillinger in the staff navigation");
      await activate(page, "Enter", /\/arbejde\/indstillinger$/);
      await tabTo(page, (f) => f.id === "municipality-name", "Kommunens navn");
      await retype(page, "Testrup Kommune");
      await tabTo(page, (f) => f.id === "accessibility-url", "Tilgængelighedserklæring");
      await retype(page, "https://testrup.dk/tilgaengelighed");
      await tabTo(page, (f) => f.tag === "button" && f.text === "Gem indstillinger", "Gem");
      await activate(page, "Enter", /\/arbejde\/indstillinger\?gemt=1$/);
      assert((await textOf(page, "[role=status]")) === "Indstillingerne er gemt.", "saved");
      assert((await page.inputValue("#municipality-name")) === "Testrup Kommune", "shown");
      assert((await textOf(page, "header .brand")).startsWith("Testrup Kommune"), "header");
      assert((await page.title()).endsWith("– Testrup Kommune"), "title");
      // Every page's footer links the statement, staff pages and public pages, and for the
      // public too.
      const anon = await open();
      // (The dispatcher's own error pages, such as an unknown address's 404, are drawn
      // before the request is handed to the page and carry no settings yet.)
      const pages = ["/", `/sag/${openDir.id}`, `/moede/${meeting.id}`, "/soeg?q=budget",
        "/sag/99999", "/log-ind"];
      for (const [t, list] of [[tab, ["/arbejde", "/arbejde/brugere", ...pages]],
        [anon, pages]]) {
        for (const path of list) {
          await t.page.goto(base + path);
          const hrefs = await t.page.$$eval("footer a", (as) => as
            .filter((a) => a.textContent === "Tilgængelighedserklæring")
            .map((a) => a.getAttribute("href")));
          assert(hrefs.length === 1 && hrefs[0] === "https://testrup.dk/tilgaengelighed",
            `${path}: footer links ${hrefs}`);
          assert((await textOf(t.page, "header .brand")).startsWith("Testrup Kommune"),
            `${path}: header`);
        }
      }

      // A bad address: the field says what it expects, and nothing is saved (not the name
      // either).
      await page.goto(base + "/arbejde/indstillinger");
      await tabTo(page, (f) => f.id === "municipality-name", "Kommunens navn");
      await retype(page, "Andeby Kommune");
      await tabTo(page, (f) => f.id === "accessibility-url", "Tilgængelighedserklæring");
      await retype(page, "javascript:alert(1)");
      await tabTo(page, (f) => f.tag === "button" && f.text === "Gem indstillinger", "Gem");
      await activate(page, "Enter", /\/arbejde\/indstillinger$/);
      assert(tab.last.response.status() === 400, `status ${tab.last.response.status()}`);
      assert((await textOf(page, "[role=alert]")).startsWith("Intet er gemt"), "summary");
      assert((await page.getAttribute("#accessibility-url", "aria-invalid")) === "true",
        "aria-invalid on the field");
      const d = ((await page.getAttribute("#accessibility-url", "aria-describedby")) || "")
        .split(" ");
      const errors = [];
      for (const id of d)
        errors.push(await textOf(page, `#${id}.error`));
      const error = errors.find((x) => x);
      assert(error && error.startsWith("Forventede en adresse"), `field error: ${d} ${errors}`);
      assert((await page.$$("[aria-invalid=true]")).length === 1, "only that field is marked");
      assert((await page.inputValue("#accessibility-url")) === "javascript:alert(1)",
        "what was typed is kept");
      const f = await focused(page);
      assert(f.id === "accessibility-url", `focus on the field to fix (${f.tag}#${f.id})`);
      await page.goto(base + "/arbejde/indstillinger");
      assert((await page.inputValue("#municipality-name")) === "Testrup Kommune",
        "the name is not saved");
      assert((await page.inputValue("#accessibility-url")) ===
        "https://testrup.dk/tilgaengelighed", "the address is not saved");
      assert((await textOf(page, "header .brand")).startsWith("Testrup Kommune"), "header");

      // A path on the site is a valid address too: the browser must let it through to the
      // server, which accepts it.
      await page.focus("#accessibility-url");
      await retype(page, "/tilgaengelighed");
      await page.focus("form.form button[type=submit]");
      await activate(page, "Enter", /\/arbejde\/indstillinger\?gemt=1$/);
      assert((await page.inputValue("#accessibility-url")) === "/tilgaengelighed", "a path");
    });

    await test("settings and users: a non-administrator gets the 403 page", async () => {
      const tab = await open();
      await login(tab, "anna");
      const links = await tab.page.$$eval("nav.worknav a", (as) => as.map((a) => a.textContent));
      assert(!links.includes("Indstillinger") && !links.includes("Brugere"), `nav: ${links}`);
      for (const path of ["/arbejde/indstillinger", "/arbejde/brugere"]) {
        await tab.page.goto(base + path);
        assert(tab.last.response.status() === 403, `${path}: ${tab.last.response.status()}`);
        assert((await textOf(tab.page, "h1")) === "Du har ikke adgang", `${path}: h1`);
        await checkPage(tab, `${path} as a member`, 403);
      }
    });

    await test("password change: mismatch is an error, a change logs out", async () => {
      const tab = await open();
      const { page } = tab;
      const fresh = "et helt nyt og langt kodeord";
      await login(tab, "bent");
      await tabTo(page, (f) => f.nav === "Arbejdsområde" && f.text === "Adgangskode",
        "Adgangskode in the staff navigation");
      await activate(page, "Enter", /\/arbejde\/adgangskode$/);
      await tabTo(page, (f) => f.id === "pw-current", "Nuværende adgangskode");
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press("Tab");
      await page.keyboard.type(fresh);
      await page.keyboard.press("Tab");
      await page.keyboard.type(fresh + "x");
      await activate(page, "Enter", /\/arbejde\/adgangskode$/);
      assert(tab.last.response.status() === 400, `status ${tab.last.response.status()}`);
      assert((await textOf(page, "[role=alert]")) === "De to nye adgangskoder er ikke ens.",
        "mismatch message");
      assert((await page.getAttribute("#pw-repeat", "aria-invalid")) === "true", "marked");
      assert((await page.getAttribute("#pw-repeat", "aria-describedby")) ===
        (await page.getAttribute("[role=alert]", "id")), "described by the error");
      const f = await focused(page);
      assert(f.id === "pw-repeat", `focus on the field to fix (${f.tag}#${f.id})`);
      await checkPage(tab, "/arbejde/adgangskode (mismatch)", 400);
      // Still logged in, old password still the one.
      await page.goto(base + "/arbejde/adgangskode");
      await page.focus("#pw-current");
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press("Tab");
      await page.keyboard.type(fresh);
      await page.keyboard.press("Tab");
      await page.keyboard.type(fresh);
      await activate(page, "Enter", /\/log-ind\?skiftet=1$/);
      assert((await textOf(page, "[role=status]")) ===
        "Din adgangskode er skiftet. Log ind med den nye.", "changed notice");
      await checkPage(tab, "/log-ind?skiftet=1");
      await page.goto(base + "/arbejde");
      assert(/\/log-ind\?tilbage=/.test(page.url()), "logged out everywhere");
      // The old password is refused, the new one works.
      await page.goto(base + "/log-ind");
      await page.focus("#login");
      await page.keyboard.type("bent");
      await page.focus("#password");
      await page.keyboard.type(PASSWORD);
      await activate(page, "Enter", /\/log-ind$/);
      assert((await textOf(page, "[role=alert]")) === "Forkert brugernavn eller adgangskode.",
        "the old password is refused");
      await login(tab, "bent", fresh);
      assert((await textOf(page, "header .account")).includes("Bent Bertelsen"), "logged in");
    });

    // editor (issue 8): the case editor's pages, with errors, saved, and the merge page of a
    // stale save, through both checkers and at 360 px.
    await test("case editor: new, errors, saved, edited, merged; axe and html-validate", async () => {
      const [a, b] = [await open(), await open()];
      await login(a, "sofie");
      await login(b, "sune");
      const m = { id: plannedMeeting };
      assert(m.id, "the planned meeting");
      const { page } = a;
      await page.goto(base + `/arbejde/moede/${m.id}/sag/ny`);
      await checkPage(a, "/arbejde/moede/ID/sag/ny");
      // Errors at the fields: no title, a start that is no time, a guest without e-mail.
      await page.fill("#punkt-1--titel", "Digitaliseringsorganisation");
      await page.fill("#punkt-1--start", "25.00");
      await page.fill("#punkt-1--gaest-1--navn", "Tonny Olsen");
      await page.focus("#titel");
      await activate(page, "Enter", /\/sag\/ny$/);
      assert((await page.$$("[aria-invalid=true]")).length === 3, "three fields marked");
      assert((await focused(page)).id === "titel", "focus on the first field to fix");
      await checkPage(a, "/arbejde/moede/ID/sag/ny (errors)", 400);
      await page.fill("#titel", "Punkter til behandling");
      await page.fill("#punkt-1--start", "10.30");
      await page.fill("#punkt-1--minutter", "45");
      await page.fill("#punkt-1--gaest-1--email", "tonny@lindholm.dk");
      await page.fill("#punkt-2--titel", "Nytårskur");
      await page.fill("#punkt-2--start", "11.00");
      await page.fill("#punkt-2--minutter", "90");
      await page.focus("#titel");
      await activate(page, "Enter", /\/arbejde\/sag\/\d+\?gemt=1$/);
      await checkPage(a, "/arbejde/sag/ID");
      const id = page.url().match(/sag\/(\d+)/)[1];
      await page.goto(base + `/arbejde/sag/${id}/rediger`);
      assert((await page.$$(".warning")).length >= 2, "overlap and past the end warned");
      await checkPage(a, "/arbejde/sag/ID/rediger (warnings)");
      await b.page.goto(base + `/arbejde/sag/${id}/rediger`);
      await page.fill("#titel", "Punkter til behandling (Sofie)");
      await page.focus("#titel");
      await activate(page, "Enter", /\?gemt=1$/);
      await b.page.fill("#indstilling", "Det indstilles, at punkterne drøftes.");
      await b.page.focus("#titel");
      await activate(b.page, "Enter", /\/rediger$/);
      assert((await b.page.$$("fieldset.merge.differs")).length === 2, "two fields differ");
      await checkPage(b, "/arbejde/sag/ID/rediger (merge)", 409);
      // Bilag: the page, an upload, one refused at the field.
      await page.goto(base + `/arbejde/sag/${id}/bilag`);
      await checkPage(a, "/arbejde/sag/ID/bilag");
      await page.fill("#nyt-titel", "Notat");
      await page.fill("#nyt-journal", "122962/23");
      await page.setInputFiles("#nyt-fil", { name: "notat.pdf", mimeType: "application/pdf",
        buffer: Buffer.from("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n") });
      await page.focus("#nyt-titel");
      await activate(page, "Enter", /\/bilag\?gemt=1$/);
      await checkPage(a, "/arbejde/sag/ID/bilag (saved)");
      await page.fill("#nyt-titel", "Side");
      await page.setInputFiles("#nyt-fil", { name: "side.pdf", mimeType: "application/pdf",
        buffer: Buffer.from("<!DOCTYPE html><html><body>x</body></html>\n") });
      await page.focus("#nyt-titel");
      await activate(page, "Enter", /\/bilag$/);
      assert((await page.getAttribute("#nyt-fil", "aria-invalid")) === "true", "file marked");
      await checkPage(a, "/arbejde/sag/ID/bilag (refused)", 400);
      // Send til gennemlæsning: Sofie sends it to Sune, who comments.
      await page.goto(base + `/arbejde/sag/${id}`);
      await checkPage(a, "/arbejde/sag/ID (with the review form)");
      await page.getByLabel("Sune Sekretær").check();
      await page.focus("form[action$='/gennemlaesning'] button[type=submit]");
      await activate(page, "Enter", /\/gennemlaesning\/\d+\?sendt=1$/);
      await checkPage(a, "/arbejde/sag/ID/gennemlaesning/R (sent)");
      const review = page.url().split("?")[0];
      await b.page.goto(base + "/arbejde/gennemlaesning");
      await checkPage(b, "/arbejde/gennemlaesning");
      await b.page.goto(review);
      await b.page.focus("form.form button[type=submit]");
      await activate(b.page, "Enter", /\/gennemlaesning\/\d+$/);
      assert((await b.page.getAttribute("#kommentar", "aria-invalid")) === "true", "marked");
      await checkPage(b, "/arbejde/sag/ID/gennemlaesning/R (error)", 400);
      await b.page.fill("#kommentar", "Fint.");
      await b.page.focus("form.form button[type=submit]");
      await activate(b.page, "Enter", /kommenteret=1$/);
      await checkPage(b, "/arbejde/sag/ID/gennemlaesning/R (commented)");
      for (const [t, path] of [[a, `/arbejde/sag/${id}/rediger`], [b, `/arbejde/sag/${id}`],
        [a, `/arbejde/sag/${id}/bilag`], [b, review.replace(base, "")]]) {
        await t.page.setViewportSize({ width: 360, height: 740 });
        try {
          await t.page.goto(base + path);
          const w = await t.page.evaluate(() => document.documentElement.scrollWidth);
          assert(w <= 360, `${path}: page is ${w}px wide on a 360px screen`);
          await axe(t.page, `${path} at 360 px`);
        } finally {
          await t.page.setViewportSize({ width: 1280, height: 900 });
        }
      }
    });

    // Both checkers on every page of the staff area, as a member of DIR (who may read the
    // histories) and as the administrator.
    const anna = await open();
    const ada = await open();
    await test("axe-core and html-validate: the login page, empty and with the error", async () => {
      const tab = await open();
      await tab.page.goto(base + "/log-ind");
      await checkPage(tab, "/log-ind");
      await tab.page.fill("#login", "nogen");
      await tab.page.fill("#password", "forkert forkert");
      await activate(tab.page, "Enter", /\/log-ind$/);
      await checkPage(tab, "/log-ind (error)", 401);
    });
    await login(anna, "anna");
    await login(ada, "ada");
    const sofie = await open();
    await login(sofie, "sofie");
    const staffPages = [
      [anna, "/arbejde"],
      [anna, "/arbejde/moeder"],
      [anna, "/arbejde/kladder"],
      [anna, "/arbejde/godkendelser"],
      [anna, "/arbejde/opfoelgninger"],
      [anna, "/arbejde/historik"],
      [anna, "/arbejde/adgangskode"],
      [anna, `/arbejde/sag/${closedDir.id}/historik`],
      [anna, `/arbejde/sag/${openDir.id}/historik`],
      [anna, `/arbejde/moede/${meeting.id}/historik`],
      [anna, "/arbejde/forbehold"],
      [anna, `/arbejde/sag/${closedDir.id}/forbehold`],
      [anna, `/arbejde/moede/${invitationMeeting}/invitationer`], // issue 8
      [anna, `/gaest/${GUEST_TOKEN}`],
      [anna, "/"],
      [anna, `/sag/${closedDir.id}`],
      [anna, `/moede/${meeting.id}`],
      [anna, "/soeg?q=budget"],
      [ada, "/arbejde"],
      [ada, "/arbejde/historik"],
      [ada, "/arbejde/indstillinger"],
      [ada, "/arbejde/brugere"],
      [ada, "/"],
      [anna, `/arbejde/moede/${meeting.id}`],
      [anna, `/arbejde/moede/${agenda.planned}`],
      [sofie, "/arbejde/moede/ny"],
      [sofie, `/arbejde/moede/${agenda.planned}`],
      [sofie, `/arbejde/moede/${agenda.planned}/ret`],
      [sofie, `/arbejde/moede/${agenda.planned}/proforma`],
      [sofie, "/arbejde/organ/DIR/indstillinger"],
      [ada, "/arbejde/organ/DIR/indstillinger"],
      // The body library (issue 8, library): read as a member, managed as the administrator.
      [anna, "/arbejde/bibliotek"],
      [ada, "/arbejde/bibliotek"],
      [anna, "/arbejde/organ/DIR/bibliotek"],
      [anna, `/arbejde/organ/DIR/bibliotek/${lib["Sag til politisk behandling"]}`],
      [ada, "/arbejde/organ/DIR/bibliotek"],
      [ada, "/arbejde/organ/DIR/bibliotek/ny?slags=text"],
      [ada, "/arbejde/organ/DIR/bibliotek/ny?slags=recurring"],
      [ada, `/arbejde/organ/DIR/bibliotek/${lib["Sag til politisk behandling"]}`],
      [ada, `/arbejde/organ/DIR/bibliotek/${lib["Verdensmål"]}`],
      [ada, `/arbejde/organ/DIR/bibliotek/${lib["Eventuelt"]}/slet`],
      // ---- issue 10, followups ----
      [anna, `/arbejde/opfoelgning/${followup}`],
      [sofie, `/arbejde/opfoelgning/${followup}`],
      [sofie, "/arbejde/opfoelgninger?status=alle"],
      [ada, "/arbejde/enheder"],
      // ---- end issue 10, followups ----
      [sofie, "/arbejde/organ/DIR/kontrolliste"], // issue 10, remind: the control list
    ];
    for (const [tab, path] of staffPages) {
      const who = tab === anna ? "member" : tab === sofie ? "sekretær" : "admin";
      await test(`axe-core and html-validate: ${path} as ${who}`, async () => {
        await tab.page.goto(base + path);
        await checkPage(tab, `${path} as ${who}`);
        assert(await tab.page.$("header form[action='/log-ud']"), `${path}: logged in`);
      });
    }
    await test("axe-core and html-validate: a library template with errors", async () => {
      const { page } = ada;
      await page.goto(base + `/arbejde/organ/DIR/bibliotek/${lib["Sag til politisk behandling"]}`);
      await page.fill("#name", "");
      await page.selectOption("#sections-1--field", "presentation");
      await page.focus("form.form button[type=submit]");
      await activate(page, "Enter", /\/bibliotek\/\d+$/);
      assert((await page.$$("[aria-invalid=true]")).length === 2, "two fields marked");
      await checkPage(ada, "library template (errors)", 400);
    });
    await test("axe-core and html-validate: the settings page with an error", async () => {
      const { page } = ada;
      await page.goto(base + "/arbejde/indstillinger");
      await page.fill("#accessibility-url", "ftp://testrup.dk");
      await page.fill("#smtp-port", "70000");
      await page.focus("form.form button[type=submit]");
      await activate(page, "Enter", /\/arbejde\/indstillinger$/);
      assert((await page.$$("[aria-invalid=true]")).length === 2, "two fields marked");
      await checkPage(ada, "/arbejde/indstillinger (errors)", 400);
    });

    await test("axe-core and html-validate: a new meeting with errors at the fields", async () => {
      const { page } = sofie;
      await page.goto(base + "/arbejde/moede/ny");
      await page.fill("#dato", ""); // a date input holds no impossible date: left empty
      await page.fill("#start", "10:00");
      await page.fill("#slut", "09:00");
      await page.focus("form.form button[type=submit]");
      await activate(page, "Enter", /\/arbejde\/moede\/ny$/);
      assert((await page.$$("[aria-invalid=true]")).length === 2, "two fields marked");
      await checkPage(sofie, "/arbejde/moede/ny (errors)", 400);
    });
    await test("axe-core and html-validate: a refused step on the meeting page", async () => {
      const { page } = sofie;
      await page.goto(base + `/arbejde/moede/${agenda.planned}`);
      // Aflys without a reason: the page again, the refusal in an alert.
      await page.focus("form[action$='/handling'] button:has-text('Aflys mødet')");
      await activate(page, "Enter", /\/handling$/);
      assert((await textOf(page, "[role=alert]")).includes("Intet er ændret"), "refused");
      await checkPage(sofie, "/arbejde/moede/ID (refused)", 400);
    });

    // On a phone the wide tables scroll in their own box; such a box must be reachable by the
    // keyboard (axe's scrollable-region-focusable), so axe runs at this width too.
    // Invitations (issue 8): the failed send is on the page with the relay's answer.
    await test("the invitations page shows a failed send and its error", async () => {
      await anna.page.goto(base + `/arbejde/moede/${invitationMeeting}/invitationer`);
      const text = await anna.page.textContent("main");
      assert(text.includes("gaest@example.dk") && text.includes("Fejlet") &&
        text.includes("RCPT failed"), "the failed invitation is shown: " + text.slice(0, 300));
    });

    await test("phone: no horizontal page scrolling, axe-core at 360 px", async () => {
      for (const [tab, path] of [[anna, "/arbejde"], [anna, "/arbejde/moeder"],
        [anna, "/arbejde/historik"], [anna, `/arbejde/sag/${closedDir.id}/historik`],
        [anna, `/arbejde/moede/${meeting.id}/historik`], [anna, "/arbejde/adgangskode"],
        [ada, "/arbejde/indstillinger"], [ada, "/arbejde/brugere"],
        [sofie, `/arbejde/moede/${agenda.planned}`], [sofie, "/arbejde/moede/ny"],
        [sofie, "/arbejde/organ/DIR/indstillinger"],
        [ada, "/arbejde/organ/DIR/bibliotek"],
        [ada, `/arbejde/organ/DIR/bibliotek/${lib["Sag til politisk behandling"]}`],
        [anna, `/arbejde/moede/${invitationMeeting}/invitationer`], // issue 8
        [anna, `/gaest/${GUEST_TOKEN}`],
        // issue 10: a follow-up, the lists of follow-ups, units, the control list
        [sofie, `/arbejde/opfoelgning/${followup}`], [anna, "/arbejde/opfoelgninger"],
        [ada, "/arbejde/enheder"], [sofie, "/arbejde/organ/DIR/kontrolliste"]]) {
        await tab.page.setViewportSize({ width: 360, height: 740 });
        try {
          await tab.page.goto(base + path);
          const w = await tab.page.evaluate(() => document.documentElement.scrollWidth);
          assert(w <= 360, `${path}: page is ${w}px wide on a 360px screen`);
          await axe(tab.page, `${path} at 360 px`);
        } finally {
          await tab.page.setViewportSize({ width: 1280, height: 900 });
        }
      }
    });

    await test("screenshots, desktop and phone", async () => {
      const anon = await open();
      const shots = [[anon, "/log-ind", "login"], [anna, "/arbejde", "work"],
        [ada, "/arbejde/indstillinger", "settings"],
        [ada, "/arbejde/organ/DIR/bibliotek", "library"],
        [ada, `/arbejde/organ/DIR/bibliotek/${lib["Punkter til behandling"]}`, "template"]];
      for (const [label, vp] of [["desktop", { width: 1280, height: 900 }],
        ["phone", { width: 360, height: 740 }]]) {
        for (const [tab, path, name] of shots) {
          await tab.page.setViewportSize(vp);
          await tab.page.goto(base + path);
          await tab.page.screenshot({ path: join(shotDir, `staff-${name}-${label}.png`),
            fullPage: true });
        }
        // The login page with its error.
        await anon.page.goto(base + "/log-ind");
        await anon.page.fill("#login", "nogen");
        await anon.page.fill("#password", "forkert forkert");
        await activate(anon.page, "Enter", /\/log-ind$/);
        await anon.page.screenshot({ path: join(shotDir, `staff-login-error-${label}.png`),
          fullPage: true });
      }
      assert(readdirSync(shotDir).filter((f) => f.startsWith("staff-")).length >= 8, "saved");
    });
  } finally {
    for (const t of tabs)
      await t.context.close().catch(() => {});
    await browser.close();
    // Wait for the server's goodbye so that the summary line is the last one printed.
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
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
