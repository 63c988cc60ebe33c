// The platform seam for the installer: what a service is (ServiceConfig) and what each init system must provide (InitSystem).
import type { CommandRunner } from '../exec/runner.js';

export type InitKind = 'systemd' | 'launchd';

/** A fully validated, fully resolved service description. Every path is absolute. */
export interface ServiceConfig {
  /** Service name, [A-Za-z0-9._-]+; systemd units are <name>.socket / <name>.service. */
  name: string;
  /** launchd label (default com.initsock.<name>). */
  label: string;
  host: string;
  port: number;
  /** Absolute path of the real node binary (never a shim). */
  node: string;
  /** Absolute path of the worker entry script. */
  entry: string;
  /** Absolute path of a user module the default worker mounts (--app), if any. */
  app?: string;
  /** Idle timeout in ms; 0 = never exit on idle. */
  idleTimeoutMs: number;
  /** Extra environment, in the order given. */
  env: Array<[string, string]>;
  workingDir?: string;
  /** Absolute path of the user's home directory. */
  home: string;
  uid: number;
}

/** A file the installer writes. */
export interface RenderedFile {
  path: string;
  content: string;
  /** File mode, e.g. 0o644. */
  mode: number;
}

/** What the installer can observe about an installed service. */
export type ServiceState = 'not-installed' | 'listening' | 'running' | 'failed';

export interface ServiceStatus {
  name: string;
  init: InitKind;
  state: ServiceState;
  pid: number | null;
  port: number | null;
  host: string | null;
  /** ms since the worker started, when running. */
  uptimeMs?: number | null;
  /** Why it failed, when failed. */
  reason?: string;
  /** The command that fixes it, when failed. */
  fix?: string;
  /** Result of GET /health, when probed. */
  health?: unknown;
}

/** Per-operation context: everything that touches the system is injected, so every platform is testable on Linux. */
export interface SystemContext {
  run: CommandRunner;
  env: NodeJS.ProcessEnv;
  uid: number;
  home: string;
}
