// A minimal polling-gateway client for the server's own tests: one POST at a time, SessionID from the
// X-MSN-Messenger header, plain fetch.
import type { TestServer } from '../index';

export interface GatewayReply {
  status: number;
  body: string;
  header: string | null;
}

export class GatewayClient {
  sessionId: string | undefined;

  constructor(private readonly server: TestServer) {}

  private async post(query: string, body: string | Buffer): Promise<GatewayReply> {
    const res = await fetch(`${this.server.gateway.url}?${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-msn-messenger' },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    const header = res.headers.get('X-MSN-Messenger');
    const id = header ? /SessionID=([^;]+)/.exec(header)?.[1] : undefined;
    if (id) this.sessionId = id;
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()).toString('utf8'), header };
  }

  open(server: 'NS' | 'SB', ip: string, body: string): Promise<GatewayReply> {
    return this.post(`Action=open&Server=${server}&IP=${ip}`, body);
  }

  send(body: string | Buffer): Promise<GatewayReply> {
    return this.post(`SessionID=${this.sessionId}`, body);
  }

  poll(): Promise<GatewayReply> {
    return this.post(`Action=poll&SessionID=${this.sessionId}`, '');
  }
}
