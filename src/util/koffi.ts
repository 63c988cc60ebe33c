// The one loader of koffi (FFI for the syscalls and launchd calls Node lacks), loaded on first use only (~10 ms).
import { InitsockError } from '../errors.js';
import { nodeModule } from './builtin.js';

export type Koffi = typeof import('koffi');

let loaded: Koffi | undefined;

/** koffi's entry as this package resolves it: the same file a worker of this install will require. */
export function koffiEntry(): string {
  return nodeModule()
    .createRequire(import.meta.url)
    .resolve('koffi');
}

/**
 * koffi, required (synchronously) at the first call. Throws FFI_UNAVAILABLE with the fix when it cannot load;
 * `need` says what it was for, e.g. "initsock jobs need for flock(2)".
 */
export function loadKoffi(need = 'initsock needs for this call'): Koffi {
  if (loaded) return loaded;
  try {
    loaded = nodeModule().createRequire(import.meta.url)('koffi') as Koffi;
    return loaded;
  } catch (err) {
    throw new InitsockError(
      'FFI_UNAVAILABLE',
      `cannot load koffi, which ${need}. Reinstall initsock (npm ci) so its prebuilt koffi binary is present.`,
      { cause: err },
    );
  }
}
