// Loads the browser libraries a page needs, once per page load, in order. The editor's libraries
// are large and most console pages never use them, so App.razor does not list them.
const loading = new Map();

function once(url, create) {
  if (!loading.has(url)) {
    loading.set(url, new Promise((resolve, reject) => {
      const element = create();
      element.onload = () => resolve();
      element.onerror = () => { loading.delete(url); reject(new Error(`could not load ${url}`)); };
      document.head.appendChild(element);
    }));
  }
  return loading.get(url);
}

export const script = (url) => once(url, () => Object.assign(document.createElement('script'), { src: url, async: false }));
export const style = (url) => once(url, () => Object.assign(document.createElement('link'), { rel: 'stylesheet', href: url }));

// Scripts that depend on each other (edgehandles needs cytoscape and window._) load one after the other.
export async function scripts(...urls) {
  for (const url of urls) await script(url);
}
