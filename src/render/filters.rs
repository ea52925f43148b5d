//! Tera filters for figures: thousands separators, yuan in 万/亿, shares as percentages.

use std::collections::HashMap;

use tera::{Result, Value};

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

fn number(v: &Value) -> Result<f64> {
    v.as_f64().ok_or_else(|| tera::Error::msg(format!("expected a number, got {v}")))
}

/// Tera filter `num`.
pub fn num_filter(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    Ok(Value::String(group_digits(number(v)?)))
}

/// Tera filter `yuan(lang="zh-CN")`.
pub fn yuan_filter(v: &Value, args: &HashMap<String, Value>) -> Result<Value> {
    let lang = args.get("lang").and_then(Value::as_str).unwrap_or("zh-CN");
    Ok(Value::String(yuan(number(v)?, lang)))
}

/// A share as a percentage: `0.25` → `25%`, `0.333` → `33.3%`.
pub fn pct(share: f64) -> String {
    let n = share * 100.0;
    if (n - n.round()).abs() < 0.05 { format!("{}%", n.round()) } else { format!("{n:.1}%") }
}

/// Tera filter `pct`: `0.25` → `25%`.
pub fn pct_filter(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    Ok(Value::String(pct(number(v)?)))
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
