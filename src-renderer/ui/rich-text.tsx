// A translated sentence with an element in it (a name in bold and bidi-isolated) at whatever place the language puts
// it. The sentence is translated with a marker for that placeholder and split there; names stay text, never markup
// (react-i18next's <Trans> parses the whole string, names included, for tags, so it is not used with names).
import { Fragment, type ReactNode } from 'react';

const MARK = '\u0000';

export function withElement(translate: (marker: string) => string, element: ReactNode): ReactNode {
  const parts = translate(MARK).split(MARK);
  return parts.map((part, i) => (
    <Fragment key={i}>
      {part}
      {i < parts.length - 1 && element}
    </Fragment>
  ));
}
