/** Small DOM helpers: typed look-ups and element building. */

/** The element with `id`, of the expected type; throws naming it when the page lacks it. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type))
    throw new Error(
      `page: expected #${id} to be a ${type.name}, got ${el ? el.tagName : 'nothing'}`,
    );
  return el;
}

/** A new element with text and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A CSS custom property of the page (theme colours). */
export const cssVar = (name: string): string =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim();

export const percent = (v: number, digits = 1): string => `${(v * 100).toFixed(digits)}%`;
