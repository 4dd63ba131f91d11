"""Every relative link and image in the README and in docs/*.md points at a file that exists."""

import re

import pytest

from mnist_helpers.config import PROJECT_ROOT

PAGES = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
FENCED_CODE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")  # [text](path) and ![alt](path)


def relative_targets(markdown: str) -> list:
    """The link and image targets of ``markdown`` that name a file: no web address, no bare #anchor."""
    targets = (match.group(1) for match in LINK.finditer(FENCED_CODE.sub("", markdown)))
    paths = (target.split("#")[0] for target in targets if not re.match(r"[a-z][a-z0-9+.-]*:", target))
    return [path for path in paths if path]


def test_links_are_found_images_and_files_but_not_web_addresses_or_anchors():
    markdown = "![a](outputs/a.png) [b](docs/b.md#part) [c](https://x.org/c.png) [d](#d) [e](mailto:e@x.org)"
    assert relative_targets(markdown + "\n```\n[f](in/code.md)\n```\n") == ["outputs/a.png", "docs/b.md"]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_points_at_a_file_that_exists(page):
    missing = [target for target in relative_targets(page.read_text()) if not (page.parent / target).exists()]
    assert missing == []
