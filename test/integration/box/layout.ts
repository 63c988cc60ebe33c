// Lays out a box folder outside /tmp: stub targets for the system and user managers, an empty generator dir, a home.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { scratchDir } from '../../helpers/paths.js';

/** Where each part of a box lives on disk (the same paths inside and outside the box). */
export interface BoxLayout {
  dir: string;
  /** SYSTEMD_UNIT_PATH of the system manager: stub targets only. */
  systemUnits: string;
  /** Stub targets of the user manager (its unit path is $HOME/.config/systemd/user, then this). */
  userUnits: string;
  home: string;
  /** Unit folder of the user manager that tests and the installer write to. */
  userConfigUnits: string;
  /** Bind-mounted over the box's /dev/console, so nothing in the box writes to the host's console. */
  consoleLog: string;
  /** The user manager's own stdout/stderr (it logs to the box's journal; this catches what comes before). */
  userLog: string;
}

// Just what systemd 252 pulls in on the way to default.target and for transient services, sockets and slices.
const SYSTEM_TARGETS = [
  'default',
  'sysinit',
  'basic',
  'sockets',
  'timers',
  'paths',
  'local-fs',
  'local-fs-pre',
  'swap',
  'slices',
  'shutdown',
  'umount',
  'final',
  'network',
  'network-pre',
  'multi-user',
];
const USER_TARGETS = ['default', 'basic', 'sockets', 'timers', 'paths', 'shutdown', 'exit'];
const USER_SLICES = ['app', 'background', 'session'];

// journald, so services log as they would on a real machine (StandardOutput=journal, `journalctl -u` works).
// boot.sh's drop-in in /run/systemd/journald.conf.d keeps it volatile and away from the host's kernel log.
const JOURNALD_UNITS: Record<string, string> = {
  'systemd-journald.socket': `[Unit]
Description=initsock box journal socket
DefaultDependencies=no
[Socket]
ListenDatagram=/run/systemd/journal/socket
ListenStream=/run/systemd/journal/stdout
PassCredentials=yes
PassSecurity=yes
SocketMode=0666
Service=systemd-journald.service
`,
  'systemd-journald.service': `[Unit]
Description=initsock box journal
DefaultDependencies=no
Requires=systemd-journald.socket
After=systemd-journald.socket
[Service]
ExecStart=/lib/systemd/systemd-journald
Sockets=systemd-journald.socket
Type=notify
Restart=always
RestartSec=0
RuntimeDirectory=systemd/journal
RuntimeDirectoryPreserve=yes
StandardOutput=null
`,
};

function writeUnits(dir: string, kind: string, names: string[], label: string): void {
  mkdirSync(dir, { recursive: true });
  for (const name of names) {
    writeFileSync(join(dir, `${name}.${kind}`), `[Unit]\nDescription=initsock box ${label} ${name}\n`);
  }
}

/** Removes box folders whose test process died without stopping its box (each folder records its owner pid). */
function sweepStaleLayouts(base: string): void {
  for (const entry of readdirSync(base)) {
    const owner = join(base, entry, 'owner.pid');
    if (!entry.startsWith('box-') || !existsSync(owner)) continue;
    const pid = Number(readFileSync(owner, 'utf8'));
    if (pid !== process.pid && !existsSync(`/proc/${pid}`)) rmSync(join(base, entry), { recursive: true, force: true });
  }
}

/** Creates a fresh box folder under test/.work; `home` overrides the test home (it must be outside /tmp). */
export function createLayout(home?: string): BoxLayout {
  if (home !== undefined && /^\/(tmp|run|var\/tmp|var\/log)(\/|$)/.test(resolve(home))) {
    throw new Error(`box home ${home} is under a folder the box hides with a tmpfs; use scratchDir() instead`);
  }
  const dir = scratchDir('box');
  if (!process.env.INITSOCK_KEEP_BOX) sweepStaleLayouts(dirname(dir));
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  const layout: BoxLayout = {
    dir,
    systemUnits: join(dir, 'system'),
    userUnits: join(dir, 'user'),
    home: resolve(home ?? join(dir, 'home')),
    userConfigUnits: join(resolve(home ?? join(dir, 'home')), '.config', 'systemd', 'user'),
    consoleLog: join(dir, 'console.log'),
    userLog: join(dir, 'user.log'),
  };
  writeUnits(layout.systemUnits, 'target', SYSTEM_TARGETS, 'system');
  for (const [name, text] of Object.entries(JOURNALD_UNITS)) writeFileSync(join(layout.systemUnits, name), text);
  writeFileSync(
    join(layout.systemUnits, 'default.target'),
    '[Unit]\nDescription=initsock box system default\nWants=systemd-journald.service\nAfter=systemd-journald.service\n',
  );
  writeUnits(layout.userUnits, 'target', USER_TARGETS, 'user');
  writeUnits(layout.userUnits, 'slice', USER_SLICES, 'user');
  mkdirSync(join(dir, 'empty'), { recursive: true });
  mkdirSync(layout.userConfigUnits, { recursive: true });
  return layout;
}
