/* Starts machina's widgets (markdown editor, attachments) without an inline script, so a strict CSP holds. */
document.addEventListener("DOMContentLoaded", function () {
  if (window.machina && typeof window.machina.init === "function") {
    window.machina.init();
  }
});
