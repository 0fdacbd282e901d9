// Type-level checks that the adapters agree with the contract (tsc checks this file; the runtime part is trivial):
// the handlers main answers with, the service's own calls, the preload's object and the bridge's dispatcher all take
// each channel's request as its schema infers it and answer the contract's result (the preload's own check is in
// shell/preload.test.ts, the renderer client's in src-renderer/store/commands.test.ts). Misuse must not compile.
import { describe, expectTypeOf, it } from 'vitest';
import type { ConversationEvent, ConversationMessage, ConversationSummary, MessageFormat } from '../../src-shared/conversation-types';
import type { ButterflyApi, CallChannel, CallRequest, CallResponse, IpcEvents } from '../../src-shared/ipc-contract';
import type { AccountSnapshot, MessengerEvent, OwnStatus } from '../../src-shared/messenger-types';
import type { ConversationListPage, HistoryEvent, HistoryStatus, MessagePage, PageAnchor, SearchPage } from '../../src-shared/history-types';
import type { AccountCallChannel, MessengerService } from '../service/messenger-service';
import type { createAppHandlers } from './app-handlers';
import type { BrowserBridgeOptions } from './browser-bridge';
import type { CallHandlers, Caller, IpcDispatcher } from './ipc-dispatcher';

type Handlers = ReturnType<typeof createAppHandlers>['calls'];

describe('the IPC contract, as every adapter sees it', () => {
  it('requests are inferred from the schemas; results are typed per call', () => {
    expectTypeOf<CallRequest<'messenger:sign-in'>>().toEqualTypeOf<{ email: string; password: string; status?: OwnStatus | undefined }>();
    expectTypeOf<CallRequest<'contacts:add-group'>>().toEqualTypeOf<{ accountId: string; name: string }>();
    expectTypeOf<CallResponse<'messenger:sign-in'>>().toEqualTypeOf<{ accountId: string }>();
    expectTypeOf<CallResponse<'contacts:add-group'>>().toEqualTypeOf<{ groupId: string }>();
    expectTypeOf<CallResponse<'accounts:watch'>>().toEqualTypeOf<{ account: AccountSnapshot | null }>();
    expectTypeOf<CallResponse<'windows:open'>>().toEqualTypeOf<{ opened: 'window'; windowId: number } | { opened: 'in-page' }>();
  });

  it('conversation calls: requests from their schemas, results with our ids; their events on the account stream', () => {
    expectTypeOf<CallRequest<'conversations:open'>>().toEqualTypeOf<{ accountId: string; email: string }>();
    expectTypeOf<CallRequest<'conversations:send-text'>>().toMatchTypeOf<{ accountId: string; conversationId: string; text: string; format?: MessageFormat }>();
    expectTypeOf<MessageFormat>().toMatchTypeOf<NonNullable<CallRequest<'conversations:send-text'>['format']>>();
    expectTypeOf<CallRequest<'conversations:retry'>>().toEqualTypeOf<{ accountId: string; messageId: string }>();
    expectTypeOf<CallRequest<'conversations:invite'>>().toEqualTypeOf<{ accountId: string; conversationId: string; email: string }>();
    expectTypeOf<CallResponse<'conversations:open'>>().toEqualTypeOf<{ conversationId: string }>();
    expectTypeOf<CallResponse<'conversations:send-text'>>().toEqualTypeOf<{ messageIds: string[] }>();
    expectTypeOf<CallResponse<'conversations:send-nudge'>>().toEqualTypeOf<{ messageId: string }>();
    expectTypeOf<CallResponse<'conversations:invite'>>().toEqualTypeOf<{ conversationId: string }>();
    expectTypeOf<CallResponse<'conversations:list'>>().toEqualTypeOf<{ conversations: ConversationSummary[] }>();
    expectTypeOf<CallResponse<'conversations:get'>>().toEqualTypeOf<{ conversation: ConversationSummary; messages: ConversationMessage[] }>();
    expectTypeOf<CallResponse<'conversations:typing'>>().toEqualTypeOf<null>();
    // Every conversation event reaches the renderer stamped with its account, on the one event channel.
    expectTypeOf<ConversationEvent & { accountId: string }>().toMatchTypeOf<MessengerEvent>();
    expectTypeOf<Extract<MessengerEvent, { type: 'message-state' }>>().toEqualTypeOf<Extract<ConversationEvent, { type: 'message-state' }> & { accountId: string }>();
    expectTypeOf<IpcEvents['messenger:event']>().toEqualTypeOf<MessengerEvent>();
  });

  it('history calls: requests from their schemas, results as the store gives them; notices on the account stream', () => {
    expectTypeOf<CallRequest<'history:list'>>().toEqualTypeOf<{ accountId: string; limit?: number | undefined; cursor?: string | undefined }>();
    expectTypeOf<CallRequest<'history:page'>>().toEqualTypeOf<{ accountId: string; conversationId: string; anchor: PageAnchor; limit?: number | undefined }>();
    expectTypeOf<CallRequest<'history:search'>>().toEqualTypeOf<{ accountId: string; text: string; conversationId?: string | undefined; limit?: number | undefined; cursor?: string | undefined }>();
    expectTypeOf<CallRequest<'history:delete'>>().toEqualTypeOf<{ accountId: string; conversationId: string }>();
    expectTypeOf<CallRequest<'history:set-keep'>>().toEqualTypeOf<{ accountId: string; keepHistory: boolean }>();
    expectTypeOf<CallResponse<'history:list'>>().toEqualTypeOf<ConversationListPage>();
    expectTypeOf<CallResponse<'history:page'>>().toEqualTypeOf<MessagePage>();
    expectTypeOf<CallResponse<'history:search'>>().toEqualTypeOf<SearchPage>();
    expectTypeOf<CallResponse<'history:delete'>>().toEqualTypeOf<null>();
    expectTypeOf<CallResponse<'history:get-status'>>().toEqualTypeOf<HistoryStatus>();
    expectTypeOf<CallResponse<'history:set-keep'>>().toEqualTypeOf<HistoryStatus>();
    expectTypeOf<HistoryEvent & { accountId: string }>().toMatchTypeOf<MessengerEvent>();
    expectTypeOf<AccountSnapshot['history']>().toEqualTypeOf<HistoryStatus | undefined>();
  });

  it("main's handlers: one per channel, taking the checked request and the caller", () => {
    expectTypeOf<Handlers>().toEqualTypeOf<CallHandlers>();
    expectTypeOf<keyof Handlers>().toEqualTypeOf<CallChannel>();
    expectTypeOf<Parameters<Handlers['contacts:add-group']>>().toEqualTypeOf<[CallRequest<'contacts:add-group'>, Caller]>();
    expectTypeOf<ReturnType<Handlers['contacts:add-group']>>().toEqualTypeOf<Promise<{ groupId: string }>>();
  });

  it("the service's own calls are exactly the handlers of their channels (what the CLI calls too)", () => {
    expectTypeOf<AccountCallChannel>().toMatchTypeOf<CallChannel>();
    expectTypeOf<MessengerService['calls']['contacts:add-group']>().toEqualTypeOf<(r: CallRequest<'contacts:add-group'>) => Promise<{ groupId: string }>>();
    expectTypeOf<MessengerService['calls']>().toMatchTypeOf<Pick<CallHandlers, AccountCallChannel>>();
    expectTypeOf<Awaited<ReturnType<MessengerService['signIn']>>>().toEqualTypeOf<CallResponse<'messenger:sign-in'>>();
    expectTypeOf<MessengerService['calls']['conversations:send-text']>().toEqualTypeOf<(r: CallRequest<'conversations:send-text'>) => Promise<{ messageIds: string[] }>>();
    expectTypeOf<Extract<CallChannel, `conversations:${string}`>>().toEqualTypeOf<Extract<AccountCallChannel, `conversations:${string}`>>();
    expectTypeOf<Extract<CallChannel, `history:${string}`>>().toEqualTypeOf<Extract<AccountCallChannel, `history:${string}`>>();
    expectTypeOf<MessengerService['calls']['history:page']>().toEqualTypeOf<(r: CallRequest<'history:page'>) => Promise<MessagePage>>();
  });

  it('the bridge carries the one dispatcher', () => {
    expectTypeOf<BrowserBridgeOptions['dispatcher']>().toEqualTypeOf<IpcDispatcher>();
    expectTypeOf<ReturnType<ButterflyApi['call']>>().toEqualTypeOf<Promise<CallResponse<CallChannel>>>();
  });

  it('misuse does not compile', () => {
    const api = {} as ButterflyApi;
    // Never run: only compiled.
    const misuse = async () => {
      // @ts-expect-error an account call without its account
      await api.call('contacts:add-group', { name: 'x' });
      // @ts-expect-error a key the schema does not have
      await api.call('contacts:add-group', { accountId: 'a', name: 'x', extra: 1 });
      // @ts-expect-error the old catch-all channel is gone
      await api.call('messenger:execute', null);
      // @ts-expect-error FLN is not a status you can set
      await api.call('messenger:set-status', { accountId: 'a', status: 'FLN' });
      // @ts-expect-error a conversation call names its conversation
      await api.call('conversations:send-text', { accountId: 'a', text: 'hi' });
      // @ts-expect-error a page starts somewhere the contract names
      await api.call('history:page', { accountId: 'a', conversationId: 'c', anchor: { kind: 'middle' } });
      // @ts-expect-error a page around a message names the message
      await api.call('history:page', { accountId: 'a', conversationId: 'c', anchor: { kind: 'around' } });
      // @ts-expect-error the setting is a boolean
      await api.call('history:set-keep', { accountId: 'a', keepHistory: 'off' });
      const { hits } = await api.call('history:search', { accountId: 'a', text: 'x' });
      // @ts-expect-error a hit's highlights are ranges, not a string
      const highlighted: string = hits[0].snippet.highlights;
      void highlighted;
      // @ts-expect-error a format's colour is a string, not a number
      await api.call('conversations:send-text', { accountId: 'a', conversationId: 'c', text: 'hi', format: { color: 0xff0000 } });
      const { messageIds } = await api.call('conversations:send-text', { accountId: 'a', conversationId: 'c', text: 'hi' });
      // @ts-expect-error the ids are a list
      const one: string = messageIds;
      void one;
      const { groupId } = await api.call('contacts:add-group', { accountId: 'a', name: 'x' });
      // @ts-expect-error the group id is a string
      const n: number = groupId;
      return n;
    };
    expectTypeOf(misuse).toBeFunction();
  });
});
