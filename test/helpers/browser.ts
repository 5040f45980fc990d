/**
 * Real Chromium for browser tests, driven by puppeteer-core (Debian's /usr/bin/chromium, never a
 * download): headless, WebGPU on SwiftShader with --enable-unsafe-webgpu (that flag alone gives
 * navigator.gpu an adapter here), and a tiny static server on 127.0.0.1. Without Chromium the tests
 * skip, unless XRAY_REQUIRE_CHROMIUM=1 makes that a failure.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM } from './chromium.js';

export const REQUIRE_CHROMIUM = process.env.XRAY_REQUIRE_CHROMIUM === '1';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
/** Run the browser tests: Chromium is there, or its absence must fail them. */
export const RUN_BROWSER_TESTS = HAVE_CHROMIUM || REQUIRE_CHROMIUM;
if (!RUN_BROWSER_TESTS) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (set XRAY_REQUIRE_CHROMIUM=1 to fail instead)`);

export interface LaunchOptions {
  /** Expose navigator.gpu (SwiftShader). Default true. */
  webgpu?: boolean;
}

export async function launchChromium({ webgpu = true }: LaunchOptions = {}): Promise<Browser> {
  if (!HAVE_CHROMIUM) throw new Error(`XRAY_REQUIRE_CHROMIUM=1 but there is no Chromium at ${CHROMIUM}`);
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // file:// pages may fetch other file:// URLs (the viewer's ?image= from disk).
      '--allow-file-access-from-files',
      ...(webgpu ? ['--enable-unsafe-webgpu'] : []),
    ],
  });
}

/** Opens `url` and waits until <body data-status> is ready or error; returns the status and error message. */
export async function openAndWait(page: Page, url: string, timeoutMs = 60_000): Promise<{ status: string; error: string | undefined }> {
  await page.goto(url);
  return waitForSettled(page, timeoutMs);
}

/** Waits until <body data-status> is ready, empty or error. */
export async function waitForSettled(page: Page, timeoutMs = 60_000): Promise<{ status: string; error: string | undefined }> {
  await page.waitForFunction(() => ['ready', 'error', 'empty'].includes(document.body?.dataset.status ?? ''), { timeout: timeoutMs, polling: 50 });
  return page.evaluate(() => ({ status: document.body.dataset.status ?? '', error: document.body.dataset.error }));
}

/** Collects the page's console errors and uncaught exceptions, to show when a test fails. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error instanceof Error ? error.message : String(error)));
  return errors;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.npy': 'application/octet-stream',
};

export interface StaticServer {
  /** e.g. http://127.0.0.1:40123 */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves each mount (URL prefix -> folder) read-only on 127.0.0.1 at a free port; `headers` are
 * added to every response (e.g. a Content-Security-Policy).
 */
export async function serveStatic(mounts: Record<string, string>, headers: Record<string, string> = {}): Promise<StaticServer> {
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const prefix = Object.keys(mounts).find((p) => path.startsWith(p));
    const file = prefix === undefined ? undefined : normalize(join(mounts[prefix], path.slice(prefix.length)));
    if (file === undefined || !file.startsWith(normalize(mounts[prefix!]) + sep) && file !== normalize(mounts[prefix!])) {
      response.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (bytes) => response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...headers }).end(bytes),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
