//! Tera filters for figures, over [`crate::format`]: thousands separators, yuan in 万/亿, shares
//! as percentages.

use std::collections::HashMap;

use tera::{Result, Value};

use crate::format::{group_digits, pct, yuan};

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

/// Tera filter `pct`: `0.25` → `25%`.
pub fn pct_filter(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    Ok(Value::String(pct(number(v)?)))
}
