// What every Transport shares: the three events, the state, and the one close path that fires onDidClose exactly
// once whatever ends the connection first (a local close, the peer, an error, a timeout).
import { Emitter } from '../../src-shared/disposable';
import type { Event } from '../../src-shared/disposable';
import type { CloseOptions, Transport, TransportCloseInfo, TransportState, TransportTap } from './transport';

export abstract class TransportBase implements Transport {
  protected currentState: TransportState = 'open';
  private readonly dataEmitter = new Emitter<Uint8Array>();
  private readonly closeEmitter = new Emitter<TransportCloseInfo>();
  private readonly tapEmitter = new Emitter<TransportTap>();
  /** Bytes that arrived before anyone listened (a proxy's reply can carry the first tunnel bytes). */
  private held: Uint8Array[] | undefined = [];

  /** The first subscriber gets the held bytes first, on the next microtask and before anything newer. */
  readonly onData: Event<Uint8Array> = (listener) => {
    const subscription = this.dataEmitter.event(listener);
    if (this.held !== undefined && !this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => {
        const held = this.held ?? [];
        this.held = undefined;
        for (const bytes of held) this.emitData(bytes);
      });
    }
    return subscription;
  };
  private flushQueued = false;
  readonly onDidClose = this.closeEmitter.event;
  readonly onTap = this.tapEmitter.event;

  constructor(readonly description: string) {}

  get state(): TransportState {
    return this.currentState;
  }

  abstract write(bytes: Uint8Array): void;
  abstract close(options?: CloseOptions): void;

  protected deliver(bytes: Uint8Array): void {
    if (this.currentState === 'closed' || bytes.length === 0) return;
    if (this.held !== undefined) this.held.push(bytes);
    else this.emitData(bytes);
  }

  private emitData(bytes: Uint8Array): void {
    if (this.currentState === 'closed') return;
    this.tapEmitter.fire({ direction: 'in', bytes });
    this.dataEmitter.fire(bytes);
  }

  protected tapOut(bytes: Uint8Array): void {
    this.tapEmitter.fire({ direction: 'out', bytes });
  }

  /** The single exit: later calls are ignored. */
  protected finish(info: TransportCloseInfo): void {
    if (this.currentState === 'closed') return;
    this.currentState = 'closed';
    this.closeEmitter.fire(info);
    this.dataEmitter.dispose();
    this.closeEmitter.dispose();
    this.tapEmitter.dispose();
  }
}
