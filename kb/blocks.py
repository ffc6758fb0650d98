"""StreamField blocks for help articles: what a guide, lesson or troubleshooting page is made of."""

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_FEATURES = ["bold", "italic", "link", "ol", "ul", "code"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; headings make up the article's table of contents."""

    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section")), ("h3", _("Subsection"))], default="h2", label=_("Level")
    )

    class Meta:
        label = _("Heading")
        icon = "title"
        template = "blocks/heading_block.html"

    def anchor(self, value) -> str:
        return "h-" + (slugify(value["text"], allow_unicode=True) or "section")

    def get_context(self, value, parent_context=None):
        return {**super().get_context(value, parent_context), "anchor": self.anchor(value)}


class StepBlock(blocks.StructBlock):
    """One thing to do, with an optional picture and a warning shown before it."""

    text = blocks.RichTextBlock(features=RICH_FEATURES, label=_("What to do"))
    image = ImageChooserBlock(required=False, label=_("Image"))
    warning = blocks.TextBlock(required=False, label=_("Warning"), rows=2)

    class Meta:
        icon = "tick"


class StepsBlock(blocks.StructBlock):
    """Numbered steps a customer follows in order."""

    steps = blocks.ListBlock(StepBlock(), min_num=1, label=_("Steps"))

    class Meta:
        label = _("Steps")
        icon = "list-ol"
        template = "blocks/steps_block.html"


class CalloutBlock(blocks.StructBlock):
    """A boxed note: a tip, a warning, or a danger to life or hardware."""

    kind = blocks.ChoiceBlock(
        choices=[("tip", _("Tip")), ("warning", _("Warning")), ("danger", _("Danger"))],
        default="tip",
        label=_("Kind"),
    )
    text = blocks.RichTextBlock(features=RICH_FEATURES, label=_("Text"))

    class Meta:
        label = _("Callout")
        icon = "warning"
        template = "blocks/callout_block.html"


class CaptionedImageBlock(blocks.StructBlock):
    """An image with a caption, e.g. a photo of the paper tray."""

    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(required=False, label=_("Caption"))

    class Meta:
        label = _("Image with caption")
        icon = "image"
        template = "blocks/image_block.html"


class VideoBlock(blocks.StructBlock):
    """A video link; nothing loads from the video host until the reader chooses to go there."""

    url = blocks.URLBlock(label=_("Video URL"))
    title = blocks.CharBlock(required=False, label=_("Title"))

    class Meta:
        label = _("Video")
        icon = "media"
        template = "blocks/video_block.html"


class DownloadBlock(blocks.StructBlock):
    """A downloadable file such as a PDF manual."""

    document = DocumentChooserBlock(label=_("Document"))
    label = blocks.CharBlock(required=False, label=_("Link text"))

    class Meta:
        label = _("Download")
        icon = "doc-full"
        template = "blocks/download_block.html"


class CodeBlock(blocks.StructBlock):
    """A command or code the customer copies exactly."""

    language = blocks.CharBlock(required=False, max_length=30, label=_("Language"))
    code = blocks.TextBlock(label=_("Code"))

    class Meta:
        label = _("Code or command")
        icon = "code"
        template = "blocks/code_block.html"


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"))
    answer = blocks.RichTextBlock(features=RICH_FEATURES, label=_("Answer"))


class FAQBlock(blocks.StructBlock):
    """Question and answer pairs; FAQ pages expose them to search engines as FAQPage."""

    items = blocks.ListBlock(QuestionAnswerBlock(), min_num=1, label=_("Questions"))

    class Meta:
        label = _("Questions and answers")
        icon = "help"
        template = "blocks/faq_block.html"


class RelatedArticlesBlock(blocks.StructBlock):
    """Hand-picked links to other articles."""

    articles = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="kb.ArticlePage"), min_num=1, label=_("Articles")
    )

    class Meta:
        label = _("Related articles")
        icon = "link"
        template = "blocks/related_block.html"


class ArticleBodyBlock(blocks.StreamBlock):
    """Everything an article body may contain."""

    heading = HeadingBlock()
    text = blocks.RichTextBlock(
        features=RICH_FEATURES, icon="pilcrow", label=_("Text"), template="blocks/text_block.html"
    )
    steps = StepsBlock()
    callout = CalloutBlock()
    image = CaptionedImageBlock()
    video = VideoBlock()
    download = DownloadBlock()
    code = CodeBlock()
    table = TableBlock(template="blocks/table_block.html", label=_("Table"))
    faq = FAQBlock()
    related = RelatedArticlesBlock()
