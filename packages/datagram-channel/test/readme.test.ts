// The README's examples run as written: each ```ts block is written out as a module (with the
// package's own name pointed at src/), imported, and its console output checked.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, expect, test, vi } from 'vitest';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
const dir = fileURLToPath(new URL('./.readme-examples/', import.meta.url));

afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function runExample(i: number): Promise<unknown[][]> {
  mkdirSync(dir, { recursive: true });
  const file = `${dir}example-${i}.ts`;
  writeFileSync(file, blocks[i]!.replaceAll("'@udpkit/datagram-channel'", "'../../src/index.js'"));
  const logged: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logged.push(args);
  });
  await import(/* @vite-ignore */ file);
  return logged;
}

test('the README has the three examples', () => {
  expect(blocks.length).toBe(3);
});

test('echo server and client', async () => {
  const logged = await runExample(0);
  expect(logged.length).toBe(1);
  expect(String(logged[0]![0])).toMatch(/^127\.0\.0\.1:\d+$/);
  expect(logged[0]![1]).toBe('hello');
});

test('the TFTP pattern', async () => {
  expect(await runExample(1)).toEqual([[true, true]]);
});

test('timeouts, sync, iteration', async () => {
  expect(await runExample(2)).toEqual([['TimeoutError'], [false], [['one', 'two', 'three']]]);
});
