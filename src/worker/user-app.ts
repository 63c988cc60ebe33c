// Loads the --app module: an Express router, an Express app, a plain (req, res) handler, or a factory of one of those.
import { pathToFileURL } from 'node:url';
import type { RequestListener } from 'node:http';
import { InitsockError } from '../errors.js';

export interface AppContext {
  name: string;
}

type Fn = ((...args: unknown[]) => unknown) & Record<string, unknown>;

const isApp = (x: Fn) =>
  typeof x.listen === 'function' && typeof x.set === 'function' && typeof x.handle === 'function';
const isRouter = (x: Fn) => typeof x.use === 'function' && typeof x.handle === 'function' && !isApp(x);

function notAnApp(path: string, what: string): InitsockError {
  return new InitsockError(
    'INVALID_VALUE',
    `--app ${path} exports ${what}, not an Express router, app, request handler ` +
      'or factory. Export one of those as the default export (or as "app" / "router").',
  );
}

/** Mounts a router on a fresh Express app; express is imported only here, when a router needs it. */
async function mountRouter(router: Fn): Promise<RequestListener> {
  const { default: express } = await import('express');
  const app = express();
  app.use(router as unknown as Parameters<typeof app.use>[0]);
  return app as unknown as RequestListener;
}

/** Turns one export into a request listener, calling it once if it is a factory. */
async function toListener(value: unknown, path: string, context: AppContext, depth = 0): Promise<RequestListener> {
  if (typeof value !== 'function') throw notAnApp(path, value === undefined ? 'nothing usable' : `a ${typeof value}`);
  const fn = value as Fn;
  if (isApp(fn)) return fn as unknown as RequestListener;
  if (isRouter(fn)) return mountRouter(fn);
  if (fn.length >= 2) return fn as unknown as RequestListener;
  if (depth > 0) throw notAnApp(path, 'a factory whose result is a function of one argument');
  return toListener(await fn(context), path, context, depth + 1);
}

/**
 * Why Node's module loader cannot import the file at `path`, or null. A backslash must be percent-encoded in a file URL,
 * and the ESM loader refuses an encoded one ("must not include encoded \\ characters"). The installer asks this too.
 */
export function unimportableReason(path: string): string | null {
  if (!path.includes('\\')) return null;
  return (
    "its path contains a backslash, which Node's module loader refuses to import. Rename the file or folder, " +
    'or point --app at a link to it from a path without one'
  );
}

/** Imports the module at `path` (absolute) and returns its request listener. Throws INVALID_VALUE. */
export async function loadUserApp(path: string, context: AppContext): Promise<RequestListener> {
  const why = unimportableReason(path);
  if (why) throw new InitsockError('INVALID_VALUE', `cannot load --app ${path}: ${why}`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    throw new InitsockError(
      'INVALID_VALUE',
      `cannot load --app ${path}: ${(err as Error).message}. Check the path and ` +
        'that the module runs under this Node version.',
      { cause: err },
    );
  }
  return toListener(mod.default ?? mod.app ?? mod.router ?? mod.createApp, path, context);
}
