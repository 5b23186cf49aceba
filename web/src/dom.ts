// SPDX-License-Identifier: MIT
// A tiny DOM builder. Text always goes in through textContent, never innerHTML: operator
// endpoints, CIDs and error messages come from the chain and other people.

export type Child = Node | string | number | null | undefined | false;
export type Children = Child | readonly Children[];
export type Attrs = Record<string, string | number | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Children[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === false) continue;
      if (k === "class") el.className = String(v);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  append(el, children);
  return el;
}

function isList(c: Children): c is readonly Children[] {
  return Array.isArray(c);
}

function append(el: Node, children: readonly Children[]): void {
  for (const c of children) {
    if (isList(c)) append(el, c);
    else if (c === null || c === undefined || c === false) continue;
    else if (typeof c === "string" || typeof c === "number") el.appendChild(document.createTextNode(String(c)));
    else el.appendChild(c);
  }
}

/** A table with a header row; rows are arrays of cells. */
export function table(cls: string, headers: string[], rows: Child[][], empty: string): HTMLElement {
  if (rows.length === 0) return h("p", { class: "empty" }, empty);
  return h(
    "table",
    { class: cls },
    h("thead", null, h("tr", null, headers.map((t) => h("th", null, t)))),
    h(
      "tbody",
      null,
      rows.map((r) => h("tr", null, r.map((c) => h("td", null, c)))),
    ),
  );
}

/** Replaces the children of el. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}
