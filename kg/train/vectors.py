"""Character vectors from unlabelled text, turned into cluster ids for the CRF.

Why clusters and not the vectors themselves: a CRF takes sparse features, and
a few k-means granularities over PPMI + SVD character vectors give it
"characters that behave alike" (place-name characters, firm-name characters,
numerals) at the cost of three strings per character. numpy only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np


def char_vectors(texts: Iterable[str], dim: int = 64, window: int = 2, min_count: int = 3,
                 seed: int = 7) -> tuple[list[str], np.ndarray]:
    """PPMI over a ±``window`` co-occurrence matrix, reduced by a randomised SVD to ``dim``.

    Examples
    --------
    >>> chars, vectors = char_vectors(["青川县建设新材料产业", "织金县建设新能源产业"] * 5, dim=4, min_count=1)
    >>> vectors.shape == (len(chars), 4)
    True
    """
    texts = list(texts)
    counts = Counter(ch for text in texts for ch in text if not ch.isspace())
    chars = sorted(ch for ch, n in counts.items() if n >= min_count)
    index = {ch: i for i, ch in enumerate(chars)}
    size = len(chars)
    matrix = np.zeros((size, size), dtype=np.float64)
    for text in texts:
        ids = np.array([index.get(ch, -1) for ch in text], dtype=np.int64)
        for shift in range(1, window + 1):
            left, right = ids[:-shift], ids[shift:]
            keep = (left >= 0) & (right >= 0)
            weight = 1.0 / shift
            np.add.at(matrix, (left[keep], right[keep]), weight)
            np.add.at(matrix, (right[keep], left[keep]), weight)
    total = matrix.sum()
    row = matrix.sum(axis=1, keepdims=True)
    col = matrix.sum(axis=0, keepdims=True) ** 0.75  # context smoothing (Levy et al. 2015)
    col = col / col.sum() * total
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(matrix * total / (row @ col))
    ppmi = np.where(np.isfinite(pmi) & (pmi > 0), pmi, 0.0)
    vectors = _randomised_svd(ppmi, min(dim, max(1, size - 1)), seed)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return chars, vectors / np.where(norms > 0, norms, 1.0)


def _randomised_svd(matrix: np.ndarray, rank: int, seed: int, oversample: int = 10, power: int = 3) -> np.ndarray:
    """U * sqrt(S) of the top ``rank`` singular triplets (Halko et al. 2011)."""
    rng = np.random.default_rng(seed)
    probe = rng.standard_normal((matrix.shape[1], min(matrix.shape[1], rank + oversample)))
    basis = matrix @ probe
    for _ in range(power):
        basis, _r = np.linalg.qr(matrix @ (matrix.T @ basis))
    basis, _r = np.linalg.qr(basis)
    small = basis.T @ matrix
    u_small, singular, _vt = np.linalg.svd(small, full_matrices=False)
    u = basis @ u_small
    return u[:, :rank] * np.sqrt(singular[:rank])


def kmeans(vectors: np.ndarray, k: int, seed: int = 7, iterations: int = 25) -> np.ndarray:
    """Lloyd's k-means with k-means++ seeding; returns a cluster id per row.

    Examples
    --------
    >>> points = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]])
    >>> labels = kmeans(points, 2, seed=1)
    >>> bool(labels[0] == labels[1] and labels[2] == labels[3] and labels[0] != labels[2])
    True
    """
    rng = np.random.default_rng(seed)
    n = len(vectors)
    k = min(k, n)
    centres = [vectors[rng.integers(n)]]
    distance = ((vectors - centres[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        probabilities = distance / distance.sum() if distance.sum() > 0 else None
        centres.append(vectors[rng.choice(n, p=probabilities)])
        distance = np.minimum(distance, ((vectors - centres[-1]) ** 2).sum(axis=1))
    centre_array = np.array(centres)
    labels = np.zeros(n, dtype=np.int64)
    for _ in range(iterations):
        squared = (vectors ** 2).sum(axis=1)[:, None] - 2 * vectors @ centre_array.T + (centre_array ** 2).sum(axis=1)[None, :]
        new_labels = squared.argmin(axis=1)
        if np.array_equal(new_labels, labels) and _ > 0:
            break
        labels = new_labels
        for j in range(k):
            members = vectors[labels == j]
            if len(members):
                centre_array[j] = members.mean(axis=0)
    return labels


def cluster_table(texts: Iterable[str], granularities: Iterable[int] = (16, 64, 256), dim: int = 64,
                  min_count: int = 3, seed: int = 7) -> dict[str, tuple[str, ...]]:
    """char -> one cluster id per granularity (coarse first), the table shipped as ``clusters.tsv``.

    Examples
    --------
    >>> table = cluster_table(["青川县建设新材料产业", "织金县建设新能源产业"] * 5, (2, 4), dim=4, min_count=1)
    >>> len(table["县"])
    2
    """
    chars, vectors = char_vectors(texts, dim=dim, min_count=min_count, seed=seed)
    columns = [kmeans(vectors, k, seed=seed + i) for i, k in enumerate(granularities)]
    return {ch: tuple(str(int(column[i])) for column in columns) for i, ch in enumerate(chars)}
