/* Pick, don't type: a document is found by title, 文号 or 索引号 and its 索引号 filled in.
 *
 * Progressive enhancement of the 索引号 fields (data-pick="<lookup URL>"): without JavaScript
 * they are typed as before, and the server validates the 索引号 either way. A single field
 * becomes a combobox whose choice writes the 索引号; a multi-line field (data-pick-multi) gets
 * a search box above it whose choices are added one per line.
 */
(function () {
  "use strict";

  var counter = 0;

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function setup(field) {
    counter += 1;
    var multi = field.hasAttribute("data-pick-multi");
    var url = field.getAttribute("data-pick");
    var input = field;
    var wrapper = document.createElement("div");
    wrapper.className = "pick";
    if (multi) {
      input = document.createElement("input");
      input.type = "search";
      input.id = field.id + "_pick";
      var label = document.createElement("label");
      label.htmlFor = input.id;
      label.textContent = field.getAttribute("data-pick-label") || "搜索并添加";
      field.parentNode.insertBefore(wrapper, field);
      wrapper.appendChild(label);
      wrapper.appendChild(input);
    } else {
      field.parentNode.insertBefore(wrapper, field);
      wrapper.appendChild(field);
    }
    var listbox = document.createElement("ul");
    listbox.id = "pick-list-" + counter;
    listbox.className = "pick-list";
    listbox.setAttribute("role", "listbox");
    listbox.hidden = true;
    wrapper.appendChild(listbox);
    var status = document.createElement("p");
    status.className = "pick-status";
    status.setAttribute("aria-live", "polite");
    wrapper.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.placeholder = "输入标题、文号或索引号";

    var results = [];
    var active = -1;

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = listbox.querySelectorAll("[role=option]");
      options.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(index) {
      var hit = results[index];
      if (!hit) return;
      if (multi) {
        var lines = field.value.split(/\n/).map(function (l) { return l.trim(); }).filter(Boolean);
        if (lines.indexOf(hit.index_number) === -1) lines.push(hit.index_number);
        field.value = lines.join("\n");
        input.value = "";
      } else {
        input.value = hit.index_number;
      }
      status.textContent = "已选择：" + hit.label;
      close();
      input.focus();
    }

    function render() {
      listbox.innerHTML = "";
      results.forEach(function (hit, i) {
        var option = document.createElement("li");
        option.id = listbox.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var title = document.createElement("strong");
        title.textContent = hit.title;
        var meta = document.createElement("span");
        meta.className = "muted";
        meta.textContent = [hit.doc_number, hit.organisation, hit.date, hit.index_number]
          .filter(Boolean).join(" · ");
        option.appendChild(title);
        option.appendChild(document.createElement("br"));
        option.appendChild(meta);
        option.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        listbox.appendChild(option);
      });
      if (results.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = "找到" + results.length + "条，用上下方向键选择，回车确认";
      } else {
        close();
        status.textContent = "没有找到可关联的文件";
      }
    }

    var search = debounce(function (q) {
      if (q.length < 2) { results = []; close(); status.textContent = ""; return; }
      fetch(url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(q), {
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          if (input.value.trim() !== q) return;
          results = data.results || [];
          render();
        });
    }, 200);

    input.addEventListener("input", function () { search(input.value.trim()); });
    input.addEventListener("keydown", function (e) {
      if (listbox.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(active + 1, results.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter") { if (active >= 0) { e.preventDefault(); choose(active); } }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function init() {
    document.querySelectorAll("[data-pick]").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
