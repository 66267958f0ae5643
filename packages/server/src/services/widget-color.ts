/** WCAG contrast of white text on a #rrggbb background (1 to 21). */
export function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

/** The widget puts white text on its colour: it must reach the WCAG AA ratio for text. */
export const WIDGET_MIN_CONTRAST = 4.5;

/** Why this colour cannot be the widget's, or null when it can. */
export function widgetColorProblem(hex: string): string | null {
  const ratio = contrastWithWhite(hex);
  if (ratio >= WIDGET_MIN_CONTRAST) return null;
  return `White text on ${hex} is hard to read (contrast ${ratio.toFixed(1)}:1, at least ${WIDGET_MIN_CONTRAST}:1 is needed): pick a darker colour`;
}
