// Picks the connection kind from the user's settings. Sessions call `connect` for the NS and every switchboard and
// get the same byte stream whichever route is configured.
import type { ConnectionSettings } from '../../src-shared/connection-settings';
import type { ConnectTarget, Transport, TransportFactory } from './transport';
import { openTunnel, type TunnelRoute, type TunnelTimings } from './tunnel';
import { SocketTransport } from './socket-transport';
import { openGatewayTransport, type GatewayTimings } from './gateway-transport';

export interface TransportTimings extends TunnelTimings, GatewayTimings {
  /** Graceful close: how long to wait for queued bytes and the peer's FIN. */
  closeTimeoutMs: number;
}

export const DEFAULT_TRANSPORT_TIMINGS: TransportTimings = {
  connectTimeoutMs: 15_000,
  handshakeTimeoutMs: 15_000,
  keepAliveMs: 30_000,
  closeTimeoutMs: 5_000,
  pollIntervalMs: 2_000,
  gatewayRequestTimeoutMs: 30_000,
  gatewayMaxBodyBytes: 4 * 1024 * 1024,
};

export function tunnelRouteFor(settings: Pick<ConnectionSettings, 'transport' | 'proxy'>): TunnelRoute {
  if (settings.transport === 'gateway') return settings.proxy ? { kind: 'http-proxy', proxy: settings.proxy } : { kind: 'direct' };
  return { kind: settings.transport, proxy: settings.proxy };
}

export function createTransportFactory(settings: ConnectionSettings, timings: Partial<TransportTimings> = {}): TransportFactory {
  const t: TransportTimings = { ...DEFAULT_TRANSPORT_TIMINGS, ...timings };
  if (settings.transport === 'gateway') {
    return {
      connect: (target: ConnectTarget, options?: { signal?: AbortSignal }): Promise<Transport> =>
        openGatewayTransport({ gateway: settings.gateway, proxy: settings.proxy, target, timings: t, signal: options?.signal }),
    };
  }
  const route = tunnelRouteFor(settings);
  return {
    async connect(target: ConnectTarget, options?: { signal?: AbortSignal }): Promise<Transport> {
      const tunnel = await openTunnel(route, { host: target.host, port: target.port, peer: 'server', signal: options?.signal }, t);
      return new SocketTransport(tunnel.socket, {
        description: tunnel.description,
        peerLabel: tunnel.peerLabel,
        closeTimeoutMs: t.closeTimeoutMs,
        initialBytes: tunnel.initialBytes,
      });
    },
  };
}
