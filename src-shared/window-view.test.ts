import { describe, expect, it } from 'vitest';
import { conversationViewHash, parseConversationViewHash } from './window-view';

const view = { view: 'conversation', accountId: 'acc-1', conversationId: 'c_7' } as const;

describe('a conversation window’s fragment', () => {
  it('is read back as the view it was written from, with or without a message to show', () => {
    expect(parseConversationViewHash(`#${conversationViewHash(view)}`)).toEqual(view);
    expect(parseConversationViewHash(conversationViewHash({ ...view, messageId: 'm-9' }))).toEqual({ ...view, messageId: 'm-9' });
    expect(conversationViewHash({ ...view, messageId: 'm-9' })).toBe('view=conversation&account=acc-1&conversation=c_7&message=m-9');
  });

  it('names the contact list (undefined) when it names anything else or an id that is not one', () => {
    for (const hash of ['', '#', '#view=contact-list&account=acc-1', '#view=conversation&account=acc-1', '#view=conversation&account=acc-1&conversation=../x', '#view=conversation&account=acc-1&conversation=c&message=a%20b']) {
      expect(parseConversationViewHash(hash), hash).toBeUndefined();
    }
  });
});
