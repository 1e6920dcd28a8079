// The report of corpus/ (plus an escaping probe) in a real browser: every
// diagnostic of the JSON output is a highlighted element with its text, the
// probe stays text, the page asks the network for nothing, and the keyboard
// and filters work.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { factlint, openReport, output, root } from './browser.mjs';

// A path whose directories spell markup: `</script>` and `</textarea>` need
// a slash, which only a directory separator can provide.
const probeDirectory = join('target', 'browser', 'probe');
const probePath = join(
  probeDirectory,
  '<script>window.__probe=1<',
  'script>"><img src=x onerror=window.__probe=2>x<',
  'textarea>.txt',
);
const probeText = [
  'Probe <script>window.__probe=3</script> 24 July 2024',
  '"><img src=x onerror=window.__probe=4> Mr. Abdurahmanov met officials in Nur-Sultan.</textarea><textarea>',
  "<b>bold?</b> &amp; &lt;entity&gt; 'quoted' The Organization of the Islamic Cooperation said.",
  '',
].join('\n');

const reportFile = join(output, 'report.html');
let json;
let report;

before(async () => {
  rmSync(join(root, probeDirectory), { recursive: true, force: true });
  mkdirSync(join(root, probePath, '..'), { recursive: true });
  writeFileSync(join(root, probePath), probeText);
  const corpus = readdirSync(join(root, 'corpus'))
    .filter((name) => name.endsWith('.txt') || name.endsWith('.md'))
    .map((name) => join('corpus', name));
  const paths = [...corpus, probePath];
  json = JSON.parse(factlint(['check', '--format', 'json', ...paths]).stdout);
  factlint(['check', '--format', 'html', '--output', reportFile, ...paths]);
  report = await openReport(reportFile);
});

after(async () => {
  await report?.close();
});

test('the corpus has findings of every kind the page must show', () => {
  assert.ok(json.diagnostics.length >= 20, `only ${json.diagnostics.length} diagnostics`);
  const probe = json.diagnostics.filter((diagnostic) => diagnostic.path === probePath);
  assert.ok(probe.length >= 2, 'the probe article has findings next to its markup');
});

test('every diagnostic is a highlighted element with its text, in its file', async () => {
  const marks = await report.page.evaluate(() => {
    const found = {};
    for (const element of document.querySelectorAll('[data-finding]')) {
      const index = element.dataset.finding;
      const entry = (found[index] ??= { text: '', elements: 0, classes: [], paths: [], rules: [] });
      entry.text += element.textContent;
      entry.elements += 1;
      entry.classes.push(element.className);
      entry.rules.push(element.dataset.rule);
      entry.paths.push(element.closest('details.file').querySelector('summary .path').textContent);
    }
    for (const [index, entry] of Object.entries(found)) {
      const first = document.getElementById('f-' + index);
      entry.first = first !== null && first.dataset.finding === index && first.tabIndex === 0;
      entry.background = first ? getComputedStyle(first).backgroundColor : '';
      const item = document.getElementById('d-' + index);
      entry.item = item ? item.textContent : null;
      entry.message = item ? item.querySelector('.message').textContent : null;
      entry.replacements = item ? [...item.querySelectorAll('ins')].map((ins) => ins.textContent) : [];
    }
    return found;
  });
  assert.equal(Object.keys(marks).length, json.diagnostics.length, 'one highlighted finding per diagnostic');
  json.diagnostics.forEach((diagnostic, index) => {
    const mark = marks[index];
    const where = `diagnostic ${index} (${diagnostic.rule} at ${diagnostic.path}:${diagnostic.line}:${diagnostic.column})`;
    assert.ok(mark, `${where} has no highlighted element`);
    assert.equal(mark.text, diagnostic.text, `${where}: highlighted text`);
    assert.ok(mark.first, `${where}: its first element is #f-${index} and focusable`);
    assert.notEqual(mark.background, 'rgba(0, 0, 0, 0)', `${where}: highlighted`);
    for (const className of mark.classes) {
      assert.ok(className.split(' ').includes(`sev-${diagnostic.severity}`), `${where}: class ${className}`);
    }
    assert.deepEqual(new Set(mark.rules), new Set([diagnostic.rule]), `${where}: rule`);
    assert.deepEqual(new Set(mark.paths), new Set([diagnostic.path]), `${where}: file`);
    assert.equal(mark.message, diagnostic.message.replaceAll('`', ''), `${where}: message in the list`);
    assert.deepEqual(
      mark.replacements,
      diagnostic.suggestions.map((suggestion) => suggestion.replacement),
      `${where}: suggestions in the list`,
    );
    for (const note of diagnostic.notes) {
      const shown = note.replace(/^help: /, '').replaceAll('`', '');
      assert.ok(mark.item.includes(shown), `${where}: note ${JSON.stringify(note)} in the list`);
    }
  });
});

test('each article is shown whole and exactly as in its file', async () => {
  const articles = await report.page.evaluate(() =>
    [...document.querySelectorAll('details.file')].map((section) => ({
      path: section.querySelector('summary .path').textContent,
      text: section.querySelector('.article')?.textContent ?? null,
      open: section.open,
      findings: section.querySelectorAll('li.finding').length,
    })),
  );
  const paths = new Set(json.diagnostics.map((diagnostic) => diagnostic.path));
  assert.ok(articles.length >= 6);
  for (const article of articles) {
    assert.equal(article.text, readFileSync(join(root, article.path), 'utf8'), article.path);
    // Small runs open the files with findings; files without are collapsed.
    assert.equal(article.open, article.findings > 0, `${article.path} open`);
    assert.equal(paths.has(article.path), article.findings > 0, article.path);
  }
});

test('the escaping probe is shown as text and never runs', async () => {
  const state = await report.page.evaluate((path) => ({
    probe: window.__probe ?? null,
    images: document.querySelectorAll('img').length,
    scripts: document.scripts.length,
    textareas: document.querySelectorAll('textarea').length,
    bold: document.querySelectorAll('main b').length,
    paths: [...document.querySelectorAll('summary .path')].filter((element) => element.textContent === path).length,
    tableLinks: [...document.querySelectorAll('.file-table a')].filter((element) => element.textContent === path).length,
  }), probePath);
  assert.deepEqual(state, {
    probe: null,
    images: 0,
    scripts: 1,
    textareas: 0,
    bold: 0,
    paths: 1,
    tableLinks: 1,
  });
  const title = await report.page.title();
  assert.ok(!title.includes('<'), title);
});

test('the page loads nothing and reports no error', async () => {
  const csp = await report.page.evaluate(
    () => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '',
  );
  assert.match(csp, /default-src 'none'/);
  assert.deepEqual(report.requests, [], 'network requests');
  assert.deepEqual(report.problems, [], 'console errors');
});

test('n and p move between findings and show each one', async () => {
  const { page } = report;
  const message = (index) => json.diagnostics[index].message.replaceAll('`', '');
  await page.keyboard.press('n');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.finding), '0');
  assert.ok(await page.locator('#popover').isVisible(), 'the card shows on focus');
  assert.ok((await page.locator('#popover').textContent()).includes(message(0)));
  await page.keyboard.press('n');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.finding), '1');
  await page.keyboard.press('p');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.finding), '0');
  assert.match(await page.locator('#position').textContent(), /^1 of \d+ findings$/);
  await page.keyboard.press('Escape');
  assert.ok(!(await page.locator('#popover').isVisible()));

  // Hovering shows every finding under the pointer.
  const nested = json.diagnostics.findIndex((diagnostic, index) =>
    json.diagnostics.some(
      (other, otherIndex) =>
        otherIndex !== index &&
        other.path === diagnostic.path &&
        other.start <= diagnostic.start &&
        other.end >= diagnostic.end,
    ),
  );
  assert.ok(nested >= 0, 'the corpus has a finding inside another');
  await page.locator(`#f-${nested}`).hover();
  const cards = await page.locator('#popover .card').count();
  assert.ok(cards >= 2, `${cards} cards on a nested finding`);
});

test('filters hide findings by severity and by rule', async () => {
  const { page } = report;
  const infos = json.diagnostics.flatMap((diagnostic, index) => (diagnostic.severity === 'info' ? [index] : []));
  assert.ok(infos.length > 0);
  await page.locator('input[data-filter-severity="info"]').uncheck();
  for (const index of infos) {
    assert.ok(!(await page.locator(`#d-${index}`).isVisible()), `note ${index} hidden`);
    assert.match(await page.locator(`#f-${index}`).getAttribute('class'), /\bfiltered\b/);
  }
  // Navigation skips what is filtered out.
  const visited = [];
  await page.evaluate(() => document.activeElement.blur());
  for (let step = 0; step < json.diagnostics.length; step += 1) {
    await page.keyboard.press('n');
    visited.push(Number(await page.evaluate(() => document.activeElement.dataset.finding)));
  }
  for (const index of infos) assert.ok(!visited.includes(index), `n skipped note ${index}`);
  await page.locator('input[data-filter-severity="info"]').check();

  await page.locator('.rules-menu > summary').click();
  await page.locator('input[data-filter-rule="name-inconsistent"]').uncheck();
  const hidden = json.diagnostics.flatMap((diagnostic, index) =>
    diagnostic.rule === 'name-inconsistent' ? [index] : [],
  );
  for (const index of hidden) assert.ok(!(await page.locator(`#d-${index}`).isVisible()));
  assert.match(await page.locator('#rules-shown').textContent(), /^\d+ of \d+$/);
  await page.locator('input[data-filter-rule="name-inconsistent"]').check();
  await page.locator('h1').click();
});

test('links open collapsed files', async () => {
  const { page } = report;
  const clean = await page.locator('details.file.clean').first();
  assert.equal(await clean.evaluate((element) => element.open), false);
  const id = await clean.getAttribute('id');
  await page.locator(`.file-table a[href="#${id}"]`).click();
  assert.equal(await clean.evaluate((element) => element.open), true);
  await clean.evaluate((element) => { element.open = false; });
});

test('the page forbids loading anything, even when asked', async () => {
  const { page } = report;
  const violations = await page.evaluate(async () => {
    const seen = [];
    document.addEventListener('securitypolicyviolation', (event) => seen.push(event.effectiveDirective));
    const image = new Image();
    image.src = 'http://127.0.0.1:9/pixel.png';
    document.body.append(image);
    await new Promise((done) => setTimeout(done, 300));
    image.remove();
    return seen;
  });
  assert.deepEqual(violations, ['img-src']);
  assert.deepEqual(report.requests, [], 'network requests');
  assert.deepEqual(report.blocked, ['http://127.0.0.1:9/pixel.png']);
  // The refusal is logged as a console error; it was asked for here.
  report.problems.length = 0;
});

test('screenshots for a person to look at', async () => {
  const { page } = report;
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(output, 'report-top.png') });
  await page.locator('details.file').first().screenshot({ path: join(output, 'report-file.png') });
  // The first finding of the second file with findings, reached with n, its
  // card open.
  const second = json.diagnostics.findIndex((diagnostic) => diagnostic.path !== json.diagnostics[0].path);
  await page.locator(`#f-${second - 1}`).focus();
  await page.keyboard.press('n');
  assert.equal(await page.evaluate(() => document.activeElement.id), `f-${second}`);
  await page.screenshot({ path: join(output, 'report-finding.png') });
  await page.keyboard.press('Escape');
  await page.screenshot({ path: join(output, 'report-full.png'), fullPage: true });
});
