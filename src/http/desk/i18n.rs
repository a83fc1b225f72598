//! Every string the desk shows, as key → (Simplified Chinese, English).
//! Chinese is the default; English is chosen by the `lang` cookie or query
//! parameter, or by `Accept-Language` preferring English.

use std::collections::HashMap;
use std::sync::LazyLock;

pub use crate::lang::Lang;

const TABLE: &[(&str, &str, &str)] = &[
    // chrome
    ("app_name", "大件运输许可 · 受理预审台", "Oversize Permit · Clerk's Desk"),
    ("app_short", "大件预审", "dajian desk"),
    ("nav_queue", "待办队列", "Queue"),
    ("nav_audit", "审计日志", "Audit log"),
    ("logout", "退出", "Log out"),
    ("lang_switch", "English", "中文"),
    ("signed_in_as", "当前用户", "Signed in as"),
    ("role_clerk", "受理员", "clerk"),
    ("role_admin", "管理员", "admin"),
    ("keys_hint", "快捷键：j/k 上下切换问题项，r 填写理由，+/− 缩放页面，0 适合窗口；滚轮缩放，拖动平移", "Keys: j/k next/previous flagged check, r reason, +/− zoom the page, 0 fit; wheel zooms, drag pans"),
    ("keys_queue", "快捷键：j/k 上下移动，Enter 打开", "Keys: j/k move, Enter opens"),
    // login
    ("login_title", "受理员登录", "Clerk login"),
    ("username", "用户名", "User name"),
    ("password", "密码", "Password"),
    ("login", "登录", "Log in"),
    ("login_failed", "用户名或密码不正确。", "Wrong user name or password."),
    ("login_throttled", "登录失败次数过多，请15分钟后再试。", "Too many failed logins; try again in 15 minutes."),
    ("login_expired", "登录表单已过期，请重新提交。", "The login form expired; please submit it again."),
    // errors
    ("err_title", "出错了", "Something went wrong"),
    ("err_forbidden", "此页面仅供受理员使用。", "This page is for clerks only."),
    ("err_csrf", "表单已失效（安全令牌不符）。请刷新页面后重试。", "The form is no longer valid (security token mismatch). Reload the page and try again."),
    ("err_not_found", "找不到该页面或申请。", "No such page or application."),
    ("err_internal", "服务内部错误，已记录。请稍后再试。", "Internal error; it has been logged. Please try again later."),
    ("err_reason_required", "请填写理由：改判或退回必须说明理由。", "A reason is required to override a check or return an application."),
    ("err_unknown_check", "没有这个检查项。", "No such check."),
    ("err_invalid_action", "无效的操作。", "Not a valid action."),
    ("err_not_done", "预审尚未完成，暂不能作出决定。", "The precheck has not finished; no decision yet."),
    ("back", "返回", "Back"),
    // queue
    ("queue_title", "待办队列", "Queue"),
    ("col_no", "申请编号", "Application no."),
    ("col_carrier", "承运人", "Carrier"),
    ("col_verdict", "预审结论", "Verdict"),
    ("col_flags", "问题项", "Flags"),
    ("col_status", "状态", "Status"),
    ("col_decision", "处理", "Decision"),
    ("col_submitted", "提交时间", "Submitted"),
    ("col_age", "等待", "Waiting"),
    ("filter_all", "全部", "All"),
    ("filter_verdict", "结论", "Verdict"),
    ("filter_status", "状态", "Status"),
    ("filter_decided", "处理", "Decision"),
    ("decided", "已处理", "Decided"),
    ("undecided", "未处理", "Undecided"),
    ("queue_empty", "没有符合条件的申请。", "No application matches."),
    ("queue_limit", "仅显示最早的 1000 件。", "Only the oldest 1,000 are shown."),
    ("open", "打开", "Open"),
    // verdicts, statuses, decisions
    ("verdict_block", "不予受理", "Block"),
    ("verdict_review", "需复核", "Review"),
    ("verdict_pass", "通过", "Pass"),
    ("status_pass", "通过", "Pass"),
    ("status_warn", "需复核", "Review"),
    ("status_block", "不予受理", "Block"),
    ("status_not_applicable", "不适用", "N/A"),
    ("job_queued", "排队中", "Queued"),
    ("job_running", "预审中", "Running"),
    ("job_done", "已完成", "Done"),
    ("job_failed", "预审失败", "Failed"),
    ("state_accepted", "已确认", "Accepted"),
    ("state_overridden", "已改判", "Overridden"),
    ("state_approved", "准予办理", "Approved for processing"),
    ("state_returned", "已退回", "Returned"),
    ("action_accept", "确认", "accept"),
    ("action_override", "改判", "override"),
    ("action_approve", "准予办理", "approve"),
    ("action_return", "退回", "return"),
    // application page
    ("carrier", "承运人", "Carrier"),
    ("uscc", "统一社会信用代码", "USCC"),
    ("permit_class", "许可类别", "Permit class"),
    ("authority", "受理机关", "Accepting authority"),
    ("approvals", "并联审批事项", "Approvals"),
    ("submitted", "提交于", "Submitted"),
    ("travel", "通行时段", "Travel window"),
    ("combination", "车货外廓", "Combination"),
    ("no_approvals", "无", "none"),
    ("auth_county", "县级", "county"),
    ("auth_city", "市级", "city"),
    ("auth_province", "省级", "province"),
    ("auth_cross_province", "跨省（起运地省级）", "cross-province (origin province)"),
    ("appr_overlimit_permit", "超限运输许可", "Over-limit permit"),
    ("appr_urban_special_vehicle", "城市道路特种车辆通行", "Urban special vehicle"),
    ("appr_temporary_plate", "临时号牌", "Temporary plate"),
    ("group_personnel", "人员信息", "Personnel"),
    ("group_company", "企业资质信息", "Company"),
    ("group_vehicle", "车辆信息", "Vehicle"),
    ("group_route", "线路情况", "Route"),
    ("group_cargo", "货物情况", "Cargo"),
    ("checks", "检查项", "Checks"),
    ("flagged", "问题项", "Flagged"),
    ("src_form", "申请表", "Form"),
    ("src_document", "材料页面", "On the page"),
    ("src_registry", "登记信息", "Registry"),
    ("src_rule", "规则", "Rule"),
    ("confidence", "置信度", "confidence"),
    ("show_on_page", "在页面中定位", "Show on page"),
    ("no_value", "—", "—"),
    ("rule_ref", "依据", "Source"),
    ("page_viewer", "材料页面", "Page"),
    ("no_page", "选择带框的证据以查看材料页面。", "Pick an evidence value with a box to see its page."),
    ("zoom_in", "放大", "Zoom in"),
    ("zoom_out", "缩小", "Zoom out"),
    ("zoom_fit", "适合窗口", "Fit"),
    ("reason", "理由", "Reason"),
    ("reason_ph", "改判须填写理由，例如：已核验原件", "Required for an override, e.g. original checked at the counter"),
    ("return_ph", "退回原因（将告知申请人）", "Reasons for return (sent to the applicant)"),
    ("accept_btn", "确认结果", "Accept result"),
    ("override_btn", "改判为通过", "Override"),
    ("approve_btn", "准予办理", "Approve for processing"),
    ("route_declared", "申报线路", "Declared route"),
    ("route_suggested", "建议线路", "Suggested route"),
    ("route_none", "没有可通行的线路", "No route the load can take"),
    ("route_survey", "需要勘测", "needs a survey"),
    ("include_route", "在退回意见后附上建议线路（R3）", "Add R3's route suggestion to the return message"),
    ("return_btn", "退回申请人", "Return to applicant"),
    ("app_decision", "申请处理", "Decision on the application"),
    ("current_state", "当前", "Now"),
    ("by", "经办", "by"),
    ("print", "打印摘要", "Print summary"),
    ("audit_for_app", "本件审计日志", "Audit log of this application"),
    ("not_done_yet", "预审尚未完成。", "The precheck has not finished."),
    ("precheck_failed", "预审失败：", "The precheck failed: "),
    ("pages", "材料", "Pages"),
    ("unread", "未识别", "not read"),
    ("decision_saved", "已记录。", "Recorded."),
    // audit
    ("audit_title", "审计日志", "Audit log"),
    ("archive_title", "核验档案", "Verified archive"),
    ("archive_intro", "此前申请中已通过核验、可在有效期内复用的材料（最新在前）。", "Pages verified in earlier applications, reused while valid (newest first)."),
    ("archive_empty", "尚无存档材料。", "Nothing archived yet."),
    ("col_kind", "材料类型", "Kind"),
    ("col_file", "文件", "File"),
    ("col_archived", "存档时间", "Archived"),
    ("col_valid_until", "有效期至", "Valid until"),
    ("long_term", "长期", "long term"),
    ("audit_readonly", "只读：记录不可修改或删除。", "Read-only: entries can be neither changed nor deleted."),
    ("col_when", "时间", "When"),
    ("col_who", "经办人", "Who"),
    ("col_what", "对象", "What"),
    ("col_action", "操作", "Action"),
    ("col_reason", "理由", "Reason"),
    ("col_change", "变更", "Before → after"),
    ("col_application", "申请", "Application"),
    ("whole_application", "整件申请", "whole application"),
    ("audit_empty", "尚无记录。", "No decisions yet."),
    // print
    ("print_title", "大件运输许可申请预审摘要", "Oversize transport permit — precheck summary"),
    ("printed_at", "打印时间", "Printed"),
    ("sign_clerk", "受理人签字", "Clerk's signature"),
    ("sign_date", "日期", "Date"),
    ("print_now", "打印", "Print"),
    ("message", "说明", "Message"),
    ("from_archive", "复用档案", "reused from the archive"),
    ("found_on_page", "页面上找到申请表所填值", "the form's value, found on the page"),
    ("unreadable_value", "无法识别为有效值", "could not be read as a value"),
];

static INDEX: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> =
    LazyLock::new(|| TABLE.iter().map(|&(k, zh, en)| (k, (zh, en))).collect());

/// The string for `key` in `lang`. An unknown key shows as itself (and
/// fails the test below), never as a blank.
pub fn t(lang: Lang, key: &str) -> &str {
    match INDEX.get(key) {
        Some((zh, en)) => match lang {
            Lang::Zh => zh,
            Lang::En => en,
        },
        None => {
            tracing::warn!(key, "missing desk string");
            key
        }
    }
}

/// A check's title in `lang` (the Chinese one comes with the report).
pub fn check_title(lang: Lang, id: &str, zh: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => crate::checks::title_en(id).unwrap_or(zh).to_string(),
    }
}

/// A key that may be missing (statuses, states from the database): the
/// translation if there is one, else the raw value.
pub fn t_or<'a>(lang: Lang, key: &str, raw: &'a str) -> std::borrow::Cow<'a, str> {
    match INDEX.get(key) {
        Some(_) => std::borrow::Cow::Owned(t(lang, key).to_string()),
        None => std::borrow::Cow::Borrowed(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_has_both_languages() {
        let mut seen = std::collections::HashSet::new();
        for (k, zh, en) in TABLE {
            assert!(seen.insert(k), "duplicate key {k}");
            assert!(!zh.is_empty() && !en.is_empty(), "{k}");
        }
    }
}
