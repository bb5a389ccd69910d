import { isIPv4, isIPv6 } from 'node:net';
import { requireThat } from './errors.js';

/** Protocols a NetworkPolicy port may name. */
export type NetworkProtocol = 'TCP' | 'UDP' | 'SCTP';
export const NETWORK_PROTOCOLS: readonly NetworkProtocol[] = ['TCP', 'UDP', 'SCTP'];

/** A port, or a range `port`..`endPort`, on one protocol. */
export interface NetworkPort {
  /** Port number, 1-65535. */
  readonly port: number;
  /** Last port of a range, at least `port`. @default a single port */
  readonly endPort?: number;
  /** @default 'TCP' */
  readonly protocol?: NetworkProtocol;
}

/** A NetworkPort whose protocol is filled in. */
export type ResolvedNetworkPort = NetworkPort & { readonly protocol: NetworkProtocol };

/** Throws a ConfigurationError naming `field` unless `value` is an IPv4 or IPv6 CIDR with an explicit prefix length. */
export function requireCidr(value: string, field: string, subject?: string): void {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIPv4(address) ? 4 : isIPv6(address) && !address.includes('%') ? 6 : undefined;
  const maxPrefix = family === 4 ? 32 : 128;
  requireThat(
    family !== undefined &&
      rest.length === 0 &&
      prefix !== undefined &&
      /^[0-9]{1,3}$/.test(prefix) &&
      Number(prefix) <= maxPrefix,
    field,
    `"${value}" is not a CIDR; expected an IPv4 or IPv6 address and a prefix length, e.g. 10.0.0.0/16 or 2600:1f18::/56`,
    subject,
  );
}

/** Validates ports (1-65535, endPort >= port, TCP/UDP/SCTP) and returns them with the protocol filled in. */
export function resolveNetworkPorts(
  ports: readonly NetworkPort[],
  field: string,
  subject?: string,
): ResolvedNetworkPort[] {
  return ports.map((p, i) => {
    const at = `${field}[${i}]`;
    const protocol = p.protocol ?? 'TCP';
    requireThat(isPortNumber(p.port), `${at}.port`, `${p.port} must be a whole number from 1 to 65535`, subject);
    if (p.endPort !== undefined) {
      requireThat(
        isPortNumber(p.endPort) && p.endPort >= p.port,
        `${at}.endPort`,
        `${p.endPort} must be a whole number from ${p.port} to 65535`,
        subject,
      );
    }
    requireThat(
      NETWORK_PROTOCOLS.includes(protocol),
      `${at}.protocol`,
      `"${protocol}" is not a protocol; allowed: ${NETWORK_PROTOCOLS.join(', ')}`,
      subject,
    );
    return { ...p, protocol };
  });
}

function isPortNumber(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}
