// The one interface every activation source implements: how the worker receives its listening sockets.

/** Who handed us the listening socket(s). `listen` = we bound the port ourselves (explicit --listen only). */
export type ActivationKind = 'systemd' | 'launchd' | 'handoff' | 'listen';

/** One inherited listening socket: a file descriptor and its name (FileDescriptorName=, launchd Sockets key, or "unknown"). */
export interface InheritedSocket {
  fd: number;
  name: string;
}

/** The result of a successful activation. */
export type Activation =
  | { kind: 'systemd' | 'launchd' | 'handoff'; sockets: InheritedSocket[] }
  | { kind: 'listen'; host: string; port: number };

/**
 * An activation source. `activate()` returns the sockets this process was given, or `null` when this
 * source did not start us (that is not an error: "not activated" is a normal answer). It throws an
 * InitsockError (codes in ../errors.ts) when the source did start us but something is wrong.
 */
export interface ActivationSource {
  readonly kind: ActivationKind;
  activate(): Activation | null;
}
