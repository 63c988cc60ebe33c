// The owner (uid) of one TCP socket by its exact address, from the kernel's netlink sock_diag interface (Linux, through koffi).
import { isIPv4 } from 'node:net';
import { loadKoffi } from '../util/koffi.js';
import { addressBytes } from './peer-owner.js';

// linux/netlink.h, linux/sock_diag.h, linux/inet_diag.h
const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const NETLINK_SOCK_DIAG = 4;
const SOCK_DIAG_BY_FAMILY = 20;
const NLM_F_REQUEST = 1;
const NLMSG_ERROR = 2;
const IPPROTO_TCP = 6;
const MSG_DONTWAIT = 0x40;
/** struct nlmsghdr (16) + struct inet_diag_req_v2 (8 + inet_diag_sockid 48). */
const REQUEST_BYTES = 16 + 56;
/** idiag_uid's offset in the answer: nlmsghdr (16) + family/state/timer/retrans (4) + sockid (48) + expires/rqueue/wqueue (12). */
const UID_OFFSET = 16 + 4 + 48 + 12;
const STATE_OFFSET = 16 + 1;
/** TCP_TIME_WAIT: a closed socket's leftover, whose uid the kernel reports as 0 (it no longer has an owner). */
export const TCP_TIME_WAIT = 6;

/** One end of a TCP connection. */
export interface Endpoint {
  address: string;
  port: number;
}

/** The kernel's answer: the owner and TCP state of the socket, 'none' when no such socket exists. */
export type DiagAnswer = { uid: number; state: number } | 'none';

/** The address as the family and the 16 bytes of inet_diag_sockid (IPv4 and ::ffff:a.b.c.d in the first 4). */
function familyBytes(address: string): { family: number; bytes: number[] } {
  const bytes = addressBytes(address);
  const mapped = bytes.slice(0, 12).every((b, i) => b === (i < 10 ? 0 : 0xff));
  if (isIPv4(address) || mapped) return { family: AF_INET, bytes: [...bytes.slice(12), ...Array(12).fill(0)] };
  return { family: AF_INET6, bytes };
}

/**
 * The SOCK_DIAG_BY_FAMILY request for the one socket whose own end is `local` and whose peer is `remote`
 * (inet_diag_req_v2 with the exact sockid and no cookie: the kernel looks it up by its 4-tuple, without a dump).
 */
export function diagRequest(local: Endpoint, remote: Endpoint, seq = 1): Buffer {
  const src = familyBytes(local.address);
  const dst = familyBytes(remote.address);
  const b = Buffer.alloc(REQUEST_BYTES);
  b.writeUInt32LE(REQUEST_BYTES, 0); // nlmsg_len (host order: little-endian on every platform koffi is used on here)
  b.writeUInt16LE(SOCK_DIAG_BY_FAMILY, 4);
  b.writeUInt16LE(NLM_F_REQUEST, 6);
  b.writeUInt32LE(seq, 8);
  b.writeUInt8(src.family, 16);
  b.writeUInt8(IPPROTO_TCP, 17);
  b.writeUInt32LE(0xffffffff, 20); // idiag_states: any
  b.writeUInt16BE(local.port, 24); // idiag_sport, network order
  b.writeUInt16BE(remote.port, 26); // idiag_dport
  Buffer.from(src.bytes).copy(b, 28);
  Buffer.from(dst.bytes).copy(b, 44);
  b.writeUInt32LE(0, 60); // idiag_if: any
  b.writeUInt32LE(0xffffffff, 64); // idiag_cookie: INET_DIAG_NOCOOKIE
  b.writeUInt32LE(0xffffffff, 68);
  return b;
}

/** Reads the answer to diagRequest: the socket's uid and state, 'none' for ENOENT, null for anything unexpected. */
export function parseDiagAnswer(b: Buffer, length: number): DiagAnswer | null {
  if (length < 16) return null;
  const type = b.readUInt16LE(4);
  if (type === NLMSG_ERROR) return length >= 20 && b.readInt32LE(16) === -2 ? 'none' : null;
  if (type !== SOCK_DIAG_BY_FAMILY || length < UID_OFFSET + 4) return null;
  return { uid: b.readUInt32LE(UID_OFFSET), state: b.readUInt8(STATE_OFFSET) };
}

interface Binding {
  fd: number;
  send: (fd: number, buf: Buffer, len: number, flags: number) => number;
  recv: (fd: number, buf: Buffer, len: number, flags: number) => number;
}
let binding: Binding | null | undefined;

/** Opens one netlink socket for the process, on first use; null where koffi, libc or netlink is unavailable. */
function open(): Binding | null {
  if (binding !== undefined) return binding;
  binding = null;
  if (process.platform !== 'linux') return binding;
  try {
    const koffi = loadKoffi('the peer-owner check needs for netlink sock_diag');
    const libc = koffi.load('libc.so.6');
    const socket = libc.func('int socket(int domain, int type, int protocol)');
    const fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG) as number;
    if (fd < 0) return binding;
    binding = {
      fd,
      send: libc.func('intptr_t send(int fd, void *buf, size_t len, int flags)'),
      recv: libc.func('intptr_t recv(int fd, _Out_ void *buf, size_t len, int flags)'),
    };
  } catch {
    /* no koffi build for this platform, or no libc.so.6 (musl): callers fall back to /proc */
  }
  return binding;
}

const answer = Buffer.alloc(512);
let seq = 0;

/** Loading koffi and libc costs ~15 ms: done this long after the first lookup, off the path of the first request. */
const WARM_UP_MS = 250;
let warming: NodeJS.Timeout | undefined;

/**
 * Asks the kernel for the socket whose own end is `local` and whose peer is `remote`. The kernel answers within
 * the send() call (sock_diag replies synchronously), so recv() never waits. Null when netlink cannot be used, and
 * also until it has been opened: the first call schedules that (callers use /proc meanwhile).
 * An IPv4 peer of a dual-stack listener may be an AF_INET6 socket with a mapped address: both tables are asked.
 */
export function diagLookup(local: Endpoint, remote: Endpoint): DiagAnswer | null {
  if (binding === undefined) {
    warming ??= setTimeout(open, WARM_UP_MS).unref();
    return null;
  }
  const b = binding;
  if (!b) return null;
  const req = diagRequest(local, remote, ++seq);
  if (b.send(b.fd, req, req.length, 0) !== req.length) return null;
  const n = b.recv(b.fd, answer, answer.length, MSG_DONTWAIT);
  const got = n > 0 ? parseDiagAnswer(answer, n) : null;
  if (got !== 'none' || req.readUInt8(16) !== AF_INET || !local.address.includes(':')) return got;
  const v6 = diagRequest(local, remote, ++seq); // retry as AF_INET6 with the mapped addresses
  v6.writeUInt8(AF_INET6, 16);
  Buffer.from(addressBytes(local.address)).copy(v6, 28);
  Buffer.from(addressBytes(remote.address)).copy(v6, 44);
  if (b.send(b.fd, v6, v6.length, 0) !== v6.length) return null;
  const m = b.recv(b.fd, answer, answer.length, MSG_DONTWAIT);
  return m > 0 ? parseDiagAnswer(answer, m) : null;
}

/** Opens the netlink socket now (benches and tests); true when sock_diag can be used. */
export function openSockDiag(): boolean {
  return open() !== null;
}
