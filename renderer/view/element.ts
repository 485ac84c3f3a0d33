// A small element builder: the window is built with DOM calls (no innerHTML anywhere,
// so no event text can become markup, and the strict CSP needs no exceptions).

type Child = Node | string | null | undefined | false;

export interface ElementProps {
  class?: string;
  text?: string;
  /** Attributes, including `aria-*` and `role`; false or null leaves one out. */
  attrs?: Record<string, string | number | boolean | null | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, children: Child[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) setAttr(node, name, value);
  for (const [type, handler] of Object.entries(props.on ?? {})) {
    node.addEventListener(type, handler as EventListener);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

export function setAttr(node: Element, name: string, value: string | number | boolean | null | undefined): void {
  if (value === null || value === undefined || value === false) node.removeAttribute(name);
  // `aria-*` states are the strings "true"/"false"; an empty aria-invalid means false.
  else if (value === true) node.setAttribute(name, name.startsWith('aria-') ? 'true' : '');
  else node.setAttribute(name, String(value));
}

/** Set text only when it changed (cheap for rows and side-list entries updated every frame). */
export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

let idCounter = 0;
/** A document-unique id for label and aria-* references. */
export function uniqueId(prefix: string): string {
  idCounter++;
  return `${prefix}-${idCounter}`;
}
