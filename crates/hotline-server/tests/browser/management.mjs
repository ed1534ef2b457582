// The morning briefing, complaint analysis and scorecard pages in headless Chromium,
// driven by Playwright. Run by the Rust test `server::management_browser`
// (crates/hotline-server/tests/server/management_browser.rs), which starts the server,
// seeds a past day through the API and the store, checks the figures over the API and
// passes everything in the environment:
//
//   HOTLINE_BASE_URL     http://127.0.0.1:PORT
//   HOTLINE_EXPECT       JSON: the seeded day / week / month, who signs in, and the
//                        figures each page must show, formatted as the pages format them
//   HOTLINE_SCREENSHOTS  where the PNGs and briefing.pdf go
//   HOTLINE_CHROMIUM     the browser (Debian's /usr/bin/chromium)
//
// Exit code 0 when every step passed; otherwise the failing step and its error.
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run this through the Rust test)`);
  return v;
};
const base = env('HOTLINE_BASE_URL');
const x = JSON.parse(env('HOTLINE_EXPECT'));
const shots = env('HOTLINE_SCREENSHOTS');
const executablePath = process.env.HOTLINE_CHROMIUM || '/usr/bin/chromium';

let step = 'start';
const log = (msg) => console.log(`[management] ${msg}`);
function check(cond, msg) {
  if (!cond) throw new Error(`check failed: ${msg}`);
}
const squash = (s) => s.replace(/\s+/g, ' ').trim();

async function signIn(page, username, pw) {
  await page.goto(base + '/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(pw);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.getByRole('button', { name: 'Sign in' }).click()]);
}

/// Opens `path`; fails on anything but `status` (a 500 or a 503 "failed" page included).
async function open(page, path, status = 200) {
  const response = await page.goto(base + path);
  check(response && response.status() === status, `GET ${path} → ${response && response.status()}, expected ${status}`);
  return response;
}

/// The table row whose row header is exactly `name`, within `scope`.
function row(scope, name) {
  return scope.locator('tr').filter({ has: scope.page().getByRole('rowheader', { name, exact: true }) });
}

/// The cells' texts of a row (the row header first), whitespace squashed.
async function cells(r) {
  check(await r.count() === 1, `one row, found ${await r.count()}`);
  return (await r.locator('th, td').allInnerTexts()).map(squash);
}

/// The tables of the page that are wider than the section holding them (a label that
/// does not wrap, a number column too wide): "section#id: table 812 px in 760 px".
async function overflowing(page) {
  return page.evaluate(() => [...document.querySelectorAll('main table')].flatMap((t) => {
    const box = t.closest('section, .card, .table-wrap') || t.parentElement;
    const inner = box.clientWidth - parseFloat(getComputedStyle(box).paddingLeft) - parseFloat(getComputedStyle(box).paddingRight);
    // An element that scrolls on purpose (.table-wrap) may hold a wider table.
    if (box.classList.contains('table-wrap')) return [];
    return t.scrollWidth > inner + 1 ? [`${box.tagName.toLowerCase()}[${box.getAttribute('aria-labelledby') || box.className}]: table ${t.scrollWidth} px in ${Math.round(inner)} px`] : [];
  }));
}

/// A scorecard measure's row: value and status contain what was expected.
async function checkMeasure(page, level, e) {
  const r = row(page.locator('table.mg-measures'), e.measure);
  const c = await cells(r);
  log(`${level}: ${c.slice(0, 4).join(' | ')}`);
  check(c[1].startsWith(e.value), `${level}: ${e.measure} is ${e.value}, the page shows "${c[1]}"`);
  check(c[3].endsWith(e.status), `${level}: ${e.measure} is "${e.status}", the page shows "${c[3]}"`);
}

// A fresh profile directory for this run (Playwright also gives each launch its own).
const profile = mkdtempSync(join(tmpdir(), 'hotline-chromium-'));
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--disk-cache-dir=${join(profile, 'cache')}`,
  ],
});
const contexts = [];
const problems = [];
async function newPage(viewport) {
  const ctx = await browser.newContext({ viewport, locale: 'en-US', deviceScaleFactor: 1 });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (e) => { problems.push(`page error: ${e.message}`); console.log(`[page error] ${e.message}`); });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    console.log(`[console] ${m.text()}`);
    // The 403 pages the agent is meant to get are logged as failed loads; anything else counts.
    if (!/status of 403/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return page;
}

try {
  // ----- the morning briefing ---------------------------------------------------------------
  step = 'supervisor signs in';
  const sup = await newPage({ width: 1440, height: 900 });
  await signIn(sup, x.supervisor, x.password);
  const nav = sup.getByRole('navigation', { name: 'Main' });
  for (const link of ['Morning briefing', 'Complaints', 'Scorecard']) {
    check(await nav.getByRole('link', { name: link, exact: true }).count() === 1, `the navigation links to ${link}`);
  }

  step = 'briefing: headline figures';
  await open(sup, `/briefing?date=${x.day}`);
  await sup.getByRole('heading', { name: /Morning briefing/ }).waitFor();
  check((await sup.locator('h1 .mg-sub').innerText()).includes(x.day), 'the heading names the day');
  check((await sup.locator('input[name="date"]').inputValue()) === x.day, 'the picker holds the day');
  const headline = sup.locator('section[aria-labelledby="mg-headline"]');
  for (const [name, value, status] of x.briefing.headline) {
    const c = await cells(row(headline, name));
    check(c[1] === value, `${name} is ${value}, the page shows "${c[1]}"`);
    if (status) check(c[3].endsWith(status), `${name} is ${status}, the page shows "${c[3]}"`);
  }
  log('headline figures are the seeded ones');

  step = 'briefing: queues and not-ready reasons';
  const queues = sup.locator('section[aria-labelledby="mg-queues"]');
  for (const [name, offered, answered, abandoned, sl, status] of x.briefing.queues) {
    const c = await cells(row(queues, name));
    check(c[1] === offered && c[2] === answered && c[3] === abandoned, `${name}: ${offered}/${answered}/${abandoned}, the page shows ${c.slice(1, 4).join('/')}`);
    check(c[4] === sl, `${name}: service level ${sl}, the page shows "${c[4]}"`);
    check(c[6].endsWith(status), `${name}: ${status}, the page shows "${c[6]}"`);
  }
  const notReady = sup.locator('section[aria-labelledby="mg-notready"]');
  for (const [reason, hours] of x.briefing.not_ready) {
    const c = await cells(row(notReady, reason));
    check(c[1] === hours, `not ready "${reason}": ${hours} h, the page shows "${c[1]}"`);
  }
  const notes = (await sup.locator('ul.mg-notes li').allInnerTexts()).map(squash);
  log(`notes: ${notes.join(' / ')}`);
  check(notes.some((n) => n.includes('60.0%')), 'a note states the service level');

  step = 'briefing: charts';
  const timeline = sup.locator('section[aria-labelledby="mg-timeline"] .mg-chart svg');
  check(await timeline.count() === 2, `two timeline charts, found ${await timeline.count()}`);
  for (let i = 0; i < 2; i++) {
    const box = await timeline.nth(i).boundingBox();
    check(box && box.width > 300 && box.height > 100, `timeline chart ${i} is drawn (${JSON.stringify(box)})`);
    check(await timeline.nth(i).locator('path, polyline, line, rect').count() > 3, `timeline chart ${i} has marks`);
  }
  check(await notReady.locator('.mg-chart svg').count() === 1, 'the not-ready chart is drawn');
  await sup.screenshot({ path: join(shots, 'briefing.png'), fullPage: true });

  step = 'briefing: the print button opens the print dialog';
  await sup.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; });
  await sup.getByRole('button', { name: 'Print / PDF' }).click();
  check(await sup.evaluate(() => window.__printed) === 1, 'the Print / PDF button calls window.print()');

  step = 'briefing: print layout';
  await sup.emulateMedia({ media: 'print' });
  check(!(await nav.isVisible()), 'the navigation is hidden when printing');
  check(!(await sup.locator('header.top').isVisible()), 'the header is hidden when printing');
  check(!(await sup.locator('form.mg-picker').isVisible()), 'the date picker is hidden when printing');
  check(!(await sup.getByRole('button', { name: 'Print / PDF' }).isVisible()), 'the print button is hidden when printing');
  check(await headline.isVisible(), 'the headline figures are printed');
  check(await timeline.first().isVisible(), 'the charts are printed');
  const pdfPath = join(shots, 'briefing.pdf');
  await sup.pdf({ path: pdfPath, preferCSSPageSize: true });
  const pdf = readFileSync(pdfPath);
  check(pdf.subarray(0, 5).toString() === '%PDF-', 'briefing.pdf is a PDF');
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) || []).length;
  log(`briefing.pdf: ${pdf.length} bytes, ${pages} pages`);
  check(pages >= 3, `the sections with page breaks start new pages (${pages} pages)`);
  await sup.emulateMedia({ media: 'screen' });
  check(await nav.isVisible(), 'the navigation is back on screen');

  // ----- the complaint analysis --------------------------------------------------------------
  step = 'complaints: summary';
  await open(sup, `/complaints?week=${x.week}`);
  await sup.getByRole('heading', { name: /Complaint analysis/ }).waitFor();
  check((await sup.locator('h1 .mg-sub').innerText()).startsWith(x.week), 'the heading names the week');
  const tiles = sup.locator('dl.mg-tiles');
  for (const [label, value] of x.complaints.tiles) {
    const tile = tiles.locator('div').filter({ has: sup.locator('dt', { hasText: new RegExp(`^${label}$`) }) });
    const got = squash(await tile.locator('dd').innerText());
    check(got === value, `${label}: ${value}, the page shows "${got}"`);
  }

  step = 'complaints: categories';
  const byCategory = sup.locator('section[aria-labelledby="mg-bycat"] > div').first();
  check(await byCategory.locator('.mg-chart svg').count() === 1, 'the category chart is drawn');
  for (const [name, count, share] of x.complaints.categories) {
    const c = await cells(row(byCategory, name));
    check(c[1] === count && c[2] === share, `${name}: ${count} (${share}), the page shows ${c[1]} (${c[2]})`);
  }
  check(await sup.locator('section[aria-labelledby="mg-trend"] .mg-chart svg').count() === 1, 'the trend chart is drawn');

  step = 'complaints: the repeat caller';
  const repeat = sup.locator('section[aria-labelledby="mg-repeat"]');
  const rc = await cells(row(repeat, x.complaints.repeat.customer));
  log(`repeat caller: ${rc.join(' | ')}`);
  check(rc[1] === x.complaints.repeat.complaints, `${x.complaints.repeat.customer} complained ${x.complaints.repeat.complaints} times, the page shows "${rc[1]}"`);
  check(rc[2] === 'yes', `several complaints: "${rc[2]}"`);
  check(rc[4] === x.complaints.repeat.categories, `categories "${x.complaints.repeat.categories}", the page shows "${rc[4]}"`);
  await sup.screenshot({ path: join(shots, 'complaints.png'), fullPage: true });

  // ----- the scorecard, drilled down -----------------------------------------------------------
  step = 'scorecard: the center';
  const sc = x.scorecard;
  await open(sup, `/scorecard?period=${x.month}`);
  await sup.getByRole('heading', { name: /Balanced scorecard/ }).waitFor();
  check(squash(await sup.locator('h1 .mg-sub').innerText()) === `${sc.center.name} · ${x.month}`, 'the heading names the center and the month');
  await checkMeasure(sup, 'center', sc.center);
  check(await sup.locator('td.mg-bullet svg').count() > 5, 'the bullet charts are drawn');
  check(await sup.locator('td.mg-spark svg').count() > 5, 'the sparklines are drawn');
  await sup.screenshot({ path: join(shots, 'scorecard.png'), fullPage: true });

  step = 'scorecard: down to the department';
  const children = sup.locator('section[aria-labelledby="mg-children"]');
  await Promise.all([sup.waitForURL(/owner=/), children.getByRole('link', { name: sc.department.name, exact: true }).click()]);
  check(squash(await sup.locator('h1 .mg-sub').innerText()).startsWith(sc.department.name), 'the department\'s card');

  step = 'scorecard: down to the team';
  await Promise.all([sup.waitForURL(/owner=team/), children.getByRole('link', { name: sc.team.name, exact: true }).click()]);
  check(squash(await sup.locator('h1 .mg-sub').innerText()) === `${sc.team.name} · ${x.month}`, 'the team\'s card');
  await checkMeasure(sup, 'team', sc.team);
  const crumbs = (await sup.locator('nav.mg-crumbs li').allInnerTexts()).map(squash);
  check(crumbs[0].startsWith(sc.center.name) && crumbs[1].startsWith(sc.department.name), `breadcrumbs lead back: ${crumbs.join(' › ')}`);

  step = 'scorecard: down to the agent';
  await Promise.all([sup.waitForURL(/owner=agent/), children.getByRole('link', { name: sc.agent.name, exact: true }).click()]);
  check(squash(await sup.locator('h1 .mg-sub').innerText()) === `${sc.agent.name} · ${x.month}`, 'the agent\'s card');
  await checkMeasure(sup, 'agent', sc.agent);
  const sl = await cells(row(sup.locator('table.mg-measures'), sc.center.measure));
  check(sl[1].includes('not applicable'), `an agent has no service level of their own: "${sl[1]}"`);
  check(await children.count() === 0, 'an agent has nothing below');

  step = 'scorecard: in Chinese';
  await Promise.all([sup.waitForLoadState('load'), sup.getByRole('link', { name: '简体中文' }).click()]);
  await sup.getByRole('heading', { level: 1, name: /平衡计分卡/ }).waitFor();
  check((await sup.locator('html').getAttribute('lang')) === 'zh-CN', 'html lang is zh-CN');
  check(new URL(sup.url()).searchParams.get('owner') !== null, 'switching keeps the owner');
  const zh = await cells(row(sup.locator('table.mg-measures'), '平均处理时长'));
  check(zh[1].startsWith(sc.agent.value) && zh[3].endsWith('达标'), `the measure in Chinese: ${zh.join(' | ')}`);
  check(await sup.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '晨会简报' }).count() === 1, 'the navigation is in Chinese');
  await open(sup, `/briefing?date=${x.day}`);
  await sup.getByRole('heading', { level: 2, name: '关键指标' }).waitFor();

  step = 'every table fits its section, in every language, on screen and in print';
  for (const [lang, heading] of [['English', 'Headline figures'], ['Español', 'Cifras principales'], ['简体中文', '关键指标']]) {
    await sup.getByRole('link', { name: lang }).click();
    await sup.getByRole('heading', { level: 2, name: heading }).waitFor();
    for (const path of [`/briefing?date=${x.day}`, `/complaints?week=${x.week}`, `/scorecard?period=${x.month}`]) {
      await open(sup, path);
      for (const media of ['screen', 'print']) {
        await sup.emulateMedia({ media });
        const wide = await overflowing(sup);
        log(`${lang} ${path} ${media}: ${wide.length ? wide.join('; ') : 'fits'}`);
        check(wide.length === 0, `${lang} ${path} (${media}): ${wide.join('; ')}`);
      }
      await sup.emulateMedia({ media: 'screen' });
    }
    await open(sup, `/briefing?date=${x.day}`);
  }
  await sup.getByRole('link', { name: 'English' }).click();
  await sup.getByRole('heading', { level: 2, name: 'Headline figures' }).waitFor();

  // ----- the interval report, the same day -----------------------------------------------------
  step = 'reports: the day by queue';
  const next = new Date(`${x.day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const nextDay = next.toISOString().slice(0, 10);
  const kpis = ['offered', 'answered', 'abandoned', 'service_level'].map((k) => `kpi=${k}`).join('&');
  await open(sup, `/reports?from=${x.day}&to=${nextDay}&interval=day&by=queue&${kpis}`);
  await sup.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
  const table = sup.locator('#report-table');
  const headings = (await table.locator('thead th').allInnerTexts()).map(squash);
  log(`report columns: ${headings.join(' | ')}`);
  // The report and the briefing are computed apart (the report engine, the briefing's
  // own pass): the same day must give the same figures.
  for (const [name, offered, answered, abandoned, sl] of x.briefing.queues) {
    const r = table.locator('tbody tr:not(.total)').filter({ has: sup.locator('td', { hasText: new RegExp(`^${name}$`) }) });
    const c = await cells(r);
    log(`report ${name}: ${c.join(' | ')}`);
    check(c[0].startsWith(x.day), `${name}: the row is the day ${x.day}, the page shows "${c[0]}"`);
    check(c[2] === offered && c[3] === answered && c[4] === abandoned, `${name}: ${offered}/${answered}/${abandoned}, the report shows ${c.slice(2, 5).join('/')}`);
    check(c[5] === sl, `${name}: service level ${sl}, the report shows "${c[5]}"`);
  }
  check(await sup.locator('.report-chart-pair svg').count() >= 2, 'the KPI charts are drawn');
  check(await sup.locator('#report-waits svg').count() === 1, 'the wait distribution is drawn');

  step = 'reports: the CSV download';
  const href = await sup.locator('#report-csv').getAttribute('href');
  const csv = await sup.request.get(new URL(href, base).toString());
  check(csv.status() === 200, `the CSV link answers 200, got ${csv.status()}`);
  const lines = (await csv.text()).trim().split(/\r?\n/);
  check(lines[0] === 'interval_start,queue,offered,answered,abandoned,service_level', `the CSV header: "${lines[0]}"`);
  check(lines.length - 1 === x.briefing.queues.length, `one CSV line per queue: ${lines.length - 1}`);
  await sup.screenshot({ path: join(shots, 'reports.png'), fullPage: true });

  step = 'reports: in Spanish';
  await Promise.all([sup.waitForLoadState('load'), sup.getByRole('link', { name: 'Español' }).click()]);
  await sup.getByRole('heading', { level: 1, name: 'Informes' }).waitFor();
  check(new URL(sup.url()).searchParams.get('by') === 'queue', 'switching keeps the report');
  await sup.getByRole('link', { name: 'English' }).click();
  await sup.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();

  // ----- an agent ------------------------------------------------------------------------------
  step = 'agent signs in';
  const agent = await newPage({ width: 1366, height: 860 });
  await signIn(agent, x.agent.username, x.password);
  check(await agent.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Morning briefing' }).count() === 0, 'an agent has no briefing link');

  step = 'agent: their own scorecard only';
  await open(agent, `/scorecard?period=${x.month}`);
  await agent.getByRole('heading', { name: /Balanced scorecard/ }).waitFor();
  check(squash(await agent.locator('h1 .mg-sub').innerText()) === `${x.agent.name} · ${x.month}`, 'the agent sees their own card');
  await checkMeasure(agent, 'own card', sc.agent);
  check(await agent.locator('section[aria-labelledby="mg-children"]').count() === 0, 'no drill-down for an agent');
  check(await agent.locator('nav.mg-crumbs').count() === 0, 'no way up for an agent');
  await agent.screenshot({ path: join(shots, 'scorecard-agent.png'), fullPage: true });

  step = 'agent: their own contacts in reports';
  await open(agent, `/reports?from=${x.day}&to=${nextDay}&interval=day&by=agent&kpi=answered`);
  check((await agent.locator('main').innerText()).includes('You see your own contacts only.'), 'the page says an agent sees their own contacts');
  const own = (await agent.locator('#report-table tbody tr:not(.total) td:first-of-type').allInnerTexts()).map(squash);
  log(`agent's report groups: ${own.join(', ')}`);
  check(own.length > 0 && own.every((g) => g === x.agent.username), `only the agent's own rows: ${own.join(', ')}`);

  step = 'agent: nobody else\'s card, no briefing, no complaints';
  await open(agent, `/scorecard?period=${x.month}&owner=team:${encodeURIComponent(sc.team.name)}`, 403);
  await agent.getByRole('heading', { name: 'Not allowed' }).waitFor();
  await open(agent, `/briefing?date=${x.day}`, 403);
  await agent.getByRole('heading', { name: 'Not allowed' }).waitFor();
  check(await agent.getByText('Your role (Agent) cannot open this page.').count() === 1
    || (await agent.locator('main').innerText()).includes('cannot open this page'), 'the refusal names why');
  await open(agent, `/complaints?week=${x.week}`, 403);

  check(problems.length === 0, `no script errors on the pages: ${problems.join('; ')}`);
  log('all steps passed');
} catch (e) {
  console.error(`[management] FAILED at step "${step}": ${e && e.stack || e}`);
  for (const ctx of contexts) {
    for (const p of ctx.pages()) {
      try {
        const name = `failure-management-${contexts.indexOf(ctx)}.png`;
        await p.screenshot({ path: join(shots, name), fullPage: true });
        console.error(`[management] screenshot of the failing page: ${join(shots, name)} (${p.url()})`);
      } catch { /* the page may be gone */ }
    }
  }
  process.exitCode = 1;
} finally {
  await browser.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
