// The transport layer's public surface: what the session layer, the service and the CLI import.
export type { ConnectTarget, HttpClient, HttpRequest, HttpResponse, ServerRole, Transport, TransportCloseInfo, TransportFactory, TransportState, TransportTap } from './transport';
export { createTransportFactory, DEFAULT_TRANSPORT_TIMINGS, type RouteConnectOptions, type RouteTransportFactory, type TransportTimings } from './create-transport-factory';
export { createHttpClient, DEFAULT_HTTP_OPTIONS, type HttpClientOptions } from './create-http-client';
export { resolveHost, type TunnelStep } from './tunnel';
export { TransportError, isTransportError, type TransportErrorCode } from './transport-error';
