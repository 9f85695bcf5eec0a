"""The message catalogue: what a user reads when input is refused.

A :class:`~minsheng.platform.errors.DomainError` carries a Chinese and an English text;
the JSON API returns both (``detail`` / ``detail_en``), pages show only the Chinese one
(:func:`page_problem`). Field names (``resident_id``, ``date_from``) are code: on a page a
field is named by its Chinese label from :data:`FIELD_LABELS`, and a validation failure of
the request parser is described in Chinese by :func:`validation_message`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

#: Chinese labels of the fields of forms, query parameters, request bodies and imports.
FIELD_LABELS: dict[str, str] = {
    # people, households, employers
    "resident_id": "公民身份号码", "name": "姓名", "phone": "联系电话",
    "phone_masked": "联系电话", "birth_date": "出生日期", "gender": "性别",
    "hukou_region": "户籍地", "hukou_type": "户口性质", "residence_region": "居住地",
    "household_no": "户号", "household_relation": "与户主关系", "relation": "与户主关系",
    "address": "地址", "address_region": "所在区县", "death_date": "死亡日期",
    "person_id": "人员", "person": "人员", "employer_id": "用人单位", "employer": "用人单位",
    "uscc": "统一社会信用代码", "industry": "行业门类", "size_class": "企业规模",
    "work_injury_risk_class": "工伤风险类别", "region": "地区", "region_prefix": "地区",
    "region_name": "地区名称", "version": "版本", "file": "文件", "kind": "类别",
    "username": "用户名", "password": "密码", "next": "跳转页面", "role": "角色",
    "orig_name": "原姓名", "orig_phone": "原联系电话", "orig_hukou_region": "原户籍地",
    "orig_hukou_type": "原户口性质", "orig_residence_region": "原居住地",
    "record_date": "登记日期",
    # insurance
    "scheme": "险种", "schemes": "险种", "start_month": "起始月份", "end_month": "终止月份",
    "month": "月份", "period": "所属期", "declared_wage": "申报工资",
    "contribution_base": "缴费基数", "amount": "金额", "grade": "缴费档次",
    "local_average_wage": "当地社会平均工资", "average_wage": "社会平均工资",
    "work_injury": "工伤保险费率", "designation": "代缴对象类别", "source": "依据",
    "valid_from": "生效月份", "valid_to": "失效月份", "headcount": "人数",
    "end_reason": "终止原因", "reason": "原因", "note": "备注", "notes": "备注",
    # cards
    "card_no": "社会保障卡号", "card": "社会保障卡号", "action": "操作", "bank": "银行",
    "bank_account": "银行账号", "node": "办理网点", "card_state": "卡状态",
    # pension
    "retirement_date": "退休日期", "account_balance": "个人账户余额",
    "average_index": "平均缴费指数", "basic_pension": "基础养老金",
    "resident_basic_pension": "城乡居民基础养老金", "contribution_months": "缴费月数",
    "contribution_years": "缴费年限", "contribution_extra_months": "另加缴费月数",
    "deemed_contribution_months": "视同缴费月数", "percent": "调整比例",
    "fixed_amount": "定额调整", "effective_month": "生效月份", "year": "年度",
    "method": "认证方式", "on": "日期", "failed": "失败笔数", "paid": "已发笔数",
    "first": "首次", "within": "天数", "show": "显示范围", "evidence": "证明材料",
    "route": "退休途径", "route_evidence": "提前退休依据",
    # unemployment and employment
    "separation_reason": "离职原因", "registered_date": "登记日期", "decision": "决定",
    "refund_id": "稳岗返还", "refund_ids": "稳岗返还", "claim_id": "申领",
    "seeking_work": "求职意向", "education": "学历", "education_required": "学历要求",
    "graduation_year": "毕业年份", "occupation_code": "职业", "occupation": "职业",
    "title": "岗位名称", "description": "岗位描述", "skills": "技能",
    "min_pay": "最低薪酬", "pay_min": "薪酬下限", "pay_max": "薪酬上限", "job": "岗位",
    "seeker": "求职者", "group_code": "群体类别", "status": "状态", "category": "类别",
    "q": "查询条件", "page": "页码", "size": "每页条数", "after": "起点",
    # labour relations
    "applicant_person_id": "申请人", "complainant_person_id": "投诉人",
    "claim_type": "请求类别", "received_on": "收件日期", "knew_on": "知道权利受侵害之日",
    "employment_ended_on": "劳动关系终止日期", "days": "延长天数",
    "approved_by_note": "审批依据", "outcome": "结案方式", "wage_arrears_amount": "拖欠工资金额",
    "workers_affected": "涉及人数", "violation_on": "违法行为发生日期",
    "violation_ended_on": "违法行为终了日期", "recovered_amount": "追回金额",
    "start_on": "起始日期", "end_on": "终止日期", "probation_months": "试用期（月）",
    "level": "层级", "established_on": "成立日期", "employees_covered": "覆盖职工人数",
    "filed_on": "备案日期",
    # talent service cards
    "tier": "英才服务卡等级", "basis_kind": "申领依据", "basis_value": "依据内容",
    "service_code": "服务项目", "requested_on": "申请日期", "satisfaction": "满意度",
    "token": "二维码",
    # talent records
    "certificate_no": "证书编号", "issued_on": "发证日期", "issuing_body": "发证机构",
    "series": "职称系列", "granted_on": "取得日期", "category_code": "人才类别",
    "introduced_on": "引进日期", "event_id": "人才活动", "held_on": "举办日期",
    "projects_signed": "签约项目数", "competition": "赛事", "trade": "赛项",
    "award": "成绩", "station_id": "博士后站", "entered_on": "进站日期",
    "left_on": "出站日期", "skill_level": "职业技能等级", "title_level": "职称等级",
    # talent: personnel files and HR service agencies
    "to_custodian": "接收档案机构", "custodian": "存档机构", "since": "存档日期",
    "pages": "页数", "peer_node": "对端节点", "code": "代码", "licence_no": "许可证编号",
    "scope": "服务范围", "valid_until": "有效期至",
    "revenue_fen": "营业收入", "placements": "职业介绍成功人数",
    "training_sessions": "培训场次", "training_people": "培训人数", "overdue": "只看超期",
    # ecology
    "mine_id": "矿山", "mine_name": "矿山名称", "mineral": "矿种",
    "mining_right_no": "采矿许可证号", "mining_method": "开采方式",
    "operator_name": "采矿权人", "operator_uscc": "采矿权人统一社会信用代码",
    "geometry": "范围", "area_ha": "面积（公顷）", "area_m2": "面积（平方米）",
    "zone_id": "红线区", "zone_name": "红线区名称", "closed_date": "关闭日期",
    "closed": "关闭", "opened": "开采", "plan_id": "修复方案", "mode": "修复模式",
    "target_land_use": "修复后用途", "cost_estimate": "估算费用",
    "planned_area_ha": "计划修复面积（公顷）", "deadline": "期限", "quarter": "季度",
    "area_restored_ha": "已修复面积（公顷）", "money_spent": "已投入资金",
    "progress": "进度", "accepted_date": "验收日期", "accepted_area_ha": "验收面积（公顷）",
    "acceptance_date": "验收日期", "obligor_name": "修复义务人",
    "obligor_uscc": "修复义务人统一社会信用代码", "contractor": "修复单位",
    "actual_cost": "实际费用", "filed_date": "立案日期", "case_id": "案件",
    "set_code": "指标体系", "categories": "指标类别", "items": "指标项",
    "pass_score": "达标分数", "max_score": "满分", "score": "得分", "scores": "得分",
    "assessor": "评估人", "assessed_date": "评估日期", "city_share_percent": "市级分成比例",
    "category_floor_percent": "类别最低得分率", "estimated_volume_m3": "估算方量（立方米）",
    "project_use_m3": "项目自用方量（立方米）", "revenue": "出让收入", "workdays": "工作日数",
    "notice_days": "公示天数", "notice": "公示", "auction_date": "拍卖日期",
    "buyer": "竞得人", "lot_no": "标段号", "project_name": "项目名称",
    "investment": "投资额", "high_standard_farmland_mu": "高标准农田（亩）",
    "new_cultivated_mu": "新增耕地（亩）", "start_date": "开工日期",
    "date_from": "起始日期", "date_to": "截止日期", "township": "乡镇",
    "villages": "涉及村", "site_kind": "场地类型", "photo": "照片", "day": "日期",
    "end": "结束", "to": "至", "type": "类型", "text": "内容", "summary": "摘要",
    "unmatched": "未匹配", "done": "已完成",
    # feedback (意见建议)
    "subject": "主题", "reply": "答复意见",
}

_INDEX = re.compile(r"^\d+$")


def field_label(field: str | None) -> str:
    """The Chinese name of a field: ``resident_id`` → 公民身份号码; a nested path
    ``items.2.score`` → 指标项 第 3 项 得分; a field without a label → 该项."""
    if not field:
        return "填写内容"
    parts = []
    for part in str(field).split("."):
        if _INDEX.match(part):
            parts.append(f"第 {int(part) + 1} 项")
        elif part in ("body", "query", "path", "form", "__root__"):
            continue
        else:
            parts.append(FIELD_LABELS.get(part, "该项"))
    return " ".join(parts) or "填写内容"


def _limit(ctx: Mapping[str, Any], *keys: str) -> str:
    for key in keys:
        if key in ctx:
            return str(ctx[key])
    return ""


def validation_message(error_type: str, ctx: Mapping[str, Any] | None = None) -> str:
    """A request parser's complaint (a Pydantic error type) in Chinese."""
    ctx = ctx or {}
    kind = error_type
    if kind == "missing":
        return "必须填写"
    if kind.startswith("int_") or kind == "int_type":
        return "应为整数"
    if kind.startswith(("decimal_", "float_")) and "digits" in kind:
        return "小数位数或位数过多"
    if kind.startswith(("decimal_", "float_")):
        return "应为数字"
    if kind.startswith("bool_"):
        return "应为“是”或“否”"
    if kind.startswith("date") or kind.startswith("datetime"):
        return "应为日期（年-月-日）"
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于{_limit(ctx, 'ge', 'gt')}" if kind == "greater_than_equal" \
            else f"应大于{_limit(ctx, 'gt')}"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于{_limit(ctx, 'le', 'lt')}" if kind == "less_than_equal" \
            else f"应小于{_limit(ctx, 'lt')}"
    if kind == "string_too_long":
        return f"不能超过 {_limit(ctx, 'max_length')} 个字符"
    if kind == "string_too_short":
        return "不能为空" if _limit(ctx, "min_length") in ("", "1") \
            else f"至少 {_limit(ctx, 'min_length')} 个字符"
    if kind == "too_long":
        return "项目过多"
    if kind == "too_short":
        return "项目过少"
    if kind in ("enum", "literal_error"):
        return "不是可选的值"
    if kind == "string_pattern_mismatch":
        return "格式不正确"
    if kind == "extra_forbidden":
        return "不是可接受的项目"
    if kind.startswith("string_") or kind == "string_type":
        return "应为文字"
    if kind.startswith(("list_", "dict_", "model_")):
        return "结构不正确"
    return "格式不正确"


def page_errors(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Field errors as a page shows them: the field by its Chinese label, the Chinese
    message only (``key`` keeps the field's code for placing the message by its input)."""
    shown = []
    for e in errors:
        item: dict[str, Any] = {"key": e.get("field", ""), "field": field_label(e.get("field")),
                                "message": e.get("message", "")}
        if e.get("row") is not None:
            item["row"] = e["row"]
        shown.append(item)
    return shown


def page_problem(problem: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON problem (``DomainError.as_problem``) as a page shows it: the Chinese text,
    field errors named in Chinese, no English (``detail_en``, ``message_en``) and no field
    codes in the text (each error's ``key`` keeps the code for placing it by its input)."""
    shown = {key: value for key, value in problem.items()
             if key != "errors" and not key.endswith("_en")}
    shown["errors"] = page_errors(problem.get("errors") or [])
    return shown


#: How a date / a month is written, in both languages (for ``invalid_field`` and friends).
DATE_FORMAT = ("日期格式应为“年-月-日”，如 2026-10-08", "a date is written YYYY-MM-DD")
MONTH_FORMAT = ("月份格式应为“年-月”，如 2026-10", "a month is written YYYY-MM")
