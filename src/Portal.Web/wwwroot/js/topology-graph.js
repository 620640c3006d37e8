// The live topology canvas: hosts as compound nodes holding actor and provider nodes, links as
// edges, optional group nodes (by application or host label) and collapsed label groups.
// Blazor owns the model and sends diffs (elements added or changed, ids removed); this file only
// draws them and reports clicks back (OnNodeClicked). Nodes that stay keep their position: only
// new nodes are placed, next to their siblings, so a change elsewhere never moves what people
// are looking at. A full arrangement happens only on the first draw, on a regroup, or on "Tidy".
import { scripts } from './applications/libraries.js';
import { inView } from './graph-view.js';

const graphs = new Map();
// Test hook: Playwright reads node states (kind, state, search marks) and positions from here.
window.portalTopologyGraphs = window.portalTopologyGraphs || {};

// Leaf size and the grid leaves are arranged in inside their host.
const LEAF_W = 180;
const LEAF_H = 64;
const LEAF_COLUMNS = 3;
const GAP = 48;
const ROW_WIDTH = 1800;

const style = [
  { selector: 'node', style: {
      'label': 'data(label)', 'text-wrap': 'wrap', 'text-max-width': '160px', 'font-size': 11, 'color': '#0d2a4a',
      'text-valign': 'center', 'text-halign': 'center', 'border-width': 2 } },
  { selector: 'node[kind = "component"]', style: {
      'shape': 'round-rectangle', 'width': LEAF_W - 24, 'height': LEAF_H - 16, 'background-color': '#e3f2fd', 'border-color': '#43a047' } },
  { selector: 'node[kind = "provider"]', style: {
      'shape': 'cut-rectangle', 'width': LEAF_W - 24, 'height': LEAF_H - 16, 'background-color': '#fff3e0', 'border-color': '#43a047' } },
  { selector: 'node[kind = "collapsed"]', style: {
      'shape': 'round-rectangle', 'width': 220, 'height': 90, 'background-color': '#ede7f6', 'border-color': '#5e35b1', 'font-size': 13 } },
  { selector: 'node[kind = "host"]', style: {
      'shape': 'round-rectangle', 'background-color': '#f5f7fa', 'background-opacity': 0.9, 'border-color': '#1e88e5',
      'text-valign': 'top', 'text-halign': 'center', 'text-margin-y': -4, 'padding': '14px', 'min-width': 160, 'min-height': 40 } },
  { selector: 'node[kind = "group"]', style: {
      'shape': 'round-rectangle', 'background-color': '#fafafa', 'background-opacity': 0.5, 'border-color': '#90a4ae', 'border-style': 'dashed',
      'text-valign': 'top', 'text-halign': 'center', 'text-margin-y': -4, 'padding': '22px', 'font-size': 14, 'font-weight': 'bold' } },
  // Health: green ok, amber unknown, red unhealthy; a stale host and what it holds grey out.
  { selector: 'node[state = "unknown"]', style: { 'border-color': '#f9a825' } },
  { selector: 'node[state = "unhealthy"]', style: { 'border-color': '#e53935', 'border-width': 3 } },
  { selector: 'node[state = "stale"]', style: { 'background-color': '#e0e0e0', 'border-color': '#9e9e9e', 'border-style': 'dashed', 'color': '#757575', 'opacity': 0.6 } },
  { selector: 'edge', style: {
      'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'width': 2, 'line-color': '#607d8b', 'target-arrow-color': '#607d8b',
      'label': 'data(label)', 'font-size': 10, 'text-rotation': 'autorotate', 'text-background-color': '#ffffff',
      'text-background-opacity': 0.85, 'text-background-padding': '2px' } },
  // Search: matches stand out, everything else fades.
  { selector: '.dimmed', style: { 'opacity': 0.15 } },
  { selector: 'node.match', style: { 'border-color': '#d81b60', 'border-width': 5, 'opacity': 1 } },
  { selector: 'node:selected', style: { 'overlay-color': '#1e88e5', 'overlay-opacity': 0.15 } },
];

export async function create(id, container, dotnet) {
  await scripts('lib/cytoscape.min.js');
  const cy = window.cytoscape({ container, style, elements: [], wheelSensitivity: 0.3, minZoom: 0.05, maxZoom: 2, layout: { name: 'preset' } });
  cy.on('tap', 'node', (event) => dotnet.invokeMethodAsync('OnNodeClicked', event.target.id()));
  cy.on('tap', (event) => { if (event.target === cy) dotnet.invokeMethodAsync('OnNodeClicked', null); });
  // The canvas narrows when the details panel opens: Cytoscape must know its new size.
  const resizer = new ResizeObserver(() => cy.resize());
  resizer.observe(container);
  const graph = { cy, container, resizer, query: '', applied: 0 };
  graphs.set(id, graph);
  window.portalTopologyGraphs[id] = {
    // Every node as drawn: model position (stays put), page position (for clicks), search marks.
    nodes: () => {
      const box = container.getBoundingClientRect();
      return cy.nodes().map((n) => ({
        id: n.id(), kind: n.data('kind'), label: n.data('label'), state: n.data('state'), parent: n.data('parent') ?? null,
        match: n.hasClass('match'), dimmed: n.hasClass('dimmed'),
        position: { x: n.position('x'), y: n.position('y') },
        x: box.left + n.renderedPosition('x'), y: box.top + n.renderedPosition('y'),
      }));
    },
    edges: () => cy.edges().map((e) => ({ id: e.id(), source: e.source().id(), target: e.target().id(), label: e.data('label') })),
    // How many diffs were applied: a benchmark waits for the next one.
    applied: () => graph.applied,
  };
}

// Applies one diff from Blazor. `arrange` asks for a full arrangement (first draw, regroup).
export function apply(id, upserts, removals, arrange) {
  const graph = graphs.get(id);
  if (!graph) return 0;
  const { cy } = graph;
  const added = [];
  cy.batch(() => {
    for (const removed of removals) cy.getElementById(removed).remove();
    // Parents before children, nodes before edges, so every reference resolves.
    const nodes = upserts.filter((e) => !e.source).sort((a, b) => depth(a, upserts) - depth(b, upserts));
    for (const node of nodes) {
      const data = { id: node.id, kind: node.kind, label: node.label, state: node.state, search: node.search };
      if (node.parent) data.parent = node.parent;
      const existing = cy.getElementById(node.id);
      if (existing.nonempty()) {
        existing.data(data);
        // A node that moves into another parent keeps its place relative to nothing: re-place it.
        if ((existing.data('parent') ?? null) !== (node.parent ?? null)) existing.move({ parent: node.parent ?? null });
      } else {
        added.push(cy.add({ group: 'nodes', data }));
      }
    }
    for (const edge of upserts.filter((e) => e.source)) {
      const existing = cy.getElementById(edge.id);
      if (existing.nonempty()) existing.data('label', edge.label);
      else cy.add({ group: 'edges', data: { id: edge.id, source: edge.source, target: edge.target, label: edge.label, kind: 'link' } });
    }
  });
  if (arrange) arrangeAll(cy);
  else if (added.length > 0) placeNew(cy, added);
  applySearch(graph);
  graph.applied++;
  // Something new out of sight is brought into view by zooming out; positions do not change.
  if (arrange || (added.length > 0 && !inView(cy, cy.collection(added)))) fitAll(cy);
  return graph.applied;
}

// Highlights nodes whose text contains the query (case-insensitive) and dims the rest; returns
// the number of matches. An empty query clears the marks.
export function search(id, query) {
  const graph = graphs.get(id);
  if (!graph) return 0;
  graph.query = (query ?? '').trim().toLowerCase();
  return applySearch(graph);
}

function applySearch(graph) {
  const { cy, query } = graph;
  let matches = 0;
  cy.batch(() => {
    cy.elements().removeClass('match dimmed');
    if (!query) return;
    const hit = cy.nodes().filter((n) => (n.data('search') ?? '').includes(query));
    matches = hit.length;
    // A match's ancestors stay visible (not dimmed), so people see where it runs.
    const lit = hit.union(hit.ancestors());
    hit.addClass('match');
    cy.elements().difference(lit).addClass('dimmed');
  });
  return matches;
}

export function fit(id) {
  const graph = graphs.get(id);
  if (graph) fitAll(graph.cy);
}

export function tidy(id) {
  const graph = graphs.get(id);
  if (!graph) return;
  arrangeAll(graph.cy);
  fitAll(graph.cy);
}

export function select(id, nodeId) {
  const graph = graphs.get(id);
  if (!graph) return;
  graph.cy.nodes(':selected').unselect();
  if (nodeId) graph.cy.getElementById(nodeId).select();
}

export function dispose(id) {
  const graph = graphs.get(id);
  if (!graph) return;
  graph.resizer.disconnect();
  graph.cy.destroy();
  graphs.delete(id);
  delete window.portalTopologyGraphs[id];
}

function fitAll(cy) {
  if (cy.nodes().empty()) return;
  cy.fit(undefined, 30);
  if (cy.zoom() > 1) {
    cy.zoom(1);
    cy.center();
  }
}

function depth(element, all) {
  let d = 0;
  let parent = element.parent;
  const byId = all._byId ?? (all._byId = new Map(all.map((e) => [e.id, e])));
  while (parent && d < 4) {
    d++;
    parent = byId.get(parent)?.parent;
  }
  return d;
}

// ---- arrangement -------------------------------------------------------------------------
// Boxes are packed bottom-up: leaves in a grid inside their host, hosts (and groups) in shelves
// (rows that wrap at a width). Sizes are estimates of what Cytoscape will draw, with padding.

function arrangeAll(cy) {
  const roots = cy.nodes().orphans();
  cy.batch(() => shelve(roots, 0, 0, ROW_WIDTH));
}

// Size of the box a node needs, children included.
function measure(node) {
  const children = node.children();
  if (children.empty()) {
    const kind = node.data('kind');
    if (kind === 'collapsed') return { w: 240, h: 110 };
    if (kind === 'host' || kind === 'group') return { w: 200, h: 90 };
    return { w: LEAF_W, h: LEAF_H };
  }
  if (children.every((c) => c.isChildless() && c.data('kind') !== 'host' && c.data('kind') !== 'group')) {
    const cols = Math.min(LEAF_COLUMNS, children.length);
    const rows = Math.ceil(children.length / LEAF_COLUMNS);
    return { w: cols * LEAF_W + 40, h: rows * LEAF_H + 60 };
  }
  const packed = shelfSize(children, ROW_WIDTH * 0.8);
  return { w: packed.w + 50, h: packed.h + 70 };
}

function shelfSize(nodes, width) {
  let x = 0, y = 0, rowH = 0, maxW = 0;
  nodes.forEach((n) => {
    const size = measure(n);
    if (x > 0 && x + size.w > width) { y += rowH + GAP; x = 0; rowH = 0; }
    x += size.w + GAP;
    rowH = Math.max(rowH, size.h);
    maxW = Math.max(maxW, x);
  });
  return { w: maxW, h: y + rowH };
}

// Places nodes in rows from (left, top), each at the centre of its measured box.
function shelve(nodes, left, top, width) {
  let x = left, y = top, rowH = 0;
  nodes.sort((a, b) => a.id().localeCompare(b.id())).forEach((n) => {
    const size = measure(n);
    if (x > left && x + size.w > left + width) { y += rowH + GAP; x = left; rowH = 0; }
    placeInside(n, x, y, size);
    x += size.w + GAP;
    rowH = Math.max(rowH, size.h);
  });
}

function placeInside(node, left, top, size) {
  const children = node.children();
  node.scratch('_spot', { x: left + size.w / 2, y: top + size.h / 2 });
  node.scratch('_origin', { x: left + 20 + LEAF_W / 2, y: top + 40 + LEAF_H / 2 });
  if (children.empty()) {
    node.position(node.scratch('_spot'));
    return;
  }
  if (children.every((c) => c.isChildless() && c.data('kind') !== 'host' && c.data('kind') !== 'group')) {
    const origin = node.scratch('_origin');
    children.sort((a, b) => a.id().localeCompare(b.id())).forEach((c, i) => c.position(gridSpot(origin, i)));
    return;
  }
  shelve(children, left + 25, top + 45, ROW_WIDTH * 0.8);
}

function gridSpot(origin, index) {
  return { x: origin.x + (index % LEAF_COLUMNS) * LEAF_W, y: origin.y + Math.floor(index / LEAF_COLUMNS) * LEAF_H };
}

// Places only what is new; everything already drawn stays where it is.
function placeNew(cy, added) {
  const fresh = new Set(added.map((n) => n.id()));
  cy.batch(() => {
    for (const node of added) {
      // A new compound is placed when its first child is (a compound's box follows its children).
      if (!node.isChildless() || node.scratch('_placed')) continue;
      const parent = node.parent();
      if (parent.nonempty() && isLeafKind(node)) placeLeaf(parent, node, fresh);
      else placeBox(cy, node, parent, fresh);
    }
  });
}

function isLeafKind(node) {
  const kind = node.data('kind');
  return kind === 'component' || kind === 'provider';
}

// A leaf goes into the next free grid cell of its host.
function placeLeaf(parent, node, fresh) {
  const placedSiblings = parent.children().filter((c) => c.id() !== node.id() && (!fresh.has(c.id()) || c.scratch('_placed')));
  let origin = parent.scratch('_origin');
  if (!origin) {
    if (placedSiblings.nonempty()) {
      const first = placedSiblings.map((c) => c.position());
      origin = { x: Math.min(...first.map((p) => p.x)), y: Math.min(...first.map((p) => p.y)) };
    } else {
      // The parent is new too: it needs a place first.
      if (fresh.has(parent.id()) && !parent.scratch('_placed')) placeBox(parent.cy(), parent, parent.parent(), fresh);
      origin = parent.scratch('_origin') ?? { ...(parent.scratch('_spot') ?? parent.position()) };
    }
    parent.scratch('_origin', origin);
  }
  // The first free cell: cells are counted over the positions already taken.
  const taken = new Set(placedSiblings.map((c) => cellOf(origin, c.position())));
  let index = 0;
  while (taken.has(index)) index++;
  node.position(gridSpot(origin, index));
  node.scratch('_placed', true);
}

// The box of what is already placed in a collection (new leaves still sit at 0,0 and would
// stretch Cytoscape's own bounding box), with room for compound padding and labels.
function placedBox(nodes, placed) {
  const box = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
  nodes.union(nodes.descendants()).forEach((n) => {
    if (!n.isChildless() || !placed(n)) return;
    const p = n.position();
    const pad = 40 * n.ancestors().length;
    box.x1 = Math.min(box.x1, p.x - n.width() / 2 - pad);
    box.x2 = Math.max(box.x2, p.x + n.width() / 2 + pad);
    box.y1 = Math.min(box.y1, p.y - n.height() / 2 - pad - 20);
    box.y2 = Math.max(box.y2, p.y + n.height() / 2 + pad);
  });
  if (box.x1 === Infinity) return { x1: 0, y1: 0, x2: 0, y2: 0 };
  return box;
}

function cellOf(origin, position) {
  const col = Math.round((position.x - origin.x) / LEAF_W);
  const row = Math.round((position.y - origin.y) / LEAF_H);
  return col < 0 || col >= LEAF_COLUMNS || row < 0 ? -1 : row * LEAF_COLUMNS + col;
}

// A new host, group or collapsed node goes to the right of its placed siblings in the last row,
// or starts a new row below them.
function placeBox(cy, node, parent, fresh) {
  if (node.scratch('_placed')) return;
  const siblings = (parent.nonempty() ? parent.children() : cy.nodes().orphans())
    .filter((s) => s.id() !== node.id() && (!fresh.has(s.id()) || s.scratch('_placed')));
  let spot;
  const size = measure(node);
  if (siblings.empty()) {
    // The first box in a group that is new too: the group needs its own place first.
    if (parent.nonempty() && fresh.has(parent.id()) && !parent.scratch('_placed')) placeBox(cy, parent, parent.parent(), fresh);
    spot = parent.nonempty() ? { ...(parent.scratch('_spot') ?? parent.position()) } : { x: 0, y: 0 };
  } else {
    const placed = (n) => !fresh.has(n.id()) || n.scratch('_placed');
    const box = placedBox(siblings, placed);
    // The last row: siblings whose top is near the lowest top.
    const lastTop = Math.max(...siblings.map((s) => placedBox(s, placed).y1));
    const rowBox = placedBox(siblings.filter((s) => placedBox(s, placed).y1 >= lastTop - 10), placed);
    const width = parent.nonempty() ? ROW_WIDTH * 0.8 : ROW_WIDTH;
    if (rowBox.x2 + GAP + size.w <= box.x1 + width) spot = { x: rowBox.x2 + GAP + size.w / 2, y: rowBox.y1 + size.h / 2 };
    else spot = { x: box.x1 + size.w / 2, y: box.y2 + GAP + size.h / 2 };
  }
  // A compound's position follows its children; the spot is remembered for them.
  if (node.isChildless()) node.position(spot);
  node.scratch('_spot', spot);
  node.scratch('_placed', true);
  node.scratch('_origin', { x: spot.x - size.w / 2 + 20 + LEAF_W / 2, y: spot.y - size.h / 2 + 40 + LEAF_H / 2 });
}
