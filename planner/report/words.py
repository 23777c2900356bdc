"""The words of the product's workbooks in Vietnamese and English, apart from their layout.

Each entry is (Vietnamese, English) with `{name}` fields the workbook fills in.
"""

from __future__ import annotations

from typing import Any

WORDS: dict[str, tuple[str, str]] = {
    "summary": ("Tổng hợp", "Summary"),
    "units": ("Theo đơn vị", "By unit"),
    "reasons": ("Lý do", "Reasons"),
    "changes": ("Thay đổi", "Changes"),
    "changes_title": (
        "THAY ĐỔI SO VỚI DỰ THẢO TRƯỚC VÀ DANH SÁCH ĐÃ DUYỆT",
        "CHANGES AGAINST THE PREVIOUS DRAFT AND THE APPROVED LISTS",
    ),
    "fallen_title": (
        "Đã duyệt nhưng không còn hợp lệ: đơn vị cần quyết định thay người hoặc giữ nguyên",
        "Approved but no longer valid: the department must decide to replace or confirm",
    ),
    "moved_title": (
        "Người vào, người ra danh sách so với dự thảo trước",
        "Who entered and who left against the previous draft",
    ),
    "entered": ("Vào danh sách", "Entered"),
    "left": ("Ra khỏi danh sách", "Left"),
    "charts": ("Biểu đồ", "Charts"),
    "about": ("Thông tin", "About"),
    # summary
    "summary_title": (
        "TỔNG HỢP KẾT QUẢ KẾ HOẠCH ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC",
        "TRAINING PLAN FOR CADRES, CIVIL SERVANTS AND PUBLIC EMPLOYEES: SUMMARY",
    ),
    "scenario": ("Kịch bản", "Scenario"),
    "period": ("Giai đoạn", "Period"),
    "quality": ("CHẤT LƯỢNG PHƯƠNG ÁN", "QUALITY OF THE PLAN"),
    "status": ("Tình trạng", "Status"),
    "bound_note": (
        "Cận tốt nhất là giới hạn lý thuyết không phương án nào vượt qua được; chênh lệch càng nhỏ, "
        "phương án càng gần tối ưu.",
        "The best bound is a limit no plan can pass; the smaller the gap, the closer the plan is to the best.",
    ),
    "method": ("Phương pháp", "Method"),
    "method_cpsat": (
        "Tối ưu hóa theo thứ tự ưu tiên: nhánh cận trên số lớp với quy hoạch tuyến tính (HiGHS), CP-SAT (OR-Tools)",
        "Optimization by priority level: branch and bound over class counts on the LP (HiGHS), CP-SAT (OR-Tools)",
    ),
    "method_greedy": ("Thuật toán tham lam (xếp hạng và điền chỗ)", "Greedy (rank and fill places)"),
    "level": ("Mức ưu tiên", "Objective level"),
    "wall_time": ("Thời gian chạy", "Run time"),
    "seconds": ("giây", "seconds"),
    "nominated_total": ("Số lượt người được cử", "Nominations"),
    "classes_total": ("Số lớp", "Classes"),
    "cost_total": ("Tổng kinh phí (đồng)", "Total cost (VND)"),
    "shortfalls": ("Chỉ tiêu chưa đạt", "Targets not met"),
    "no_shortfall": ("Tất cả chỉ tiêu đều đạt", "Every target and minimum is met"),
    "some_shortfalls": ("{n} chỉ tiêu chưa đạt (tô màu trong bảng dưới)", "{n} not met (highlighted below)"),
    "notes": ("Ghi chú", "Notes"),
    "results": ("KẾT QUẢ THỰC HIỆN CHỈ TIÊU", "RESULTS AGAINST TARGETS"),
    "col_code": ("Mã", "Code"),
    "col_kind": ("Loại hình", "Description"),
    "col_year": ("Năm", "Year"),
    "col_required": ("Chỉ tiêu", "Required"),
    "col_achieved": ("Thực hiện", "Achieved"),
    "col_share": ("Tỷ lệ %", "Rate %"),
    "col_classes": ("Số lớp", "Classes"),
    "col_people": ("Lượt người", "People"),
    "col_cost": ("Kinh phí (đồng)", "Cost (VND)"),
    "col_note": ("Ghi chú", "Notes"),
    "sec_targets": (
        "1. Mục tiêu bao phủ (số người đã được đào tạo, bồi dưỡng; lượt người: người của nhóm được cử lần đầu "
        "trong năm)",
        "1. Coverage targets (people trained; people: members of the group first nominated that year)",
    ),
    "sec_minimums": ("2. Số lớp, số suất tối thiểu mỗi năm", "2. Yearly minimum classes or places"),
    "sec_quotas": ("3. Chỉ tiêu chung của nhiều chương trình", "3. Quotas shared by several programs"),
    "sec_programs": ("4. Theo chương trình", "4. By program"),
    "whole": ("Cả giai đoạn", "Whole period"),
    "continuing": (
        "Kinh phí gồm {n} người học năm thứ hai trở đi (bắt đầu từ năm trước)",
        "Cost includes {n} people in their second year or later (started in an earlier year)",
    ),
    "deadline": ("hạn {y}", "deadline {y}"),
    "met": ("Đạt", "Met"),
    "min_classes": ("tối thiểu {n} lớp/năm", "at least {n} classes a year"),
    "min_places": ("tối thiểu {n} suất/năm", "at least {n} place(s) a year"),
    "quota_range": ("{lo}-{hi} người/năm", "{lo}-{hi} people a year"),
    "quota_min": ("tối thiểu {lo} người/năm", "at least {lo} people a year"),
    "quota_max": ("tối đa {hi} người/năm", "at most {hi} people a year"),
    "budget_title": ("KINH PHÍ THEO NĂM", "COST PER YEAR"),
    "col_plan_cost": ("Kinh phí kế hoạch (đồng)", "Planned cost (VND)"),
    "col_budget": ("Dự toán (đồng)", "Budget (VND)"),
    "no_budget": ("không giới hạn", "no limit"),
    "over_budget": ("Vượt dự toán", "Over budget"),
    "budget_used_up": ("Đã dùng từ 90 % dự toán", "90 % or more of the budget used"),
    "total": ("Tổng cộng", "Total"),
    "after_plan": ("Từ {y}", "From {y}"),
    "after_note": (
        "Người còn đang học sau giai đoạn: kinh phí các năm sau, không tính trong tổng, do dự toán giai đoạn sau chi",
        "People still studying after the period: the cost of their later years, not in the total, falls on the "
        "next period's budgets",
    ),
    "lv_shortfall": ("Giảm thiếu hụt chỉ tiêu", "Smallest shortfall"),
    "lv_merit": ("Ưu tiên người có điểm cao", "Highest merit"),
    "lv_cost": ("Tiết kiệm kinh phí", "Lowest cost"),
    "lv_not_solved": ("chưa giải: đã dừng trước mức này", "not solved: stopped before it"),
    # lists
    "list_title": (
        "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC CỬ ĐI ĐÀO TẠO, BỒI DƯỠNG",
        "LIST OF OFFICIALS NOMINATED FOR TRAINING",
    ),
    "annex": (
        "(Kèm theo Quyết định số ......../QĐ-........ ngày ...... tháng ...... năm ........)",
        "(Annexed to Decision No. ......../QĐ-........ of ......../......../........)",
    ),
    "topic": ("Chuyên đề: {t}", "Topic: {t}"),
    "topic_focus": (
        "Chuyên đề: {t} (lĩnh vực trọng tâm của kế hoạch; {k}/{n} học viên thuộc lĩnh vực này)",
        "Topic: {t} (a focus area of the plan; {k} of {n} participants work in it)",
    ),
    "duration_one": ("Thời gian đào tạo: 1 năm ({a})", "Duration: one year ({a})"),
    "class_line": ("Năm {y} – Lớp {c} – {n} người", "Year {y} – Class {c} – {n} people"),
    "slot_line": ("Năm {y} – {n} người", "Year {y} – {n} people"),
    "duration": ("Thời gian đào tạo: {d} năm ({a}-{b})", "Duration: {d} years ({a}-{b})"),
    "col_no": ("STT", "No."),
    "col_name": ("Họ và tên", "Full name"),
    "col_birth": ("Ngày sinh", "Date of birth"),
    "col_male": ("Nam", "Male"),
    "col_female": ("Nữ", "Female"),
    "col_position": ("Chức vụ", "Position"),
    "col_unit": ("Đơn vị công tác", "Unit"),
    "col_qualification": ("Trình độ chuyên môn", "Qualification"),
    "id_note": ("Mã CB: {id}", "ID: {id}"),
    "list_total": ("Tổng số: {n} người (Nam: {m}, Nữ: {f})", "Total: {n} people (male: {m}, female: {f})"),
    "place_date": (
        "........, ngày ...... tháng ...... năm ........",
        "........, date ......../......../........",
    ),
    "preparer": ("NGƯỜI LẬP BIỂU", "PREPARED BY"),
    "head": ("THỦ TRƯỞNG ĐƠN VỊ", "HEAD OF UNIT"),
    "sign_name": ("(Ký, ghi rõ họ tên)", "(Signature and full name)"),
    "sign_seal": ("(Ký tên, đóng dấu)", "(Signature and seal)"),
    "page": ("Trang &P/&N", "Page &P of &N"),
    # units
    "units_title": ("SỐ NGƯỜI ĐƯỢC CỬ THEO ĐƠN VỊ", "NOMINATIONS BY UNIT"),
    "col_program": ("Chương trình", "Program"),
    "col_pool": ("Số người đủ điều kiện", "Eligible in unit"),
    "col_sent": ("Tổng được cử", "Total nominated"),
    "away_title": (
        "TỶ LỆ NGƯỜI ĐI HỌC DÀI HẠN (CHƯƠNG TRÌNH NHIỀU NĂM) THEO NĂM",
        "SHARE OF STAFF AWAY ON MULTI-YEAR PROGRAMS, BY YEAR",
    ),
    "col_staff": ("Số người của đơn vị", "Staff"),
    "col_cap": ("Tối đa được đi học", "Most allowed away"),
    "away_year": ("Đi học {y}", "Away {y}"),
    "away_share": ("Tỷ lệ {y}", "Share {y}"),
    "no_away": ("Không có người đi học dài hạn.", "Nobody is away on a multi-year program."),
    # reasons
    "reasons_title": ("LÝ DO CỬ VÀ KHÔNG CỬ", "WHY EACH NAME IS (OR IS NOT) ON THE LISTS"),
    "reasons_screen": (
        "LÝ DO CỬ VÀ KHÔNG CỬ: bảng tra cứu trên máy (lọc theo mã, chương trình, năm), không in; "
        "bản in là sheet {s}",
        "WHY EACH NAME IS (OR IS NOT) ON THE LISTS: a table to search on screen (filter by ID, program, "
        "year), not for print; the printed summary is the sheet {s}",
    ),
    "reasons_summary": ("Tóm tắt lý do", "Reasons summary"),
    "reasons_summary_title": (
        "TÓM TẮT LÝ DO CỬ VÀ KHÔNG CỬ THEO CHƯƠNG TRÌNH VÀ NĂM",
        "WHY NAMES ARE (OR ARE NOT) ON THE LISTS, BY PROGRAM AND YEAR",
    ),
    "reasons_summary_note": (
        "Lý do của từng người: sheet {s} (lọc theo mã cán bộ) hoặc lệnh planner explain.",
        "The reason for each person: the sheet {s} (filter by ID) or the command planner explain.",
    ),
    "nominated_title": ("1. Người được cử", "1. People nominated"),
    "left_off_title": (
        "2. Thành viên nhóm mục tiêu chưa được cử đến hạn, theo lý do",
        "2. Members of a target group not nominated by the deadline, by reason",
    ),
    "col_count": ("Số người", "People"),
    "col_serves": ("Tính vào mục tiêu", "Counts towards"),
    "col_deadline": ("Hạn", "Deadline"),
    "none_left_off": ("Không có ai.", "Nobody."),
    "col_id": ("Mã CB", "ID"),
    "col_result": ("Kết quả", "Result"),
    "col_target": ("Mục tiêu", "Target"),
    "col_class": ("Lớp", "Class"),
    "col_reason": ("Lý do", "Reason"),
    # charts
    "charts_title": ("BIỂU ĐỒ", "CHARTS"),
    "col_series": ("Chỉ số", "Series"),
    "covered": ("{c}: đã đạt", "{c}: covered"),
    "required": ("{c}: chỉ tiêu", "{c}: target"),
    "chart_target": (
        "{c}: số người đã được đào tạo so với chỉ tiêu",
        "{c}: people trained against the target",
    ),
    "chart_cost": ("Kinh phí theo năm so với dự toán", "Cost per year against the budget"),
    "people": ("Người", "People"),
    "million": ("Triệu đồng", "Million VND"),
    "cost_million": ("Kinh phí (triệu đồng)", "Cost (million VND)"),
    "budget_million": ("Dự toán (triệu đồng)", "Budget (million VND)"),
    # about
    "about_title": ("THÔNG TIN ĐỂ TÁI LẬP VÀ KIỂM TRA", "HOW TO REPRODUCE AND AUDIT THIS PLAN"),
    "software": ("Phần mềm", "Software"),
    "run_at": ("Thời điểm chạy", "Run at"),
    "description": ("Mô tả", "Description"),
    "legal_basis": ("Căn cứ pháp lý", "Legal basis"),
    "scenario_hash": ("SHA-256 nội dung kịch bản", "SHA-256 of the scenario content"),
    "officials": ("Số cán bộ trong danh sách", "Officials in the roster"),
    "inputs": ("TỆP ĐẦU VÀO", "INPUT FILES"),
    "col_label": ("Tệp", "Input"),
    "col_file": ("Tên tệp", "File name"),
    "col_hash": ("SHA-256", "SHA-256"),
    "not_found": ("(không tìm thấy)", "(not found)"),
    "options": ("TÙY CHỌN", "OPTIONS"),
    "result": ("KẾT QUẢ GIẢI", "SOLVE"),
    "col_item": ("Mục", "Item"),
    "col_value": ("Giá trị", "Value"),
    "method_key": ("Phương pháp", "Method"),
    "objective": ("giá trị {o}, cận {b}", "objective {o}, bound {b}"),
}

#: Options and figures of a run on the About sheet, in words (their codes shown beside).
ABOUT_WORDS: dict[str, tuple[str, str]] = {
    "time_limit": ("Giới hạn thời gian giải (giây)", "Time limit (seconds)"),
    "workers": ("Số luồng tính toán", "Solver threads"),
    "seed": ("Hạt giống ngẫu nhiên", "Random seed"),
    "gap": ("Chênh lệch cho phép với cận tốt nhất", "Gap accepted to the best bound"),
    "log": ("Ghi nhật ký bộ giải", "Solver log"),
    "extra": ("Tham số CP-SAT khác", "Other CP-SAT parameters"),
    "method": ("Phương pháp (cpsat: tối ưu hóa; greedy: tham lam)", "Method (cpsat: optimize; greedy)"),
    "budget_factor": ("Hệ số nhân dự toán", "Budget factor"),
    "lang": ("Ngôn ngữ (vi: tiếng Việt; en: tiếng Anh)", "Language (vi: Vietnamese; en: English)"),
    "jobs": ("Số tiến trình song song", "Parallel processes"),
    "executor": ("Nơi giải", "Where solved"),
    "manifest": ("Tệp danh mục các tỉnh", "Manifest of the provinces"),
    "budget": ("Các mức ngân sách đã quét", "Budget levels swept"),
    "max_resolves": ("Số lần giải lại tối đa", "Most re-solves"),
    "cohorts": ("Số nhóm người giống nhau trong mô hình", "Groups of alike people in the model"),
    "constraints": ("Số ràng buộc", "Constraints"),
    "variables": ("Số biến", "Variables"),
    "counted_cost": ("Kinh phí của phương án (đồng)", "Cost of the plan (VND)"),
    "counted_merit": ("Điểm ưu tiên của phương án (số âm: càng nhỏ càng tốt)", "Merit of the plan (negated)"),
    "counted_shortfall": ("Thiếu hụt chỉ tiêu có trọng số", "Weighted shortfall"),
    "ms_greedy": ("Thời gian lập phương án tham lam (ms)", "Greedy plan time (ms)"),
    "ms_model": ("Thời gian dựng mô hình (ms)", "Model building time (ms)"),
    "ms_solve": ("Thời gian giải (ms)", "Solving time (ms)"),
    "ms_units": ("Thời gian kiểm tra giới hạn đơn vị (ms)", "Unit cap rounds time (ms)"),
    "ms_naming": ("Thời gian xếp người vào lớp (ms)", "Naming time (ms)"),
    "officials": ("Số cán bộ", "Officials"),
    "rounds": ("Số vòng giải", "Solve rounds"),
    "unnamed": ("Số chỗ chưa xếp được người", "Places without a name"),
    "alone": ("Số người được mô hình hóa riêng (không gộp nhóm được)", "Officials modelled alone"),
    "refilled": (
        "Số chỗ học dài hạn giao cho người khác do giới hạn đơn vị",
        "Study places given to others (unit caps)",
    ),
}


def about_word(key: str, lang: str) -> str:
    """An option or figure of the run in words, its code in brackets (as typed on the command line)."""
    name = key.rsplit(".", 1)[-1]
    if name in ABOUT_WORDS:
        vi, en = ABOUT_WORDS[name]
        return f"{vi if lang == 'vi' else en} ({name})"
    return key


def about_value(value: Any, lang: str) -> Any:
    """An option's value in words where it is not a number, a date or text."""
    en = lang == "en"
    if value in ("True", "False"):
        value = value == "True"
    if isinstance(value, bool):
        return ("có", "yes")[en] if value else ("không", "no")[en]
    if value is None or value == "None":
        return ("không đặt", "not set")[en]
    if value in ("{}", "[]") or value == {}:
        return ("không có", "none")[en]
    return value


#: Input files on the About sheet, in words.
INPUT_WORDS: dict[str, tuple[str, str]] = {
    "roster": ("Danh sách cán bộ", "Roster"),
    "scenario": ("Kịch bản", "Scenario"),
    "approved": ("Danh sách đã duyệt", "Approved lists"),
    "previous": ("Dự thảo trước", "Previous draft"),
}

#: Words of the comparison and sweep workbooks (the plan workbook's WORDS serve as well).
SIDE_WORDS: dict[str, tuple[str, str]] = {
    "s_compare": ("So sánh", "Comparison"),
    "s_compare_title": (
        "SO SÁNH CÁC KỊCH BẢN ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC",
        "TRAINING PLAN SCENARIOS SIDE BY SIDE",
    ),
    "s_scenario": ("Kịch bản", "Scenario"),
    "s_name": ("Tên kịch bản", "Scenario name"),
    "s_gap": ("Cách cận tốt nhất", "Gap to the best bound"),
    "s_nominations": ("Lượt cử", "Nominations"),
    "s_cost": ("Tổng kinh phí (đồng)", "Total cost (VND)"),
    "s_budget": ("Tổng dự toán (đồng)", "Total budget (VND)"),
    "s_cost_million": ("Tổng kinh phí (triệu đồng)", "Total cost (million VND)"),
    "s_attainment": ("Mức đạt chỉ tiêu bình quân", "Average target attainment"),
    "s_met": ("Số mục tiêu đạt", "Targets met"),
    "s_shortfalls": ("Số chỉ tiêu chưa đạt", "Shortfalls"),
    "s_after": ("Kinh phí sau giai đoạn (đồng)", "Cost after the period (VND)"),
    "s_attainment_note": (
        "Mức đạt của một mục tiêu = số người đã được đào tạo, bồi dưỡng đến hạn / chỉ tiêu, tối đa 100 %; "
        "lấy bình quân trên các mục tiêu của kịch bản.",
        "A target's attainment = people trained by its deadline / the requirement, at most 100 %, "
        "averaged over the scenario's targets.",
    ),
    "s_chart_scatter": (
        "Mức đạt chỉ tiêu bình quân so với tổng kinh phí",
        "Average target attainment against total cost",
    ),
    "s_targets": ("Mục tiêu", "Targets"),
    "s_targets_title": (
        "SỐ NGƯỜI ĐÃ ĐƯỢC ĐÀO TẠO, BỒI DƯỠNG THEO MỤC TIÊU VÀ NĂM",
        "PEOPLE TRAINED PER TARGET AND YEAR",
    ),
    "s_at_deadline": ("Đến hạn ({y})", "At the deadline ({y})"),
    "s_shortfalls_sheet": ("Chưa đạt", "Shortfalls"),
    "s_shortfalls_title": ("CHỈ TIÊU CHƯA ĐẠT VÀ NGUYÊN NHÂN", "TARGETS AND MINIMUMS NOT MET, AND WHY"),
    "s_missing": ("Còn thiếu", "Missing"),
    "s_unit": ("Đơn vị tính", "Unit"),
    "u_people": ("người", "people"),
    "u_classes": ("lớp", "classes"),
    "k_target": ("Mục tiêu bao phủ", "Coverage target"),
    "k_classes": ("Số lớp tối thiểu/năm", "Yearly minimum of classes"),
    "k_places": ("Số suất tối thiểu/năm", "Yearly minimum of places"),
    "k_quota": ("Chỉ tiêu chung/năm", "Yearly shared quota"),
    "s_programs": ("Chương trình", "Programs"),
    "s_programs_title": (
        "SỐ LỚP VÀ SỐ NGƯỜI THEO CHƯƠNG TRÌNH VÀ NĂM",
        "CLASSES AND PEOPLE PER PROGRAM AND YEAR",
    ),
    "s_cost_sheet": ("Kinh phí", "Cost"),
    "s_cost_title": ("KINH PHÍ THEO NĂM SO VỚI DỰ TOÁN", "COST PER YEAR AGAINST THE BUDGET"),
    "s_used": ("Tỷ lệ sử dụng", "Share used"),
    "s_changes": ("Thay đổi danh sách", "List changes"),
    "s_changes_title": (
        "NGƯỜI VÀO, RA DANH SÁCH SO VỚI KỊCH BẢN {f}",
        "WHO ENTERS OR LEAVES THE LISTS COMPARED WITH {f}",
    ),
    "s_change": ("Thay đổi", "Change"),
    "s_entered": ("Vào danh sách", "Entered"),
    "s_left": ("Ra khỏi danh sách", "Left"),
    "s_changes_count": ("{to}: {e} lượt vào, {l} lượt ra", "{to}: {e} entered, {l} left"),
    "s_no_changes": (
        "Chỉ có một kịch bản: không có gì để so sánh.",
        "Only one scenario: nothing to compare.",
    ),
    "s_sweep": ("Quét ngân sách", "Budget sweep"),
    "s_sweep_title": ("MỨC ĐẠT CHỈ TIÊU THEO MỨC NGÂN SÁCH: {n}", "TARGET ATTAINMENT BY BUDGET LEVEL: {n}"),
    "s_factor": ("Ngân sách (% dự toán)", "Budget (% of the scenario's)"),
    "s_chart_sweep": ("Mức đạt chỉ tiêu theo mức ngân sách", "Target attainment against the budget"),
    "s_thresholds": ("Ngưỡng đạt", "Met from"),
    "s_thresholds_title": (
        "MỨC NGÂN SÁCH NHỎ NHẤT ĐỂ ĐẠT TỪNG MỤC TIÊU",
        "SMALLEST BUDGET AT WHICH EACH TARGET IS MET",
    ),
    "s_thresholds_note": (
        "Mức nhỏ nhất trong khoảng quét mà từ đó trở lên mục tiêu đều đạt.",
        "The smallest budget of the range from which the target is met at every larger one.",
    ),
    "s_met_from": ("Đạt từ mức ngân sách", "Met from budget"),
    "s_met_at": ("Các mức đạt", "Met at"),
    "s_not_met": ("Không đạt trong khoảng đã quét", "Not met within the range"),
    "s_closes": ("Cách khắc phục", "What would close it"),
    "s_closes_title": (
        "ĐIỀU GÌ SẼ KHẮC PHỤC TỪNG CHỈ TIÊU CHƯA ĐẠT (NGÂN SÁCH 100 %)",
        "WHAT WOULD CLOSE EACH SHORTFALL (BUDGET AT 100 %)",
    ),
    "s_closes_note": (
        "Tìm bằng cách giải lại kịch bản, mỗi lần nới lỏng một điều kiện (thêm lớp, thêm suất, thêm kinh "
        "phí): tối đa {k} phương án cho mỗi chỉ tiêu và {m} lần giải lại cả bảng; đã giải lại {n} lần.",
        "Found by re-solving the scenario with one condition loosened at a time (more classes, places or "
        "budget): at most {k} plans per shortfall and {m} re-solves in all; {n} re-solves made.",
    ),
    "s_relaxation": ("Nới lỏng", "Relaxation"),
    "s_still": ("Còn thiếu sau khi nới", "Still missing"),
    "s_tries": ("Số phương án đã xét", "Plans tried"),
    "o_closed": ("Khắc phục được (mức nới nhỏ nhất tìm thấy)", "Closes it (smallest step found)"),
    "o_reduced": ("Giảm được nhưng chưa đủ (mức nới lớn nhất đã thử)", "Reduces it (largest step tried)"),
    "o_no_effect": ("Không cải thiện (mức nới lớn nhất đã thử)", "No effect (largest step tried)"),
    "o_limit_shortfall": (
        "Chưa thử: đã hết số phương án cho chỉ tiêu này",
        "Not tried: this shortfall's plans are used up",
    ),
    "o_limit_sweep": ("Chưa thử: đã hết số lần giải lại cho phép", "Not tried: the re-solves are used up"),
    "o_none": (
        "Không có cách nới lỏng nào áp dụng được (số lớp, số suất, kinh phí)",
        "No relaxation applies (classes, places, budget)",
    ),
}
