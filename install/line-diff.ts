// A line diff for print and --dry-run: the changed lines of a file with a little context, instead of the whole file.

type Op = { kind: ' ' | '-' | '+'; line: string };

/** The edit script from `a` to `b` by longest common subsequence (unit files are tens of lines, so O(n·m) is fine). */
function ops(a: string[], b: string[]): Op[] {
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = lcs[i] as number[];
      row[j] =
        a[i] === b[j]
          ? ((lcs[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((lcs[i + 1] as number[])[j] as number, row[j + 1] as number);
    }
  }
  const out: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: ' ', line: a[i++] as string });
      j++;
    } else if (
      i < a.length &&
      (j >= b.length || ((lcs[i + 1] as number[])[j] as number) >= ((lcs[i] as number[])[j + 1] as number))
    ) {
      out.push({ kind: '-', line: a[i++] as string }); // removals first, as diff -u shows them
    } else out.push({ kind: '+', line: b[j++] as string });
  }
  return out;
}

/** The changed lines prefixed "-"/"+", with `context` unchanged lines around each change and "…" for the rest. */
export function lineDiff(before: string, after: string, context = 1): string[] {
  const script = ops(before.replace(/\n$/, '').split('\n'), after.replace(/\n$/, '').split('\n'));
  const near = (k: number): boolean =>
    script.slice(Math.max(0, k - context), k + context + 1).some((o) => o.kind !== ' ');
  const out: string[] = [];
  script.forEach((o, k) => {
    if (o.kind !== ' ' || near(k)) out.push(`${o.kind} ${o.line}`);
    else if (out[out.length - 1] !== '  …') out.push('  …');
  });
  return out;
}
