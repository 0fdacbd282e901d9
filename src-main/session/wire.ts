// The session's view of the wire, built only from the protocol core: the frame parser underneath, frames lifted into
// commands by parseCommand, and outgoing commands serialised (and checked) by encodeCommand.
// Lines are lifted with MSNP8's TrID rule even on MSNP2–7: the only difference is LST/LSG/BPR, whose leading TrID
// the list code skips itself, because it knows the negotiated version and the channel is created before VER.
import { parseCommand, type IncomingCommand } from '../protocol/command';
import type { ClientCommandName } from '../protocol/command-names';
import { createFrameParser } from '../protocol/framing';
import { encodeCommand } from '../protocol/serializer';

export type Incoming = IncomingCommand;

/**
 * Payload limits of the commands nobody needs whole: one over its limit is skipped (never buffered) and the connection
 * goes on, so one contact's oversized personal message cannot cost everyone the connection. MSG keeps the parser's
 * fatal 1 MiB limit: a message is never silently dropped.
 */
export const SKIPPED_PAYLOAD_LIMITS: Readonly<Record<string, number>> = Object.freeze({
  UBX: 64 * 1024, // personal message and current media (MSNP11+): a few hundred bytes in practice
  NOT: 64 * 1024, // alerts
  IPG: 64 * 1024, // mobile pages
  GCF: 256 * 1024, // the server's policy file (MSNP13+): a few KB
});

export interface WireCodec {
  push(chunk: Uint8Array): void;
  /** The bytes to send and the line for the traffic log. Throws a ProtocolError on a field with a space or CR/LF. */
  encode(command: ClientCommandName, trid: number | undefined, args: string[], payload?: Uint8Array): { bytes: Uint8Array; line: string };
}

export function createWireCodec(
  onFrame: (frame: Incoming) => void,
  onSkippedPayload?: (frame: Incoming, length: number, limit: number) => void,
): WireCodec {
  const parser = createFrameParser((frame) => onFrame(parseCommand(frame)), {
    skipPayloadsOver: SKIPPED_PAYLOAD_LIMITS,
    onSkippedPayload: onSkippedPayload && ((frame, length) => onSkippedPayload(parseCommand(frame), length, SKIPPED_PAYLOAD_LIMITS[frame.command])),
  });
  return {
    push: (chunk) => parser.push(chunk),
    encode: (command, trid, args, payload) => encodeCommand({ command, trid, args, payload }),
  };
}
