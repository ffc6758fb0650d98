/* Markdown editor for forum posts: EasyMDE without any download from the internet. */
document.addEventListener("DOMContentLoaded", function () {
  if (typeof window.EasyMDE !== "function") { return; }
  document.querySelectorAll("textarea.machina-mde-markdown").forEach(function (element) {
    new window.EasyMDE({
      element: element,
      autoDownloadFontAwesome: false,
      hideIcons: ["preview", "guide", "side-by-side", "fullscreen"],
      renderingConfig: { singleLineBreaks: false },
      spellChecker: false,
      status: false,
      forceSync: true
    });
  });
});
