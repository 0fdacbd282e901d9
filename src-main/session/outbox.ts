// One conversation's outgoing messages and their delivery states — the rules, without any I/O:
//   queued ──take──▶ sent ──▶ delivered | failed | unconfirmed        (ack mode A)
//   queued ──take──▶ sent                                             (ack mode N: nothing more comes)
//   queued ──────────────────▶ failed                                 (it never left: signed out, contact offline…)
//   failed | unconfirmed ──retry──▶ queued (the same id, attempt + 1)
// Every other transition is refused, so a late ACK after the connection dropped cannot turn `unconfirmed` into
// `delivered`, and nothing is ever delivered twice without a retry. Queued messages leave in the order they were
// written. Messages that are done (delivered; nudges once sent) are forgotten; failed and unconfirmed ones are kept
// for a retry.
import type { DeliveryReason, DeliveryState, OutgoingMessage } from '../../src-shared/conversation-types';

export interface OutboxItem {
  /** The record the events and history see; its `state`, `reason` and `attempt` are updated here. */
  readonly message: OutgoingMessage;
  readonly payload: Uint8Array;
  /** A: wait for ACK/NAK. N: sent is final. */
  readonly mode: 'A' | 'N';
  /** Switchboards opened for it that never carried it (bounded by the conversation manager). */
  openAttempts: number;
}

export class Outbox {
  /** Queued items in order, from `head` on (a deque without per-item shifting). */
  private queue: OutboxItem[] = [];
  private head = 0;
  /** Every item not forgotten yet: queued, sent and awaiting an answer, failed, unconfirmed. */
  private readonly items = new Map<string, OutboxItem>();

  /** `onChange` runs after every state change of an item. */
  constructor(private readonly onChange: (item: OutboxItem) => void) {}

  /** Adds a new message (its state must be `queued`). */
  add(item: OutboxItem): void {
    this.items.set(item.message.id, item);
    this.queue.push(item);
  }

  get queuedCount(): number {
    return this.queue.length - this.head;
  }

  /** The queued items, in order. */
  queued(): OutboxItem[] {
    return this.queue.slice(this.head);
  }

  /** An item that can still change state or be retried. */
  get(messageId: string): OutboxItem | undefined {
    return this.items.get(messageId);
  }

  /** The next queued message, now `sent`; undefined when none waits. */
  take(): OutboxItem | undefined {
    if (this.head >= this.queue.length) return undefined;
    const item = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (item.mode === 'N') this.items.delete(item.message.id);
    this.set(item, 'sent');
    return item;
  }

  /** A `sent` message's outcome. Ignored for any other state (a late answer after the message was settled). */
  settle(item: OutboxItem, state: 'delivered' | 'failed' | 'unconfirmed', reason?: DeliveryReason): void {
    if (item.message.state !== 'sent' || this.items.get(item.message.id) !== item) return;
    if (state === 'delivered') this.items.delete(item.message.id);
    this.set(item, state, reason);
  }

  /** The queued messages `which` picks (all by default) fail with `reason`: they never left. */
  failQueued(reason: DeliveryReason, which: (item: OutboxItem) => boolean = () => true): void {
    const queued = this.queued();
    const failing = queued.filter(which);
    if (failing.length === 0) return;
    this.queue = queued.filter((i) => !which(i));
    this.head = 0;
    for (const item of failing) this.set(item, 'failed', reason);
  }

  /** A failed or unconfirmed message goes back in the queue as a new attempt of the same id. */
  retry(messageId: string): OutboxItem | undefined {
    const item = this.items.get(messageId);
    const state = item?.message.state;
    if (!item || (state !== 'failed' && state !== 'unconfirmed')) return undefined;
    item.message.attempt += 1;
    item.openAttempts = 0;
    this.queue.push(item);
    this.set(item, 'queued');
    return item;
  }

  private set(item: OutboxItem, state: DeliveryState, reason?: DeliveryReason): void {
    item.message.state = state;
    if (reason) item.message.reason = reason;
    else delete item.message.reason;
    this.onChange(item);
  }
}
