import { describe, expect, it } from 'vitest';
import type { MessengerEvent } from '../../src-shared/messenger-types';
import { EventRoutes } from './event-routes';

const event = (accountId: string): MessengerEvent => ({ accountId, type: 'added-you', email: 'x@example.com', nickname: 'x' });

describe('EventRoutes', () => {
  it("sends an account's events only to the windows watching it", () => {
    const routes = new EventRoutes();
    routes.watchAccount('w1', 'alice');
    routes.watchAccount('w2', 'bob');
    routes.watchAccount('w3', 'alice');
    expect(routes.clientsFor(event('alice'))).toEqual(['w1', 'w3']);
    expect(routes.clientsFor(event('bob'))).toEqual(['w2']);
    expect(routes.clientsFor(event('carol'))).toEqual([]);
  });

  it('a window watches one account: watching another stops the first', () => {
    const routes = new EventRoutes();
    routes.watchAccount('w1', 'alice');
    routes.watchAccount('w1', 'bob');
    expect(routes.accountWatchedBy('w1')).toBe('bob');
    expect(routes.clientsFor(event('alice'))).toEqual([]);
    expect(routes.clientsFor(event('bob'))).toEqual(['w1']);
  });

  it('a window that is gone gets nothing more', () => {
    const routes = new EventRoutes();
    routes.watchAccount('w1', 'alice');
    routes.forget('w1');
    routes.forget('never-seen');
    expect(routes.accountWatchedBy('w1')).toBeUndefined();
    expect(routes.clientsFor(event('alice'))).toEqual([]);
  });
});
