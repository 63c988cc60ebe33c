// Installs the built worker in a box as the installer would: units rendered by src/service/systemd/units.ts, socket started.
import { existsSync } from 'node:fs';
import { renderServiceUnit, renderSocketUnit } from '../../../src/service/systemd/units.js';
import type { ServiceConfig } from '../../../src/service/types.js';
import { workerBin } from '../../helpers/paths.js';
import type { Box } from './box.js';
import { freeBoxPort } from './client.js';
import { unitProps, writeUserUnit } from './units.js';

export interface WorkerUnitOptions extends Partial<Omit<ServiceConfig, 'name'>> {
  name: string;
}

export interface InstalledWorker {
  name: string;
  port: number;
  socket: string;
  service: string;
  config: ServiceConfig;
}

/** The ServiceConfig the installer would resolve for a worker in `box` (free port, this node, the built worker). */
export function workerConfig(box: Box, port: number, options: WorkerUnitOptions): ServiceConfig {
  return {
    label: `com.initsock.${options.name}`,
    host: '127.0.0.1',
    port,
    node: process.execPath,
    entry: workerBin,
    idleTimeoutMs: 0,
    env: [],
    home: box.home,
    uid: 0,
    ...options,
  };
}

/** True once the default worker has been built (dist/src/bin/worker.js). */
export function workerBuilt(): boolean {
  return existsSync(workerBin);
}

/**
 * Renders `<name>.socket` and `<name>.service` with the project's renderer, writes them into the box home,
 * reloads the user manager and starts the socket. Throws when systemd refuses the socket.
 */
export async function installWorker(box: Box, options: WorkerUnitOptions): Promise<InstalledWorker> {
  const config = workerConfig(box, options.port ?? (await freeBoxPort(box)), options);
  await writeUserUnit(box, `${config.name}.socket`, renderSocketUnit(config));
  await writeUserUnit(box, `${config.name}.service`, renderServiceUnit(config));
  const socket = `${config.name}.socket`;
  const start = await box.systemctlUser('start', socket);
  if (start.code !== 0)
    throw new Error(`systemctl --user start ${socket} failed: ${start.stderr.trim()}\n${box.logs()}`);
  return { name: config.name, port: config.port, socket, service: `${config.name}.service`, config };
}

/** Stops and resets both units of a worker, so a test can leave the shared box clean for the next one. */
export async function removeWorker(box: Box, worker: InstalledWorker): Promise<void> {
  await box.systemctlUser('stop', worker.socket, worker.service);
  await box.systemctlUser('reset-failed', worker.socket, worker.service);
}

/** The ActiveState/SubState/Result (and more, if asked) of a unit. */
export function unitState(box: Box, unit: string, ...more: string[]): Promise<Record<string, string>> {
  return unitProps(box, unit, 'ActiveState', 'SubState', 'Result', ...more);
}
