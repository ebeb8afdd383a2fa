// The channel layer sits on @udpkit/udp-racket only: no direct node:dgram anywhere in src/.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : /\.[cm]?[jt]s$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

test('no source file imports node:dgram (or dgram) directly', () => {
  const found = files(src);
  expect(found.length).toBeGreaterThan(3);
  const offenders = found.filter((f) =>
    /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"](?:node:)?dgram['"]/.test(readFileSync(f, 'utf8')),
  );
  expect(offenders).toEqual([]);
});

test('the imports of src/ are only the two layers below and relative files', () => {
  const specifiers = new Set<string>();
  for (const f of files(src)) {
    for (const m of readFileSync(f, 'utf8').matchAll(/^(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gm))
      specifiers.add(m[1]!);
  }
  const external = [...specifiers].filter((s) => !s.startsWith('.')).sort();
  expect(external).toEqual(['@udpkit/endpoint', '@udpkit/udp-racket']);
});
