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
      out.push(single(m));
    }
  }
  return out;
}

/** An unsplit message as shown, made once per message object (a state change makes a new one), so rows stay the same. */
const shownOnce = new WeakMap<ConversationMessage, ShownMessage>();
function single(m: ConversationMessage): ShownMessage {
  let shown = shownOnce.get(m);
  if (!shown) {
    shown = { message: m, text: m.text, emoticons: m.emoticons, ids: [m.id], ...(m.direction === 'out' ? { state: m.state, ...(m.reason ? { reason: m.reason } : {}) } : {}) };
    shownOnce.set(m, shown);
  }
  return shown;
}

const minute = (at: number) => Math.floor(at / 60_000);

/**
 * The flow as it is laid out: one row per message and per notice, so that a burst of messages in one minute is many
 * small rows rather than one tall one. `head`: the message starts a group (its sender and time are shown above it) —
 * a text joins the group before it when that group is of texts from the same sender begun in the same minute.
 */
export type FlowRow = { type: 'message'; key: string; shown: ShownMessage; head: boolean } | { type: 'notice'; key: string; at: number; notice: FlowNotice };

/** Rows made once per shown message (as a group's first or not): a long flow re-laid after a page costs no new rows. */
const rowsOnce = new WeakMap<ShownMessage, { head?: FlowRow; body?: FlowRow }>();
function messageRow(shown: ShownMessage, head: boolean): FlowRow {
  const made = rowsOnce.get(shown) ?? {};
  rowsOnce.set(shown, made);
  const which = head ? 'head' : 'body';
  return (made[which] ??= { type: 'message', key: shown.message.id, shown, head });
}

export function flowRows(entries: readonly FlowEntry[]): FlowRow[] {
  const rows: FlowRow[] = [];
  let groupStart: ConversationMessage | null = null;
  for (const shown of shownMessages(entries)) {
    if ('type' in shown) {
      rows.push({ type: 'notice', key: shown.id, at: shown.at, notice: shown.notice });
      groupStart = null;
      continue;
    }
    const m = shown.message;
    const joins = m.kind === 'text' && groupStart?.kind === 'text' && groupStart.from === m.from && minute(groupStart.at) === minute(m.at);
    if (!joins) groupStart = m;
    rows.push(messageRow(shown, !joins));
  }
  return rows;
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
  const { shown } = row;
  const m = shown.message;
  const incoming = m.direction === 'in';
  const nickname = m.direction === 'in' ? m.nickname : undefined;
  const lit = highlight !== undefined && shown.ids.includes(highlight);
  // The message's own id (ours, never from the network) names it for a jump and for tests.
  const mark = { 'data-message-id': m.id, ...(lit ? { 'data-highlight': '', tabIndex: -1 } : {}) };
  return (
    <div className={incoming ? 'message-group in' : 'message-group out'}>
      {row.head && (
        <div className="group-head">
          <bdi className="sender">{incoming ? nameOf(m.from, nickname) : ownName}</bdi>
          <time dateTime={new Date(m.at).toISOString()}>{time.format(m.at)}</time>
        </div>
      )}
      {m.kind === 'nudge' ? (
        <p className={lit ? 'message nudge highlighted' : 'message nudge'} {...mark}>
          {incoming ? t('chat.nudgedYou', { name: nameOf(m.from, nickname) }) : t('chat.youNudged')}
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
