// The one decoder of /proc/net/tcp{,6} addresses: each 32-bit word is printed in host byte order, so decoding needs it.
import { endianness } from 'node:os';

/** One 32-bit word of /proc's hex as 4 bytes in network order. */
function wordBytes(hex: string, order: 'LE' | 'BE'): number[] {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return order === 'LE' ? bytes.reverse() : bytes;
}

/**
 * "0100007F" (IPv4) or 32 hex digits (IPv6) → 16 bytes in network order, IPv4 as ::ffff:a.b.c.d; null when malformed.
 * `order` is the byte order of the kernel that wrote the table: this machine's.
 */
export function procAddressBytes(hex: string, order: 'LE' | 'BE' = endianness()): number[] | null {
  if (!/^([0-9A-F]{8}|[0-9A-F]{32})$/i.test(hex)) return null;
  const raw = (hex.match(/.{8}/g) ?? []).flatMap((w) => wordBytes(w, order));
  return raw.length === 4 ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...raw] : raw;
}

/** 16 bytes → the address's usual spelling: dotted IPv4 for ::ffff:a.b.c.d, else compressed lower-case IPv6. */
export function formatAddressBytes(bytes: number[]): string {
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255)
    return bytes.slice(12).join('.');
  const groups = Array.from({ length: 8 }, (_, i) =>
    ((bytes[2 * i] ?? 0) * 256 + (bytes[2 * i + 1] ?? 0)).toString(16),
  );
  return new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1);
}

/** A local_address/rem_address field, "0100007F:1F90", → its 16 address bytes and port; null when malformed. */
export function decodeProcEndpoint(
  field: string,
  order: 'LE' | 'BE' = endianness(),
): { bytes: number[]; port: number } | null {
  const [hex = '', portHex = ''] = field.split(':');
  const bytes = procAddressBytes(hex, order);
  return bytes && /^[0-9A-F]{4}$/i.test(portHex) ? { bytes, port: parseInt(portHex, 16) } : null;
}
