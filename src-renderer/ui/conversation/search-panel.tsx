// Searching the stored history (`history:search`): in one conversation, or across all when none is given. Results
// come as the person types (after a short pause) or at once on Enter, newest first, each with who wrote it, when, and
// an excerpt with the matches marked — the excerpt and its marks are text, cut at the ranges main gave, never HTML.
// Choosing a result (click, or Enter on it) opens its conversation at that message (history-paging.ts). Escape
// closes the search. When the account keeps no history, it says only this session's messages can be found.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_QUERY_LENGTH, type SearchHit, type Snippet } from '../../../src-shared/history-types';
import type { ErrorInfo } from '../../../src-shared/errors';
import { contactKey } from '../../store/contacts-slice';
import { useButterflyStore } from '../../store/store';
import { contactName, showName } from '../display-name';
import { describeError } from '../errors';
import { useCommands } from '../main-api';
import { jumpToMessage } from './history-paging';

/** How long typing pauses before the search runs (Enter runs it at once). */
export const SEARCH_DELAY_MS = 250;
const RESULTS_PER_PAGE = 30;

export interface SnippetPart {
  text: string;
  match: boolean;
}

/** An excerpt cut into plain and matching stretches, at the ranges given (clamped, overlaps merged, in order). */
export function snippetParts(snippet: Pick<Snippet, 'text' | 'highlights'>): SnippetPart[] {
  const { text } = snippet;
  const ranges = snippet.highlights
    .map((r) => ({ start: Math.max(0, Math.min(text.length, r.start)), end: Math.max(0, Math.min(text.length, r.end)) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const parts: SnippetPart[] = [];
  let at = 0;
  for (const r of ranges) {
    const start = Math.max(r.start, at);
    if (r.end <= start) continue;
    if (start > at) parts.push({ text: text.slice(at, start), match: false });
    parts.push({ text: text.slice(start, r.end), match: true });
    at = r.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}

function SnippetText({ snippet }: { snippet: Snippet }) {
  return (
    <span className="result-text">
      {snippet.cutStart && '…'}
      {snippetParts(snippet).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
      {snippet.cutEnd && '…'}
    </span>
  );
}

type Found = { text: string; hits: SearchHit[]; next?: string };

export interface SearchPanelProps {
  /** Only this conversation's messages; all conversations' when absent. */
  conversationId?: string;
  /** Escape, or a result chosen (its conversation is then shown at the message, which takes focus). */
  onClose: (chosen: boolean) => void;
  delayMs?: number;
}

export function SearchPanel({ conversationId, onClose, delayMs = SEARCH_DELAY_MS }: SearchPanelProps) {
  const { t, i18n } = useTranslation();
  const commands = useCommands();
  const contacts = useButterflyStore((s) => s.contacts);
  const historyOff = useButterflyStore((s) => s.historyStatus?.accountId === s.accountId && !s.historyStatus.status.keepHistory);
  const [text, setText] = useState('');
  const [found, setFound] = useState<Found | null>(null);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(0);
  const resultsId = useId();

  useEffect(() => {
    void commands.historyStatus();
  }, [commands]);

  const search = useCallback(
    async (query: string, cursor?: string) => {
      const ask = ++asked.current;
      if (!query.trim()) {
        setFound(null);
        setSearching(false);
        return;
      }
      setSearching(true);
      const r = await commands.searchHistory(query, { ...(conversationId ? { conversationId } : {}), ...(cursor ? { cursor } : {}), limit: RESULTS_PER_PAGE });
      if (ask !== asked.current) return;
      setSearching(false);
      if (!r.ok) return setError(describeError(t, r.error).text);
      setError(null);
      setFound((before) => ({ text: query, hits: cursor && before ? [...before.hits, ...r.value.hits] : r.value.hits, ...(r.value.next ? { next: r.value.next } : {}) }));
    },
    [commands, conversationId, t],
  );
  useEffect(() => {
    const timer = setTimeout(() => void search(text), delayMs);
    return () => clearTimeout(timer);
  }, [text, delayMs, search]);

  const nameOf = (email: string, nickname?: string) => {
    const contact = contacts[contactKey(email)];
    return contact ? contactName(contact) : (nickname && showName(nickname)) || email;
  };
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });

  const choose = async (hit: SearchHit) => {
    const m = hit.message;
    const contact = m.participants.length === 1 ? m.participants[0] : undefined;
    const r: ErrorInfo | 'not-open' | null = await jumpToMessage(commands, useButterflyStore, { conversationId: m.conversationId, messageId: m.id, ...(contact ? { contact } : {}) });
    if (r === null) onClose(true);
    else setError(r === 'not-open' ? t('history.notOpen') : describeError(t, r).text);
  };

  const status = searching ? t('history.searching') : found ? (found.hits.length === 0 ? t('history.noResults') : t('history.found', { count: found.hits.length })) : '';
  return (
    <div
      className="search-panel"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        e.stopPropagation();
        onClose(false);
      }}
    >
      <input
        type="search"
        aria-label={conversationId ? t('history.searchConversation') : t('history.searchAll')}
        placeholder={t('history.searchFor')}
        aria-controls={resultsId}
        value={text}
        maxLength={MAX_QUERY_LENGTH}
        autoFocus
        data-autofocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void search(text);
          } else if (e.key === 'ArrowDown') {
            e.preventDefault();
            document.getElementById(resultsId)?.querySelector<HTMLElement>('button')?.focus();
          }
        }}
      />
      {historyOff && <p className="search-status">{t('history.searchOff')}</p>}
      <p className="search-status" role="status">
        {status}
      </p>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      <ul id={resultsId} className="search-results" aria-label={t('history.results')}>
        {found?.hits.map((hit) => {
          const m = hit.message;
          const sender = m.direction === 'in' ? nameOf(m.from, m.nickname) : t('history.you');
          return (
            <li key={m.id}>
              <button type="button" className="search-result" onClick={() => void choose(hit)}>
                <span className="result-head">
                  <bdi>{sender}</bdi>
                  {!conversationId && m.participants.length > 0 && <bdi>{t('history.with', { names: m.participants.map((p) => nameOf(p, m.direction === 'in' && contactKey(p) === contactKey(m.from) ? m.nickname : undefined)).join(', ') })}</bdi>}
                  <time dateTime={new Date(m.at).toISOString()}>{when.format(m.at)}</time>
                </span>
                <SnippetText snippet={hit.snippet} />
              </button>
            </li>
          );
        })}
      </ul>
      {found?.next && (
        <button type="button" className="secondary" onClick={() => void search(found.text, found.next)}>
          {t('history.more')}
        </button>
      )}
    </div>
  );
}
