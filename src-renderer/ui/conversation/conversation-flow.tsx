// A conversation's flow, row by row (flow-pane.tsx lays the rows out, virtualised): messages grouped by sender and
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

/**
 * The flow as it is laid out: one row per message (a group's first carries the sender and time) and per notice, so
 * a burst of messages in one minute is many small rows rather than one tall one.
 */
export type FlowRow = { type: 'message'; key: string; group: Extract<FlowItem, { type: 'group' }>; shown: ShownMessage; head: boolean } | { type: 'notice'; key: string; notice: FlowNotice };

export function flowRows(items: readonly FlowItem[]): FlowRow[] {
  const rows: FlowRow[] = [];
  for (const item of items) {
    if (item.type === 'notice') rows.push({ type: 'notice', key: item.key, notice: item.notice });
    else item.messages.forEach((shown, i) => rows.push({ type: 'message', key: shown.message.id, group: item, shown, head: i === 0 }));
  }
  return rows;
}

/** The row showing a message (a split message by any part's id), or -1. */
export function rowIndexOf(rows: readonly FlowRow[], messageId: string): number {
  return rows.findIndex((row) => row.type === 'message' && row.shown.ids.includes(messageId));
}

export interface FlowProps {
  /** A shown name (decoded), for an address and, when the message carried one, its wire nickname. */
  nameOf: (email: string, nickname?: string) => string;
  ownName: string;
  onRetry: (ids: string[]) => void;
  theme: 'light' | 'dark';
}

export interface FlowRowProps extends FlowProps {
  row: FlowRow;
  time: Intl.DateTimeFormat;
  /** The message a search result jumped to, shown highlighted (focusable, so focus can be put on it). */
  highlight?: string;
}

/** One row of the flow: a message (under its group's sender and time when it is the group's first), or a notice. */
export const FlowRowView = memo(function FlowRowView({ row, nameOf, ownName, onRetry, theme, time, highlight }: FlowRowProps) {
  const { t } = useTranslation();
  if (row.type === 'notice') return <div className={`flow-notice ${row.notice.kind}`}>{noticeText(t, row.notice, nameOf)}</div>;
  const { group, shown } = row;
  const m = shown.message;
  const lit = highlight !== undefined && shown.ids.includes(highlight);
  const mark = lit ? { 'data-highlight': '', tabIndex: -1 } : {};
  return (
    <div className={group.incoming ? 'message-group in' : 'message-group out'}>
      {row.head && (
        <div className="group-head">
          <bdi className="sender">{group.incoming ? nameOf(group.from, group.nickname) : ownName}</bdi>
          <time dateTime={new Date(group.at).toISOString()}>{time.format(group.at)}</time>
        </div>
      )}
      {m.kind === 'nudge' ? (
        <p className={lit ? 'message nudge highlighted' : 'message nudge'} {...mark}>
          {group.incoming ? t('chat.nudgedYou', { name: nameOf(m.from, group.nickname) }) : t('chat.youNudged')}
          <DeliveryLine shown={shown} onRetry={onRetry} />
        </p>
      ) : (
        <div className={lit ? 'message highlighted' : 'message'} {...mark}>
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
      )}
    </div>
  );
});
