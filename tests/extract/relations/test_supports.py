"""SUPPORTS: every supporting project or firm to every chain master of the passage."""

from __future__ import annotations


def test_supporting_projects_support_each_chain_master(extract):
    page = extract(
        "邓州市以光电信息产业为主。引进瑞光科技、华屹电子等“链主”企业,"
        "后续吸引落地精密模具、光学镜片等上下游配套项目。"
    )
    supports = page.relations("SUPPORTS")
    expected = {(p, m) for p in ("精密模具", "光学镜片") for m in ("瑞光科技", "华屹电子")}
    assert expected <= supports
    assert len(supports) == 4
