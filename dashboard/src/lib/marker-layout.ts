/**
 * Where the texts of chart markers go (pure): each text starts just right of its line (or ends just left
 * of it when it would pass the right edge), kept inside [0, width], and takes the first row in which it
 * overlaps no earlier text, so markers close in time stack instead of hiding each other.
 */
export type LabelBox = { x: number; width: number };
export type PlacedLabel = { start: number; row: number };

export const LABEL_GAP = 4;

export function layoutLabels(labels: LabelBox[], areaWidth: number): PlacedLabel[] {
  const rowEnds: number[] = [];
  return labels.map(({ x, width }) => {
    let start = x + LABEL_GAP + width > areaWidth ? x - LABEL_GAP - width : x + LABEL_GAP;
    start = Math.max(0, Math.min(start, areaWidth - width));
    let row = rowEnds.findIndex((end) => end + LABEL_GAP <= start);
    if (row < 0) row = rowEnds.push(0) - 1;
    rowEnds[row] = start + width;
    return { start, row };
  });
}
