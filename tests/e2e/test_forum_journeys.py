"""Customers ask the community: answers found while typing, then a question an expert solves."""

import re

import pytest
from django.contrib.auth.models import Group
from machina.apps.forum_conversation.forum_attachments.models import Attachment
from machina.apps.forum_conversation.models import Post, Topic
from PIL import Image

from forum.demo import topic_create
from forum.models import Deflection, TopicSolution
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.factories.kb import make_article

pytestmark = pytest.mark.django_db(transaction=True)

JAM_ARTICLE = "Paper jam but no paper inside"
JAM_THREAD = "Paper jam error with an empty tray"


def write_message(page, text: str) -> None:
    """Type into machina's Markdown editor (EasyMDE) the way a person does."""
    page.locator(".CodeMirror").first.click()
    page.keyboard.type(text)


@pytest.fixture
def answers(help_center, forum):
    """A help article and a solved thread that both answer a paper-jam question."""
    article = make_article(JAM_ARTICLE, body="## Fix\n\n1. Open the rear door.\n")
    asker = UserFactory(username="earlier-asker")
    solved = topic_create(
        forum=forum, poster=asker, subject=JAM_THREAD, content="It says **jam**, tray is empty."
    )
    reply = Post.objects.create(
        topic=solved,
        poster=UserFactory(),
        subject=f"Re: {JAM_THREAD}",
        content="Clean the paper sensor.",
        approved=True,
    )
    TopicSolution.objects.create(topic=solved, post=reply, marked_by=asker)
    return {"article": article.title, "thread": solved.subject}


def sign_in(page, username):
    """Sign in from the header link; the login page sends the member back where they were."""
    came_from = page.url
    page.locator('[data-nav="signin"]').click()
    page.wait_for_url("**/accounts/login/**")
    page.fill("#id_username", username)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(came_from)
    page.locator('[data-nav="account"]').wait_for()


@pytest.mark.parametrize("kind", ["article", "thread"])
def test_customer_finds_an_answer_while_typing_the_question(
    live_server, page, screenshot, answers, kind
):
    page.goto(f"{live_server.url}/en/")
    page.locator('[data-nav="ask"]').click()
    page.wait_for_url("**/community/ask/")
    ask_url = page.url
    query = "Paper jam but the tray is empty"
    page.locator("#ask-title").press_sequentially(query)

    # Suggestions arrive while typing, without the form being sent.
    page.locator('[data-suggestion="article"]', has_text=JAM_ARTICLE).wait_for()
    page.locator('[data-suggestion="thread"]', has_text=JAM_THREAD).wait_for()
    assert page.url == ask_url
    assert page.get_by_role("heading", name="These may already answer it").is_visible()
    screenshot(f"suggestions-{kind}")

    page.locator(f'[data-suggestion="{kind}"]', has_text=answers[kind]).click()
    page.get_by_role("heading", name=answers[kind], level=1).wait_for()
    assert "/community/ask/" not in page.url
    if kind == "thread":
        assert page.locator("h1 [data-solved]").is_visible()
        assert page.locator("[data-solution]").is_visible()
    screenshot(f"opened-{kind}")

    deflection = Deflection.objects.get()
    assert (deflection.query, deflection.posted) == (query, False)
    assert deflection.target_url == page.url.removeprefix(live_server.url)


def test_question_with_screenshot_is_answered_by_an_expert_and_solved(
    live_server, page, screenshot, help_center, forum, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"  # a fresh folder: the upload keeps its name
    asker = UserFactory(username="alex", display_name="Alex Asker")
    expert = UserFactory(username="sam", display_name="Sam from Support")
    expert.groups.add(Group.objects.get_or_create(name="Experts")[0])
    topic_create(
        forum=forum, poster=asker, subject="Wi-Fi setup keeps failing", content="Still open."
    )
    picture = tmp_path / "blank-page.png"
    Image.new("RGB", (40, 20), "white").save(picture, format="PNG")
    title = "Printer prints blank pages after a new cartridge"
    question = "I replaced the black cartridge yesterday and every page comes out blank."
    answer = "Remove the protective tape from the cartridge nozzles, then run a head cleaning."

    # The asker signs in, types the question and chooses the forum it belongs in.
    page.goto(f"{live_server.url}/en/")
    sign_in(page, "alex")
    page.locator('[data-nav="ask"]').click()
    page.wait_for_url("**/community/ask/")
    page.locator("#ask-title").press_sequentially(title)
    page.locator("[data-forum-link]", has_text="Printers").click()
    page.wait_for_url("**/topic/create/**")
    assert page.input_value("#id_subject") == title
    write_message(page, question)
    page.locator('.nav-tabs a[href="#attachments"]').click()
    attachment_input = page.locator('input[name="attachment-0-file"]')
    attachment_input.wait_for()
    attachment_input.set_input_files(str(picture))
    screenshot("asker-form")
    page.locator("main").get_by_role("button", name="Submit", exact=True).click()

    page.get_by_role("heading", name=title, level=1).wait_for()
    topic_page = page.url
    assert "/topic/create/" not in topic_page
    question_post = page.locator(".card.post").first
    assert question in question_post.locator(".post-content").inner_text()
    assert "blank-page.png" in question_post.locator(".attachment").inner_text()
    screenshot("asker-posted")
    topic = Topic.objects.get(subject=title)
    assert topic.poster == asker and topic.approved
    assert Attachment.objects.get(post__topic=topic).file.name.endswith(".png")

    # An expert replies through machina's reply form; the reply carries the expert badge.
    page.context.clear_cookies()
    page.goto(topic_page)
    sign_in(page, "sam")
    page.get_by_role("link", name="Post reply").first.click()
    page.wait_for_url("**/post/create/")
    write_message(page, answer)
    page.locator("main").get_by_role("button", name="Submit", exact=True).click()
    reply_post = page.locator(".card.post", has_text=answer)
    reply_post.wait_for()
    assert reply_post.locator("[data-expert]").is_visible()
    assert question_post.locator("[data-expert]").count() == 0
    screenshot("expert-replied")
    reply = Post.objects.get(topic=topic, poster=expert)
    assert reply.approved

    # The asker comes back and marks the expert's reply as the solution.
    page.context.clear_cookies()
    page.goto(topic_page)
    sign_in(page, "alex")
    assert page.locator("h1 [data-solved]").count() == 0
    page.locator(".card.post", has_text=answer).get_by_role(
        "button", name="Mark as solution"
    ).click()
    page.locator("h1 [data-solved]").wait_for()
    solution_box = page.locator("[data-solution]")
    assert answer in solution_box.inner_text()
    assert "Sam from Support" in solution_box.inner_text()
    # The solution box sits right under the question, before the conversation.
    assert page.evaluate(
        "document.querySelector('.card.post').nextElementSibling.matches('[data-solution]')"
    )
    assert page.locator(".card.post", has_text=answer).locator("[data-solution-label]").count()
    screenshot("asker-solved")
    solution = TopicSolution.objects.get(topic=topic)
    assert (solution.post, solution.marked_by) == (reply, asker)

    # The forum's question list shows it solved, and the "Solved" filter finds it.
    page.locator(".breadcrumb").get_by_role("link", name="Printers", exact=True).click()
    page.get_by_role("heading", name="Printers", level=1).wait_for()
    solved_row = page.locator(".topiclist .border-bottom", has_text=title)
    assert solved_row.locator("[data-solved]").is_visible()
    open_row = page.locator(".topiclist .border-bottom", has_text="Wi-Fi setup keeps failing")
    assert open_row.is_visible() and open_row.locator("[data-solved]").count() == 0
    screenshot("forum-list")
    page.locator(".topic-filters").get_by_role("link", name="Solved", exact=True).click()
    page.wait_for_url(re.compile(r"\?filter=solved$"))
    assert page.locator(".topiclist .topic-name-link", has_text=title).is_visible()
    assert page.locator(".topiclist .topic-name-link", has_text="Wi-Fi setup").count() == 0
    screenshot("forum-solved-filter")
