/**
 * DOM helpers for the page. Every text from a token or the server goes in
 * as a text node (never innerHTML): claims are attacker-controlled.
 */
export type Child = Node | string | undefined | false;

/** An element with attributes and children (strings become text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  append(node, children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element (attributes only: CSP style-src 'self' forbids style attributes). */
export function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: Child[]): SVGElement {
  const node = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  append(node, children);
  return node;
}

function append(node: Node, children: Child[]): void {
  for (const c of children) if (c !== undefined && c !== false) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
}

/** The element with this id (the page's HTML declares every one). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} missing from index.html`);
  return node as T;
}

/** Replaces a node's children. */
export function fill(node: Node, ...children: Child[]): void {
  while (node.firstChild) node.removeChild(node.firstChild);
  append(node, children);
}

/** A value as one line of text, as the CLI's text report shows it. */
export function show(v: unknown): string {
  if (v === undefined || v === null) return '(absent)';
  if (Array.isArray(v)) return v.map(show).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
