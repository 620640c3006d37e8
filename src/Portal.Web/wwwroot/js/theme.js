// Theme helpers for the console shell: the system preference and the remembered choice.
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
