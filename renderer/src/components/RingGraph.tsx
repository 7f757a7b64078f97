import { useEffect, useRef, type ReactNode } from 'react';
import cytoscape from 'cytoscape';
import type { ScoreBand } from '../../../shared/reasons.js';

export interface RingNode {
  readonly id: string;
  readonly label: string;
  /** The application to open when the node is clicked (null: nothing to open). */
  readonly applicationId: string | null;
  readonly band: ScoreBand | null;
  readonly current: boolean;
  readonly confirmedFraud: boolean;
}

export interface RingEdge {
  readonly source: string;
  readonly target: string;
  /** Already translated: what the two share ("device · phone"). */
  readonly label: string;
  readonly weight: number;
}

/** Above this many links, only the open case's are labelled (the rest on pointing). */
export const DENSE_EDGES = 8;

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

/**
 * The ring as an interactive graph (cytoscape): members coloured by band, the open case outlined,
 * edges labelled by what is shared and thicker when the link is stronger. Clicking a member opens it.
 * The canvas is not readable by screen readers, so the parent always lists the members as links too.
 */
export function RingGraph(props: { nodes: readonly RingNode[]; edges: readonly RingEdge[]; theme: string; label: string; onOpen: (applicationId: string) => void }): ReactNode {
  const container = useRef<HTMLDivElement>(null);
  const onOpen = useRef(props.onOpen);
  useEffect(() => {
    onOpen.current = props.onOpen;
  });

  useEffect(() => {
    if (container.current === null) return;
    const colours: Record<string, string> = {
      low: cssVar('--band-low', '#157f3b'),
      medium: cssVar('--band-medium', '#a15c07'),
      high: cssVar('--band-high', '#c4320a'),
      critical: cssVar('--band-critical', '#9b1c1c'),
      none: cssVar('--muted', '#5b6472'),
    };
    const text = cssVar('--text', '#1b1f24');
    const panel = cssVar('--panel', '#ffffff');
    const accent = cssVar('--accent', '#1f5fbf');
    const edgeColour = cssVar('--muted', '#5b6472');
    const maxWeight = Math.max(1, ...props.edges.map((edge) => edge.weight));
    // In a dense ring every label at once is a pile in the middle: there, only the open case's own links
    // are labelled, and any other shows its label while the pointer is on it.
    const currentIds = new Set(props.nodes.filter((node) => node.current).map((node) => node.id));
    const dense = props.edges.length > DENSE_EDGES;
    const graph = cytoscape({
      container: container.current,
      elements: [
        ...props.nodes.map((node) => ({
          data: { id: node.id, label: node.label, applicationId: node.applicationId ?? '', colour: colours[node.band ?? 'none'] ?? colours['none'], current: node.current ? 1 : 0, confirmed: node.confirmedFraud ? 1 : 0 },
        })),
        ...props.edges.map((edge, index) => ({
          data: {
            id: `e${index}`, source: edge.source, target: edge.target, label: edge.label, width: 1 + (3 * edge.weight) / maxWeight,
            labelled: !dense || currentIds.has(edge.source) || currentIds.has(edge.target) ? 1 : 0,
          },
        })),
      ],
      style: [
        {
          selector: 'node',
          style: {
            'background-color': 'data(colour)',
            label: 'data(label)',
            color: text,
            'font-size': 11,
            'text-valign': 'bottom',
            'text-margin-y': 4,
            'text-background-color': panel,
            'text-background-opacity': 0.85,
            'text-background-padding': '2px',
            width: 22,
            height: 22,
            'border-width': 2,
            'border-color': panel,
          },
        },
        { selector: 'node[current = 1]', style: { width: 32, height: 32, 'border-width': 4, 'border-color': accent, 'font-weight': 'bold' } },
        { selector: 'node[confirmed = 1]', style: { shape: 'diamond' } },
        {
          selector: 'edge',
          style: {
            width: 'data(width)',
            'line-color': edgeColour,
            'line-opacity': 0.6,
            label: 'data(label)',
            'font-size': 9,
            color: text,
            'text-rotation': 'autorotate',
            'text-background-color': panel,
            'text-background-opacity': 0.8,
            'text-background-padding': '1px',
            'curve-style': 'bezier',
          },
        },
        { selector: 'edge[labelled = 0]', style: { label: '' } },
        { selector: 'edge.pointed', style: { label: 'data(label)', 'line-opacity': 1, 'z-index': 10 } },
        { selector: 'node:selected', style: { 'border-color': accent, 'border-width': 4 } },
      ],
      // Small rings: the open case in the middle, the others around it, every edge visible. Big ones: force-directed.
      layout:
        props.nodes.length <= 40
          ? { name: 'concentric', animate: false, padding: 40, minNodeSpacing: 60, concentric: (node: cytoscape.NodeSingular) => (node.data('current') === 1 ? 2 : 1), levelWidth: () => 1 }
          : { name: 'cose', animate: false, padding: 32, randomize: false },
      wheelSensitivity: 0.3,
      minZoom: 0.2,
      maxZoom: 3,
    });
    // Fitting a small ring to the box would blow labels up; keep text at its natural size.
    if (graph.zoom() > 1.4) {
      graph.zoom(1.4);
      graph.center();
    }
    graph.on('mouseover', 'edge', (event) => (event.target as cytoscape.EdgeSingular).addClass('pointed'));
    graph.on('mouseout', 'edge', (event) => (event.target as cytoscape.EdgeSingular).removeClass('pointed'));
    graph.on('tap', 'node', (event) => {
      // cytoscape types the tap target loosely; on a 'node' selector it is always a node.
      const node = event.target as cytoscape.NodeSingular;
      const applicationId = String(node.data('applicationId') ?? '');
      if (applicationId !== '') onOpen.current(applicationId);
    });
    return () => graph.destroy();
  }, [props.nodes, props.edges, props.theme]);

  return <div ref={container} className="ring-graph" role="img" aria-label={props.label} data-testid="ring-graph" />;
}
