// The session's view of the wire, built only from the protocol core: the frame parser underneath, frames lifted into
// commands by parseCommand, and outgoing commands serialised (and checked) by encodeCommand. Until VER settles the
// version, the parser's default payload set and MSNP8's TrID rules apply; then `use` hands it the negotiated
// version's (its dialect's: which commands carry payloads from the server, and which may carry one from us — a
// payload on any other command is refused before it is written, since the server would misframe it).
import { DEFAULT_TRID_RULES, parseCommand, type IncomingCommand, type TridRules } from '../protocol/command';
import type { ClientCommandName } from '../protocol/command-names';
import { CLIENT_PAYLOAD_COMMANDS, createFrameParser } from '../protocol/framing';
import { ProtocolError } from '../protocol/protocol-error';
import { encodeCommand } from '../protocol/serializer';
import type { WireDialect } from './dialects';

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
  /** The negotiated version's payload sets and TrID rules, from the next line on. */
  use(dialect: WireDialect): void;
  /** The bytes to send and the line for the traffic log. Throws a ProtocolError on a field with a space or CR/LF. */
  encode(command: ClientCommandName, trid: number | undefined, args: string[], payload?: Uint8Array): { bytes: Uint8Array; line: string };
}

export function createWireCodec(
  onFrame: (frame: Incoming) => void,
  onSkippedPayload?: (frame: Incoming, length: number, limit: number) => void,
): WireCodec {
  let rules: TridRules = DEFAULT_TRID_RULES;
  let outgoing: ReadonlySet<string> = new Set(CLIENT_PAYLOAD_COMMANDS);
  let version = 'this connection';
  const parser = createFrameParser((frame) => onFrame(parseCommand(frame, rules)), {
    skipPayloadsOver: SKIPPED_PAYLOAD_LIMITS,
    onSkippedPayload: onSkippedPayload && ((frame, length) => onSkippedPayload(parseCommand(frame, rules), length, SKIPPED_PAYLOAD_LIMITS[frame.command])),
  });
  return {
    push: (chunk) => parser.push(chunk),
    use(dialect) {
      rules = dialect;
      outgoing = new Set(dialect.payloads.fromClient);
      version = dialect.name;
      parser.setPayloadCommands(dialect.payloads.fromServer);
    },
    encode: (command, trid, args, payload) => {
      if (payload !== undefined && !outgoing.has(command)) throw new ProtocolError('protocol.bad-argument', `${command} carries no payload in ${version}.`, { command });
      return encodeCommand({ command, trid, args, payload });
    },
  };
}
