// Where the real peer programs live, and how tests skip (loudly) or fail when one is missing.
// Debian packages the test command installs where it can; servers that would start a daemon
// (tftpd-hpa) or conflict with another (atftpd) are unpacked privately into .peers/ instead.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const peersDir = fileURLToPath(new URL('../../.peers/', import.meta.url));

/** name → { deb: Debian package, unpack: install with dpkg -x into .peers/, paths: candidates } */
export const PEERS = {
  racket: { deb: 'racket', paths: ['/usr/bin/racket'] },
  'tftp-hpa': { deb: 'tftp-hpa', paths: ['/usr/bin/tftp'], version: ['-V', /tftp-hpa/] },
  atftp: { deb: 'atftp', paths: ['/usr/bin/atftp'] },
  curl: { deb: 'curl', paths: ['/usr/bin/curl'] },
  'in.tftpd': {
    deb: 'tftpd-hpa',
    unpack: true,
    paths: [`${peersDir}tftpd-hpa/usr/sbin/in.tftpd`, '/usr/sbin/in.tftpd'],
  },
  atftpd: {
    deb: 'atftpd',
    unpack: true,
    paths: [`${peersDir}atftpd/usr/sbin/atftpd`, '/usr/sbin/atftpd'],
  },
};

/** Shared libraries the privately unpacked servers link against. */
export const PEER_LIBRARIES = ['libwrap0'];

/** Absolute path of a working peer program, or undefined. */
export function peerPath(name) {
  const peer = PEERS[name];
  if (!peer) throw new Error(`unknown peer ${name}`);
  for (const candidate of peer.paths) {
    if (!existsSync(candidate)) continue;
    if (peer.version) {
      try {
        const out = execFileSync(candidate, [peer.version[0]], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        if (!peer.version[1].test(out)) continue;
      } catch (e) {
        const text = `${e.stdout ?? ''}${e.stderr ?? ''}`;
        if (!peer.version[1].test(text)) continue;
      }
    }
    return candidate;
  }
  return undefined;
}

/** True when a missing peer must fail the run (CI sets UDPKIT_REQUIRE_PEERS=1). */
export const peersRequired = process.env.UDPKIT_REQUIRE_PEERS === '1';

/**
 * The peer's path, or undefined after a loud warning — tests then `describe.skipIf(!path)`.
 * With UDPKIT_REQUIRE_PEERS=1 a missing peer throws, failing the test file.
 */
export function requirePeer(name) {
  const path = peerPath(name);
  if (path) return path;
  const message = `peer program '${name}' (Debian package ${PEERS[name].deb}) is missing: its tests are SKIPPED`;
  if (peersRequired) throw new Error(`${message.replace(': its tests are SKIPPED', '')} and UDPKIT_REQUIRE_PEERS=1`);
  process.stderr.write(`\n*** ${message} ***\n\n`);
  return undefined;
}

export * from './harness.js';
