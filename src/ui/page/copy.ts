/**
 * Copies text to the clipboard: the async Clipboard API (127.0.0.1 is a
 * secure context), else a selected off-screen textarea and execCommand,
 * for browsers that refuse the API. Says what happened in `status`.
 */
export async function copyText(text: string, status: HTMLElement, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = `Copied ${what}.`;
    status.dataset.copied = what;
    return;
  } catch {
    // fall through to the selection
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  status.textContent = ok ? `Copied ${what}.` : 'Copy failed: select the text below and copy it.';
  if (ok) status.dataset.copied = what;
}
