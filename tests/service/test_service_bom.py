"""POST /v1/calculate with deep and diamond BOMs (issue 8, items 4 and 7).

A 5,000-level chain was a 500 (RecursionError while encoding and recording
the nested costing BOM); a 20-level diamond, each level using the next twice,
made a 1.2 GB answer.  The costing BOM is a graph: both answer 200, the
diamond in a few KB, and both are recorded in the history.
"""

from __future__ import annotations

import json

import pytest
from service_client import make_client

from costsheet.history import HistoryStore

CHART = """\
chart {
  1110 element "Direct material" material
  1120 element "Material overhead" material-overhead
  3100 element "Manufacturing overhead" mfg-overhead
}
setup { default material M default production P }
condition material M "M" { direct 1110 overhead 1120 }
condition production P "P" { direct 1110 overhead 3100 }
item L0 "Leaf" { unit-cost 1.00 }
"""


def _levels(levels: int, uses: int) -> str:
    """L(i) is made of ``uses`` BOM lines of L(i-1)."""
    lines = [
        f'item L{i} "Level {i}" {{ replenishment prod-order bom {{ {" ".join([f"L{i - 1} 1"] * uses)} }} }}'
        for i in range(1, levels)
    ]
    return CHART + "\n".join(lines) + "\n"


def _calculate(client, text: str, item: str):
    return client.post("/v1/calculate", json={"text": text, "item": item, "date": "2026-06-15"})


@pytest.mark.thorough
def test_a_5000_level_bom_is_costed_answered_and_recorded(history_path):
    """(Loading 5,000 items takes a second or two: a generous time limit keeps a busy machine from a 408.)"""
    with make_client(record_history=True, history_path=str(history_path), request_timeout=120) as client:
        answer = _calculate(client, _levels(5_000, 1), "L4999")
    assert answer.status_code == 200, answer.text[:500]
    data = answer.json()
    nodes = data["result"]["bom"]["nodes"]
    assert len(nodes) == 5_000 and data["result"]["unit_cost"] == "1.00"
    assert nodes["L1"]["lines"] == [{"component": "L0", "quantity": "1"}]
    recorded = HistoryStore(history_path).get(data["history_id"])
    assert recorded.result == data["result"]


def test_a_diamond_bom_answers_in_kilobytes_not_gigabytes(client, history_path):
    """The reproducer of item 7: under 2 KB of ruleset, 2^20 paths, one node per item."""
    text = _levels(20, 2)
    assert len(text.encode()) < 2_000
    answer = _calculate(client, text, "L19")
    assert answer.status_code == 200, answer.text[:500]
    assert len(answer.content) < 15_000
    data = answer.json()
    assert data["result"]["unit_cost"] == f"{2**19}.00" and len(data["result"]["bom"]["nodes"]) == 20
    stored = json.dumps(HistoryStore(history_path).get(data["history_id"]).result)
    assert len(stored) < 15_000
