"""machina's Markdown editor widget, started by our own script.

machina's starter creates EasyMDE with its defaults, and EasyMDE then downloads Font Awesome from
a CDN at run time; ours turns that off (the icons come from machina's bundled theme).
"""

from machina.forms.widgets import MarkdownTextareaWidget


class MarkdownEditorWidget(MarkdownTextareaWidget):
    class Media:
        extend = False  # leave out machina's own starter script
        css = {"all": ("machina/build/css/vendor/easymde.min.css",)}
        js = ("machina/build/js/vendor/easymde.min.js", "js/editor.js")
