// Shared by the browser tests: where things are, running factlint, and
// launching Debian's chromium with a fresh profile and no network chatter.

import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const output = join(root, 'target', 'browser');
export const factlintBinary = process.env.FACTLINT ?? join(root, 'target', 'debug', 'factlint');
export const chromiumBinary = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Runs factlint; findings (exit 1) are expected, anything else is not. */
export function factlint(args, cwd = root) {
  const run = spawnSync(factlintBinary, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (run.error) throw run.error;
  if (run.status !== 0 && run.status !== 1) {
    throw new Error(`factlint ${args.join(' ')} exited with ${run.status}:\n${run.stderr}`);
  }
  return run;
}

/**
 * Opens `file` in headless chromium and records every request the page
 * makes other than for the file itself (data: URIs are fine), those of them
 * the page's policy blocked, every console error and every uncaught
 * exception.
 */
export async function openReport(file) {
  const profile = await mkdtemp(join(tmpdir(), 'factlint-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumBinary,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
  });
  const url = pathToFileURL(file).href;
  const requests = [];
  const blocked = [];
  const problems = [];
  context.on('request', (request) => {
    const requested = request.url();
    if (requested !== url && !requested.startsWith('data:')) requests.push(requested);
  });
  // Chromium announces a request its Content-Security-Policy then refuses;
  // that one never reached the network.
  context.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? '';
    if (reason !== 'csp' && reason !== 'net::ERR_BLOCKED_BY_CSP') return;
    const position = requests.indexOf(request.url());
    if (position >= 0) blocked.push(...requests.splice(position, 1));
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  const started = Date.now();
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  const opened = Date.now() - started;
  return {
    page,
    url,
    requests,
    blocked,
    problems,
    opened,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
