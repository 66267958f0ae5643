import type { WidgetConfig } from '@parlour/protocol';

let loading: Promise<WidgetConfig | null> | null = null;

/**
 * The admin's colour and greeting (GET /api/widget/config), read once per frame. The colour
 * becomes the --accent custom property (set through the CSSOM, which the strict CSP allows);
 * without an answer the built-in look stays.
 */
export function loadWidgetConfig(origin: string): Promise<WidgetConfig | null> {
  loading ??= fetch(`${origin}/api/widget/config`, { credentials: 'omit' })
    .then(async (response) => (response.ok ? ((await response.json()) as WidgetConfig) : null))
    .then((config) => {
      if (config && /^#[0-9a-fA-F]{6}$/.test(config.color))
        document.documentElement.style.setProperty('--accent', config.color);
      return config;
    })
    .catch(() => null);
  return loading;
}
