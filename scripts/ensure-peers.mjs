// Installs the peer programs the tests compare against, where this machine lets us:
// root with apt-get (Debian). Anywhere else it only reports what is missing; the tests that need
// a missing peer are then skipped loudly (or fail, with UDPKIT_REQUIRE_PEERS=1).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PEER_LIBRARIES, PEERS, peerPath, peersDir } from '../tools/peers/index.js';

const missing = Object.keys(PEERS).filter((name) => !peerPath(name));
const log = (line) => process.stderr.write(`ensure-peers: ${line}\n`);

const canApt = process.getuid?.() === 0 && hasCommand('apt-get') && process.env.UDPKIT_NO_INSTALL !== '1';

if (missing.length > 0 && canApt) {
  const apt = (...args) =>
    execFileSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  const direct = [...new Set(missing.filter((n) => !PEERS[n].unpack).map((n) => PEERS[n].deb))];
  const unpack = [...new Set(missing.filter((n) => PEERS[n].unpack).map((n) => PEERS[n].deb))];
  log(`installing ${[...direct, ...unpack].join(', ')} from Debian (once)`);
  try {
    apt('update', '-qq');
    const wanted = [...direct, ...(unpack.length ? PEER_LIBRARIES : [])];
    if (wanted.length) apt('install', '-y', '-qq', '--no-install-recommends', ...wanted);
    for (const deb of unpack) {
      const work = mkdtempSync(join(tmpdir(), 'udpkit-deb-'));
      execFileSync('apt-get', ['download', deb], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
      const file = readdirSync(work).find((f) => f.endsWith('.deb'));
      const target = join(peersDir, deb);
      rmSync(target, { recursive: true, force: true });
      mkdirSync(target, { recursive: true });
      execFileSync('dpkg', ['-x', join(work, file), target]);
      rmSync(work, { recursive: true, force: true });
    }
  } catch (error) {
    log(`install failed: ${error.message}`);
  }
}

const still = Object.keys(PEERS).filter((name) => !peerPath(name));
if (still.length === 0) log('all peer programs present');
else log(`MISSING peer programs: ${still.join(', ')} — the tests that need them will be SKIPPED`);

function hasCommand(command) {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
