// Picks the connection kind from the user's settings. Sessions call `connect` for the NS and every switchboard and
// get the same byte stream whichever route is configured.
import type { ConnectionSettings } from '../../src-shared/connection-settings';
import type { ConnectTarget, Transport, TransportFactory } from './transport';
import { openTunnel, type TunnelRoute, type TunnelStep, type TunnelTimings } from './tunnel';
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

export interface RouteConnectOptions {
  signal?: AbortSignal;
  /** Observes a tunnel's steps as they finish (the connection check times them); the gateway reports none. */
  onStep?: (step: TunnelStep) => void;
}

/** A TransportFactory for one route, whose connect can also report the tunnel's steps. */
export interface RouteTransportFactory extends TransportFactory {
  connect(target: ConnectTarget, options?: RouteConnectOptions): Promise<Transport>;
}

export function createTransportFactory(settings: ConnectionSettings, timings: Partial<TransportTimings> = {}): RouteTransportFactory {
  const t: TransportTimings = { ...DEFAULT_TRANSPORT_TIMINGS, ...timings };
  if (settings.transport === 'gateway') {
    return {
      connect: (target: ConnectTarget, options?: RouteConnectOptions): Promise<Transport> =>
        openGatewayTransport({ gateway: settings.gateway, proxy: settings.proxy, target, timings: t, signal: options?.signal }),
    };
  }
  const route = tunnelRouteFor(settings);
  return {
    async connect(target: ConnectTarget, options?: RouteConnectOptions): Promise<Transport> {
      const tunnel = await openTunnel(route, { host: target.host, port: target.port, peer: 'server', signal: options?.signal, onStep: options?.onStep }, t);
      return new SocketTransport(tunnel.socket, {
        description: tunnel.description,
        peerLabel: tunnel.peerLabel,
        closeTimeoutMs: t.closeTimeoutMs,
        initialBytes: tunnel.initialBytes,
      });
    },
  };
}
