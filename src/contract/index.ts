// The facts the installer, the worker, the client and the renderers share; docs/contracts.md is checked against it.
export * from './names.js';
export * from './network.js';
export * from './logging.js';
export * from './shutdown.js';
export * from './resources.js';
export * from './proxy.js';
export * from './peer.js';
