// DOM helpers. Every text goes through textContent: data such as a member's name can
// never become markup.

export const byId = (id) => document.getElementById(id);

// Every form of these pages is sent by their scripts. Called first thing, before the
// message tables load: a form submitted meanwhile (Enter in a field) is not sent by the
// browser itself, which would put what was typed into a request to the page's own URL.
export function keepFormsInPage() {
  document.addEventListener("submit", (event) => event.preventDefault(), { capture: true });
}

export function el(tag, { className, text, attrs } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
}

export function show(node, visible) {
  node.hidden = !visible;
}

export function button(text, onClick, { quiet = false, id, danger = false } = {}) {
  const classes = ["button", quiet ? "button-quiet" : "", danger ? "button-danger" : ""];
  const node = el("button", { className: classes.join(" ").trim(), text, attrs: { type: "button", id } });
  node.addEventListener("click", onClick);
  return node;
}

export function card(title, children, { id, wide = false, actions = [] } = {}) {
  const headingId = id ? `${id}-title` : undefined;
  const head = el("div", { className: "card-head" }, [
    el("h2", { text: title, attrs: { id: headingId } }),
    actions.length ? el("div", { className: "card-actions" }, actions) : null,
  ]);
  const attrs = { id, "aria-labelledby": headingId };
  return el("section", { className: wide ? "card card-wide" : "card", attrs }, [head, ...children]);
}

export function hint(text) {
  return el("p", { className: "hint", text });
}

// A table: columns are [label, cell(row) → text or Node, className?].
export function table(columns, rows, { caption, empty } = {}) {
  if (rows.length === 0 && empty) return hint(empty);
  const head = el("tr", {}, columns.map(([label]) => el("th", { text: label, attrs: { scope: "col" } })));
  const body = el("tbody");
  for (const row of rows) {
    const cells = columns.map(([, cell, className]) => {
      const value = cell(row);
      const td = el("td", { className });
      if (value instanceof Node) td.append(value);
      else td.textContent = value === undefined || value === null || value === "" ? "—" : String(value);
      return td;
    });
    body.append(el("tr", {}, cells));
  }
  const parts = [caption ? el("caption", { className: "visually-hidden", text: caption }) : null];
  return el("div", { className: "table-scroll" }, [
    el("table", { className: "table" }, [...parts, el("thead", {}, [head]), body]),
  ]);
}

export function facts(rows) {
  const list = el("dl", { className: "facts" });
  for (const [term, value] of rows) {
    const description = el("dd");
    if (value instanceof Node) description.append(value);
    else description.textContent = value === undefined || value === null || value === "" ? "—" : String(value);
    list.append(el("dt", { text: term }), description);
  }
  return list;
}

export function field(label, input, { id, error } = {}) {
  input.id = id;
  const message = el("p", { className: "field-error", attrs: { id: `${id}-error`, role: "alert" } });
  message.hidden = !error;
  if (error) message.textContent = error;
  input.setAttribute("aria-describedby", `${id}-error`);
  return el("div", { className: "field" }, [el("label", { text: label, attrs: { for: id } }), input, message]);
}

export function setMessage(node, text, kind = "error") {
  node.textContent = text || "";
  node.className = `message message-${kind}`;
  show(node, Boolean(text));
}

// A fieldset of checkboxes named `name`: items are [value, label]; `chosen` are ticked.
export function checkboxes(name, legend, items, chosen = [], { id } = {}) {
  const boxes = items.map(([value, text]) =>
    el("label", {}, [el("input", { attrs: { type: "checkbox", name, value, checked: chosen.includes(value) } }), text]),
  );
  return el("fieldset", { className: "checks", attrs: { id } }, [el("legend", { text: legend }), ...boxes]);
}

export function checkedValues(root, name) {
  return [...root.querySelectorAll(`input[name="${name}"]:checked`)].map((box) => box.value);
}

// Each error beside its field (the element `#<idOf(path)>-error` a field() made); the
// errors no field of the form shows come back, for a message of their own.
export function showFieldErrors(form, errors, idOf) {
  for (const node of form.querySelectorAll(".field-error")) {
    node.textContent = "";
    node.hidden = true;
  }
  const unplaced = {};
  for (const [path, text] of Object.entries(errors)) {
    const node = form.querySelector(`#${idOf(path)}-error`);
    if (node) Object.assign(node, { textContent: text, hidden: false });
    else unplaced[path] = text;
  }
  return unplaced;
}
