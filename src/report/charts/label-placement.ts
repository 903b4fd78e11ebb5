// Labels beside scatter points without overlap: each label tries eight places around its point
// (right, left, above, below, the diagonals; then two to six times as far) and takes the first that
// overlaps no point, no label placed before it and stays inside the plot. Greedy, in the order
// given (put the labels that matter first); a label with no free place is left out, and the
// caller says so. Text widths are estimated (DejaVu Sans: about 0.62 em a character).

export interface LabelWish {
  /** The point, in pixels from the plot's top-left corner. */
  px: number;
  py: number;
  text: string;
  fontSize: number;
  bold?: boolean;
  /** Radius (px) of the mark drawn at the point, kept clear. */
  radius: number;
}

export interface PlacedLabel {
  /** Index into the wishes. */
  index: number;
  /** The text's anchor, in pixels from the plot's top-left corner (baseline: middle). */
  x: number;
  y: number;
  align: 'left' | 'center' | 'right';
  /** Placed farther than next to its point: draw a leader line from the point. */
  far: boolean;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

export function textWidth(text: string, fontSize: number, bold = false): number {
  return [...text].length * fontSize * (bold ? 0.68 : 0.62);
}

function box(x: number, y: number, align: PlacedLabel['align'], w: number, h: number): Box {
  const x0 = align === 'left' ? x : align === 'right' ? x - w : x - w / 2;
  return { x0: x0 - 1, y0: y - h / 2 - 1, x1: x0 + w + 1, y1: y + h / 2 + 1 };
}

export function placeLabels(wishes: readonly LabelWish[], width: number, height: number, obstacles: readonly { px: number; py: number; radius: number }[] = []): PlacedLabel[] {
  const taken: Box[] = [...wishes, ...obstacles].map((p) => ({ x0: p.px - p.radius, y0: p.py - p.radius, x1: p.px + p.radius, y1: p.py + p.radius }));
  const placed: PlacedLabel[] = [];
  wishes.forEach((l, index) => {
    const w = textWidth(l.text, l.fontSize, l.bold);
    const h = l.fontSize * 1.2;
    for (const far of [1, 2, 3, 4, 5, 6]) {
      const d = (l.radius + 3) * far;
      const candidates: [number, number, PlacedLabel['align']][] = [
        [d, 0, 'left'],
        [-d, 0, 'right'],
        [0, -(d + h / 2), 'center'],
        [0, d + h / 2, 'center'],
        [d * 0.7, -(d * 0.7 + h / 2), 'left'],
        [-d * 0.7, -(d * 0.7 + h / 2), 'right'],
        [d * 0.7, d * 0.7 + h / 2, 'left'],
        [-d * 0.7, d * 0.7 + h / 2, 'right'],
      ];
      for (const [dx, dy, align] of candidates) {
        const b = box(l.px + dx, l.py + dy, align, w, h);
        if (b.x0 < 0 || b.y0 < 0 || b.x1 > width || b.y1 > height) continue;
        if (taken.some((t) => overlaps(t, b))) continue;
        taken.push(b);
        placed.push({ index, x: l.px + dx, y: l.py + dy, align, far: far > 1 });
        return;
      }
    }
  });
  return placed;
}
