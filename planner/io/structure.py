"""Does the roster fit the scenario's structure: officials at levels the scenario does not have.

Since mid-2025 the district level is abolished; the 2026-2030 scenarios have only `tinh` and
`xa`. A roster from before (the bundled 2023 sample has 1,788 district officials) still reads,
and its district officials stay in the plan: no program limited to the scenario's levels can
take them, but programs without a level rule (postgraduate study, viên chức programs) can, and
targets whose group names no level count them. Said before solving, so that the planner does
not quietly plan a province that no longer exists.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from models import Roster, Scenario
from models.enums import Level
from planner.io.text import format_number
from planner.rules.coverage import in_group
from planner.rules.eligibility import Context, eligible_starts


@dataclass(frozen=True)
class LevelOutside:
    """Officials at a level the scenario does not have, and what the scenario does with them."""

    level: Level
    officials: int
    scenario_levels: tuple[Level, ...]
    #: Programs limited to other levels: none of these officials can take them.
    closed: tuple[str, ...]
    #: Programs without a level rule, with how many of these officials may start them.
    eligible: dict[str, int]
    #: Targets whose group these officials belong to, with how many of them.
    in_targets: dict[str, int]

    def message(self, lang: str) -> str:
        """One sentence in Vietnamese (`vi`) or English (`en`)."""
        words = _WORDS[lang]
        parts = [
            words["head"].format(
                n=format_number(self.officials, lang),
                level=self.level.label,
                name=self.level.value if lang == "vi" else self.level.label_en,
                levels=", ".join(f"{level.label} ({level.value})" for level in self.scenario_levels),
            )
        ]
        if self.closed:
            parts.append(words["closed"].format(closed=", ".join(self.closed)))
        eligible = ", ".join(f"{code} {format_number(count, lang)}" for code, count in self.eligible.items())
        parts.append(words["eligible"].format(eligible=eligible) if eligible else words["nothing"])
        if self.in_targets:
            targets = ", ".join(
                f"{code} {format_number(count, lang)}" for code, count in self.in_targets.items()
            )
            parts.append(words["targets"].format(targets=targets))
        return "; ".join(parts) + ". " + words["advice"]


_WORDS = {
    "vi": {
        "head": "{n} cán bộ ở cấp {level} ({name}), cấp mà kịch bản không có (các cấp của kịch bản: {levels}). "
        "Họ vẫn ở trong kế hoạch",
        "closed": "không được cử đi {closed} (chỉ dành cho các cấp của kịch bản)",
        "eligible": "vẫn có thể được cử đi (số người đủ điều kiện): {eligible}",
        "nothing": "không đủ điều kiện chương trình nào",
        "targets": "và được tính vào chỉ tiêu (số người): {targets}",
        "advice": "Nếu danh sách lập trước khi bỏ cấp huyện, hãy chuyển đơn vị của họ sang cấp mới hoặc dùng "
        "kịch bản có cấp này.",
    },
    "en": {
        "head": "{n} officials at level {level} ({name}), which the scenario does not have (its levels: "
        "{levels}). They stay in the plan",
        "closed": "none of them can go to {closed} (limited to the scenario's levels)",
        "eligible": "they may still be nominated for (officials eligible): {eligible}",
        "nothing": "they are eligible for nothing",
        "targets": "and count in the targets (officials): {targets}",
        "advice": "If the roster predates the abolition of the district level, move their units to the new "
        "levels or use a scenario that has this level.",
    },
}


def levels_outside(roster: Roster, scenario: Scenario) -> list[LevelOutside]:
    """For each level of the roster that the scenario does not have: its officials and their fate."""
    outside = [o for o in roster.officials if o.level not in scenario.levels]
    if not outside:
        return []
    ctx = Context(scenario=scenario, history=roster.history_by_official())
    found = []
    for level in sorted({o.level for o in outside}, key=list(Level).index):
        officials = [o for o in outside if o.level is level]
        eligible: Counter[str] = Counter()
        for official in officials:
            eligible.update({program for program, _ in eligible_starts(official, ctx)})
        found.append(
            LevelOutside(
                level=level,
                officials=len(officials),
                scenario_levels=tuple(scenario.levels),
                closed=tuple(
                    p.code
                    for p in scenario.programs
                    if p.eligibility.levels and level not in p.eligibility.levels
                ),
                eligible={p.code: eligible[p.code] for p in scenario.programs if eligible[p.code]},
                in_targets={
                    t.code: count
                    for t in scenario.targets
                    if (count := sum(in_group(o, t, scenario) for o in officials))
                },
            )
        )
    return found
