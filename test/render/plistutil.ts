// Runs Debian's plistutil (libplist-utils) on a rendered plist: XML → binary → XML, as an independent parser would.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function havePlistutil(): boolean {
  try {
    execFileSync('plistutil', ['-h'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Converts `xml` to a binary plist and back with plistutil (throws when it refuses either), returning the XML. */
export function plistutilRoundTrip(xml: string, dir: string, name = 'p'): string {
  const src = join(dir, `${name}.plist`);
  const bin = join(dir, `${name}.bplist`);
  const back = join(dir, `${name}.back.plist`);
  writeFileSync(src, xml);
  execFileSync('plistutil', ['-i', src, '-f', 'bin', '-o', bin], { stdio: 'pipe' });
  execFileSync('plistutil', ['-i', bin, '-f', 'xml', '-o', back], { stdio: 'pipe' });
  return readFileSync(back, 'utf8');
}
