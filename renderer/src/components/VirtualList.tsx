import type React from 'react';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export interface VirtualListProps {
  readonly count: number;
  readonly rowHeight: number;
  /** Renders row `index`; it must apply `style` (position and height) to its outermost element. */
  readonly renderRow: (index: number, style: React.CSSProperties) => ReactNode;
  /** The rows on screen changed (first, last inclusive): the parent fetches what it lacks. */
  readonly onRangeChange?: (first: number, last: number) => void;
  /** Keeps this row visible (keyboard navigation). */
  readonly scrollToIndex?: number | null;
  readonly overscan?: number;
  readonly label: string;
  readonly activeId?: string | undefined;
  readonly onKeyDown?: (event: React.KeyboardEvent<HTMLDivElement>) => void;
  readonly testId?: string;
}

/**
 * Renders only the rows in view (plus a margin) inside a spacer as tall as all rows: 100,000 rows cost
 * what 30 do. Row height is fixed so positions are arithmetic, never measured.
 */
export function VirtualList(props: VirtualListProps): ReactNode {
  const { count, rowHeight, onRangeChange, scrollToIndex } = props;
  const overscan = props.overscan ?? 8;
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useLayoutEffect(() => {
    const element = viewport.current;
    if (element === null) return;
    setHeight(element.clientHeight);
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const onScroll = useCallback(() => {
    const element = viewport.current;
    if (element !== null) setScrollTop(element.scrollTop);
  }, []);

  const firstVisible = Math.floor(scrollTop / rowHeight);
  const lastVisible = Math.min(count - 1, Math.ceil((scrollTop + height) / rowHeight));
  const first = Math.max(0, firstVisible - overscan);
  const last = Math.min(count - 1, lastVisible + overscan);

  useEffect(() => {
    if (count > 0) onRangeChange?.(first, last);
  }, [first, last, count, onRangeChange]);

  useEffect(() => {
    const element = viewport.current;
    if (element === null || scrollToIndex === null || scrollToIndex === undefined) return;
    const top = scrollToIndex * rowHeight;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + rowHeight > element.scrollTop + element.clientHeight) element.scrollTop = top + rowHeight - element.clientHeight;
  }, [scrollToIndex, rowHeight]);

  const rows: ReactNode[] = [];
  for (let index = first; index <= last; index += 1) {
    rows.push(props.renderRow(index, { transform: `translateY(${index * rowHeight}px)`, height: rowHeight }));
  }
  return (
    <div
      ref={viewport}
      className="virtual-viewport"
      onScroll={onScroll}
      role="listbox"
      aria-label={props.label}
      aria-activedescendant={props.activeId}
      tabIndex={0}
      onKeyDown={props.onKeyDown}
      data-testid={props.testId}
    >
      <div className="virtual-spacer" style={{ height: count * rowHeight }} role="presentation">
        {rows}
      </div>
    </div>
  );
}
