/* The 正文 editor in Chinese, and its 插入附件 buttons (ADR 0013).
 *
 * A classic script in <head>: it runs before the editor's modules, which read window.gettext
 * when they load, and it listens for their "prose-editor:ready" event. Without JavaScript the
 * 正文 stays a textarea of HTML and the form works the same (the server sanitises either way).
 */
(function () {
  "use strict";

  var words = {
    "Image URL": "图片地址",
    "Alternative Text": "图片文字说明",
    "Caption": "图片说明",
    "Add caption": "添加说明",
    "Remove caption": "删除说明",
    "Edit Figure": "编辑图片",
    "Insert Figure": "插入图片",
    "Edit Image": "编辑图片",
    "Browse...": "浏览…",
    "Update": "确定",
    "Insert": "插入",
    "Cancel": "取消",
    "Edit HTML": "编辑HTML源码",
    "Prettify": "整理格式",
    "The HTML contents of the editor. Note that the allowed HTML is restricted by the editor schema.":
      "正文的HTML源码。保存时只保留编辑器支持的标签，其余会被清除。",
    "URL": "链接地址",
    "Title": "标题",
    "Open in new window": "在新窗口打开",
    "Edit Link": "编辑链接",
    "List properties": "列表属性",
    "Bullets": "项目符号",
    "Toggle fullscreen": "全屏",
    "Decimal numbers": "阿拉伯数字",
    "Lowercase letters": "小写字母",
    "Uppercase letters": "大写字母",
    "Lowercase Roman numerals": "小写罗马数字",
    "Uppercase Roman numerals": "大写罗马数字",
    "Start at": "起始编号",
    "List type": "编号样式",
    "Rows": "行数",
    "Columns": "列数",
    "Include header row": "包含表头行",
    "Table Properties": "表格属性",
    "Insert Table": "插入表格",
    "Yes": "是",
    "No": "否"
  };
  var previous = window.gettext;
  window.gettext = function (text) {
    if (Object.prototype.hasOwnProperty.call(words, text)) return words[text];
    return previous ? previous(text) : text;
  };

  // The toolbar's button titles are fixed English strings in the library.
  var titles = {
    "bold": "加粗",
    "italic": "倾斜",
    "underline": "下划线",
    "strike": "删除线",
    "subscript": "下标",
    "superscript": "上标",
    "paragraph": "正文段落",
    "heading 2": "二级标题",
    "heading 3": "三级标题",
    "heading 4": "四级标题",
    "unordered list": "项目符号列表",
    "ordered list": "编号列表",
    "blockquote": "引用",
    "horizontal rule": "分隔线",
    "insert link": "插入链接",
    "remove link": "取消链接",
    "Insert table": "插入表格",
    "Merge cells": "合并单元格",
    "Split cell": "拆分单元格",
    "Add column after": "在右侧插入列",
    "Add column before": "在左侧插入列",
    "Delete column": "删除列",
    "Add row after": "在下方插入行",
    "Add row before": "在上方插入行",
    "Delete row": "删除行",
    "Delete table": "删除表格",
    "Toggle header cell": "设为表头单元格",
    "Toggle header row": "设为表头行",
    "Toggle header column": "设为表头列",
    "undo": "撤销",
    "redo": "重做",
    "edit HTML": "编辑HTML源码",
    "HTML": "HTML源码",
    "figure": "插入图片",
    "image": "插入图片",
    "Styles": "段落样式"
  };

  // The block-style dropdown shows its options' names as text (h2 "Heading 2", p "Paragraph").
  var options = {
    "paragraph": "正文段落",
    "heading2": "二级标题",
    "heading3": "三级标题",
    "heading4": "四级标题"
  };

  function translateMenu(root) {
    root.querySelectorAll(".prose-menubar__option[data-name]").forEach(function (el) {
      var name = el.getAttribute("data-name");
      var text = el.firstElementChild || el;
      if (Object.prototype.hasOwnProperty.call(options, name) && text.textContent !== options[name]) {
        text.textContent = options[name];
      }
    });
    root.querySelectorAll("[title], [aria-label]").forEach(function (el) {
      ["title", "aria-label"].forEach(function (name) {
        var value = el.getAttribute(name);
        if (value && Object.prototype.hasOwnProperty.call(titles, value)) {
          el.setAttribute(name, titles[value]);
        }
      });
    });
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function wireAttachments(editor, textarea) {
    var box = document.querySelector('[data-insert-for="' + textarea.id + '"]');
    if (!box) return;
    box.classList.add("js");
    box.querySelectorAll("[data-insert-href]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var href = escapeHtml(button.getAttribute("data-insert-href"));
        var name = escapeHtml(button.getAttribute("data-insert-name"));
        var html = button.hasAttribute("data-insert-image")
          ? '<img src="' + href + '" alt="' + name + '">'
          : '<a href="' + href + '">' + name + "</a>";
        editor.chain().focus().insertContent(html).run();
      });
    });
  }

  document.addEventListener("prose-editor:ready", function (event) {
    var editor = event.detail.editor;
    var textarea = event.detail.textarea;
    var wrapper = textarea.closest(".prose-editor") || textarea.parentNode;
    translateMenu(wrapper);
    // Buttons shown later (table tools appear inside a table) are translated as they come.
    new MutationObserver(function () { translateMenu(wrapper); }).observe(wrapper, {
      childList: true, subtree: true
    });
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    var editable = wrapper.querySelector("[contenteditable]");
    if (label && editable) {
      // The label now names the editing area (the textarea is hidden and kept in step).
      if (!label.id) label.id = textarea.id + "_label";
      label.removeAttribute("for");
      editable.setAttribute("aria-labelledby", label.id);
      editable.setAttribute("role", "textbox");
      editable.setAttribute("aria-multiline", "true");
      var help = document.getElementById(textarea.id + "_helptext");
      if (help) editable.setAttribute("aria-describedby", help.id);
      label.addEventListener("click", function () { editor.commands.focus(); });
    }
    wireAttachments(editor, textarea);
  });
})();
