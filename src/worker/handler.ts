// The default worker's request listener: /health answered directly, everything else by the --app module, loaded lazily.
import { isHealthRequest } from '../contract/index.js';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ActivationKind } from '../activation/types.js';
import { callApp, type Next } from '../runtime/serve-handler.js';
import { healthBody, sendJson } from './health.js';

export interface WorkerHandlerOptions {
  name: string;
  /** The --app module (absolute path), if any. */
  app?: string;
  /** Read at request time: the activation kind and the request count. */
  activation: () => ActivationKind;
  requests: () => number;
  /** Called once, right before the --app module loads (and can start processes). */
  beforeApp?: () => void;
  /** Called when the --app module cannot be loaded (the worker then stops with 78). */
  onAppError: (err: unknown) => void;
}

export interface WorkerHandler {
  /** serve() passes `next`: routes the app does not have, and its errors, are answered there as short JSON. */
  listener: (req: IncomingMessage, res: ServerResponse, next: Next) => void;
  /** Starts loading the --app module, if not started yet (a request that needs the app starts it itself). */
  loadApp(): void;
}

function sendHealth(res: ServerResponse, appLoaded: boolean, options: WorkerHandlerOptions): void {
  if (appLoaded) sendJson(res, 200, healthBody(options.name, options.activation(), options.requests()));
  else
    sendJson(res, 503, {
      status: 'error',
      error: 'app_unavailable',
      message: `the --app module ${options.app} failed to load; see the worker's log`,
    });
}

export function workerHandler(options: WorkerHandlerOptions): WorkerHandler {
  let app: Promise<RequestListener | null> | undefined;
  const loadApp = (): Promise<RequestListener | null> => {
    app ??=
      options.app === undefined
        ? Promise.resolve(null)
        : Promise.resolve()
            .then(() => options.beforeApp?.())
            .then(() => import('./user-app.js'))
            .then((m) => m.loadUserApp(options.app!, { name: options.name }))
            .catch((err: unknown) => {
              options.onAppError(err);
              return null;
            });
    return app;
  };
  const listener = (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    if (isHealthRequest(req.method, req.url)) {
      // With --app, healthy means the app loaded: the installer's verify must not pass a worker whose app is broken.
      if (options.app === undefined)
        sendJson(res, 200, healthBody(options.name, options.activation(), options.requests()));
      else void loadApp().then((userApp) => sendHealth(res, userApp !== null, options));
      return;
    }
    void loadApp().then((userApp) => {
      if (userApp) callApp(userApp, req, res, next);
      else if (options.app)
        sendJson(res, 500, {
          error: 'app_unavailable',
          message: `the --app module ${options.app} failed to load; see the worker's log`,
        });
      else next();
    });
  };
  return {
    listener,
    loadApp: () => {
      void loadApp();
    },
  };
}
