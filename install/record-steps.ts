// The settings record as plan steps: written with the files it describes (and undone with them), removed on uninstall; hand edits refused.
import { initSystemFor } from '../src/service/detect.js';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { InitsockError } from '../src/errors.js';
import { readSnapshot } from '../src/exec/atomic-write.js';
import { editedFiles, RECORD_FORMAT, serializeRecord, sha256, type ServiceRecord } from '../src/service/record.js';
import type { FileState, Step } from '../src/service/types.js';
import { packageVersion } from '../src/worker/health.js';
import type { Settings } from './config.js';
import type { SettingsView } from './print-plan.js';
import { settingsChanges } from './remembered.js';

/** The record this run installs: its options and the hash of every file it renders. */
export function newRecord(s: Settings, files: FileState[]): ServiceRecord {
  return {
    format: RECORD_FORMAT,
    name: s.cfg.name,
    init: s.init,
    version: packageVersion(),
    options: s.remembered,
    files: files.map((f) => ({ path: f.file.path, sha256: sha256(f.file.content) })),
  };
}

/** Writes the record (0600, in the service's 0700 folder) unless the one on disk already says the same. */
export function recordSteps(s: Settings, files: FileState[]): Step[] {
  const content = serializeRecord(newRecord(s, files));
  const current = readSnapshot(s.recordPath);
  if (current?.content === content && current.mode === 0o600) return [];
  const dir = dirname(s.recordPath);
  return [
    ...(existsSync(dir) ? [] : [{ kind: 'mkdir', path: dir, mode: 0o700 } as Step]),
    { kind: 'write', file: { path: s.recordPath, content, mode: 0o600 }, note: 'the settings a re-run starts from' },
  ];
}

/** The installed files that were edited by hand since install-service wrote them and that this run would overwrite. */
export function editedToOverwrite(record: ServiceRecord | null, files: FileState[]): string[] {
  const current = (path: string): string | null => files.find((f) => f.file.path === path)?.current?.content ?? null;
  const rewritten = new Set(
    files.filter((f) => f.current !== null && f.current.content !== f.file.content).map((f) => f.file.path),
  );
  return editedFiles(record, current).filter((p) => rewritten.has(p));
}

/** Where a local change survives a re-install, in the init system's own words. */
const keepChange = (s: Settings): string => initSystemFor(s.init).words.keepChange(s.cfg.name);

/** Throws EDITED_BY_HAND (exit 2, nothing changed) unless --overwrite-edited, naming each file and the way out. */
export function assertNoHandEdits(s: Settings, files: FileState[]): void {
  const edited = editedToOverwrite(s.record, files);
  if (edited.length === 0 || s.overwriteEdited) return;
  throw new InitsockError(
    'EDITED_BY_HAND',
    `${edited.join(' and ')} ${edited.length > 1 ? 'were' : 'was'} edited since install-service ` +
      `wrote ${edited.length > 1 ? 'them' : 'it'} (${s.recordPath} records what it wrote), and this run would overwrite the change. ` +
      `See the difference with \`install-service print --name ${s.cfg.name}\`; ${keepChange(s)}, then run again with --overwrite-edited.`,
    { details: { files: edited } },
  );
}

/** Uninstall: the record goes with the service (restored by a rollback). */
export function removeRecordSteps(path: string): Step[] {
  return existsSync(path) ? [{ kind: 'remove', path }] : [];
}

/** How this run's settings and files compare with what is installed, for print and --dry-run. */
export function settingsView(s: Settings, files: FileState[]): SettingsView {
  const current = (path: string): string | null => files.find((f) => f.file.path === path)?.current?.content ?? null;
  return {
    recordPath: s.record ? s.recordPath : null,
    changes: settingsChanges(s.record?.options ?? {}, s.remembered),
    edited: editedFiles(s.record, current),
  };
}
