// The link editor's canvas: manifest components and providers as nodes, link traits as edges.
// Blazor owns the model; this file only draws it and reports gestures back:
//   dragging from one node to another (cytoscape-edgehandles) → OnConnect(source, target)
//   clicking an edge → OnEdgeClicked(edgeId)
import { scripts } from './libraries.js';
import { inView } from '../graph-view.js';

const graphs = new Map();
// Test hook: Playwright reads node positions in page pixels to drag between them like a person.
window.portalLinkGraphs = window.portalLinkGraphs || {};

const style = [
  { selector: 'node', style: {
      'shape': 'round-rectangle', 'width': 'label', 'height': 'label', 'padding': '14px',
      'label': 'data(label)', 'text-valign': 'center', 'text-halign': 'center', 'font-size': 13,
      'background-color': '#e3f2fd', 'border-width': 2, 'border-color': '#1e88e5', 'color': '#0d2a4a' } },
  { selector: 'node[kind = "provider"]', style: { 'shape': 'hexagon', 'background-color': '#fff3e0', 'border-color': '#fb8c00', 'padding': '18px' } },
  { selector: 'edge', style: {
      'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'width': 2, 'line-color': '#607d8b', 'target-arrow-color': '#607d8b',
      'label': 'data(label)', 'font-size': 11, 'text-rotation': 'autorotate', 'text-background-color': '#ffffff', 'text-background-opacity': 0.85, 'text-background-padding': '2px' } },
  { selector: 'edge:selected', style: { 'line-color': '#1e88e5', 'target-arrow-color': '#1e88e5', 'width': 3 } },
  { selector: '.eh-handle', style: { 'background-color': '#1e88e5', 'width': 12, 'height': 12, 'shape': 'ellipse', 'border-width': 0, 'label': '' } },
  { selector: '.eh-hover', style: { 'border-color': '#43a047', 'border-width': 3 } },
  { selector: '.eh-ghost-edge', style: { 'line-style': 'dashed', 'label': '' } },
  { selector: '.eh-preview', style: { 'line-color': '#43a047', 'target-arrow-color': '#43a047', 'label': '' } },
];

export async function create(id, container, dotnet) {
  await scripts('lib/cytoscape.min.js', 'lib/lodash.min.js', 'lib/cytoscape-edgehandles.js');
  const cy = window.cytoscape({ container, style, elements: [], wheelSensitivity: 0.3, minZoom: 0.4, maxZoom: 2, layout: { name: 'preset' } });
  const handles = cy.edgehandles({ snap: true, hoverDelay: 100, canConnect: (s, t) => !s.same(t) });
  // Draw mode: the whole node is the handle, so a drag from node to node is a link gesture.
  handles.enableDrawMode();
  cy.on('ehcomplete', (event, source, target, added) => {
    // The edge only appears once Blazor accepted the link and sent the new model back.
    added.remove();
    dotnet.invokeMethodAsync('OnConnect', source.id(), target.id());
  });
  cy.on('tap', 'edge', (event) => dotnet.invokeMethodAsync('OnEdgeClicked', event.target.id()));
  const graph = { cy, handles, container };
  graphs.set(id, graph);
  window.portalLinkGraphs[id] = {
    // Node centres in page coordinates (what page.mouse expects).
    nodes: () => {
      const box = container.getBoundingClientRect();
      return Object.fromEntries(cy.nodes().map((n) => [n.id(), { x: box.left + n.renderedPosition('x'), y: box.top + n.renderedPosition('y') }]));
    },
    // Edges with their midpoint in page coordinates, where a click edits the link.
    edges: () => {
      const box = container.getBoundingClientRect();
      return cy.edges().map((e) => ({ id: e.id(), source: e.source().id(), target: e.target().id(), label: e.data('label'),
        x: box.left + e.renderedMidpoint().x, y: box.top + e.renderedMidpoint().y }));
    },
    // The node a drag in progress would link to once released (edgehandles marks it after its hover delay).
    target: () => cy.nodes('.eh-target').map((n) => n.id())[0] ?? null,
  };
}

// Replaces the elements with the model's, keeping the position of every node that stays:
// an edit elsewhere on the page must not rearrange what the person laid out.
export function update(id, nodes, edges) {
  const graph = graphs.get(id);
  if (!graph) return;
  const { cy } = graph;
  let added = cy.collection();
  cy.batch(() => {
    const wanted = new Set(nodes.map((n) => n.id));
    cy.edges().remove();
    cy.nodes().filter((n) => !wanted.has(n.id())).remove();
    for (const node of nodes) {
      const existing = cy.getElementById(node.id);
      if (existing.nonempty()) {
        existing.data({ label: node.label, kind: node.kind });
      } else {
        added = added.union(cy.add({ group: 'nodes', data: { id: node.id, label: node.label, kind: node.kind }, position: freeSpot(cy, node.kind) }));
      }
    }
    cy.add(edges.map((e) => ({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, label: e.label } })));
  });
  // A node placed outside the visible part of the canvas cannot be dragged from (the gesture
  // starts on the node under the pointer), so bring new nodes into view; nodes that stay keep
  // their place on screen otherwise.
  if (added.nonempty() && !inView(cy, added)) fitAll(cy);
}

// Arrange mode lets people move nodes; link mode makes every drag a link gesture.
export function setMode(id, linking) {
  const graph = graphs.get(id);
  if (!graph) return;
  if (linking) graph.handles.enableDrawMode(); else graph.handles.disableDrawMode();
}

export function fit(id) {
  const graph = graphs.get(id);
  if (graph) fitAll(graph.cy);
}

// Fits every node, but never enlarges past 100 %: fitting one node would otherwise zoom to the
// maximum, and the next node added beside it would land far outside the canvas.
function fitAll(cy) {
  if (cy.nodes().empty()) return;
  cy.fit(undefined, 40);
  if (cy.zoom() > 1) {
    cy.zoom(1);
    cy.center();
  }
}

export function dispose(id) {
  const graph = graphs.get(id);
  if (!graph) return;
  graph.handles.destroy();
  graph.cy.destroy();
  graphs.delete(id);
  delete window.portalLinkGraphs[id];
}

// New nodes go into a column by kind (providers left, components right), below what is there.
function freeSpot(cy, kind) {
  const x = kind === 'provider' ? 140 : 480;
  const taken = cy.nodes().filter((n) => Math.abs(n.position('x') - x) < 150).map((n) => n.position('y'));
  const y = taken.length === 0 ? 90 : Math.max(...taken) + 110;
  return { x, y };
}
