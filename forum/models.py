"""Our small models beside machina's: solutions, votes, reports and import bookkeeping."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TopicSolution(models.Model):
    """The reply that solved a question, and who said so."""

    topic = models.OneToOneField(
        "forum_conversation.Topic", on_delete=models.CASCADE, related_name="solution"
    )
    post = models.ForeignKey(
        "forum_conversation.Post", on_delete=models.CASCADE, related_name="solution_marks"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("solution")

    def __str__(self) -> str:
        return f"topic {self.topic_id} solved by post {self.post_id}"


class TopicMeToo(models.Model):
    """ "I have this problem too": one per member per question."""

    topic = models.ForeignKey(
        "forum_conversation.Topic", on_delete=models.CASCADE, related_name="me_too"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="one_me_too")]

    def __str__(self) -> str:
        return f"{self.user_id} also has topic {self.topic_id}"


class PostHelpfulVote(models.Model):
    """A member found a reply helpful: one per member per reply."""

    post = models.ForeignKey(
        "forum_conversation.Post", on_delete=models.CASCADE, related_name="helpful_votes"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_helpful_vote")]

    def __str__(self) -> str:
        return f"{self.user_id} found post {self.post_id} helpful"


class ImportedThread(models.Model):
    """Which topic an imported thread became, so re-importing updates instead of duplicating."""

    external_id = models.CharField(max_length=120, unique=True)
    topic = models.OneToOneField(
        "forum_conversation.Topic", on_delete=models.CASCADE, related_name="import_record"
    )

    def __str__(self) -> str:
        return self.external_id


class Deflection(models.Model):
    """A suggestion opened from the ask page; ``posted`` turns true if the visitor asked anyway."""

    visitor = models.CharField(max_length=80, db_index=True)
    query = models.CharField(max_length=200)
    target_url = models.CharField(max_length=500)
    posted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.query!r} → {self.target_url}"


class ForumSubscription(models.Model):
    """A member wants an email for each new question in a forum."""

    forum = models.ForeignKey("forum.Forum", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["forum", "user"], name="one_forum_sub")]

    def __str__(self) -> str:
        return f"{self.user_id} follows forum {self.forum_id}"


class PostNotification(models.Model):
    """Marks a post whose notification emails were queued, so approval later sends none twice."""

    post = models.OneToOneField(
        "forum_conversation.Post", on_delete=models.CASCADE, related_name="notification"
    )
    queued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"notified post {self.post_id}"


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Rude or abusive")
    WRONG = "wrong", _("Wrong or dangerous advice")
    OTHER = "other", _("Something else")


class PostReport(models.Model):
    """A member flags a post for the moderators."""

    post = models.ForeignKey(
        "forum_conversation.Post", on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    comment = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_report_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"report on post {self.post_id}: {self.reason}"


class TopicLanguage(models.Model):
    """The language a question was asked in (machina has no such field), for search."""

    topic = models.OneToOneField(
        "forum_conversation.Topic", on_delete=models.CASCADE, related_name="language_record"
    )
    language = models.CharField(max_length=10, db_index=True)

    def __str__(self) -> str:
        return f"topic {self.topic_id}: {self.language}"
