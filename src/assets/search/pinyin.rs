//! Pinyin readings of the Chinese characters that names, places, sectors and operators use.
//!
//! The browser matches pinyin queries (`wuxi`, `wu xi`, `shenzhen`, initials such as `jsgj`)
//! against these readings character by character, so the index ships one small table, reading →
//! characters, instead of pinyin strings for every name. Readings come from the `pinyin` crate
//! (data from the pinyin-data project) with every reading of a character that has several
//! (长 is both `chang` and `zhang`), without tones.

use std::collections::{BTreeMap, BTreeSet};

use pinyin::{Pinyin, ToPinyinMulti};

/// Every toneless reading of `c`, in the crate's order, without repeats. `ü` is given both as
/// `v` (what pinyin keyboards use) and as `u` (what tone-stripped queries give).
pub fn readings(c: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi.into_iter().map(Pinyin::plain) {
            let p = p.replace('ê', "e");
            let variants = if p.contains('ü') { vec![p.replace('ü', "v"), p.replace('ü', "u")] } else { vec![p] };
            for v in variants {
                if !v.is_empty() && v.is_ascii() && !out.contains(&v) {
                    out.push(v);
                }
            }
        }
    }
    out
}

/// The reading table for `chars`: reading → the characters (in code point order) that have it.
/// A map keyed by reading is smaller than one keyed by character, because many characters share
/// a reading.
pub fn table(chars: &BTreeSet<char>) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for &c in chars {
        for r in readings(c) {
            out.entry(r).or_default().push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heteronyms_have_every_reading() {
        let chang = readings('长');
        assert!(chang.contains(&"chang".to_string()) && chang.contains(&"zhang".to_string()), "{chang:?}");
        let zhong = readings('重');
        assert!(zhong.contains(&"chong".to_string()) && zhong.contains(&"zhong".to_string()), "{zhong:?}");
        assert_eq!(readings('锡'), vec!["xi"]);
        assert!(readings('A').is_empty());
    }

    #[test]
    fn u_umlaut_is_v_and_u() {
        let lv = readings('吕');
        assert!(lv.contains(&"lv".to_string()) && lv.contains(&"lu".to_string()), "{lv:?}");
    }

    #[test]
    fn table_groups_by_reading() {
        let chars: BTreeSet<char> = "无锡深圳长".chars().collect();
        let t = table(&chars);
        assert_eq!(t["wu"], "无");
        assert_eq!(t["zhang"], "长");
        assert_eq!(t["chang"], "长");
    }
}
