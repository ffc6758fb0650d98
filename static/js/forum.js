/* Starts machina's widgets without inline scripts (machina puts them in an inline
   "onbodyload" block, which a strict Content-Security-Policy would block). */
document.addEventListener("DOMContentLoaded", function () {
  var machina = window.machina;
  if (!machina) { return; }
  if (machina.attachment && document.querySelector(".attachment-form, #attachment_formset")) {
    machina.attachment.init();
  }
  if (machina.poll && document.querySelector("#poll_formset, .poll-option-form")) {
    machina.poll.init();
  }
});
