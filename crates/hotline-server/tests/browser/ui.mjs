// Hotline's web UI in headless Chromium, driven by Playwright. Run by the Rust test
// `server::browser` (crates/hotline-server/tests/server/browser.rs), which starts the
// server, seeds a centre and passes everything in the environment:
//
//   HOTLINE_BASE_URL        http://127.0.0.1:PORT
//   HOTLINE_TOKEN           an admin bearer token (the script plays the CTI adapter)
//   HOTLINE_ADMIN_PASSWORD  the admin's password; HOTLINE_PASSWORD: everyone else's
//   HOTLINE_GOLD_QUEUE      the gold-club queue id; HOTLINE_ANA: the agent driven here
//   HOTLINE_SCREENSHOTS     where the PNGs go
//   HOTLINE_CHROMIUM        the browser (Debian's /usr/bin/chromium)
//
// Exit code 0 when every step passed; otherwise the failing step and its error.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run this through the Rust test)`);
  return v;
};
const base = env('HOTLINE_BASE_URL');
const token = env('HOTLINE_TOKEN');
const adminPassword = env('HOTLINE_ADMIN_PASSWORD');
const password = env('HOTLINE_PASSWORD');
const goldQueue = Number(env('HOTLINE_GOLD_QUEUE'));
const ana = Number(env('HOTLINE_ANA'));
const shots = env('HOTLINE_SCREENSHOTS');
const executablePath = process.env.HOTLINE_CHROMIUM || '/usr/bin/chromium';

let step = 'start';
const log = (msg) => console.log(`[ui] ${msg}`);
function check(cond, msg) {
  if (!cond) throw new Error(`check failed: ${msg}`);
}

async function cti(path, body) {
  const r = await fetch(base + path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`POST ${path} → ${r.status}: ${text}`);
  return JSON.parse(text);
}

async function signIn(page, username, pw) {
  await page.goto(base + '/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(pw);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.getByRole('button', { name: 'Sign in' }).click()]);
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
async function newPage(viewport) {
  const ctx = await browser.newContext({ viewport, locale: 'en-US', deviceScaleFactor: 1 });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') console.log(`[console] ${m.text()}`); });
  return page;
}

try {
  // ----- sign-in page, language switch, a refused login ----------------------------------
  step = 'login page';
  const sup = await newPage({ width: 1600, height: 1000 });
  await sup.goto(base + '/wallboard');
  check(new URL(sup.url()).pathname === '/login', `unauthenticated /wallboard goes to /login, got ${sup.url()}`);
  check(new URL(sup.url()).searchParams.get('next') === '/wallboard', 'the login page remembers where to go');
  await sup.getByRole('heading', { name: 'Sign in' }).waitFor();
  await sup.screenshot({ path: join(shots, 'login.png') });

  step = 'language switch';
  await sup.getByRole('link', { name: '简体中文' }).click();
  await sup.getByRole('heading', { name: '登录' }).waitFor();
  check((await sup.locator('html').getAttribute('lang')) === 'zh-CN', 'html lang is zh-CN');
  check(await sup.getByLabel('用户名').isVisible(), 'the username label is in Chinese');
  await sup.screenshot({ path: join(shots, 'login-zh.png') });
  await sup.getByRole('link', { name: 'Español' }).click();
  await sup.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
  check(await sup.getByLabel('Contraseña').isVisible(), 'the password label is in Spanish');
  check(new URL(sup.url()).searchParams.get('next') === '/wallboard', 'switching keeps the destination');
  await sup.getByRole('link', { name: 'English' }).click();
  await sup.getByRole('heading', { name: 'Sign in' }).waitFor();

  step = 'wrong password';
  await sup.getByLabel('Username').fill('sofia');
  await sup.getByLabel('Password').fill('not-the-password');
  await sup.getByRole('button', { name: 'Sign in' }).click();
  await sup.getByRole('alert').filter({ hasText: 'The username or password is wrong.' }).waitFor();
  check((await sup.getByLabel('Password').getAttribute('aria-invalid')) === 'true', 'the password field is marked invalid');
  check((await sup.getByLabel('Username').inputValue()) === 'sofia', 'the username is kept');

  // ----- the supervisor's wallboard changes live --------------------------------------------
  step = 'supervisor signs in';
  await sup.getByLabel('Password').fill(password);
  await Promise.all([sup.waitForURL('**/wallboard'), sup.getByRole('button', { name: 'Sign in' }).click()]);
  await sup.getByRole('heading', { name: 'Wallboard' }).waitFor();
  await sup.locator('#live[data-state="live"]').waitFor();
  const goldRow = sup.locator(`tr[data-queue="${goldQueue}"]`);
  const goldWaiting = goldRow.locator('[data-field="waiting"]');
  check((await goldWaiting.innerText()).trim().startsWith('0'), 'the gold club has nobody waiting yet');
  check(await goldRow.getByText('answered within 10 s ÷ offered').isVisible(), 'the service level names its definition');
  check(await sup.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).count() === 0, 'a supervisor has no administration link');
  await sup.evaluate(() => { window.__sameDocument = true; });
  const boardVersion = Number(await sup.locator('#board').getAttribute('data-version') || 0);

  step = 'a VIP contact arrives through the CTI API';
  const arrival = await cti('/api/v1/contacts', {
    queue_id: goldQueue, customer_id: 'C-1001', vip: true,
    attributes: { name: 'Mei Lin', language: 'zh', reason: 'roaming bill' },
  });
  const contactId = arrival.contact.contact_id;
  log(`contact ${contactId} arrived in queue ${goldQueue}`);
  await sup.waitForFunction((q) => {
    const cell = document.querySelector(`tr[data-queue="${q}"] [data-field="waiting"]`);
    return cell && cell.textContent.trim().startsWith('1');
  }, goldQueue, { timeout: 10000 });
  check(await sup.evaluate(() => window.__sameDocument === true), 'the wallboard updated without a reload');
  check(Number(await sup.locator('#board').getAttribute('data-version')) > boardVersion, 'the board was swapped in');
  check((await sup.locator('[data-kpi="waiting"] .kpi-number').innerText()).trim() === '3', 'three callers wait in the centre');
  await sup.waitForTimeout(1500); // let a few seconds tick on the oldest waits
  await sup.screenshot({ path: join(shots, 'wallboard.png'), fullPage: true });

  // ----- the agent takes the contact ------------------------------------------------------------
  step = 'agent signs in';
  const agent = await newPage({ width: 1366, height: 860 });
  await signIn(agent, 'ana', password);
  check(new URL(agent.url()).pathname === '/desktop', `an agent lands on the desktop, got ${agent.url()}`);
  await agent.locator('#live[data-state="live"]').waitFor();
  check((await agent.locator('[data-field="state"]').innerText()).trim() === 'Logged out', 'Ana starts logged out');
  check(await agent.getByRole('link', { name: 'Wallboard' }).count() === 0, 'an agent has no wallboard link');

  step = 'agent logs in to the queues and goes ready';
  await agent.getByRole('button', { name: 'Log in to the queues' }).click();
  await agent.locator('[data-field="state"]', { hasText: 'Not ready' }).waitFor();
  check(await agent.getByText('Just logged in').isVisible(), 'the reason is shown');
  await agent.getByRole('button', { name: 'Ready', exact: true }).click();

  step = 'the offer rings on the desktop';
  const offer = agent.locator(`[data-offer="${contactId}"]`);
  await offer.waitFor();
  check(await offer.getByText('C-1001').isVisible(), 'the customer is shown');
  check(await offer.getByText('VIP — gold club member').isVisible(), 'the VIP is flagged');
  check(await offer.getByText('roaming bill').isVisible(), 'the IVR attributes are shown');
  check(await offer.getByText('Gold club').first().isVisible(), 'the queue is shown');
  check(/^\d+:\d\d$/.test((await offer.locator('[data-tick]').innerText()).trim()), 'the wait is shown');
  check((await agent.title()).startsWith('●'), 'the tab title flags the offer');
  await agent.waitForTimeout(1200);
  await agent.screenshot({ path: join(shots, 'desktop.png') });

  step = 'accept';
  await offer.getByRole('button', { name: 'Accept' }).click();
  const onContact = agent.locator(`[data-connected="${contactId}"]`);
  await onContact.waitFor();
  check((await agent.locator('[data-field="state"]').innerText()).trim() === 'On contact', 'state is on contact');
  await sup.waitForFunction((q) => {
    const cell = document.querySelector(`tr[data-queue="${q}"] [data-field="offered_answered"]`);
    return cell && cell.textContent.trim() === '1 / 1';
  }, goldQueue, { timeout: 10000 });
  check((await goldWaiting.innerText()).trim().startsWith('0'), 'nobody waits in the gold club any more');
  await agent.screenshot({ path: join(shots, 'desktop-on-contact.png') });

  step = 'end and wrap up';
  await onContact.getByRole('button', { name: 'End contact' }).click();
  const wrap = agent.locator(`[data-wrap-up="${contactId}"]`);
  await wrap.waitFor();
  check((await agent.locator('[data-field="state"]').innerText()).trim() === 'Wrap-up', 'state is wrap-up');
  await wrap.getByRole('button', { name: 'Done' }).click();
  await agent.locator('[data-field="state"]', { hasText: 'Ready' }).waitFor();
  await agent.getByText('Waiting for the next contact…').waitFor();

  step = 'not ready with a reason';
  await agent.getByLabel('Reason').selectOption('coaching');
  await agent.getByRole('button', { name: 'Not ready' }).click();
  await agent.getByText('Not ready · Coaching').waitFor().catch(async () => {
    await agent.locator('.state-reason', { hasText: 'Coaching' }).waitFor();
  });
  await agent.getByRole('button', { name: 'Ready', exact: true }).click();
  await agent.getByText('Waiting for the next contact…').waitFor();
  const anaTile = sup.locator(`li[data-agent="${ana}"]`);
  await anaTile.locator('.state-word', { hasText: 'Ready' }).waitFor({ timeout: 10000 });

  step = 'an agent may not open the administration';
  await agent.goto(base + '/admin/people');
  await agent.getByRole('heading', { name: 'Not allowed' }).waitFor();

  // ----- administration --------------------------------------------------------------------------
  step = 'admin signs in';
  const adm = await newPage({ width: 1440, height: 900 });
  await signIn(adm, 'admin', adminPassword);
  await adm.goto(base + '/admin/people');
  await adm.getByRole('heading', { name: 'Administration' }).waitFor();
  check(await adm.getByRole('row', { name: /Ana Ruiz/ }).isVisible(), 'Ana is listed');

  step = 'a refused field is shown next to its input';
  await adm.getByRole('button', { name: '+ New person' }).click();
  const dialog = adm.locator('#dialog-person');
  await dialog.getByRole('heading', { name: 'New person' }).waitFor();
  await dialog.getByLabel('Display name').fill('Pablo Núñez');
  await dialog.getByLabel('Username').fill('Pablo Núñez!');
  await dialog.getByLabel('Team').selectOption({ label: 'Jade' });
  await dialog.getByLabel('Faults').fill('4');
  await dialog.getByRole('button', { name: 'Save' }).click();
  const username = dialog.getByLabel('Username');
  await adm.waitForFunction(() => document.querySelector('#p-username')?.getAttribute('aria-invalid') === 'true');
  const describedBy = await username.getAttribute('aria-describedby');
  const errText = await adm.locator(`#${describedBy.split(' ').pop()}`).innerText();
  check(/username/i.test(errText), `the error names the field: ${errText}`);
  await adm.screenshot({ path: join(shots, 'admin-validation.png') });

  step = 'saved after the fix';
  await username.fill('pablo.nunez');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await adm.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  const pablo = adm.getByRole('row', { name: /Pablo Núñez/ });
  await pablo.waitFor();
  check(await pablo.getByText('Faults 4').isVisible(), 'the new person has the skill');
  await adm.getByPlaceholder('Search people').fill('pearl');
  check(!(await pablo.isVisible()), 'the search hides people of other teams');
  await adm.getByPlaceholder('Search people').fill('');
  await adm.screenshot({ path: join(shots, 'admin.png') });

  step = 'queue with routing steps';
  await adm.getByRole('navigation', { name: 'Administration sections' }).getByRole('link', { name: 'Queues' }).click();
  await adm.getByRole('row', { name: /Gold club/ }).getByRole('button', { name: /Edit/ }).click();
  const qd = adm.locator('#dialog-queue');
  await qd.getByRole('heading', { name: 'Edit queue' }).waitFor();
  check((await qd.getByLabel('Priority points').inputValue()) === '100', 'the priority is filled in');
  check(await qd.locator('li.step').count() === 1, 'the routing step is listed');
  await qd.getByRole('button', { name: '+ Add a step' }).click();
  const second = qd.locator('li.step').nth(1);
  await second.getByLabel('After (seconds)').fill('60');
  await second.getByLabel('Then').selectOption('relax_proficiency');
  await second.getByLabel('Minimum proficiency').fill('9');
  await qd.getByRole('button', { name: 'Save' }).click();
  await adm.waitForFunction(() => document.querySelector('[name="routing_steps[1].action.min"]')?.getAttribute('aria-invalid') === 'true');
  await adm.screenshot({ path: join(shots, 'admin-queue.png') });
  await second.getByLabel('Minimum proficiency').fill('1');
  await second.getByLabel('After (seconds)').fill('180');
  await qd.getByRole('button', { name: 'Save' }).click();
  await adm.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  check(await adm.getByRole('row', { name: /Gold club/ }).getByText('180 s').isVisible(), 'the new step is listed');

  step = 'sign out';
  await adm.getByRole('button', { name: 'Sign out' }).click();
  await adm.getByText('You have signed out.').waitFor();
  await adm.goto(base + '/admin/people');
  check(new URL(adm.url()).pathname === '/login', 'signed out: pages go to the sign-in page');

  log('all steps passed');
} catch (e) {
  console.error(`[ui] FAILED at step "${step}": ${e && e.stack || e}`);
  for (const ctx of contexts) {
    for (const p of ctx.pages()) {
      try {
        const name = `failure-${contexts.indexOf(ctx)}.png`;
        await p.screenshot({ path: join(shots, name), fullPage: true });
        console.error(`[ui] screenshot of the failing page: ${join(shots, name)} (${p.url()})`);
      } catch { /* the page may be gone */ }
    }
  }
  process.exitCode = 1;
} finally {
  await browser.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
