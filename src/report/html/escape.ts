// HTML text escaping.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** The start of a self-contained page, to its subtitle: the report pages and the what-if page share it. */
export function documentStart(title: string, style: string, subtitle: string): string[] {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${style}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    subtitle ? `<p class="meta">${escapeHtml(subtitle)}</p>` : '',
  ];
}
