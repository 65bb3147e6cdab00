(function () {
  "use strict";
  // Shown inside the web page's result frame: the frame takes the report's full height (the page tells it
  // by message), so the report is never trapped in a box with a scrollbar of its own.
  var framed = window.parent !== window;
  if (framed) {
    document.documentElement.classList.add("framed");
    var tell = function () { parent.postMessage({ fazhiAuditHeight: Math.ceil(document.documentElement.scrollHeight) }, "*"); };
    window.addEventListener("load", tell);
    if (window.ResizeObserver) new ResizeObserver(tell).observe(document.body);
    tell();
  }
  // Sort the ranking table by the clicked column (numbers by data-v, text by Chinese collation).
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var heads = table.querySelectorAll("th");
    heads.forEach(function (th, col) {
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        var num = th.getAttribute("data-type") === "num";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col], y = b.cells[col], d;
          if (num) {
            d = (parseFloat(x.getAttribute("data-v")) || 0) - (parseFloat(y.getAttribute("data-v")) || 0);
          } else {
            d = x.textContent.localeCompare(y.textContent, "zh-CN");
          }
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      });
    });
  });
  // A problem link: bring its line to the middle of the text panel and flash it.
  function show(hash) {
    var el = hash && hash.length > 1 ? document.getElementById(decodeURIComponent(hash.slice(1))) : null;
    if (!el || el.tagName !== "P") return;
    el.scrollIntoView({ block: "center" });
    if (framed) parent.postMessage({ fazhiAuditScroll: Math.round(el.getBoundingClientRect().top + window.scrollY) }, "*");
    el.classList.remove("hit");
    void el.offsetWidth;
    el.classList.add("hit");
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href^='#']");
    if (a) setTimeout(function () { show(a.getAttribute("href")); }, 0);
  });
  window.addEventListener("hashchange", function () { show(location.hash); });
  // Printing shows what a reader would have to expand on screen.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
})();
