// What is a link, for both sides: the renderer makes only these clickable in a message, and the desktop shell opens
// only these in the system browser. An http(s) URL that parses; nothing else (javascript:, data:, file:, …) ever is.

/** The URL, normalised, if it is an http(s) URL that parses; null otherwise. */
export function safeLink(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
