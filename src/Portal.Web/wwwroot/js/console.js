// Browser helpers of the console shell: theme, tenant choice, sign-out, downloads.
window.portalTheme = {
  prefersDark: () => window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches,
  mode: () => {
    const match = document.cookie.match(/(?:^|; )portal\.theme=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : null;
  },
  remember: (mode) => {
    document.cookie = `portal.theme=${encodeURIComponent(mode)}; path=/; max-age=31536000; samesite=lax`;
  },
};

// The tenant the console works in, remembered like the theme.
window.portalTenant = {
  remember: (slug) => {
    document.cookie = `portal.tenant=${encodeURIComponent(slug)}; path=/; max-age=31536000; samesite=lax`;
  },
};


// Saves bytes produced by the server (base64) as a file download.
window.portalDownload = (fileName, contentType, base64) => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: contentType }));
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
};

window.portalShell = {
  markInteractive: () => { document.body.dataset.interactive = 'true'; },
  signOut: () => document.getElementById('portal-signout')?.submit(),
};

// Copies text (an id) to the clipboard; falls back to a hidden text area where the Clipboard API is unavailable (plain http).
window.portalCopy = async (text) => {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = Object.assign(document.createElement('textarea'), { value: text });
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
};

// Prints only what a frame shows (the invoice page frames the invoice so the console around it is not printed).
window.portalPrintFrame = (id) => document.getElementById(id)?.contentWindow?.print();
