// A scripted launchd behind a recording CommandRunner: answers launchctl print/bootout/enable/bootstrap/kickstart like macOS.
import { readFileSync } from 'node:fs';
import type { CommandResult, CommandRunner } from '../../../src/exec/runner.js';

/** A one-off failure: the `skip`+1-th call starting with `match` gets `code`/`stderr` and runs `effect`. */
export interface Injected {
  match: string;
  code: number;
  stderr: string;
  skip?: number;
  effect?: (fake: FakeLaunchd) => void;
}

export class FakeLaunchd {
  loaded = false;
  disabled = false;
  guiDomain = true;
  /** print keeps listing the job for this many calls after a bootout (launchd tears jobs down asynchronously). */
  lingerPolls = 0;
  /** The plist content launchd read at the last bootstrap. */
  loadedContent: string | null = null;
  /** The `launchctl print` text for a loaded job. */
  printText = 'gui/501/x = {\n\tstate = not running\n\tlast exit code = (never exited)\n}\n';
  readonly calls: string[] = [];
  /** The node probes install ran (`<node> -e require(koffi)`), kept apart from the launchctl calls. */
  readonly probes: string[][] = [];
  /** How the probe answers: 0 (koffi loads) unless a test makes the service's node unable to load it. */
  koffiProbeResult: { code: number; stderr: string } = { code: 0, stderr: '' };
  readonly failures: Injected[] = [];
  private lingering = 0;

  constructor(private readonly uid = 501) {}

  private koffiProbe(argv: string[]): CommandResult {
    this.probes.push(argv);
    const { code, stderr } = this.koffiProbeResult;
    return { argv, code, stdout: code === 0 ? 'arm64' : '', stderr };
  }

  readonly run: CommandRunner = async (argv) => {
    if (argv[1] === '-e' && argv[2]?.includes('koffi')) return this.koffiProbe(argv);
    this.calls.push(argv.join(' '));
    const injected = this.takeFailure(argv.join(' '));
    if (injected) return injected;
    if (argv[0] !== 'launchctl') return res(argv, 127, `spawn ${argv[0]} ENOENT`);
    return this.launchctl(argv);
  };

  private takeFailure(line: string): CommandResult | null {
    const i = this.failures.findIndex((f) => line.startsWith(f.match));
    const f = this.failures[i];
    if (!f) return null;
    if ((f.skip ?? 0) > 0) {
      f.skip = (f.skip ?? 0) - 1;
      return null;
    }
    this.failures.splice(i, 1);
    f.effect?.(this);
    return res(line.split(' '), f.code, f.stderr);
  }

  private listed(): boolean {
    if (this.loaded) return true;
    if (this.lingering > 0) {
      this.lingering -= 1;
      return true;
    }
    return false;
  }

  private launchctl(argv: string[]): CommandResult {
    const [, cmd, target = '', path = ''] = argv;
    const domainOnly = target === `gui/${this.uid}`;
    if (!this.guiDomain) return res(argv, 125, 'Domain does not support specified action');
    switch (cmd === 'kickstart' ? 'kickstart' : cmd) {
      case 'print':
        if (domainOnly) return res(argv, 0, '', `gui/${this.uid} = {\n\ttype = login\n}\n`);
        return this.listed()
          ? res(argv, 0, '', this.printText)
          : res(argv, 113, `Could not find service "${target.split('/')[2]}" in domain for user gui: ${this.uid}`);
      case 'bootout':
        if (!this.loaded) return res(argv, 113, 'Boot-out failed: 113: Could not find specified service');
        this.loaded = false;
        this.lingering = this.lingerPolls;
        return res(argv, 0, '');
      case 'enable':
        this.disabled = false;
        return res(argv, 0, '');
      case 'bootstrap':
        if (this.disabled) return res(argv, 119, 'Bootstrap failed: 119: Service is disabled');
        if (this.loaded || this.lingering > 0) return res(argv, 5, 'Bootstrap failed: 5: Input/output error');
        this.loadedContent = readFileSync(path, 'utf8');
        this.loaded = true;
        return res(argv, 0, '');
      case 'kickstart':
        return this.loaded ? res(argv, 0, '') : res(argv, 113, 'Could not find service');
      default:
        return res(argv, 64, `Unrecognized subcommand: ${cmd}`);
    }
  }
}

function res(argv: string[], code: number, stderr: string, stdout = ''): CommandResult {
  return { argv, code, stdout, stderr };
}
