// What the CLI writes reaches a terminal, and much of it comes from servers: step lines name the server, errors quote
// its replies, --verbose prints its lines. A control character in any of that is a terminal command (ESC ] 0 ; … BEL
// retitles the window, CSI sequences move the cursor and overwrite what was printed), so every one is shown as `\xNN`
// instead: C0, DEL and C1 alike, all but the line breaks the CLI writes itself. JSON output stays valid JSON: the
// serializer already escapes C0, and DEL and C1 become `\u00NN`, which parse back to the same text.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;
const JSON_RAW_CONTROL = /[\u007f-\u009f]/g;

const hex = (c: string) => c.charCodeAt(0).toString(16).padStart(2, '0');

/** The text with every control character but `\n` shown as `\xNN`. */
export const printable = (text: string): string => text.replace(CONTROL, (c) => `\\x${hex(c)}`);

/** JSON.stringify, with no raw control character left in the result. */
export const printableJson = (value: unknown, indent?: number): string => JSON.stringify(value, null, indent).replace(JSON_RAW_CONTROL, (c) => `\\u00${hex(c)}`);

/** The same outputs, each text made printable on its way out: the CLI writes only through these. */
export function printableOutput<T extends { stdout(text: string): void; stderr(text: string): void }>(io: T): T {
  return { ...io, stdout: (text: string) => io.stdout(printable(text)), stderr: (text: string) => io.stderr(printable(text)) };
}
