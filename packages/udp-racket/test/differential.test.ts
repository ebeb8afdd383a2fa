// Differential suite: every scenario runs once as a Racket program (test/differential/*.rkt,
// against the real racket 8.7) and once in TS (test/differential/*.ts, against src/), and the
// two transcripts must be equal after normalising ephemeral ports.  See differential/README.md.
import { execFile } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requirePeer } from '@udpkit/peers';
import { beforeAll, describe, expect, it } from 'vitest';
import basics from './differential/basics.js';
import bugs from './differential/bugs.js';
import closed from './differential/closed.js';
import contracts from './differential/contracts.js';
import evts from './differential/evts.js';
import { normalise, parseTranscripts, runScenario, type Scenario } from './differential/harness.js';
import lookup from './differential/lookup.js';
import options from './differential/options.js';
import { write } from './differential/print.js';
import sendrecv from './differential/sendrecv.js';

const racket = requirePeer('racket');
const dir = fileURLToPath(new URL('./differential/', import.meta.url));

/** Groups batched in one racket process each. */
const batched: Record<string, Scenario[]> = { basics, sendrecv, evts, options, contracts, closed, bugs };
/** Groups whose scenarios each need a fresh racket process (a failed lookup breaks Racket 8.7). */
const isolated: Record<string, Scenario[]> = { lookup };

interface RacketRun {
  file: string;
  args: string[];
  stdout: string;
  /** Why the process did not end normally (its transcripts so far are still used). */
  error?: string;
}

function runRacket(file: string, args: string[] = []): Promise<RacketRun> {
  return new Promise((resolve) => {
    execFile(racket!, [file, ...args], { cwd: dir, timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const run: RacketRun = { file, args, stdout };
      if (err) run.error = `racket ${file} ${args.join(' ')}: ${err.message}\n${stderr}`;
      resolve(run);
    });
  });
}

/** Run `tasks` with at most `n` at a time. */
async function limit<T>(n: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

describe.skipIf(!racket)('differential: racket 8.7 vs @udpkit/udp-racket', () => {
  const transcripts = new Map<string, string[]>();
  /** scenario name → the group (.rkt file) that printed it */
  const groupOf = new Map<string, string>();
  const failedRuns: string[] = [];

  beforeAll(async () => {
    const tasks: (() => Promise<RacketRun>)[] = [];
    for (const name of Object.keys(batched)) tasks.push(() => runRacket(`${name}.rkt`));
    for (const [name, list] of Object.entries(isolated))
      for (const sc of list) tasks.push(() => runRacket(`${name}.rkt`, [sc.name]));
    for (const run of await limit(6, tasks)) {
      // A lookup scenario leaves Racket 8.7 broken, but only after its transcript: the harness
      // still prints "== END" and exits normally.  Anything else is reported with the scenario.
      if (run.error || !run.stdout.includes('\n== END'))
        failedRuns.push(run.error ?? `racket ${run.file} ${run.args.join(' ')}: no == END`);
      for (const [k, v] of parseTranscripts(run.stdout)) {
        transcripts.set(k, v);
        groupOf.set(k, run.file.replace(/\.rkt$/, ''));
      }
    }
  }, 60_000);

  const all = [...Object.values(batched), ...Object.values(isolated)].flat();

  it('the transcript printer writes values as Racket does (printer.rkt)', async () => {
    const run = await runRacket('printer.rkt');
    expect(run.error).toBeUndefined();
    const theirs = run.stdout.trimEnd().split('\n');
    const all256 = Uint8Array.from({ length: 256 }, (_, i) => i);
    const ours = [
      write(all256),
      write(Uint8Array.of(1, 56, 1, 55, 0, 57, 200, 49, 0)),
      write(String.fromCharCode(...all256)),
      write('a\u2028b"c\\d'),
      write([1, -2, 1.5, true, false, 's', Uint8Array.of(98), [], [[3]]]),
      write(undefined),
    ];
    expect(ours).toEqual(theirs);
  });

  it('the TS scenarios are exactly the Racket ones', () => {
    const names = all.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...transcripts.keys()].sort()).toEqual([...names].sort());
    // and each TS twin lives in the group file named like its .rkt file
    expect(all.filter((sc) => groupOf.get(sc.name) !== sc.group).map((sc) => sc.name)).toEqual([]);
    expect(failedRuns).toEqual([]);
  });

  for (const sc of all) {
    it(`${sc.group}: ${sc.name}`, async () => {
      const theirs = transcripts.get(sc.name);
      expect(theirs, `racket printed no transcript for this scenario\n${failedRuns.join('\n')}`).toBeDefined();
      const expected = sc.diverges ? sc.diverges.expect(theirs!) : theirs!;
      const ours = await runScenario(sc);
      // UDPKIT_DIFF_DUMP=file appends both normalised transcripts, for reading side by side
      const dump = process.env.UDPKIT_DIFF_DUMP;
      if (dump)
        appendFileSync(
          dump,
          `== ${sc.name}\n-- racket${sc.diverges ? ' (rewritten: known Racket bug)' : ''}\n${normalise(expected).join('\n')}\n-- ours\n${normalise(ours).join('\n')}\n`,
        );
      expect(normalise(ours).join('\n')).toBe(normalise(expected).join('\n'));
    });
  }
});
