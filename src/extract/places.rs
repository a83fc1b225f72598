//! An address's divisions mended by the national list of them.
//!
//! A Chinese address opens with its province, prefecture and county
//! (GB/T 2260: `rules/divisions.tsv`, 3 219 names). Their rarer characters
//! are exactly the ones the recogniser trades for a common look-alike:
//! 兖州区 of 济宁市, a district of a million people, was read 充州区, 克州区
//! or 京州区 on every page that printed it (held-out seed 41), and 新疆
//! 新建. Where a division read is no name under the one before it but one
//! character off exactly one such name, that name is what the page prints.
//!
//! Only a character inside a name is mended, never its last (省, 市, 区,
//! 县, …, which say the level), and only where the names before it were
//! found: an address that does not open with a province, or whose
//! divisions were read right, is left as read. The field's confidence is
//! the reading's: a mended address is no surer than its print.

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use crate::document::Field;

/// (GB/T 2260 code, name), as `datasets/pools/make_pools.py` took them
/// from cpca 0.5.5 (`rules/NOTICE.md`).
static DIVISIONS: LazyLock<Vec<(u32, Vec<char>)>> = LazyLock::new(|| {
    include_str!("../../rules/divisions.tsv")
        .lines()
        .map(|l| {
            let (code, name) = l.split_once('\t').expect("rules/divisions.tsv: code<TAB>name");
            (code.parse().expect("rules/divisions.tsv: a six-digit code"), name.chars().collect())
        })
        .collect()
});

/// Every division's name, at any level.
static NAMES: LazyLock<HashSet<&'static [char]>> = LazyLock::new(|| DIVISIONS.iter().map(|(_, n)| n.as_slice()).collect());

/// The divisions directly under `parent` (`None`: the provinces). A county
/// a province governs itself (湖北's 仙桃市) has no prefecture row above
/// it, so it is the province's own.
fn children(parent: Option<u32>) -> Vec<&'static (u32, Vec<char>)> {
    static CODES: LazyLock<HashSet<u32>> = LazyLock::new(|| DIVISIONS.iter().map(|d| d.0).collect());
    DIVISIONS
        .iter()
        .filter(|(c, _)| match parent {
            None => c % 10_000 == 0,
            Some(p) if p % 10_000 == 0 => c / 10_000 == p / 10_000 && *c != p && (c % 100 == 0 || !CODES.contains(&(c / 100 * 100))),
            Some(p) if p % 100 == 0 => c / 100 == p / 100 && *c != p,
            Some(_) => false,
        })
        .collect()
}

/// `address` with its divisions mended as the module says; `None` when
/// nothing was.
pub fn mend(address: &str) -> Option<String> {
    let mut chars: Vec<char> = address.chars().collect();
    let (mut at, mut parent, mut mended) = (0, None, false);
    loop {
        let under = children(parent);
        let differences = |name: &[char]| chars.get(at..at + name.len()).map(|read| read.iter().zip(name).filter(|(a, b)| a != b).count());
        // The longest name read as printed: a name that begins another is
        // not taken for it.
        if let Some((code, name)) = under.iter().filter(|(_, n)| differences(n) == Some(0)).max_by_key(|(_, n)| n.len()) {
            (at, parent) = (at + name.len(), Some(*code));
            continue;
        }
        let near: Vec<_> = under.iter().filter(|(_, n)| n.len() >= 3 && differences(n) == Some(1) && chars[at + n.len() - 1] == n[n.len() - 1]).collect();
        let [(code, name)] = near.as_slice() else { break };
        // A read that is itself a division's name is what the page prints:
        // 南京市 with its province left out is no misread 北京市.
        if NAMES.contains(&chars[at..at + name.len()]) {
            break;
        }
        chars.splice(at..at + name.len(), name.iter().copied());
        (at, parent, mended) = (at + name.len(), Some(*code), true);
    }
    mended.then(|| chars.into_iter().collect())
}

/// Mends the `address` field of any kind that has one.
pub fn fill(fields: &mut BTreeMap<String, Field>) {
    if let Some(f) = fields.get_mut("address")
        && let Some(mended) = f.value.as_str().and_then(mend)
    {
        f.value = serde_json::Value::String(mended);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_county_read_one_character_off_its_only_namesake_under_its_prefecture_is_mended() {
        assert_eq!(mend("山东省济宁市充州区珠莱蓟北街450号").as_deref(), Some("山东省济宁市兖州区珠莱蓟北街450号"));
        assert_eq!(mend("山东省济宁市京州区珠街北街450号").as_deref(), Some("山东省济宁市兖州区珠街北街450号"), "the rest stays as read");
    }

    #[test]
    fn a_province_and_a_prefecture_are_mended_on_the_way_down() {
        assert_eq!(mend("新建维吾尔自治区伊华哈萨克自治州伊宁县闲都镇灾好路97号").as_deref(), Some("新疆维吾尔自治区伊犁哈萨克自治州伊宁县闲都镇灾好路97号"));
    }

    #[test]
    fn a_municipalitys_districts_and_a_county_the_province_governs_are_found_under_it() {
        assert_eq!(mend("北京市东域区东华门街道").as_deref(), Some("北京市东城区东华门街道"));
        assert_eq!(mend("湖北省仙挑市干河街道").as_deref(), Some("湖北省仙桃市干河街道"));
    }

    #[test]
    fn divisions_read_right_a_level_suffix_two_namesakes_or_no_province_are_left_as_read() {
        assert_eq!(mend("山东省济宁市兖州区珠莱蓟北街450号"), None);
        assert_eq!(mend("山东省济南市历城区山大路"), None, "历城区 is printed as read though 历下区 is one off");
        assert_eq!(mend("山东省济宁市兖州县珠莱北街"), None, "区 read 县 says another level");
        assert_eq!(mend("济宁市充州区珠莱北街"), None, "no province to start from");
        assert_eq!(mend("南京市玄武区"), None, "南京市 is one off 北京市, but a name itself");
        assert_eq!(mend("山东省济南市历X区山大路"), None, "历下区 and 历城区 are both one off");
        assert_eq!(mend(""), None);
    }

    #[test]
    fn only_the_address_field_is_mended() {
        let field = |v: &str| Field::new(serde_json::json!(v), 0.4, crate::types::BBox::default());
        let mut fields = BTreeMap::from([("address".to_string(), field("山东省济宁市充州区")), ("owner".to_string(), field("山东省济宁市充州区"))]);
        fill(&mut fields);
        assert_eq!(fields["address"].value, "山东省济宁市兖州区");
        assert_eq!(fields["address"].confidence, 0.4, "no surer than its print");
        assert_eq!(fields["owner"].value, "山东省济宁市充州区");
    }
}
