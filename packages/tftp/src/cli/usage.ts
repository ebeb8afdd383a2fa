// Help texts of the `tftp` bin (DESIGN.md "`tftp` CLI conventions"). Ranges are the ones of
// reference/tftp.md "Options" (RFC 2348 blksize 8-65464, RFC 2349 timeout 1-255, tftp-hpa
// utimeout 10000-255000000, RFC 7440 windowsize 1-65535).

export type CliCommand = 'get' | 'put' | 'serve';

export const TOP_USAGE = `Usage: tftp <command> [options]

Commands:
  get HOST[:PORT] REMOTE [LOCAL]   download REMOTE (LOCAL defaults to its base name; - = stdout)
  put HOST[:PORT] LOCAL [REMOTE]   upload LOCAL (- = stdin; REMOTE defaults to its base name)
  serve ROOT                       serve the folder ROOT (read-only unless told otherwise)
  help [COMMAND]                   show help

HOST[:PORT] REMOTE may also be written as one URL (RFC 3617):
  tftp://HOST[:PORT]/FILE[;mode=netascii|octet]   (FILE is percent-decoded; IPv6 as [::1])

Options may come before or after the arguments; --flag value and --flag=value both work;
-- ends the options. Run 'tftp COMMAND --help' for the options of a command.

Exit status: 0 done, 1 the transfer failed (or serve could not start), 2 usage error,
128+N when stopped by signal N (130 for Ctrl-C).
`;

const transferOptions = (extra = '') => `Options:
  --mode octet|netascii  transfer mode (default octet; a URL's ;mode= also sets it)
  --blksize N            ask for N-byte blocks, 8-65464 (RFC 2348; default: none, 512)
  --windowsize N         ask for N blocks per window, 1-65535 (RFC 7440; default: none, 1)
  --timeout S            ask for a retransmission timeout of S seconds, 1-255 (RFC 2349)
  --utimeout US          ask for a retransmission timeout of US microseconds,
                         10000-255000000 (tftp-hpa's utimeout; wins over --timeout)
  --no-tsize             do not ask for / announce the transfer size (RFC 2349 tsize is
                         sent by default in octet mode; --tsize is accepted)
  --no-options           send a plain RFC 1350 request: no options at all
  --retries N            give up after N retransmissions without progress, 0-100 (default 5)
  --busy-poll US         poll for the server's answers for US microseconds instead of
                         sleeping, 0-1000000 (default 0: off); faster on loopback or a LAN,
                         for the CPU of one core while the transfer runs
${extra}  --json                 print one JSON object with the result on stdout
  --quiet                no progress bar or summary line (errors are still shown)
  -h, --help             show this help
`;

export const GET_USAGE = `Usage: tftp get HOST[:PORT] REMOTE [LOCAL] [options]
       tftp get tftp://HOST[:PORT]/REMOTE[;mode=netascii|octet] [LOCAL] [options]

Download REMOTE from the TFTP server HOST (port 69 unless given; IPv6 as [::1]:69).
LOCAL defaults to the base name of REMOTE in the current folder; an existing folder as
LOCAL receives the file under that base name; - writes to stdout (not with --json).
The file appears only once it is complete; an existing LOCAL is never replaced unless
--force is given.

${transferOptions('  --force, --overwrite   replace LOCAL if it exists (default: refuse, exit 1)\n')}`;

export const PUT_USAGE = `Usage: tftp put HOST[:PORT] LOCAL [REMOTE] [options]
       tftp put tftp://HOST[:PORT]/[REMOTE][;mode=netascii|octet] LOCAL [options]

Upload LOCAL to the TFTP server HOST (port 69 unless given; IPv6 as [::1]:69).
LOCAL - reads stdin (then REMOTE is required). REMOTE defaults to the base name of LOCAL.

${transferOptions()}`;

export const SERVE_USAGE = `Usage: tftp serve ROOT [options]

Serve the files below the folder ROOT in the foreground until SIGINT/SIGTERM. Paths are
confined to ROOT (also through symlinks); read-only unless writes are allowed. Prints
'tftp: serving ROOT on HOST:PORT' once listening. On SIGINT/SIGTERM no new transfers are
accepted, running ones finish, then exit 0; a second signal stops them at once.

Options:
  --host H                 address to listen on (default: every IPv6 and IPv4 address,
                           dual-stack ::, or 0.0.0.0 without IPv6; 127.0.0.1 = this host only)
  --port P                 port to listen on, 0-65535 (default 69; 0 = any free port)
  --allow-write            accept write requests (each also needs one of the two below)
  --allow-create           writes may create new files (implies --allow-write)
  --allow-overwrite        writes may replace existing files (implies --allow-write)
  --max-file-size SIZE     largest upload, bytes or with K/M/G/T suffix (1024-based)
  --max-transfers N        most transfers at once, 1-65535 (default 512)
  --max-blksize N          grant at most N-byte blocks, 8-65464
  --max-windowsize N       grant at most N blocks per window, 1-65535
  --no-options             ignore all option requests (plain RFC 1350 answers)
  --port-range A-B         transfer ports from A to B, 1-65535 (default: any free port)
  --busy-poll US           poll for each client's answer for US microseconds instead of
                           sleeping, 0-1000000 (default 0: off); lockstep transfers on
                           loopback or a LAN run about 2x faster, for one core's CPU
  --json                   print JSON lines on stdout: {"event":"listening",...} once, then
                           one {"event":"transfer",...} per transfer (stderr: errors only)
  --quiet                  no log line per transfer on stderr (the startup line stays)
  -h, --help               show this help
`;

/** The help text of a command, or the top-level one. */
export function usageText(command?: CliCommand): string {
  switch (command) {
    case 'get':
      return GET_USAGE;
    case 'put':
      return PUT_USAGE;
    case 'serve':
      return SERVE_USAGE;
    default:
      return TOP_USAGE;
  }
}
