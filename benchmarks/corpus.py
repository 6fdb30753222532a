"""Benchmark corpora made at run time from ``samples/seeds`` (never committed).

A *perturbed* corpus replicates the seed pages to a target size: each page is
a dated front line and a shuffled draw of seed articles, and every firm's
distinctive name (its brand: 慕迪 in 山东慕迪新材料有限责任公司, which also
renames the short name 慕迪新材料) is replaced by a generated one, so the
extraction cache and resolution see new entities, as they would on a real
year of papers. Brands come from a pool of about 1 600 so that some firms
recur across pages, as real firms do.

Examples
--------
>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> stats = make_corpus(root / "c", target_bytes=200_000, seed=1)
>>> stats.files > 5 and stats.bytes >= 200_000
True
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "samples" / "seeds"
_LEGAL_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司)$")
_BRAND_CHARS = "华泰鑫盛恒达瑞博宏远嘉利丰源信诚凯顺腾飞龙祥福康德润晟昊煜琨璟铭楷翔"
_WEEKDAYS = "一二三四五六日"


@dataclass(slots=True)
class CorpusStats:
    """What a generated corpus holds."""

    files: int = 0
    articles: int = 0
    bytes: int = 0
    chars: int = 0
    brands: int = 0


@dataclass(frozen=True, slots=True)
class SeedArticle:
    """One article of a seed page, as original text, with the firm brands it names."""

    text: str
    brands: tuple[str, ...]


def _brand(name: str, place_prefixes: set[str]) -> str | None:
    """The two characters that make a legal firm name distinctive, after any place prefixes."""
    core = _LEGAL_SUFFIX.sub("", name)
    stripped = True
    while stripped:
        stripped = False
        for length in range(min(len(core) - 2, 7), 1, -1):
            if core[:length] in place_prefixes:
                core, stripped = core[length:], True
                break
    brand = core[:2]
    return brand if len(brand) == 2 and re.fullmatch(r"[\u4e00-\u9fff]{2}", brand) else None


@lru_cache(maxsize=1)
def seed_articles(seeds: Path = SEEDS) -> tuple[SeedArticle, ...]:
    """The seed articles, with the brands safe to rename in each.

    A brand is kept only when every occurrence of it in the seeds lies inside
    a firm the extractor found, so renaming never rewrites ordinary words.
    """
    from kg.builder.work import extract_bytes
    from kg.ingest import document_from_bytes
    from kg.nlp.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    prefixes = {place.name for place in gazetteer.places.values()}
    prefixes |= {name[:-1] for name in prefixes if len(name) >= 3 and name[-1] in "省市县区"}
    pages: list[tuple[str, list[tuple[int, int]]]] = []
    firm_spans: list[list[tuple[int, int, str]]] = []
    for path in sorted(seeds.glob("*.txt")):
        data = path.read_bytes()
        document = document_from_bytes(data, path.name, ".txt")
        spans = [document.clean.original_span(a.start, a.end) for a in document.articles]
        pages.append((document.original, spans))
        extraction = extract_bytes(data, path.name, ".txt")
        firm_spans.append([(m.start, m.end, m.surface) for m in extraction.mentions if m.label == "Enterprise"])
    brands: set[str] = set()
    for spans in firm_spans:
        for _start, _end, surface in spans:
            if _LEGAL_SUFFIX.search(surface) and (brand := _brand(surface, prefixes)):
                brands.add(brand)
    safe = set()
    for brand in brands:
        inside = all(
            any(s <= match.start() and match.end() <= e for s, e, _ in spans)
            for (text, _), spans in zip(pages, firm_spans)
            for match in re.finditer(brand, text)
        )
        if inside:
            safe.add(brand)
    articles = []
    for text, spans in pages:
        for start, end in spans:
            body = text[start:end].strip()
            if body:
                articles.append(SeedArticle(body, tuple(sorted(b for b in safe if b in body))))
    return tuple(articles)


def _new_brand(rng: random.Random) -> str:
    return rng.choice(_BRAND_CHARS) + rng.choice(_BRAND_CHARS)


def _pages(rng: random.Random, articles: tuple[SeedArticle, ...]) -> Iterator[tuple[str, int]]:
    """Endless synthetic pages: (text, number of articles)."""
    day = dt.date(2019, 1, 1)
    while True:
        day += dt.timedelta(days=rng.choice((0, 1)))
        count = rng.randint(4, 10)
        chosen = rng.sample(articles, min(count, len(articles)))
        renames = {brand: _new_brand(rng) for article in chosen for brand in article.brands}
        bodies = []
        for article in chosen:
            body = article.text
            for old, new in renames.items():
                body = body.replace(old, new)
            bodies.append(body)
        header = f"{day.year}年{day.month}月{day.day}日 星期{_WEEKDAYS[day.weekday()]}"
        yield header + "\n\n" + "\n\n".join(bodies) + "\n", len(chosen)


def make_corpus(
    out: Path,
    *,
    target_bytes: int | None = None,
    articles: int | None = None,
    files: int | None = None,
    seed: int = 7,
    per_folder: int = 500,
) -> CorpusStats:
    """Write a perturbed corpus into ``out`` until ``target_bytes``, ``articles`` or ``files`` is reached.

    Files are spread over sub-folders of ``per_folder`` pages, like a paper's
    year of issues, and written one at a time (nothing is held in memory).
    """
    if sum(limit is not None for limit in (target_bytes, articles, files)) != 1:
        raise ValueError("give exactly one of target_bytes, articles and files")
    rng = random.Random(seed)
    pool = seed_articles()
    stats = CorpusStats(brands=len({b for a in pool for b in a.brands}))
    out.mkdir(parents=True, exist_ok=True)
    for text, count in _pages(rng, pool):
        if articles is not None and stats.articles >= articles:
            break
        if target_bytes is not None and stats.bytes >= target_bytes:
            break
        if files is not None and stats.files >= files:
            break
        data = text.encode("utf-8")
        folder = out / f"{stats.files // per_folder:04d}"
        folder.mkdir(exist_ok=True)
        (folder / f"page_{stats.files:06d}.txt").write_bytes(data)
        stats.files += 1
        stats.articles += count
        stats.bytes += len(data)
        stats.chars += len(text)
    return stats


def cached_corpus(workdir: Path, **limits: int) -> tuple[Path, CorpusStats]:
    """A corpus under ``workdir`` named by its limits, made once and reused by later benchmarks of a run."""
    name = "corpus-" + "-".join(f"{key}{value}" for key, value in sorted(limits.items()))
    folder = workdir / name
    marker = workdir / f"{name}.done"
    if marker.exists():
        return folder, CorpusStats(**{k: int(v) for k, v in (item.split("=") for item in marker.read_text().split())})
    shutil.rmtree(folder, ignore_errors=True)
    stats = make_corpus(folder, **limits)
    marker.write_text(" ".join(f"{key}={getattr(stats, key)}" for key in CorpusStats.__slots__))
    return folder, stats


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1])
    print(make_corpus(target, target_bytes=int(float(sys.argv[2]) if len(sys.argv) > 2 else 10e6)))
