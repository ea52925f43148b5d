// feidi serve: reloads this page when it changes and shows build errors over it.
// The dev server adds this script to the pages it serves; a built site never contains it.
(function () {
  "use strict";
  var script = document.currentScript;
  var page = script.getAttribute("data-page") || "";
  var version = script.getAttribute("data-version") || "0";
  var overlay = null;

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  // Built from text nodes only: messages quote the editor's content, which is never markup.
  function show(payload) {
    hide();
    var report = payload.report || { errors: 0 };
    overlay = document.createElement("div");
    overlay.id = "feidi-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5rem;" +
      "background:rgba(24,24,28,.95);color:#f2f2f2;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
    var head = document.createElement("p");
    head.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#ff8a80";
    head.textContent =
      "Build failed: " + report.errors + (report.errors === 1 ? " error" : " errors") +
      ". This page is the last good build; fix the file and save.";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Hide");
    close.style.cssText = "float:right;font:inherit;font-size:1.5rem;background:none;color:inherit;border:0;cursor:pointer";
    close.addEventListener("click", hide);
    var text = document.createElement("pre");
    text.style.cssText = "margin:0;white-space:pre-wrap";
    text.textContent = payload.text || "";
    overlay.appendChild(close);
    overlay.appendChild(head);
    overlay.appendChild(text);
    document.body.appendChild(overlay);
  }

  var url = "/__feidi/events?page=" + encodeURIComponent(page) + "&v=" + encodeURIComponent(version);
  var source = new EventSource(url);
  source.addEventListener("reload", function () {
    source.close();
    location.reload();
  });
  source.addEventListener("errors", function (event) {
    try {
      show(JSON.parse(event.data));
    } catch (e) {
      show({ text: String(event.data) });
    }
  });
  source.addEventListener("ok", hide);
})();
