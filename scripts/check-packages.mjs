// Packs every published package the way `pnpm publish` would and checks the tarball with
// publint and @arethetypeswrong/cli (ESM-only profile), then imports the packed build in a
// scratch project to prove it loads without the workspace.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const packages = readdirSync(join(root, 'packages')).map((d) => join(root, 'packages', d));
const out = mkdtempSync(join(tmpdir(), 'udpkit-pack-'));
const scratch = join(out, 'scratch');
let failed = 0;
const names = [];

for (const dir of packages) {
  const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const before = new Set(readdirSync(out));
  execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, stdio: 'ignore' });
  const tarball = join(
    out,
    readdirSync(out).find((f) => !before.has(f) && f.endsWith('.tgz')),
  );
  // Unpacked as npm would install it, into the scratch project's node_modules.
  const installed = join(scratch, 'node_modules', name);
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  names.push(name);
  for (const [tool, args] of [
    ['publint', ['run', tarball, '--strict']],
    ['attw', [tarball, '--profile', 'esm-only']],
  ]) {
    try {
      execFileSync(bin(tool), args, { cwd: dir, stdio: 'pipe', encoding: 'utf8' });
      console.log(`ok   ${name}: ${tool}`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${name}: ${tool}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
}
for (const name of names) {
  try {
    const code = `console.log(Object.keys(await import('${name}')).length)`;
    const keys = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: scratch,
      encoding: 'utf8',
    });
    console.log(`ok   ${name}: imports from its tarball (${keys.trim()} exports)`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}: import from its tarball\n${error.stderr ?? ''}`);
  }
}
// The tftp bin, as a user who installed the tarball runs it.
try {
  execFileSync(process.execPath, [join(scratch, 'node_modules/@udpkit/tftp/dist/cli/main.js'), '--help'], {
    encoding: 'utf8',
  });
  console.log('ok   @udpkit/tftp: the tftp bin runs from its tarball');
} catch (error) {
  failed++;
  console.log(`FAIL @udpkit/tftp: the tftp bin from its tarball\n${error.stderr ?? ''}`);
}
rmSync(out, { recursive: true, force: true });
if (failed) {
  console.log(`check-packages: ${failed} check(s) failed`);
  process.exit(1);
}
