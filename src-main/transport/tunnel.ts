// One byte stream to host:port along a route: straight there, or through a SOCKS4/4a/5 or HTTP CONNECT proxy.
// The MSNP transports and the HTTPS client open their sockets here (the connection check through them).
import type { Socket } from 'node:net';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { formatHostPort, kindLabel, type ProxySettings } from '../../src-shared/connection-settings';
import { tcpConnect, peerLabel } from './tcp-connect';
import { socksConnect, type TunnelResult } from './socks-connector';
import { httpConnect } from './http-connect-connector';
import { TransportError } from './transport-error';

export type TunnelKind = 'direct' | 'socks4' | 'socks4a' | 'socks5' | 'http-proxy';

export interface TunnelRoute {
  kind: TunnelKind;
  /** Required for every kind but 'direct'. */
  proxy?: ProxySettings;
}

export interface TunnelTimings {
  connectTimeoutMs: number;
  handshakeTimeoutMs: number;
  keepAliveMs: number;
}

export interface TunnelRequest {
  host: string;
  port: number;
  /** Who is at the far end, for messages. */
  peer: 'server' | 'gateway' | 'web server';
  signal?: AbortSignal;
  /** Observes the steps as they finish (the connection check times them). */
  onStep?: (step: TunnelStep) => void;
}

export type TunnelStep = 'resolved' | 'proxy-reached' | 'proxy-handshake' | 'target-reached';

export interface Tunnel extends TunnelResult {
  /** e.g. "SOCKS5 proxy 127.0.0.1:1080 → ns.example:1863"; no credentials. */
  description: string;
  /** "the MSN server at h:p via the SOCKS5 proxy at …", for later error messages. */
  peerLabel: string;
}

export function routeDescription(route: TunnelRoute, target: { host: string; port: number }): string {
  const where = formatHostPort(target);
  if (route.kind === 'direct' || !route.proxy) return `direct → ${where}`;
  return `${kindLabel(route.kind)} ${formatHostPort(route.proxy)} → ${where}`;
}

export async function openTunnel(route: TunnelRoute, request: TunnelRequest, timings: TunnelTimings): Promise<Tunnel> {
  const target = { host: request.host, port: request.port };
  const targetWhere = formatHostPort(target);
  const description = routeDescription(route, target);
  if (route.kind === 'direct') {
    const socket = await tcpConnect({ ...target, peer: request.peer, timeoutMs: timings.connectTimeoutMs, keepAliveMs: timings.keepAliveMs, signal: request.signal });
    request.onStep?.('target-reached');
    return { socket, description, peerLabel: peerLabel(request.peer, targetWhere) };
  }
  const proxy = route.proxy;
  if (!proxy) throw new TransportError('transport.unsupported', `A ${kindLabel(route.kind)} connection needs a proxy address in the connection settings.`);
  const proxyWhere = formatHostPort(proxy);
  const via = `${peerLabel(request.peer, targetWhere)} via the ${route.kind === 'http-proxy' ? 'HTTP' : kindLabel(route.kind)} proxy at ${proxyWhere}`;

  // SOCKS4 carries only an IPv4 address: we resolve the name here. SOCKS4a and SOCKS5 send the name to the proxy.
  let destination = target;
  if (route.kind === 'socks4') destination = { host: await resolveIpv4(request.host), port: request.port };
  request.onStep?.('resolved');

  const socket: Socket = await tcpConnect({ host: proxy.host, port: proxy.port, peer: 'proxy', timeoutMs: timings.connectTimeoutMs, keepAliveMs: timings.keepAliveMs, signal: request.signal });
  request.onStep?.('proxy-reached');
  let result: TunnelResult;
  if (route.kind === 'http-proxy') {
    result = await httpConnect(socket, { destination: target, username: proxy.username, password: proxy.password, timeoutMs: timings.handshakeTimeoutMs, proxyWhere, signal: request.signal });
  } else {
    if ((route.kind === 'socks4a' || route.kind === 'socks4') && isIP(destination.host) === 6) {
      socket.destroy();
      throw new TransportError('transport.unsupported', `SOCKS4 cannot carry IPv6 addresses like ${request.host}: use SOCKS5, or the server's host name.`);
    }
    result = await socksConnect(socket, {
      version: route.kind === 'socks5' ? 5 : 4,
      destination,
      username: proxy.username,
      password: proxy.password,
      timeoutMs: timings.handshakeTimeoutMs,
      proxyWhere,
      targetWhere,
      signal: request.signal,
    });
  }
  request.onStep?.('proxy-handshake');
  request.onStep?.('target-reached');
  return { ...result, description, peerLabel: via };
}

/** Resolves a host as dialling it would (an IP literal is its own address); the connection check's first step. */
export async function resolveHost(host: string): Promise<{ address: string; literal: boolean }> {
  if (isIP(host)) return { address: host, literal: true };
  try {
    return { address: (await lookup(host)).address, literal: false };
  } catch (error) {
    throw new TransportError('transport.host-not-found', `Could not find ${host}: the name does not resolve. Check the spelling and your network or DNS.`, { cause: error });
  }
}

async function resolveIpv4(host: string): Promise<string> {
  const family = isIP(host);
  if (family === 4) return host;
  if (family === 6) throw new TransportError('transport.unsupported', `SOCKS4 cannot carry IPv6 addresses like ${host}: use SOCKS5 or SOCKS4a.`);
  try {
    const found = await lookup(host, { family: 4 });
    return found.address;
  } catch (error) {
    throw new TransportError('transport.host-not-found', `Could not find the IPv4 address of ${host} (SOCKS4 needs this computer to resolve names). Check the spelling, or use SOCKS4a or SOCKS5 so the proxy resolves it.`, { cause: error });
  }
}
