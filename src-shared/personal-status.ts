// A personal message and "now playing" (MSNP11+, UUX/UBX) as data, with the schemas they are checked against where
// they come from outside this run (the IPC requests), and the one way a now-playing line is rendered: by filling its
// format template with its arguments (`{0} - {1}` with ["Title", "Artist"] → "Title - Artist"; the order is the
// template's). Both travel as plain text, decoded from the XML they came in: whoever shows them shows them as text.
import * as v from 'valibot';

/** What a contact (or you) is playing, as the `\0`-separated CurrentMedia fields say it. */
export interface CurrentMedia {
  /** The player, e.g. `WMP`; often empty. */
  application: string;
  /** `Music`, `Games` or `Office` (anything else is kept as it came). */
  type: string;
  /** Only an enabled one is shown. */
  enabled: boolean;
  /** `{0} - {1}`: `{n}` is replaced by `args[n]`. */
  format: string;
  args: string[];
}

const MAX_RENDERED = 1024;

/** The line to show, or '' for media that is not enabled. A `{n}` without its argument becomes empty. */
export function renderCurrentMedia(media: CurrentMedia): string {
  if (!media.enabled) return '';
  const text = media.format.replace(/\{(\d{1,2})\}/g, (_whole, n: string) => media.args[Number(n)] ?? '');
  return text.length > MAX_RENDERED ? text.slice(0, MAX_RENDERED) : text;
}

/** The longest personal message you may set (Messenger 7 allowed 129 characters; the wire has no limit of its own). */
export const MAX_PERSONAL_MESSAGE_LENGTH = 1024;

const mediaText = v.pipe(v.string(), v.maxLength(256, 'must be at most 256 characters'));

export const personalMessageSchema = v.pipe(v.string(), v.maxLength(MAX_PERSONAL_MESSAGE_LENGTH, `must be at most ${MAX_PERSONAL_MESSAGE_LENGTH} characters`));

/** What you say you are playing: a song (and who by), sent as Music with the template `{0} - {1}` (title, artist). */
export const nowPlayingSchema = v.strictObject({
  title: v.pipe(mediaText, v.minLength(1, 'must not be empty')),
  artist: v.optional(mediaText),
  album: v.optional(mediaText),
});
export type NowPlaying = v.InferOutput<typeof nowPlayingSchema>;

/** The CurrentMedia for what you are playing: `Music`, enabled, `{0} - {1}` (or `{0}` without an artist). */
export function mediaForNowPlaying(playing: NowPlaying): CurrentMedia {
  const args = [playing.title, playing.artist ?? '', playing.album ?? ''];
  return { application: '', type: 'Music', enabled: true, format: playing.artist ? '{0} - {1}' : '{0}', args };
}

/** `Artist - Title` as people type it (the CLI's `set-media`): the first ` - ` separates them; without one, a title. */
export function parseNowPlaying(text: string): NowPlaying {
  const cut = text.indexOf(' - ');
  if (cut < 0) return { title: text.trim() };
  return { artist: text.slice(0, cut).trim(), title: text.slice(cut + 3).trim() };
}
