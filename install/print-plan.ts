// Formats a plan for print/--dry-run: every file with its path and full content, every step with its argv, and the rollback.
import type { FileState, Plan, Step } from '../src/service/types.js';
import { describeStep, octal } from './describe.js';
import { lineDiff } from './line-diff.js';

/** How this run's settings compare with the installed ones (see install/remembered.ts). */
export interface SettingsView {
  /** The record compared against, or null for a service installed without one. */
  recordPath: string | null;
  /** `--app /x → none` lines; empty when the settings are the same. */
  changes: string[];
  /** Files edited by hand since install-service wrote them. */
  edited: string[];
}

const fileState = (f: FileState): 'new' | 'changed' | 'unchanged' =>
  f.current === null
    ? 'new'
    : f.current.content === f.file.content && f.current.mode === f.file.mode
      ? 'unchanged'
      : 'changed';

/** The settings lines: what changes against the installed record, or that nothing does. */
function settingsLines(v: SettingsView): string[] {
  if (v.recordPath === null) return [];
  return v.changes.length
    ? [`settings (against ${v.recordPath}):`, ...v.changes.map((c) => `  ${c}`), '']
    : [`settings: as installed (${v.recordPath})`, ''];
}

/** A file: its full content when new, the changed lines when changed, one line when unchanged. */
function fileLines(f: FileState, edited: boolean): string[] {
  const state = `${fileState(f)}${edited ? ', EDITED BY HAND since install-service wrote it' : ''}`;
  const head = `--- ${f.file.path} (mode ${octal(f.file.mode)}${f.current && f.current.mode !== f.file.mode ? ` was ${octal(f.current.mode)}` : ''}, ${state})`;
  if (f.current === null) return [head, f.file.content.replace(/\n?$/, ''), ''];
  if (f.current.content === f.file.content) return [head, ''];
  return [head, ...lineDiff(f.current.content, f.file.content), ''];
}

/** The plan as text. `title` is the first line. */
export function formatPlan(title: string, files: FileState[], plan: Plan, view?: SettingsView): string {
  const out = [title, '', ...(view ? settingsLines(view) : [])];
  for (const f of files) out.push(...fileLines(f, view?.edited.includes(f.file.path) ?? false));
  out.push(plan.steps.length ? 'steps:' : 'steps: none (already in the desired state)');
  plan.steps.forEach((s, i) => out.push(`  ${i + 1}. ${describeStep(s)}${s.note ? `  # ${s.note}` : ''}`));
  const undo = plan.steps.flatMap((s) => s.undo ?? []);
  if (plan.steps.length) {
    out.push(
      '',
      'on failure: the completed steps are undone in reverse (files restored or removed' +
        (undo.length ? `; ${undo.map(describeStep).join('; ')}` : '') +
        ')' +
        (plan.afterRollback?.length ? `, then: ${plan.afterRollback.map(describeStep).join('; ')}` : ''),
    );
  }
  for (const note of plan.notes ?? []) out.push(`note: ${note}`);
  return `${out.join('\n')}\n`;
}

/** A step as plain data for --json. */
function stepJson(s: Step): Record<string, unknown> {
  const base = { kind: s.kind, description: describeStep(s), ...(s.note ? { note: s.note } : {}) };
  if (s.kind === 'run') return { ...base, argv: s.argv, ...(s.undo ? { undo: s.undo.map(stepJson) } : {}) };
  if (s.kind === 'write') return { ...base, path: s.file.path, mode: s.file.mode };
  if (s.kind === 'remove' || s.kind === 'mkdir') return { ...base, path: s.path };
  return {
    ...base,
    ...(s.commands ? { commands: s.commands } : {}),
    ...(s.undo ? { undo: s.undo.map(stepJson) } : {}),
  };
}

/** The plan as a JSON-able object. */
export function planJson(files: FileState[], plan: Plan, view?: SettingsView): Record<string, unknown> {
  return {
    ...(view ? { settings: { record: view.recordPath, changes: view.changes, edited: view.edited } } : {}),
    files: files.map((f) => ({ path: f.file.path, mode: f.file.mode, state: fileState(f), content: f.file.content })),
    steps: plan.steps.map(stepJson),
    afterRollback: (plan.afterRollback ?? []).map(stepJson),
    notes: plan.notes ?? [],
  };
}
