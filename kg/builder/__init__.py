"""``kg build``: a corpus folder in, a build directory out, one concern per module.

Per-document work (decode, clean, extract, and key the mentions for
resolution: :mod:`kg.resolve.state`) is a pure function of a file's bytes, its
name and the pipeline version, so it is cached on disk by content hash and can run anywhere: in this process, in worker processes (``jobs``) or
on a Dask cluster (``engine="dask"``). Documents are read and their states
folded into the resolver one at a time, in corpus order, so memory grows with
the graph, not with the corpus, and every engine gives the same output.
Resolution then streams nodes and edges, in id order, into a
:class:`kg.graph.writer.BuildWriter`, which swaps the new build in only once
it is complete: an interrupted build leaves the previous one intact.

* :mod:`kg.builder.orchestrate`: :func:`build` (read, resolve, write, store);
* :mod:`kg.builder.documents`: document states in corpus order from the cache or an engine;
* :mod:`kg.builder.corpus`: the corpus read in order, duplicates skipped;
* :mod:`kg.builder.local` and :mod:`kg.builder.dask_engine`: the engines;
* :mod:`kg.builder.work`: the unit of work (one document's bytes to its extraction and state);
* :mod:`kg.builder.tasks`: the values that pass between them;
* :mod:`kg.builder.cache`: the per-document cache of states;
* :mod:`kg.builder.collector`: garbage-collector tuning;
* :mod:`kg.builder.warmup`: the warm-up page.

The package is not called ``kg.build`` because ``kg.build`` is the public
function: a submodule of that name would replace it on the package once imported.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> root = Path(tempfile.mkdtemp())
>>> corpus = root / "corpus"; corpus.mkdir()
>>> _ = (corpus / "a.txt").write_text("链主企业培育\\n本报讯 2月1日,烟台市牟平区召开会议。", encoding="utf-8")
>>> result = build(corpus, root / "out", store=False)
>>> result.summary["documents"]["read"]
1
"""

from __future__ import annotations


from kg.builder.cache import CACHE_DIR, ExtractionCache
from kg.builder.documents import ENGINES, document_states
from kg.builder.orchestrate import BuildResult, build
from kg.builder.work import extract_bytes

__all__ = ["CACHE_DIR", "ENGINES", "BuildResult", "ExtractionCache", "build", "document_states", "extract_bytes"]
