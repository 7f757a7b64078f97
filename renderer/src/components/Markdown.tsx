import { Fragment, type ReactNode } from 'react';

// A deliberately small markdown: headings, lists, paragraphs, **bold**, *italic*, `code`. Everything
// becomes React text nodes, so nothing a note says can turn into markup, script or a link that navigates.

function inline(text: string, keyPrefix: string): ReactNode[] {
  const parts: ReactNode[] = [];
  const pattern = /(\*\*([^*]+)\*\*|\*([^*]+)\*|`([^`]+)`)/g;
  let last = 0;
  let match: RegExpExecArray | null;
  let n = 0;
  while ((match = pattern.exec(text)) !== null) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    const key = `${keyPrefix}-${n++}`;
    if (match[2] !== undefined) parts.push(<strong key={key}>{match[2]}</strong>);
    else if (match[3] !== undefined) parts.push(<em key={key}>{match[3]}</em>);
    else if (match[4] !== undefined) parts.push(<code key={key}>{match[4]}</code>);
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

interface Block {
  kind: 'heading' | 'list' | 'ordered' | 'paragraph';
  lines: string[];
}

export function parseBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const previous = blocks.at(-1);
    if (line.trim() === '') {
      blocks.push({ kind: 'paragraph', lines: [] });
      continue;
    }
    const heading = /^#{1,3}\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const ordered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (heading?.[1] !== undefined) blocks.push({ kind: 'heading', lines: [heading[1]] });
    else if (bullet?.[1] !== undefined) {
      if (previous?.kind === 'list') previous.lines.push(bullet[1]);
      else blocks.push({ kind: 'list', lines: [bullet[1]] });
    } else if (ordered?.[1] !== undefined) {
      if (previous?.kind === 'ordered') previous.lines.push(ordered[1]);
      else blocks.push({ kind: 'ordered', lines: [ordered[1]] });
    } else if (previous?.kind === 'paragraph') previous.lines.push(line);
    else blocks.push({ kind: 'paragraph', lines: [line] });
  }
  return blocks.filter((block) => block.lines.length > 0);
}

export function Markdown(props: { source: string }): ReactNode {
  return (
    <div className="markdown">
      {parseBlocks(props.source).map((block, index) => {
        const key = `b${index}`;
        switch (block.kind) {
          case 'heading':
            return <h4 key={key}>{inline(block.lines[0] ?? '', key)}</h4>;
          case 'list':
            return <ul key={key}>{block.lines.map((line, item) => <li key={item}>{inline(line, `${key}-${item}`)}</li>)}</ul>;
          case 'ordered':
            return <ol key={key}>{block.lines.map((line, item) => <li key={item}>{inline(line, `${key}-${item}`)}</li>)}</ol>;
          case 'paragraph':
            return (
              <p key={key}>
                {block.lines.map((line, item) => (
                  <Fragment key={item}>
                    {item > 0 && <br />}
                    {inline(line, `${key}-${item}`)}
                  </Fragment>
                ))}
              </p>
            );
        }
      })}
    </div>
  );
}
