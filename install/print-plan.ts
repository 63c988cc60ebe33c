// Formats a plan for print/--dry-run: every file with its path and full content, every step with its argv, and the rollback.
import type { FileState, Plan, Step } from '../src/service/types.js';
import { describeStep, octal } from './describe.js';

const fileState = (f: FileState): 'new' | 'changed' | 'unchanged' =>
  f.current === null ? 'new' : f.current.content === f.file.content && f.current.mode === f.file.mode ? 'unchanged' : 'changed';

/** The plan as text. `title` is the first line. */
export function formatPlan(title: string, files: FileState[], plan: Plan): string {
  const out = [title, ''];
  for (const f of files) {
    out.push(`--- ${f.file.path} (mode ${octal(f.file.mode)}, ${fileState(f)})`, f.file.content.replace(/\n?$/, ''), '');
  }
  out.push(plan.steps.length ? 'steps:' : 'steps: none (already in the desired state)');
  plan.steps.forEach((s, i) => out.push(`  ${i + 1}. ${describeStep(s)}${s.note ? `  # ${s.note}` : ''}`));
  const undo = plan.steps.flatMap((s) => s.undo ?? []);
  if (plan.steps.length) {
    out.push('', 'on failure: the completed steps are undone in reverse (files restored or removed' +
      (undo.length ? `; ${undo.map(describeStep).join('; ')}` : '') + ')' +
      (plan.afterRollback?.length ? `, then: ${plan.afterRollback.map(describeStep).join('; ')}` : ''));
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
  return { ...base, ...(s.undo ? { undo: s.undo.map(stepJson) } : {}) };
}

/** The plan as a JSON-able object. */
export function planJson(files: FileState[], plan: Plan): Record<string, unknown> {
  return {
    files: files.map((f) => ({ path: f.file.path, mode: f.file.mode, state: fileState(f), content: f.file.content })),
    steps: plan.steps.map(stepJson),
    afterRollback: (plan.afterRollback ?? []).map(stepJson),
    notes: plan.notes ?? [],
  };
}
