// The page's only script, served by the app itself (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";

  function sizeText(n) {
    return n >= 1048576 ? (n / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1024)) + " KB";
  }

  // Upload form: drag and drop, the list of chosen files, the limits checked before sending.
  var form = document.getElementById("upload");
  if (form) {
    var input = document.getElementById("files");
    var drop = document.getElementById("drop");
    var list = document.getElementById("chosen");
    var problem = document.getElementById("client-error");
    var button = document.getElementById("submit");
    var maxFile = Number(form.getAttribute("data-max-file"));
    var maxFiles = Number(form.getAttribute("data-max-files"));
    var maxTotal = Number(form.getAttribute("data-max-total"));

    var show = function (message) {
      problem.textContent = message || "";
      problem.classList.toggle("hidden", !message);
    };
    var check = function () {
      var files = Array.prototype.slice.call(input.files || []);
      var total = 0;
      list.textContent = "";
      files.forEach(function (f) {
        total += f.size;
        var li = document.createElement("li");
        li.textContent = f.name;
        var size = document.createElement("span");
        size.className = "size";
        size.textContent = sizeText(f.size);
        li.appendChild(size);
        list.appendChild(li);
      });
      var big = files.filter(function (f) { return f.size > maxFile; });
      if (files.length > maxFiles) return "一次最多上传 " + maxFiles + " 个文件：请分几次上传";
      if (big.length) return "文件“" + big[0].name + "”超过 " + sizeText(maxFile) + " 的上限：请去掉图片或附件后再上传";
      if (total > maxTotal) return "所选文件合计超过 " + sizeText(maxTotal) + "：请分几次上传";
      return "";
    };
    input.addEventListener("change", function () { show(check()); });
    ["dragenter", "dragover"].forEach(function (type) {
      drop.addEventListener(type, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      drop.addEventListener(type, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        show(check());
      }
    });
    form.addEventListener("submit", function (e) {
      var message = check();
      var text = form.querySelector("textarea[name=text]");
      if (!message && !(input.files && input.files.length) && !(text && text.value.trim())) {
        message = "请先选择报告文件，或粘贴报告全文";
      }
      if (message) {
        e.preventDefault();
        show(message);
        return;
      }
      button.disabled = true;
      button.textContent = "正在上传和检查……";
    });
    // Back from a result page: the button works again.
    window.addEventListener("pageshow", function () {
      button.disabled = false;
      button.textContent = "开始检查";
    });
  }

  // Result page: the report frame grows to the report's height, and a problem link scrolls this page.
  var frame = document.getElementById("report");
  if (frame) {
    window.addEventListener("message", function (e) {
      if (e.source !== frame.contentWindow || !e.data || typeof e.data !== "object") return;
      if (typeof e.data.fazhiAuditHeight === "number") {
        frame.style.height = Math.max(200, Math.min(e.data.fazhiAuditHeight, 1000000)) + "px";
        frame.classList.add("fitted");
      } else if (typeof e.data.fazhiAuditScroll === "number") {
        var top = frame.getBoundingClientRect().top + window.scrollY + e.data.fazhiAuditScroll;
        window.scrollTo({ top: Math.max(0, top - window.innerHeight / 2), behavior: "smooth" });
      }
    });
  }

  // Progress page: poll until the audit is done, then show the result.
  var box = document.getElementById("progress-box");
  if (box) {
    var bar = document.getElementById("progress");
    var label = document.getElementById("progress-text");
    var poll = function () {
      fetch(box.getAttribute("data-status"), { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : { finished: true }; })
        .then(function (s) {
          if (s.finished) { location.reload(); return; }
          bar.value = s.done;
          bar.max = s.total;
          label.textContent = "已完成 " + s.done + " / " + s.total + " 份";
          setTimeout(poll, 500);
        })
        .catch(function () { setTimeout(poll, 2000); });
    };
    setTimeout(poll, 300);
  }
})();
