/* Paste from Word / WPS: the clipboard's HTML reduced to structure before the editor reads it
 * (ADR 0013). Word sends paragraphs full of mso- styles, <o:p> tags, conditional comments and
 * lists written as paragraphs with a typed "1." or "·" marker; this turns those paragraphs into
 * real <ol>/<ul> lists, drops the styles, classes and empty paragraphs, and maps headings to the
 * levels the 正文 uses (二级 to 四级: the page title is the h1). What survives still goes
 * through the editor's schema and, on save, through the server's nh3 sanitiser.
 */
import { Extension, Plugin } from "django-prose-editor/editor";

const WORD_HINT = /class="?Mso|mso-|urn:schemas-microsoft-com|<o:p|xmlns:w=|Kingsoft|wps-/i;
const LIST_STYLE = /mso-list:\s*l(\d+)\s+level(\d+)/i;
const ORDERED_MARKER = /^[(（]?([0-9]+|[一二三四五六七八九十]+|[a-zA-Z]|[ivxlcIVXLC]+)[.、)）．]/;

function markerOf(paragraph) {
  // Word wraps the typed list marker in a span styled "mso-list:Ignore".
  const ignore = [...paragraph.querySelectorAll("span")].find((span) =>
    /mso-list:\s*ignore/i.test(span.getAttribute("style") || "")
  );
  if (!ignore) return { text: "", node: null };
  return { text: ignore.textContent.replace(/\s+/g, ""), node: ignore };
}

function convertLists(doc) {
  const paragraphs = [...doc.body.querySelectorAll("p")].filter((p) =>
    LIST_STYLE.test(p.getAttribute("style") || "")
  );
  let stack = []; // [{level, list}]
  let previous = null;
  for (const p of paragraphs) {
    const [, listId, levelText] = (p.getAttribute("style") || "").match(LIST_STYLE);
    const level = Number(levelText);
    const marker = markerOf(p);
    if (marker.node) marker.node.remove();
    const tag = ORDERED_MARKER.test(marker.text) ? "ol" : "ul";
    const adjacent = previous && previous.nextElementSibling === p && previous.dataset.listId === listId;
    if (!adjacent) stack = [];
    while (stack.length && stack[stack.length - 1].level > level) stack.pop();
    let top = stack[stack.length - 1];
    if (!top || top.level < level) {
      const list = doc.createElement(tag);
      if (top) {
        const parentItem = top.list.lastElementChild || top.list.appendChild(doc.createElement("li"));
        parentItem.appendChild(list);
      } else {
        p.before(list);
      }
      top = { level, list };
      stack.push(top);
    }
    const item = doc.createElement("li");
    const inner = doc.createElement("p");
    inner.innerHTML = p.innerHTML;
    item.appendChild(inner);
    top.list.appendChild(item);
    const placeholder = doc.createElement("span");
    placeholder.dataset.listId = listId;
    p.replaceWith(placeholder);
    previous = placeholder;
  }
  doc.body.querySelectorAll("span[data-list-id]").forEach((span) => {
    // Keep adjacency for the next paragraph, then remove the placeholders.
    span.remove();
  });
}

function renameHeadings(doc) {
  const map = { H1: "h2", H5: "h4", H6: "h4" };
  doc.body.querySelectorAll("h1, h5, h6").forEach((heading) => {
    const replacement = doc.createElement(map[heading.tagName]);
    replacement.innerHTML = heading.innerHTML;
    heading.replaceWith(replacement);
  });
}

export function cleanWordHtml(html) {
  if (!WORD_HINT.test(html)) return html;
  const doc = new DOMParser().parseFromString(html, "text/html");
  doc.querySelectorAll("style, meta, link, title, xml, script").forEach((el) => el.remove());
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_COMMENT);
  const comments = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  comments.forEach((c) => c.remove());
  // <o:p> and other namespaced Office tags: keep their text, drop the tag.
  [...doc.body.getElementsByTagName("*")]
    .filter((el) => el.tagName.includes(":"))
    .forEach((el) => el.replaceWith(...el.childNodes));
  convertLists(doc);
  renameHeadings(doc);
  doc.body.querySelectorAll("*").forEach((el) => {
    for (const name of ["style", "class", "lang", "align", "valign", "width", "height", "border",
      "cellspacing", "cellpadding"]) {
      if (el.tagName !== "IMG" || (name !== "width" && name !== "height")) el.removeAttribute(name);
    }
  });
  // Word's empty spacer paragraphs (only &nbsp;) carry no content.
  doc.body.querySelectorAll("p").forEach((p) => {
    if (!p.textContent.replace(/[\s\u00a0]/g, "") && !p.querySelector("img")) p.remove();
  });
  return doc.body.innerHTML;
}

export const WordPaste = Extension.create({
  name: "wordPaste",
  addProseMirrorPlugins() {
    return [new Plugin({ props: { transformPastedHTML: (html) => cleanWordHtml(html) } })];
  },
});
