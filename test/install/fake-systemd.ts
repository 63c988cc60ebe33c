// A recording stand-in for `systemctl --user`: it keeps unit state, reads the unit files on daemon-reload, and opens a REAL
// loopback HTTP listener answering /health while the socket is "active", so the CLI's verify step talks to a real socket.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult, CommandRunner } from '../../src/exec/runner.js';
import { createRequestGuard } from '../../src/security/request-guard.js';

interface UnitState {
  loaded: boolean;
  active: boolean;
  enabled: boolean;
  failed: boolean;
}

export class FakeSystemd {
  /** Every argv, in order. */
  readonly calls: string[][] = [];
  readonly socket: UnitState = { loaded: false, active: false, enabled: false, failed: false };
  readonly service: UnitState = { loaded: false, active: false, enabled: false, failed: false };
  /** ListenStream= as loaded at the last daemon-reload. */
  listen: { host: string; port: number } | null = null;
  /** When this returns true for an argv, the command fails with exit 1 and changes nothing. */
  failWhen: (argv: string[]) => boolean = () => false;
  /** When false, "start" opens a listener that answers /health with 503 (a worker that never gets healthy). */
  healthy = true;
  /** When false, the listener ignores the token and the Host header (a worker that does not enforce its guard). */
  guarded = true;
  private server: Server | null = null;
  private serverListen = '';

  constructor(
    readonly unitDir: string,
    readonly name: string,
  ) {}

  /** Mutating calls only (no `show`), as strings, for sequence assertions. */
  get actions(): string[] {
    return this.calls.filter((a) => a[2] !== 'show').map((a) => a.slice(2).join(' '));
  }

  /** The listener's address while the socket is active. */
  get listening(): string | null {
    return this.server ? this.serverListen : null;
  }

  readonly run: CommandRunner = async (argv) => {
    this.calls.push(argv);
    if (argv[0] !== 'systemctl' || argv[1] !== '--user')
      return result(argv, 127, `fake: unexpected command ${argv[0]}`);
    if (this.failWhen(argv)) return result(argv, 1, `Job for ${argv[3] ?? 'unit'} failed (fake failure).`);
    const [verb, ...units] = argv.slice(2);
    switch (verb) {
      case 'show':
        return result(argv, 0, '', this.show(units));
      case 'daemon-reload':
        this.reload();
        return result(argv, 0);
      case 'enable':
        if (!this.socket.loaded) return result(argv, 1, 'Unit file does not exist.');
        this.socket.enabled = true;
        return result(argv, 0);
      case 'disable':
        this.socket.enabled = false;
        return result(argv, 0);
      case 'start':
        return this.start(argv);
      case 'restart':
        await this.stopSocket();
        return this.start(argv);
      case 'stop':
        return this.stop(argv, units);
      case 'reset-failed':
        this.socket.failed = false;
        this.service.failed = false;
        return result(argv, 0);
      default:
        return result(argv, 1, `fake: unknown verb ${verb}`);
    }
  };

  private unit(id: string): UnitState {
    return id.endsWith('.socket') ? this.socket : this.service;
  }

  private show(units: string[]): string {
    return (
      units
        .filter((u) => !u.startsWith('--'))
        .map((id) => {
          const u = this.unit(id);
          const active = u.failed ? 'failed' : u.active ? 'active' : 'inactive';
          const lines = [
            `Id=${id}`,
            `LoadState=${u.loaded ? 'loaded' : 'not-found'}`,
            `ActiveState=${active}`,
            `UnitFileState=${u.enabled ? 'enabled' : u.loaded ? (id.endsWith('.socket') ? 'disabled' : 'static') : ''}`,
            'NeedDaemonReload=no',
            `MainPID=${id.endsWith('.service') && u.active ? process.pid : 0}`,
          ];
          if (id.endsWith('.socket') && this.listen && u.loaded)
            lines.push(`Listen=${this.listen.host}:${this.listen.port} (Stream)`);
          return lines.join('\n');
        })
        .join('\n\n') + '\n'
    );
  }

  private reload(): void {
    const sock = join(this.unitDir, `${this.name}.socket`);
    this.socket.loaded = existsSync(sock);
    this.service.loaded = existsSync(join(this.unitDir, `${this.name}.service`));
    const m = this.socket.loaded ? /^ListenStream=(.*):(\d+)$/m.exec(readFileSync(sock, 'utf8')) : null;
    this.listen = m ? { host: (m[1] as string).replace(/^\[|\]$/g, ''), port: Number(m[2]) } : null;
  }

  private async start(argv: string[]): Promise<CommandResult> {
    if (!this.socket.loaded || !this.listen) return result(argv, 5, 'Unit not found.');
    const guard = createRequestGuard({
      port: this.listen.port,
      token: 'fake-token-'.repeat(4),
      logger: { warn: () => {} },
    });
    const server = createServer((req, res) => {
      this.service.active = true;
      if (this.guarded && !guard(req, res)) return;
      res.writeHead(this.healthy && req.url === '/health' ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: this.healthy ? 'ok' : 'starting', name: this.name, pid: process.pid }));
    });
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(this.listen!.port, this.listen!.host, () => resolve(true));
    });
    if (!ok) return result(argv, 1, 'Failed to listen on sockets: Address already in use');
    this.server = server;
    this.serverListen = `${this.listen.host}:${this.listen.port}`;
    this.socket.active = true;
    return result(argv, 0);
  }

  private async stop(argv: string[], units: string[]): Promise<CommandResult> {
    for (const id of units) {
      if (id.endsWith('.socket')) await this.stopSocket();
      else this.service.active = false;
    }
    return result(argv, 0);
  }

  private async stopSocket(): Promise<void> {
    this.socket.active = false;
    this.service.active = false; // Requires= the socket: stopping it stops the service
    const server = this.server;
    this.server = null;
    if (server)
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
  }

  /** Closes the listener if a test ends with it open. */
  async close(): Promise<void> {
    await this.stopSocket();
  }
}

function result(argv: string[], code: number, stderr = '', stdout = ''): CommandResult {
  return { argv, code, stdout, stderr };
}
