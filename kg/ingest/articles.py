"""A newspaper page split into articles, with bylines and sentences.

A page is a run of paragraphs (one per line after clean-up). A group of short
headline-like lines opens an article; a "本报讯" lead or a byline never does.
Bylines (记者/通讯员/摄 and their names) are recognised so that reporters are
never taken for people in the news.
"""

from __future__ import annotations

import re

from kg.model import Article, Sentence
from kg.ingest.dates import PAGE_DATE, parse_date

_ROLE = r"(?:(?:本报|[\u4e00-\u9fff]{2,6}(?:报|台|网))?(?:全媒体|融媒体|首席|特约|见习|实习)?(?:摄影记者|记者|通讯员|实习生|摄影|编辑))"
_NAMES = r"[\u4e00-\u9fff·]{2,16}?"
BYLINE_LINE = re.compile(
    rf"^[□■_＿—\-\s]*(?:(?:{_ROLE}[：:/]?\s*{_NAMES}\s*)+(?:摄影?|报道|/摄)?|(?:文/图|文|图)[：:/]\s*{_NAMES}|[□■_＿]+\s*[\u4e00-\u9fff·]{{2,4}})\s*$"
)
_LEAD_BYLINE = re.compile(r"本报讯\s*[（(]([^）)]{1,60})[）)]")
_TRAILING_BYLINE = re.compile(rf"(?<=[。！？”!?])\s*((?:{_ROLE}\s*{_NAMES}\s*)+(?:摄)?)$")
_ROLE_WORD = re.compile(_ROLE)
_SENTENCE_END = re.compile(r"[。！？!?；;…]+[”’」』）)]*|\n")
_TERMINAL = frozenset("。！？!?；;…:：")
_MAX_HEADLINE = 40
# Longer runs of text without a headline are cut at a paragraph, so that no unit of extraction grows
# with the file (a 50 MB dump of one article is read in pieces).
MAX_ARTICLE_CHARS = 20_000


def _byline_spans(paragraph: str, offset: int) -> list[tuple[int, int]]:
    if BYLINE_LINE.match(paragraph):
        return [(offset, offset + len(paragraph))]
    spans = [(offset + m.start(1), offset + m.end(1)) for m in _LEAD_BYLINE.finditer(paragraph)]
    trailing = _TRAILING_BYLINE.search(paragraph)
    if trailing and _ROLE_WORD.search(trailing.group(1)):
        spans.append((offset + trailing.start(1), offset + trailing.end(1)))
    return spans


def _is_headline(paragraph: str) -> bool:
    text = paragraph.strip()
    if text.endswith(("——", "—")) and len(text) <= 2 * _MAX_HEADLINE:
        return True  # a kicker line that leads into the headline ("…为某公司提供了全方位支持——")
    if not text or len(text) > _MAX_HEADLINE or text[-1] in _TERMINAL:
        return False
    if text.startswith("本报讯") or BYLINE_LINE.match(text) or PAGE_DATE.fullmatch(text):
        return False
    if text[0] in "(（" and text[-1] in ")）":
        return False
    return not re.search(r"[，,。；;]", text[: len(text) - 1]) or text.startswith(("——", "—"))


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def sentences(text: str, start: int, end: int) -> list[Sentence]:
    """Sentences of ``text[start:end]`` as clean offsets, without line breaks.

    Examples
    --------
    >>> [("链长制。链主!"[s.start:s.end]) for s in sentences("链长制。链主!", 0, 7)]
    ['链长制。', '链主!']
    """
    found: list[Sentence] = []
    position = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.end() if match.group() != "\n" else match.start()
        if text[position:stop].strip():
            found.append(Sentence(position, stop))
        position = match.end()
    if position < end and text[position:end].strip():
        found.append(Sentence(position, end))
    return found


def split_articles(text: str, page_year: int | None) -> list[Article]:
    """Split a cleaned page into articles.

    Examples
    --------
    >>> page = "链长制推进会召开\\n本报讯(记者张三)2月1日,会议召开。\\n链主企业名单发布\\n全市确定10家链主企业。"
    >>> [(a.title, a.date, a.bylines) for a in split_articles(page, 2024)]
    [('链长制推进会召开', '2024-02-01', ['记者张三']), ('链主企业名单发布', None, [])]
    """
    paragraphs = _paragraphs(text)
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    in_headline = False
    for start, end in paragraphs:
        if PAGE_DATE.fullmatch(text[start:end].strip()):
            continue
        headline = _is_headline(text[start:end])
        if headline and not in_headline and current:
            groups.append(current)
            current = []
        current.append((start, end))
        in_headline = headline
        if not headline and end - current[0][0] > MAX_ARTICLE_CHARS:
            groups.append(current)  # a page with no headlines for pages on end: cut it at a paragraph
            current = []
    if current:
        groups.append(current)

    articles: list[Article] = []
    for group in groups:
        title_lines = []
        for start, end in group:
            if not _is_headline(text[start:end]):
                break
            title_lines.append(text[start:end].strip())
        start, end = group[0][0], group[-1][1]
        body = text[start:end]
        spans = [span for s, e in group for span in _byline_spans(text[s:e], s)]
        lead = body[:200]
        dated = parse_date(lead, page_year) if re.search(r"本报讯|\d{1,2}月\d{1,2}日[,，]", lead) else None
        articles.append(
            Article(
                index=len(articles),
                start=start,
                end=end,
                title=" ".join(title_lines),
                date=dated[0] if dated else None,
                bylines=[text[s:e] for s, e in spans],
                byline_spans=spans,
                sentences=sentences(text, start, end),
            )
        )
    return articles
