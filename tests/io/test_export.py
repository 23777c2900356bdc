"""Writing rosters and the template: what is written reads back equal, safely, and helps the user."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.exceptions import IllegalCharacterError

from models import (
    STANDARD_PROGRAMS,
    Category,
    Education,
    Gender,
    Level,
    Official,
    Rating,
    RoleGroup,
    Roster,
    TrainingRecord,
)
from planner.io.export import write_roster, write_template
from planner.io.roster import HISTORY_COLUMNS, OFFICIAL_COLUMNS, read_roster

TODAY = date(2025, 1, 1)
OFFICIAL_HEADERS = [
    "Mã CB",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Đơn vị",
    "Cấp",
    "Loại",
    "Chức vụ",
    "Nhóm chức vụ",
    "Lĩnh vực",
    "Chuyên môn",
    "Trình độ",
    "Ngày tuyển dụng",
    "Xếp loại",
    "Xếp loại năm trước",
    "Quy hoạch",
    "Năm dự kiến bổ nhiệm CDNN",
]
CODED_HEADERS = [
    "Giới tính",
    "Cấp",
    "Loại",
    "Nhóm chức vụ",
    "Trình độ",
    "Xếp loại",
    "Xếp loại năm trước",
    "Quy hoạch",
]


def small_roster(*names: str) -> Roster:
    """Four officials covering every field, coded value kind and empty optional field."""
    officials = [
        Official(
            id="CB001",
            name="Nguyễn Thị Hồng Nhung",
            birth_date=date(1979, 2, 28),
            gender=Gender.FEMALE,
            unit="Sở Nội vụ",
            level=Level.PROVINCE,
            category=Category.CONG_CHUC,
            position="Phó Trưởng phòng Công chức, viên chức",
            role_group=RoleGroup.PHO_TRUONG_PHONG,
            field="Nội vụ",
            profession="Luật",
            education=Education.MASTER,
            hired_date=date(2003, 9, 1),
            rating=Rating.EXCELLENT,
            rating_previous=Rating.GOOD,
            pipeline=True,
        ),
        Official(
            id="0042",
            name="Trần Văn Đức",
            birth_date=date(1990, 12, 31),
            gender=Gender.MALE,
            unit="UBND xã Tân Lập",
            level=Level.COMMUNE,
            category=Category.CAN_BO,
            position="Chủ tịch UBND xã",
            role_group=RoleGroup.CHU_TICH_XA,
            education=Education.COLLEGE,
            rating=Rating.NOT_DONE,
        ),
        Official(
            id="VC-7",
            name="Lê Thị Ánh Tuyết",
            birth_date=date(1986, 7, 4),
            gender=Gender.FEMALE,
            unit="Bệnh viện Đa khoa tỉnh",
            level=Level.PROVINCE,
            category=Category.VIEN_CHUC,
            position="Bác sĩ",
            role_group=RoleGroup.VIEN_CHUC,
            field="Y tế",
            profession="Bác sĩ",
            education=Education.SPECIALIST_1,
            hired_date=date(2012, 1, 15),
            rating=Rating.DONE,
            rating_previous=Rating.DONE,
            title_year=2027,
        ),
        Official(
            id="CB900",
            name="Hoàng Minh Khôi",
            birth_date=date(1968, 1, 1),
            gender=Gender.MALE,
            unit="UBND huyện Yên Sơn",
            level=Level.DISTRICT,
            category=Category.CAN_BO,
            position="",
            role_group=RoleGroup.LANH_DAO_CAP_SO,
            education=Education.DOCTOR,
        ),
    ]
    officials += [
        officials[0].model_copy(update={"id": f"X{i}", "name": name}) for i, name in enumerate(names)
    ]
    history = [
        TrainingRecord(official_id="CB001", program="LEAD", year=2021),
        TrainingRecord(official_id="VC-7", program="CK1", year=2015),
        TrainingRecord(official_id="0042", program="COMMUNE_LEAD", year=2023),
    ]
    return Roster(officials=officials, history=history)


def test_round_trip_gives_back_the_same_roster(tmp_path: Path) -> None:
    roster = small_roster()
    write_roster(roster, tmp_path / "r.xlsx")
    back = read_roster(tmp_path / "r.xlsx", today=TODAY)
    assert back == roster
    for written, read in zip(roster.officials, back.officials, strict=True):
        assert read.model_dump() == written.model_dump()


def test_workbook_layout(tmp_path: Path) -> None:
    write_roster(small_roster(), tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["Danh sách cán bộ", "Lịch sử đào tạo"]
    sheet = book["Danh sách cán bộ"]
    assert [c.value for c in sheet[1]] == OFFICIAL_HEADERS
    assert all(c.font.bold for c in sheet[1]) and sheet.freeze_panes == "A2"
    first = {header: cell for header, cell in zip(OFFICIAL_HEADERS, sheet[2], strict=True)}
    assert first["Ngày sinh"].is_date and first["Ngày sinh"].number_format == "dd/mm/yyyy"
    assert first["Ngày sinh"].value.date() == date(1979, 2, 28)
    assert first["Cấp"].value == "Tỉnh" and first["Loại"].value == "Công chức"
    assert first["Nhóm chức vụ"].value == "Phó Trưởng phòng"
    assert first["Quy hoạch"].value == "Có"
    assert sheet.cell(row=4, column=OFFICIAL_HEADERS.index("Loại") + 1).value == "Viên chức"
    assert sheet.cell(row=4, column=OFFICIAL_HEADERS.index("Năm dự kiến bổ nhiệm CDNN") + 1).value == 2027
    assert [[c.value for c in row] for row in book["Lịch sử đào tạo"].iter_rows()][:2] == [
        ["Mã CB", "Chương trình", "Năm"],
        ["CB001", "LEAD", 2021],
    ]


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    names = ['=HYPERLINK("http://x","y")', "+84 912 345 678", "-Nguyễn", "@An"]
    roster = small_roster(*names)
    write_roster(roster, tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Danh sách cán bộ"]
    cells = [sheet.cell(row=row, column=2) for row in range(6, 10)]
    assert [c.value for c in cells] == names
    assert all(c.data_type == "s" for c in cells)
    assert read_roster(tmp_path / "r.xlsx", today=TODAY) == roster


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_roster(small_roster(), path)
    with pytest.raises(IllegalCharacterError):
        write_roster(small_roster("Nguyễn\x01An"), path)  # Excel files cannot hold control codes
    assert read_roster(path, today=TODAY) == small_roster()
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    with pytest.raises(OSError):
        write_roster(small_roster(), folder)  # fails at the final rename
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.xlsx", "r.xlsx"]


def test_template_headers_dropdowns_and_notes(tmp_path: Path) -> None:
    write_template(tmp_path / "mau.xlsx")
    book = openpyxl.load_workbook(tmp_path / "mau.xlsx")
    assert book.sheetnames[:3] == ["Danh sách cán bộ", "Lịch sử đào tạo", "Hướng dẫn"]
    officials, history, notes = book["Danh sách cán bộ"], book["Lịch sử đào tạo"], book["Hướng dẫn"]
    assert [c.value for c in officials[1]] == OFFICIAL_HEADERS
    assert [c.value for c in history[1]] == ["Mã CB", "Chương trình", "Năm"]
    assert all(c.font.bold for c in officials[1]) and officials.freeze_panes == "A2"
    assert officials.column_dimensions["B"].width >= 20

    def dropdowns(sheet: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, list[str]]:
        """Header -> the values its list validation offers."""
        found = {}
        for validation in sheet.data_validations.dataValidation:
            assert validation.type == "list"
            (cells,) = str(validation.sqref).split()
            start, end = cells.split(":")
            assert start[1:] == "2" and end[1:] == "5000" and start[0] == end[0]
            header = sheet[f"{start[0]}1"].value
            source_sheet, source = validation.formula1.replace("$", "").split("!")
            values = book[source_sheet.strip("'")][source]
            found[header] = [row[0].value for row in values]
        return found

    offered = dropdowns(officials)
    assert sorted(offered) == sorted(CODED_HEADERS)
    assert offered["Giới tính"] == ["Nam", "Nữ"]
    assert offered["Loại"] == ["Cán bộ", "Công chức", "Viên chức"]
    assert offered["Quy hoạch"] == ["Có", "Không"]
    assert "Lãnh đạo cấp sở, huyện" in offered["Nhóm chức vụ"]  # a label with a comma
    assert dropdowns(history) == {"Chương trình": list(STANDARD_PROGRAMS)}

    lines = [[c.value for c in row] for row in notes.iter_rows(min_row=2)]
    assert [line[1] for line in lines] == [c.header for c in (*OFFICIAL_COLUMNS, *HISTORY_COLUMNS)]
    assert all(line[2] and line[3] and line[4] for line in lines)
    by_header = {line[1]: line for line in lines if line[0] == "Danh sách cán bộ"}
    assert "dd/mm/yyyy" in by_header["Ngày sinh"][4]
    assert by_header["Mã CB"][2] == "Bắt buộc" and by_header["Lĩnh vực"][2] == "Không bắt buộc"
    assert "Chuyên khoa II" in by_header["Trình độ"][4]


def test_the_template_reads_as_an_empty_roster(tmp_path: Path) -> None:
    write_template(tmp_path / "mau.xlsx")
    assert read_roster(tmp_path / "mau.xlsx", today=TODAY) == Roster(officials=[])


# --- the files of one run: checked first, then all written or none ------------------------------------


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_output_files_are_checked_all_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from planner.io.errors import InputError
    from planner.io.export import OutputFiles

    roster = tmp_path / "roster.xlsx"
    roster.write_bytes(b"input")
    (tmp_path / "locked").mkdir()
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args: object, dir: object = None, **kwargs: object) -> tuple[int, str]:
        if Path(str(dir)).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    files = OutputFiles(
        {
            "--out": tmp_path / "plan.csv",
            "--csv": tmp_path / "locked" / "new" / "n.csv",
            "--json": roster,
            "--other": tmp_path / "fine" / "s.json",
        },
        inputs=[roster],
        workbooks=["--out"],
    )
    with pytest.raises(InputError) as caught:
        files.check()
    messages = [problem.message_en for problem in caught.value.problems]
    assert len(messages) == 3, messages
    assert "must be an .xlsx file" in messages[0]
    assert "cannot write into the folder" in messages[1] and "locked" in messages[1]
    assert "Permission denied" in messages[1]
    assert "refusing to write over an input file" in messages[2]
    assert _tree(tmp_path) == ["locked", "roster.xlsx"], "checking writes nothing"


def test_output_files_are_renamed_together_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from planner.io.errors import InputError
    from planner.io.export import OutputFiles

    old = tmp_path / "a.txt"
    old.write_text("old a", encoding="utf-8")
    targets = {"--a": old, "--b": tmp_path / "new" / "b.txt"}
    real_replace = os.replace

    def replace(source: object, target: object) -> None:
        if Path(str(target)).name == "b.txt":
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    with OutputFiles(targets) as files:
        files.check()
        files.write(targets["--a"], lambda path: path.write_text("new a", encoding="utf-8"))
        files.write(targets["--b"], lambda path: path.write_text("new b", encoding="utf-8"))
        monkeypatch.setattr(os, "replace", replace)
        with pytest.raises(InputError) as caught:
            files.commit()
    assert "cannot write" in str(caught.value.problems[0]) and "b.txt" in str(caught.value.problems[0])
    assert old.read_text(encoding="utf-8") == "old a", "the file already replaced is put back"
    assert _tree(tmp_path) == ["a.txt"], "no temporary file, no folder left"

    monkeypatch.setattr(os, "replace", real_replace)
    with OutputFiles(targets) as files:
        files.write(targets["--a"], lambda path: path.write_text("new a", encoding="utf-8"))
        files.write(targets["--b"], lambda path: path.write_text("new b", encoding="utf-8"))
        files.commit()
    assert old.read_text(encoding="utf-8") == "new a" and files.written == [old, targets["--b"]]
    assert _tree(tmp_path) == ["a.txt", "new", "new/b.txt"]


def test_leaving_without_commit_removes_what_the_run_made(tmp_path: Path) -> None:
    from planner.io.export import OutputFiles

    target = tmp_path / "deep" / "er" / "plan.json"
    with pytest.raises(KeyboardInterrupt), OutputFiles({"--json": target}) as files:
        files.write(target, lambda path: path.write_text("{}", encoding="utf-8"))
        raise KeyboardInterrupt
    assert _tree(tmp_path) == []
