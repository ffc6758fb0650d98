"""Re-render every stored post and signature after a renderer or allowlist change.

machina stores rendered HTML; without this, content saved under an older (weaker) renderer would
keep being served as it was.
"""

from django.core.management.base import BaseCommand
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post
from machina.apps.forum_member.models import ForumProfile
from tqdm import tqdm

from forum.markup import render_post_markdown

BATCH = 500


def rerender(queryset, field: str, *, progress: bool) -> int:
    rendered_field = f"_{field}_rendered"
    changed = 0
    rows = queryset.exclude(**{f"{field}__isnull": True}).only("pk", field, rendered_field)
    for obj in tqdm(
        rows.iterator(chunk_size=BATCH),
        total=rows.count(),
        unit="row",
        desc=f"{queryset.model.__name__}.{field}",
        disable=not progress,
    ):
        html = render_post_markdown(getattr(obj, field).raw)
        if html != getattr(obj, rendered_field):
            queryset.model.objects.filter(pk=obj.pk).update(**{rendered_field: html})
            changed += 1
    return changed


class Command(BaseCommand):
    help = (
        "Re-render stored forum posts, signatures and forum descriptions with the current renderer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, no_progress: bool, **options):
        progress = not no_progress
        changed = rerender(Post.objects.all(), "content", progress=progress)
        changed += rerender(ForumProfile.objects.all(), "signature", progress=progress)
        changed += rerender(Forum.objects.all(), "description", progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Re-rendered {changed} stored text(s)."))
