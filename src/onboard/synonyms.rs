//! The header and code synonyms `policyqc init` matches an export against: one plain table per
//! kind, English, Traditional and Simplified Chinese. Headers and codes are compared after
//! [`normalize`] (case, spaces and punctuation, full-width letters, Traditional characters read
//! as Simplified), so one spelling of a Chinese name covers both scripts.

/// Header synonyms of every `cases` field of SCHEMA.md.
pub const CASE_FIELDS: &[(&str, &[&str])] = &[
    (
        "case_id",
        &[
            "case id",
            "case no",
            "case number",
            "caseno",
            "case",
            "件號",
            "案件編號",
            "案件號碼",
            "受理編號",
            "受理號碼",
            "保全編號",
            "申請編號",
            "工作單號",
        ],
    ),
    (
        "policy_no",
        &[
            "policy no",
            "policy number",
            "policy",
            "policyno",
            "保單號碼",
            "保單號",
            "保單編號",
            "保險單號",
        ],
    ),
    (
        "branch",
        &[
            "branch",
            "office",
            "branch office",
            "分公司",
            "營業單位",
            "受理單位",
            "機構",
            "分支機構",
            "通訊處",
        ],
    ),
    (
        "change_type",
        &[
            "change type",
            "alteration type",
            "endorsement type",
            "transaction type",
            "保全項目",
            "變更項目",
            "變更類型",
            "變更類別",
            "批改項目",
            "保全類型",
        ],
    ),
    (
        "application_date",
        &[
            "application date",
            "applied",
            "signed",
            "申請日期",
            "申請日",
            "簽署日期",
            "申請書日期",
        ],
    ),
    (
        "received_at",
        &[
            "received at",
            "received",
            "receipt time",
            "受理時間",
            "收件時間",
            "受理日期時間",
            "收文時間",
            "受理日期",
        ],
    ),
    (
        "registered_at",
        &[
            "registered at",
            "registered",
            "registration time",
            "登記時間",
            "登錄時間",
            "建檔時間",
        ],
    ),
    (
        "reviewed_at",
        &[
            "reviewed at",
            "reviewed",
            "review time",
            "審核時間",
            "審查時間",
            "審核完成時間",
        ],
    ),
    (
        "entered_at",
        &[
            "entered at",
            "entered",
            "entry time",
            "keyed at",
            "錄入時間",
            "輸入時間",
            "鍵入時間",
            "錄入完成時間",
        ],
    ),
    (
        "checked_at",
        &[
            "checked at",
            "checked",
            "double check time",
            "複核時間",
            "覆核時間",
            "複核完成時間",
        ],
    ),
    (
        "bound_at",
        &[
            "bound at",
            "bound",
            "binding time",
            "dispatched at",
            "裝訂時間",
            "歸檔時間",
            "結案時間",
            "寄送時間",
        ],
    ),
    (
        "printed_at",
        &[
            "printed at",
            "printed",
            "print time",
            "列印時間",
            "打印時間",
            "印製時間",
        ],
    ),
    (
        "effective_date",
        &[
            "effective date",
            "effective",
            "生效日",
            "生效日期",
            "批改生效日",
        ],
    ),
    (
        "intake_operator",
        &[
            "intake operator",
            "handover clerk",
            "received by",
            "受理人",
            "收件人",
            "受理人員",
            "收件人員",
        ],
    ),
    (
        "reviewer",
        &["reviewer", "reviewed by", "審核人", "審核人員", "審查人"],
    ),
    (
        "entry_operator",
        &[
            "entry operator",
            "entered by",
            "servicing clerk",
            "keyed by",
            "錄入人",
            "錄入人員",
            "輸入人",
            "保全作業人員",
            "作業人員",
        ],
    ),
    (
        "checker",
        &[
            "checker",
            "checked by",
            "double checker",
            "複核人",
            "覆核人",
            "複核人員",
            "覆核人員",
        ],
    ),
    (
        "binder",
        &[
            "binder",
            "bound by",
            "binding clerk",
            "裝訂人",
            "裝訂人員",
            "歸檔人",
        ],
    ),
    (
        "printer",
        &["printer", "printed by", "列印人", "打印人", "列印人員"],
    ),
    (
        "amount",
        &[
            "amount",
            "payout",
            "transaction amount",
            "金額",
            "交易金額",
            "給付金額",
            "變更金額",
            "退費金額",
        ],
    ),
    (
        "premium_before",
        &[
            "premium before",
            "old premium",
            "原保費",
            "變更前保費",
            "舊保費",
        ],
    ),
    (
        "premium_after",
        &["premium after", "new premium", "新保費", "變更後保費"],
    ),
    (
        "premium_charged",
        &[
            "premium charged",
            "premium booked",
            "收退費",
            "收退保費",
            "應收退保費",
            "實收退保費",
        ],
    ),
    (
        "premium_expected",
        &[
            "premium expected",
            "premium calculated",
            "系統計算保費",
            "試算保費",
            "計算保費",
        ],
    ),
    (
        "docs_required",
        &[
            "docs required",
            "documents required",
            "應備文件數",
            "應附文件數",
            "應備文件",
        ],
    ),
    (
        "docs_received",
        &[
            "docs received",
            "documents received",
            "實收文件數",
            "已收文件數",
            "實收文件",
        ],
    ),
    (
        "query_opened_at",
        &[
            "query opened at",
            "query opened",
            "query sent",
            "照會發出時間",
            "照會時間",
            "照會開始時間",
        ],
    ),
    (
        "query_closed_at",
        &[
            "query closed at",
            "query closed",
            "query answered",
            "照會回覆時間",
            "照會結束時間",
            "照會銷案時間",
        ],
    ),
    (
        "referral_dept",
        &[
            "referral dept",
            "referral department",
            "referred to",
            "轉送單位",
            "會辦單位",
            "轉介部門",
            "照轉單位",
        ],
    ),
    (
        "referred_at",
        &[
            "referred at",
            "referred",
            "referral sent",
            "轉送時間",
            "會辦時間",
            "轉介時間",
        ],
    ),
    (
        "referral_returned_at",
        &[
            "referral returned at",
            "referral returned",
            "referral back",
            "會辦回覆時間",
            "轉送回覆時間",
            "轉介回覆時間",
        ],
    ),
    (
        "seal_required",
        &[
            "seal required",
            "needs seal",
            "需蓋章",
            "是否需蓋章",
            "應用印",
            "需用印",
        ],
    ),
    (
        "seal_applied",
        &["seal applied", "sealed", "已蓋章", "是否已蓋章", "已用印"],
    ),
    (
        "benefit_due_date",
        &[
            "benefit due date",
            "payout due",
            "due date",
            "給付到期日",
            "應給付日",
            "應付日",
        ],
    ),
    (
        "benefit_paid_date",
        &[
            "benefit paid date",
            "paid date",
            "payout date",
            "給付日",
            "實際給付日",
            "付款日",
        ],
    ),
    (
        "benefit_expected",
        &["benefit expected", "benefit due", "應給付金額", "應付金額"],
    ),
    (
        "benefit_paid",
        &["benefit paid", "paid amount", "實際給付金額", "實付金額"],
    ),
    (
        "reports_reviewed_at",
        &[
            "reports reviewed at",
            "reports reviewed",
            "報表檢視時間",
            "報表覆核時間",
            "報表審閱時間",
        ],
    ),
    (
        "notice_printed",
        &[
            "notice printed",
            "notice",
            "通知書已列印",
            "已列印通知書",
            "通知書列印",
            "是否列印通知書",
        ],
    ),
];

/// Codes of change types, to the reference vocabulary of SCHEMA.md.
pub const CHANGE_TYPES: &[(&str, &[&str])] = &[
    (
        "address_change",
        &[
            "address change",
            "change of address",
            "地址變更",
            "變更地址",
            "通訊地址變更",
        ],
    ),
    (
        "beneficiary_change",
        &[
            "beneficiary change",
            "change of beneficiary",
            "受益人變更",
            "變更受益人",
        ],
    ),
    (
        "sum_increase",
        &[
            "sum increase",
            "increase sum assured",
            "增加保額",
            "保額增加",
            "增額",
        ],
    ),
    (
        "sum_decrease",
        &[
            "sum decrease",
            "decrease sum assured",
            "減少保額",
            "保額減少",
            "減額",
        ],
    ),
    (
        "payment_mode_change",
        &[
            "payment mode change",
            "change of payment mode",
            "繳費方式變更",
            "繳別變更",
            "變更繳費方式",
        ],
    ),
    ("reinstatement", &["reinstatement", "復效", "保單復效"]),
    (
        "policy_loan",
        &["policy loan", "loan", "保單借款", "保單貸款"],
    ),
    (
        "partial_withdrawal",
        &["partial withdrawal", "部分提領", "部分領取", "部分解約"],
    ),
    (
        "surrender",
        &["surrender", "full surrender", "解約", "退保", "終止契約"],
    ),
    (
        "maturity_payment",
        &[
            "maturity payment",
            "maturity",
            "滿期金給付",
            "滿期給付",
            "滿期金",
        ],
    ),
];

/// Codes of referral departments.
pub const REFERRAL_DEPTS: &[(&str, &[&str])] = &[
    (
        "underwriting",
        &["uw", "underwriting", "核保", "核保部", "核保科"],
    ),
    (
        "finance",
        &["fin", "finance", "財務", "財務部", "財務科", "會計"],
    ),
];

/// The true and false words of two-valued columns, as exports write them (matched after
/// [`normalize`], so 無 and 无, `Y` and `y` are one word).
pub const YES_NO: &[(&str, &str)] = &[
    ("是", "否"),
    ("有", "無"),
    ("已", "未"),
    ("需", "不需"),
    ("Y", "N"),
    ("Yes", "No"),
    ("True", "False"),
    ("T", "F"),
    ("1", "0"),
];

/// Traditional characters of export headers, with their Simplified forms.
const TRADITIONAL: &[(char, char)] = &[
    ('單', '单'),
    ('號', '号'),
    ('碼', '码'),
    ('時', '时'),
    ('間', '间'),
    ('錄', '录'),
    ('複', '复'),
    ('覆', '复'),
    ('項', '项'),
    ('請', '请'),
    ('變', '变'),
    ('額', '额'),
    ('務', '务'),
    ('費', '费'),
    ('應', '应'),
    ('實', '实'),
    ('數', '数'),
    ('蓋', '盖'),
    ('給', '给'),
    ('開', '开'),
    ('轉', '转'),
    ('裝', '装'),
    ('訂', '订'),
    ('員', '员'),
    ('審', '审'),
    ('檢', '检'),
    ('類', '类'),
    ('別', '别'),
    ('機', '机'),
    ('構', '构'),
    ('歸', '归'),
    ('檔', '档'),
    ('報', '报'),
    ('閱', '阅'),
    ('詢', '询'),
    ('經', '经'),
    ('辦', '办'),
    ('簽', '签'),
    ('發', '发'),
    ('結', '结'),
    ('記', '记'),
    ('輸', '输'),
    ('復', '复'),
    ('貸', '贷'),
    ('領', '领'),
    ('約', '约'),
    ('滿', '满'),
    ('險', '险'),
    ('營', '营'),
    ('處', '处'),
    ('會', '会'),
    ('計', '计'),
    ('財', '财'),
    ('減', '减'),
    ('繳', '缴'),
    ('試', '试'),
    ('算', '算'),
    ('產', '产'),
    ('與', '与'),
    ('護', '护'),
    ('銷', '销'),
    ('鍵', '键'),
    ('製', '制'),
    ('預', '预'),
    ('屬', '属'),
    ('擬', '拟'),
    ('編', '编'),
    ('託', '托'),
    ('為', '为'),
    ('舊', '旧'),
    ('後', '后'),
    ('見', '见'),
    ('證', '证'),
    ('書', '书'),
    ('準', '准'),
    ('無', '无'),
    ('條', '条'),
    ('區', '区'),
    ('訊', '讯'),
    ('紀', '纪'),
    ('頁', '页'),
    ('種', '种'),
    ('狀', '状'),
    ('態', '态'),
    ('點', '点'),
    ('聯', '联'),
    ('絡', '络'),
    ('電', '电'),
    ('話', '话'),
    ('職', '职'),
    ('稱', '称'),
    ('權', '权'),
    ('級', '级'),
    ('介', '介'),
    ('寄', '寄'),
    ('際', '际'),
    ('據', '据'),
    ('問', '问'),
    ('題', '题'),
    ('關', '关'),
    ('齊', '齐'),
    ('補', '补'),
    ('達', '达'),
    ('業', '业'),
    ('將', '将'),
    ('統', '统'),
    ('認', '认'),
    ('備', '备'),
    ('視', '视'),
    ('註', '注'),
    ('歷', '历'),
    ('戶', '户'),
    ('內', '内'),
    ('資', '资'),
    ('調', '调'),
    ('價', '价'),
    ('險', '险'),
    ('選', '选'),
    ('擇', '择'),
];

/// A header or code as it is compared: lower case, full-width letters and digits as ASCII,
/// Traditional characters as Simplified, and no spaces, underscores, hyphens, dots, slashes,
/// colons or brackets.
#[must_use]
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => TRADITIONAL
                .iter()
                .find(|(t, _)| *t == c)
                .map_or(c, |(_, s)| *s),
        })
        .flat_map(char::to_lowercase)
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '_' | '-'
                        | '.'
                        | '/'
                        | ':'
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | '（'
                        | '）'
                        | '【'
                        | '】'
                        | '#'
                        | '*'
                )
        })
        .collect()
}

/// The reference name a header or code stands for in `table` (`(ours, [theirs])`), by its
/// normalized form: an exact match of a synonym or of the reference name itself.
#[must_use]
pub fn lookup(table: &[(&'static str, &[&str])], text: &str) -> Option<&'static str> {
    let key = normalize(text);
    if key.is_empty() {
        return None;
    }
    table
        .iter()
        .find(|(ours, theirs)| normalize(ours) == key || theirs.iter().any(|t| normalize(t) == key))
        .map(|(ours, _)| *ours)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Table;

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
    }

    #[test]
    fn every_cases_field_has_english_and_chinese_synonyms_and_each_synonym_one_field() {
        for f in Table::Cases.fields() {
            let (_, names) = CASE_FIELDS
                .iter()
                .find(|(n, _)| *n == f.name)
                .unwrap_or_else(|| panic!("no synonyms for {}", f.name));
            assert!(names.iter().any(|n| !has_cjk(n)), "{}: no English", f.name);
            assert!(names.iter().any(|n| has_cjk(n)), "{}: no Chinese", f.name);
        }
        assert_eq!(CASE_FIELDS.len(), Table::Cases.fields().len());
        for (field, names) in CASE_FIELDS {
            for n in *names {
                assert_eq!(lookup(CASE_FIELDS, n), Some(*field), "`{n}` is ambiguous");
            }
        }
    }

    #[test]
    fn traditional_simplified_full_width_and_spacing_match_the_same_field() {
        for header in [
            "保單號碼",
            "保单号码",
            "Policy No",
            "POLICY_NO",
            "policy-no",
            "ＰｏｌｉｃｙＮｏ",
        ] {
            assert_eq!(lookup(CASE_FIELDS, header), Some("policy_no"), "{header}");
        }
        assert_eq!(lookup(CASE_FIELDS, "受理時間"), Some("received_at"));
        assert_eq!(lookup(CASE_FIELDS, "受理时间"), Some("received_at"));
        assert_eq!(lookup(CASE_FIELDS, "錄入人"), Some("entry_operator"));
        assert_eq!(lookup(CASE_FIELDS, "录入人"), Some("entry_operator"));
        assert_eq!(lookup(CASE_FIELDS, "复核人"), Some("checker"));
        assert_eq!(lookup(CASE_FIELDS, "保全项目"), Some("change_type"));
        assert_eq!(lookup(CASE_FIELDS, "備註"), None);
        assert_eq!(lookup(CHANGE_TYPES, "地址变更"), Some("address_change"));
        assert_eq!(lookup(CHANGE_TYPES, "退保"), Some("surrender"));
        assert_eq!(lookup(CHANGE_TYPES, "surrender"), Some("surrender"));
        assert_eq!(lookup(REFERRAL_DEPTS, "財務部"), Some("finance"));
    }
}
