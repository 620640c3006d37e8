// Viewport helpers shared by the console's Cytoscape canvases (the topology page and the link editor).

// Whether every node of the collection lies wholly inside the canvas as it is rendered now.
export function inView(cy, nodes) {
  const box = nodes.renderedBoundingBox();
  return box.x1 >= 0 && box.y1 >= 0 && box.x2 <= cy.width() && box.y2 <= cy.height();
}
