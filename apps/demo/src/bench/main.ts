// `pnpm bench [--quick]`: every benchmark section in one process, one after another, then
// BENCHMARKS.md at the repository root (full mode) or the same report on stdout (--quick, run by
// CI as a smoke test: exits non-zero if a section fails or a transfer is not byte-identical).

import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Machine, renderReport, renderSection } from './markdown.js';
import { peerVersions } from './peers.js';
import type { BenchOptions, BenchSection } from './report.js';

/** The sections, in layer order; each file exports `run(options): Promise<BenchSection>`. */
const SECTIONS = ['endpoint', 'udp-racket', 'datagram-channel', 'tftp'] as const;

interface SectionModule {
  run(options: BenchOptions): Promise<BenchSection>;
}

function npmTftpVersion(): string {
  try {
    const pkg = new URL('../../node_modules/tftp/package.json', import.meta.url);
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    return 'missing';
  }
}

function machine(): Machine {
  const cpu = cpus();
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpus: cpu[0]?.model.trim() ?? 'unknown CPU',
    cores: cpu.length,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    os: `${platform()} ${release()}`,
    peers: peerVersions(),
    npmTftp: npmTftpVersion(),
  };
}

async function main(): Promise<number> {
  const quick = process.argv.includes('--quick');
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const options: BenchOptions = { quick };
  const started = performance.now();
  const sections: BenchSection[] = [];
  let failed = 0;
  for (const name of SECTIONS) {
    if (only && !only.includes(name)) continue;
    const t0 = performance.now();
    process.stderr.write(`bench: ${name}${quick ? ' (quick)' : ''} …\n`);
    let mod: SectionModule;
    try {
      // Loaded at run time: a section another engineer is still writing may not exist yet.
      mod = (await import(new URL(`./${name}.js`, import.meta.url).href)) as SectionModule;
    } catch (error) {
      sections.push({
        title: `${name}: not available`,
        notes: [`could not load: ${(error as Error).message}`],
        rows: [],
      });
      process.stderr.write(`bench: ${name} not available (${(error as Error).message})\n`);
      continue;
    }
    try {
      const section = await mod.run(options);
      sections.push(section);
      // A section may report failures (e.g. a transfer that was not byte-identical) and still
      // return its numbers: the report shows them, the exit code says so.
      const failures = (section as BenchSection & { failures?: string[] }).failures ?? [];
      if (failures.length > 0) {
        failed++;
        for (const f of failures) process.stderr.write(`bench: ${name}: FAILURE: ${f}\n`);
      }
      process.stderr.write(`${renderSection(section)}\n(${((performance.now() - t0) / 1000).toFixed(1)} s)\n\n`);
    } catch (error) {
      failed++;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      sections.push({ title: `${name}: FAILED`, notes: [message.split('\n').slice(0, 3).join(' ')], rows: [] });
      process.stderr.write(`bench: ${name} FAILED: ${message}\n`);
    }
  }
  const report = renderReport(machine(), sections, quick, (performance.now() - started) / 1000);
  if (quick || only) {
    process.stdout.write(report);
  } else {
    const target = fileURLToPath(new URL('../../../../BENCHMARKS.md', import.meta.url));
    writeFileSync(target, report);
    process.stderr.write(`bench: wrote ${target}\n`);
  }
  process.stderr.write(
    `bench: done in ${((performance.now() - started) / 1000).toFixed(1)} s${failed ? `, ${failed} section(s) FAILED` : ''}\n`,
  );
  return failed ? 1 : 0;
}

process.exitCode = await main();
