//! Figures and names in the interface language: thousands separators, yuan in 万/亿, shares as
//! percentages, numbers in their unit, names in Chinese or English. Pages, the comparison data
//! and generated sentences all format through here, so a figure reads the same everywhere.

use crate::field_table::{Kind, Unit, Value};
use crate::i18n::Texts;
use crate::model::{Ref, Status};

/// A name in the interface language: the English one on an English site when there is one.
pub fn name(r: &Ref, lang: &str) -> String {
    match (&r.name_en, lang) {
        (Some(en), "en") => en.clone(),
        _ => r.name.clone(),
    }
}

/// `Some("zh-CN")` when [`name`] gives `r`'s Chinese name on a page in another language (it
/// has no English one), so that the page marks it as Chinese.
pub fn name_lang(r: &Ref, lang: &str) -> Option<&'static str> {
    crate::model::localize(&r.name, r.name_en.as_deref(), lang).lang
}

/// Formats a number with thousands separators: `17000` → `17,000`, `0.5` → `0.5`.
pub fn group_digits(n: f64) -> String {
    let neg = n < 0.0;
    let n = n.abs();
    let int = n.trunc() as u64;
    let frac = n - n.trunc();
    let digits = int.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if frac > 1e-9 {
        let f = format!("{:.2}", frac);
        out.push_str(f.trim_start_matches('0').trim_end_matches('0').trim_end_matches('.'));
    }
    if neg { format!("-{out}") } else { out }
}

/// Yuan in the units Chinese readers use (亿, 万), or in millions/billions for English.
pub fn yuan(n: f64, lang: &str) -> String {
    let trim = |x: f64| {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    if lang == "en" {
        if n >= 1e9 {
            format!("CNY {} bn", trim(n / 1e9))
        } else if n >= 1e6 {
            format!("CNY {} m", trim(n / 1e6))
        } else {
            format!("CNY {}", group_digits(n))
        }
    } else if n >= 1e8 {
        format!("{} 亿元", trim(n / 1e8))
    } else if n >= 1e4 {
        format!("{} 万元", trim(n / 1e4))
    } else {
        format!("{} 元", group_digits(n))
    }
}

/// A share as a percentage: `0.25` → `25%`, `0.333` → `33.3%`.
pub fn pct(share: f64) -> String {
    let n = share * 100.0;
    if (n - n.round()).abs() < 0.05 { format!("{}%", n.round()) } else { format!("{n:.1}%") }
}

/// Square metres in one 亩 (mu): 10,000 / 15.
pub const M2_PER_MU: f64 = 10_000.0 / 15.0;

/// A number in its unit, in the interface language.
pub fn number(n: f64, unit: Unit, tx: &Texts) -> String {
    match unit {
        Unit::SquareMetres => tx.t("unit_m2", &[("n", &group_digits(n))]),
        // Land is reported in 亩, floor space in 平方米: both are shown in 平方米 so that they
        // compare, with the 亩 as reported alongside.
        Unit::Mu => tx.t("unit_mu_m2", &[("m2", &group_digits((n * M2_PER_MU).round())), ("n", &group_digits(n))]),
        Unit::Count => group_digits(n),
        Unit::Yuan => yuan(n, &tx.lang),
        Unit::Share => pct(n),
    }
}

/// The status in the interface language.
pub fn status(s: Status, tx: &Texts) -> String {
    let key = match s {
        Status::Active => "status_active",
        Status::Planned => "status_planned",
        Status::Closed => "status_closed",
    };
    tx.t(key, &[])
}

/// A value of a field of `kind` as one line of text, for the comparison and the page; `None`
/// for lists.
pub fn text(v: Value, kind: Kind, tx: &Texts) -> Option<String> {
    let lang = tx.lang.as_str();
    match v {
        Value::Place { place, city } => Some(if place.id == city.id {
            name(place, lang)
        } else {
            format!("{} · {}", name(place, lang), name(city, lang))
        }),
        Value::Term(t) => Some(name(t, lang)),
        Value::Number(n) => Some(match kind {
            Kind::Number(unit) => number(n.0, unit, tx),
            _ => group_digits(n.0),
        }),
        Value::Date(s) | Value::Text(s) => Some(s.to_string()),
        Value::Status(s) => Some(status(s, tx)),
        Value::Terms(_) | Value::Operators(_) | Value::Texts(_) | Value::Sources(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group_digits(17000.0), "17,000");
        assert_eq!(group_digits(199.0), "199");
        assert_eq!(group_digits(1234567.5), "1,234,567.5");
    }

    #[test]
    fn yuan_uses_chinese_units() {
        assert_eq!(yuan(26_900_000_000.0, "zh-CN"), "269 亿元");
        assert_eq!(yuan(50_000.0, "zh-CN"), "5 万元");
        assert_eq!(yuan(26_900_000_000.0, "en"), "CNY 26.9 bn");
    }
}
