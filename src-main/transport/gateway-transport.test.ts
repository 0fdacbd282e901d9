import { describe, expect, it } from 'vitest';
import { gatewayOpenQuery, parseMessengerHeader } from './gateway-transport';

describe('gateway helpers', () => {
  it('parses X-MSN-Messenger', () => {
    expect(parseMessengerHeader('SessionID=1217254039.38123; GW-IP=207.46.110.19')).toEqual({ sessionId: '1217254039.38123', gwIp: '207.46.110.19', closed: false });
    expect(parseMessengerHeader('SessionID=abc; GW-IP=10.0.0.1; Session=close')).toEqual({ sessionId: 'abc', gwIp: '10.0.0.1', closed: true });
    expect(parseMessengerHeader('sessionid=x;gw-ip=h')).toEqual({ sessionId: 'x', gwIp: 'h', closed: false });
    expect(parseMessengerHeader(undefined)).toEqual({ closed: false });
    expect(parseMessengerHeader('garbage; SessionID=')).toEqual({ closed: false });
  });
  it('builds the open query', () => {
    expect(gatewayOpenQuery({ host: 'messenger.hotmail.com', port: 1863, role: 'NS' })).toBe('Action=open&Server=NS&IP=messenger.hotmail.com');
    expect(gatewayOpenQuery({ host: '127.0.0.1', port: 1864, role: 'SB' })).toBe('Action=open&Server=SB&IP=127.0.0.1%3A1864');
  });
});
