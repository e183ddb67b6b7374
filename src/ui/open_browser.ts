import { spawn } from 'node:child_process';

/** The platform's "open this URL" program (xdg-open on Linux and the BSDs). */
function opener(url: string): [string, string[]] {
  if (process.platform === 'darwin') return ['open', [url]];
  // `start` is a cmd built-in; its first quoted argument is a window title.
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""', url]];
  return ['xdg-open', [url]];
}

/**
 * Opens `url` in the user's browser, best effort: a machine without a
 * browser or opener (a server, a container) still serves the page, whose
 * URL is printed anyway. Never throws, never waits.
 */
export function openBrowser(url: string): void {
  const [cmd, args] = opener(url);
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore', windowsHide: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no opener: the printed URL is the way in
  }
}
