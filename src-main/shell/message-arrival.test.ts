import { describe, expect, it } from 'vitest';
import { decideMessageArrival, type WindowState } from './message-arrival';

describe('what a message arriving does to the windows', () => {
  it('with no window of its own: opens one without the focus, or (only notify) flashes the list unless it is in front or absent', () => {
    for (const list of ['none', 'open', 'focused'] as WindowState[]) {
      expect(decideMessageArrival('open-window', { conversation: 'none', list })).toEqual({ kind: 'open-inactive' });
    }
    expect(decideMessageArrival('notify', { conversation: 'none', list: 'open' })).toEqual({ kind: 'flash-list' });
    expect(decideMessageArrival('notify', { conversation: 'none', list: 'focused' })).toEqual({ kind: 'nothing' });
    expect(decideMessageArrival('notify', { conversation: 'none', list: 'none' })).toEqual({ kind: 'nothing' });
  });

  it('its window open behind others flashes, whatever the setting; in front, nothing happens', () => {
    for (const setting of ['open-window', 'notify'] as const) {
      expect(decideMessageArrival(setting, { conversation: 'open', list: 'open' })).toEqual({ kind: 'flash-conversation' });
      expect(decideMessageArrival(setting, { conversation: 'focused', list: 'open' })).toEqual({ kind: 'nothing' });
    }
  });
});
