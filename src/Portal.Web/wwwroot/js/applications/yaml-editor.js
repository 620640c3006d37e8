// The manifest's YAML view: CodeMirror 5 with the lint addon. Linting asks Blazor (CheckYaml),
// which parses and validates on the server and answers with markers; the lint addon waits for a
// pause in typing and drops answers for text that has changed since it asked.
import { scripts, style } from './libraries.js';

const editors = new Map();
window.portalYamlEditors = window.portalYamlEditors || {};

export async function create(id, host, dotnet, text) {
  await Promise.all([style('lib/codemirror.css'), style('lib/codemirror-lint.css')]);
  await scripts('lib/codemirror.js', 'lib/codemirror-yaml.js', 'lib/codemirror-lint.js');
  const check = (content, done) => {
    dotnet.invokeMethodAsync('CheckYaml', content).then((problems) => done((problems || []).map((p) => ({
      from: window.CodeMirror.Pos(Math.max(p.line - 1, 0), Math.max(p.column - 1, 0)),
      to: window.CodeMirror.Pos(Math.max(p.line - 1, 0), Math.max(p.column - 1, 0) + Math.max(p.length, 1)),
      message: p.message,
      severity: p.severity,
    }))), () => done([]));
  };
  const cm = window.CodeMirror(host, {
    value: text, mode: 'yaml', lineNumbers: true, tabSize: 2, indentUnit: 2, indentWithTabs: false,
    gutters: ['CodeMirror-lint-markers'],
    extraKeys: { Tab: (editor) => editor.replaceSelection('  ') },
    lint: { getAnnotations: check, async: true, delay: 300 },
  });
  editors.set(id, cm);
  window.portalYamlEditors[id] = { value: () => cm.getValue(), markers: () => cm.state.lint ? cm.state.lint.marked.length : 0 };
}

// Only called when the builder or the graph changed the model: the person is not typing here then.
export function replace(id, text) {
  const cm = editors.get(id);
  if (!cm || cm.getValue() === text) return;
  const cursor = cm.getCursor();
  const scroll = cm.getScrollInfo();
  cm.setValue(text);
  cm.setCursor(cursor);
  cm.scrollTo(scroll.left, scroll.top);
}

// Markers that come from elsewhere (a save refused with 422) are shown by re-running the lint, which
// asks Blazor again; Blazor then includes the service's findings for this text.
export function relint(id) {
  const cm = editors.get(id);
  if (cm) cm.performLint();
}

export function refresh(id) {
  editors.get(id)?.refresh();
}

export function dispose(id) {
  editors.delete(id);
  delete window.portalYamlEditors[id];
}

export function text(id) {
  const cm = editors.get(id);
  return cm ? cm.getValue() : null;
}
