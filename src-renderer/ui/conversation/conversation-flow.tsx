// A conversation's flow, item by item (flow-pane.tsx lays them out, virtualised): messages grouped by sender and
// minute (the sender's decoded name, bidi-isolated, and the time once per group), a long message the service split
// shown as one, each outgoing message's delivery state with its reason on hover and focus and Retry / Send again, and
// the joins, leaves and notices between them.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ConversationMessage, DeliveryReason, EmoticonToken, DeliveryState, OutgoingMessage } from '../../../src-shared/conversation-types';
import type { FlowEntry, FlowNotice } from '../../store/conversations-slice';
import { describeError } from '../errors';
import { formatStyle, MESSAGE_BACKGROUND, MessageText } from './message-text';

/** One message as shown: a split message's parts together. */
export interface ShownMessage {
  message: ConversationMessage;
  text: string;
  /** The emoticons in `text` (a split message's parts', placed in the whole). */
  emoticons: EmoticonToken[];
  /** The parts' ids (one for an unsplit message). */
  ids: string[];
  state?: DeliveryState;
  reason?: DeliveryReason;
}

export type FlowItem = { type: 'group'; key: string; from: string; incoming: boolean; nickname: string; at: number; messages: ShownMessage[] } | { type: 'notice'; key: string; at: number; notice: FlowNotice };

const STATE_ORDER: readonly DeliveryState[] = ['failed', 'unconfirmed', 'queued', 'sent', 'delivered'];

/** A split message's state is its least advanced part's: failed before unconfirmed before queued, … */
const combinedState = (parts: readonly OutgoingMessage[]): OutgoingMessage =>
  parts.reduce((worst, p) => (STATE_ORDER.indexOf(p.state) < STATE_ORDER.indexOf(worst.state) ? p : worst));

export function shownMessages(entries: readonly FlowEntry[]): (ShownMessage | Extract<FlowEntry, { type: 'notice' }>)[] {
  const out: (ShownMessage | Extract<FlowEntry, { type: 'notice' }>)[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as FlowEntry;
    if (entry.type === 'notice') {
      out.push(entry);
      continue;
    }
    const m = entry.message;
    if (m.direction === 'out' && m.part && m.part.index === 0 && m.part.count > 1) {
      const parts: OutgoingMessage[] = [m];
      for (let j = i + 1; j < entries.length && parts.length < m.part.count; j++) {
        const next = entries[j] as FlowEntry;
        if (next.type !== 'message' || next.message.direction !== 'out' || next.message.part?.index !== parts.length) break;
        parts.push(next.message);
      }
      i += parts.length - 1;
      const worst = combinedState(parts);
      let offset = 0;
      const emoticons = parts.flatMap((p) => {
        const placed = p.emoticons.map((e) => ({ ...e, start: e.start + offset, end: e.end + offset }));
        offset += p.text.length;
        return placed;
      });
      out.push({ message: m, text: parts.map((p) => p.text).join(''), emoticons, ids: parts.map((p) => p.id), state: worst.state, ...(worst.reason ? { reason: worst.reason } : {}) });
    } else {
      out.push({ message: m, text: m.text, emoticons: m.emoticons, ids: [m.id], ...(m.direction === 'out' ? { state: m.state, ...(m.reason ? { reason: m.reason } : {}) } : {}) });
    }
  }
  return out;
}

const minute = (at: number) => Math.floor(at / 60_000);

export function flowItems(entries: readonly FlowEntry[]): FlowItem[] {
  const items: FlowItem[] = [];
  for (const shown of shownMessages(entries)) {
    if ('type' in shown) {
      items.push({ type: 'notice', key: shown.id, at: shown.at, notice: shown.notice });
      continue;
    }
    const m = shown.message;
    const last = items[items.length - 1];
    if (m.kind === 'text' && last?.type === 'group' && last.from === m.from && minute(last.at) === minute(m.at) && last.messages.every((x) => x.message.kind === 'text')) {
      last.messages.push(shown);
    } else {
      items.push({ type: 'group', key: m.id, from: m.from, incoming: m.direction === 'in', nickname: m.direction === 'in' ? m.nickname : '', at: m.at, messages: [shown] });
    }
  }
  return items;
}

function DeliveryLine({ shown, onRetry }: { shown: ShownMessage; onRetry: (ids: string[]) => void }) {
  const { t } = useTranslation();
  const state = shown.state;
  if (!state) return null;
  if (state === 'delivered') {
    return (
      <svg className="delivery delivered" role="img" aria-label={t('chat.state.delivered')} viewBox="0 0 12 12" width="12" height="12">
        <title>{t('chat.state.delivered')}</title>
        <path d="M2 6.5l2.5 2.5L10 3.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
    );
  }
  const reason = shown.reason ? t(`chat.reason.${shown.reason.code}`) : '';
  return (
    <span className={`delivery ${state}`}>
      <span tabIndex={reason ? 0 : undefined} title={reason || undefined} aria-label={reason ? `${t(`chat.state.${state}`)}: ${reason}` : undefined}>
        {t(`chat.state.${state}`)}
      </span>
      {(state === 'failed' || state === 'unconfirmed') && shown.message.kind === 'text' && (
        <button type="button" className="link" onClick={() => onRetry(shown.ids)}>
          {state === 'failed' ? t('chat.retry') : t('chat.sendAgain')}
        </button>
      )}
    </span>
  );
}

function noticeText(t: TFunction, notice: FlowNotice, nameOf: (email: string, nickname?: string) => string): string {
  switch (notice.kind) {
    case 'joined':
      return t('chat.joined', { name: nameOf(notice.email, notice.nickname) });
    case 'left':
      return notice.reason === 'dropped' ? t('chat.dropped', { name: nameOf(notice.email) }) : t('chat.left', { name: nameOf(notice.email) });
    case 'unsupported':
      return t('chat.unsupported', { name: nameOf(notice.from) });
    case 'invite-failed':
      return t('chat.inviteFailed', { name: nameOf(notice.email), reason: describeError(t, notice.error).text });
  }
}

/** Where a message is in the flow's items: the index of the item showing it (a split message by any part's id). */
export function itemIndexOf(items: readonly FlowItem[], messageId: string): number {
  return items.findIndex((item) => item.type === 'group' && item.messages.some((m) => m.ids.includes(messageId)));
}

export interface FlowProps {
  /** A shown name (decoded), for an address and, when the message carried one, its wire nickname. */
  nameOf: (email: string, nickname?: string) => string;
  ownName: string;
  onRetry: (ids: string[]) => void;
  theme: 'light' | 'dark';
}

export interface FlowRowProps extends FlowProps {
  item: FlowItem;
  time: Intl.DateTimeFormat;
  /** The message a search result jumped to, shown highlighted (focusable, so focus can be put on it). */
  highlight?: string;
}

/** One item of the flow: a sender's group of messages, or a notice. */
export const FlowRow = memo(function FlowRow({ item, nameOf, ownName, onRetry, theme, time, highlight }: FlowRowProps) {
  const { t } = useTranslation();
  if (item.type === 'notice') return <div className={`flow-notice ${item.notice.kind}`}>{noticeText(t, item.notice, nameOf)}</div>;
  return (
    <div className={item.incoming ? 'message-group in' : 'message-group out'}>
      <div className="group-head">
        <bdi className="sender">{item.incoming ? nameOf(item.from, item.nickname) : ownName}</bdi>
        <time dateTime={new Date(item.at).toISOString()}>{time.format(item.at)}</time>
      </div>
      {item.messages.map((shown) => {
        const m = shown.message;
        const lit = highlight !== undefined && shown.ids.includes(highlight);
        const mark = lit ? { 'data-highlight': '', tabIndex: -1 } : {};
        if (m.kind === 'nudge') {
          return (
            <p key={m.id} className={lit ? 'message nudge highlighted' : 'message nudge'} {...mark}>
              {item.incoming ? t('chat.nudgedYou', { name: nameOf(m.from, item.nickname) }) : t('chat.youNudged')}
              <DeliveryLine shown={shown} onRetry={onRetry} />
            </p>
          );
        }
        return (
          <div key={m.id} className={lit ? 'message highlighted' : 'message'} {...mark}>
            <p className="message-text" style={formatStyle(m.format, MESSAGE_BACKGROUND[theme])} dir={m.format?.rightToLeft ? 'rtl' : 'auto'}>
              <MessageText text={shown.text} emoticons={shown.emoticons} />
            </p>
            {m.direction === 'in' && (m.unknownCharset || m.malformed) && (
              <span className="charset-marker" title={t('chat.charsetHint', { charset: m.charset ?? '' })}>
                {m.malformed ? t('chat.malformed') : t('chat.unknownCharset')}
              </span>
            )}
            <DeliveryLine shown={shown} onRetry={onRetry} />
          </div>
        );
      })}
    </div>
  );
});
