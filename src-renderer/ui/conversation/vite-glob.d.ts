// The one Vite feature the renderer's own code uses (import.meta.glob, for the emoticon pictures), typed narrowly
// instead of pulling in all of vite/client.
interface ImportMeta {
  glob<T>(pattern: string, options: { eager: true; query: '?url'; import: 'default' }): Record<string, T>;
}
