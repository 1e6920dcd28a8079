// The report of 1,000 articles: how big it is, how fast chromium opens it,
// and whether the keyboard and filters still answer at once. The numbers go
// to target/browser/scale.json and to the test output.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { factlint, openReport, output, root } from './browser.mjs';

const ARTICLES = 1000;
const reportFile = join(output, 'scale.html');
let workspace;
let report;
let findings;

// Copies of the corpus, each a little different so findings vary: some
// misspell a name, some use a city's former name, some an organization's.
function writeArticles(directory) {
  const corpus = readdirSync(join(root, 'corpus'))
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => readFileSync(join(root, 'corpus', name), 'utf8'));
  for (let number = 0; number < ARTICLES; number += 1) {
    let text = corpus[number % corpus.length];
    if (number % 3 === 0) text = text.replaceAll('Kairat Abdrakhmanov', 'Khairat Abdulrahmanov');
    if (number % 4 === 1) text = text.replace('Astana', 'Nur-Sultan');
    if (number % 5 === 2) text = text.replace('Organisation of Islamic Cooperation', 'Organization of the Islamic Cooperation');
    text += `\nDesk note ${number}: filed by the ${['foreign', 'politics', 'economy', 'culture'][number % 4]} desk.\n`;
    const desk = join(directory, `desk-${String(Math.floor(number / 100)).padStart(2, '0')}`);
    mkdirSync(desk, { recursive: true });
    writeFileSync(join(desk, `article-${String(number).padStart(4, '0')}.txt`), text);
  }
}

before(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'factlint-scale-'));
  writeArticles(join(workspace, 'articles'));
  mkdirSync(output, { recursive: true });
  const started = Date.now();
  factlint(['check', '--format', 'html', '--output', reportFile, 'articles'], workspace);
  const rendered = Date.now() - started;
  findings = JSON.parse(factlint(['check', '--format', 'json', 'articles'], workspace).stdout).diagnostics.length;
  report = await openReport(reportFile);
  report.rendered = rendered;
});

after(async () => {
  await report?.close();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test('the report of 1,000 articles opens quickly and stays responsive', async () => {
  const { page } = report;
  const timing = await page.evaluate(() => {
    const [navigation] = performance.getEntriesByType('navigation');
    const paint = performance.getEntriesByType('paint').find((entry) => entry.name === 'first-contentful-paint');
    return {
      domContentLoaded: Math.round(navigation.domContentLoadedEventEnd),
      load: Math.round(navigation.loadEventEnd),
      firstContentfulPaint: paint ? Math.round(paint.startTime) : null,
      sections: document.querySelectorAll('details.file').length,
      open: document.querySelectorAll('details.file[open]').length,
      elements: document.getElementsByTagName('*').length,
    };
  });
  assert.equal(timing.sections, ARTICLES);
  assert.equal(timing.open, 0, 'a large run opens with every file collapsed');

  // From key press to the finding focused, its section opened, its card shown.
  const keyStarted = Date.now();
  await page.keyboard.press('n');
  await page.waitForFunction(() => !document.getElementById('popover').hidden);
  const nextFinding = Date.now() - keyStarted;
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-0');

  // Hiding a severity touches every finding of the run; include the layout.
  const filter = await page.evaluate(() => {
    const box = document.querySelector('input[data-filter-severity="warning"]');
    const started = performance.now();
    box.click();
    document.body.getBoundingClientRect();
    const hidden = performance.now() - started;
    box.click();
    return Math.round(hidden);
  });

  const numbers = {
    articles: ARTICLES,
    findings,
    bytes: statSync(reportFile).size,
    megabytes: Number((statSync(reportFile).size / 1024 / 1024).toFixed(2)),
    renderMilliseconds: report.rendered,
    openMilliseconds: report.opened,
    ...timing,
    nextFindingMilliseconds: nextFinding,
    filterMilliseconds: filter,
  };
  writeFileSync(join(output, 'scale.json'), `${JSON.stringify(numbers, null, 2)}\n`);
  console.log(`scale: ${JSON.stringify(numbers)}`);

  assert.deepEqual(report.requests, []);
  assert.deepEqual(report.problems, []);
  // Generous bounds for a shared two-core CI machine; the measured numbers
  // are far below them.
  assert.ok(timing.load < 15_000, `load took ${timing.load} ms`);
  assert.ok(nextFinding < 3_000, `n took ${nextFinding} ms`);
  assert.ok(filter < 3_000, `filtering took ${filter} ms`);
});
