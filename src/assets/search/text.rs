//! Text normalisation for search, mirrored exactly by `themes/default/static/search.js`.
//!
//! Queries are normalised in the browser and compared with keys normalised here, so both sides
//! must agree character for character. The rules, in order:
//!
//! 1. compatibility decomposition (NFKD), so full-width `ＡＩ` becomes `AI` and `①` becomes `1`;
//! 2. combining marks dropped, so tone marks vanish (`wúxī` → `wuxi`, `ü` → `u`);
//! 3. lower case (of the whole text, as JavaScript's `toLowerCase` does it: a final `Σ` is `ς`);
//! 4. every character falls in one [`Class`]: ASCII letters and digits ([`Class::Latin`]), other
//!    letters and digits, mostly Chinese ([`Class::Word`]), white space (the Unicode
//!    `White_Space` property: U+0085 is white space, U+FEFF is not), and everything else
//!    (punctuation, brackets, symbols, U+FEFF: [`Class::Other`], ignored).
//!
//! Chinese text is matched by character bigrams (any substring of two or more characters is found
//! by the bigrams it contains) and Latin text by word prefixes ([`Keys`]).
//!
//! `tests/fixtures/search-normalise.json` holds inputs with their folded text, classes and keys;
//! a unit test checks them here and a browser test checks them against search.js.

use std::collections::BTreeSet;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// What a normalised character is to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// `a`–`z`, `0`–`9`: English words, pinyin, numbers.
    Latin,
    /// Any other letter or digit (Chinese characters above all).
    Word,
    /// White space: separates query words.
    Space,
    /// Punctuation, brackets and symbols: ignored.
    Other,
}

/// Steps 1–3 of the rules: NFKD, no combining marks, lower case.
///
/// Character by character, with ASCII and the CJK Unified Ideographs (most of every text here)
/// taken as they are, which gives the same as the rules applied to the whole text (a test
/// checks it on every character): decomposition maps characters one by one, canonical
/// reordering only moves combining marks, which are dropped, and lower-casing a whole text
/// differs from lower-casing each character only for `Σ`, which sends the text to
/// [`fold_whole`].
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if is_unified_ideograph(c) {
            out.push(c);
        } else {
            for d in std::iter::once(c).nfkd() {
                if d == 'Σ' {
                    return fold_whole(s);
                }
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase());
                }
            }
        }
    }
    out
}

/// The rules of [`fold`] applied to the whole text at once.
pub fn fold_whole(s: &str) -> String {
    s.nfkd().filter(|c| !is_combining_mark(*c)).collect::<String>().to_lowercase()
}

/// A character of the CJK Unified Ideographs block: a letter without decomposition or case.
fn is_unified_ideograph(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// The class of a character of folded text: [`class_by_properties`], with the ideographs (most
/// of every text here) answered at once.
pub fn class(c: char) -> Class {
    if is_unified_ideograph(c) { Class::Word } else { class_by_properties(c) }
}

/// The class of a character by its Unicode properties, as the rules give it.
fn class_by_properties(c: char) -> Class {
    if c.is_ascii_lowercase() || c.is_ascii_digit() {
        Class::Latin
    } else if c.is_whitespace() {
        Class::Space
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Other
    }
}

/// The search keys of a text: Chinese character bigrams, and Latin words.
///
/// Latin words joined by punctuation alone (`hi-tech`, `co-built`, `AI/ML`) form a compound,
/// found joined up as well as by its parts, because queries ignore punctuation: a compound gives
/// the key of every part joined with the parts after it (`hi-tech-zone`: `hitechzone`,
/// `techzone`, `zone`), so that every part and every run of parts is a key's prefix. White space
/// or a Chinese character ends a compound.
///
/// Punctuation and white space do not break a run of Chinese characters (the query `惠山深圳`
/// finds `惠山（深圳）`); a Latin word does.
#[derive(Debug, Default)]
pub struct Keys {
    /// Character bigrams, as pairs, in text order and possibly repeated: a body has a
    /// thousand, so they are neither allocated nor sorted here.
    pub grams: Vec<[char; 2]>,
    /// Latin words and compounds, of any length (the body index leaves out those of one letter,
    /// which queries never look up there).
    pub words: BTreeSet<String>,
}

impl Keys {
    /// Adds the keys of `text`.
    pub fn add(&mut self, text: &str) {
        let mut run: Vec<char> = Vec::new();
        // The words of the compound so far; whether the last one is still being written.
        let mut parts: Vec<String> = Vec::new();
        let mut in_word = false;
        for c in fold(text).chars() {
            match class(c) {
                Class::Latin => {
                    if !in_word {
                        parts.push(String::new());
                        in_word = true;
                    }
                    if let Some(w) = parts.last_mut() {
                        w.push(c);
                    }
                    self.flush_run(&mut run);
                }
                Class::Word => {
                    in_word = false;
                    self.flush_compound(&mut parts);
                    run.push(c);
                }
                Class::Space => {
                    in_word = false;
                    self.flush_compound(&mut parts);
                }
                Class::Other => in_word = false,
            }
        }
        self.flush_compound(&mut parts);
        self.flush_run(&mut run);
    }

    fn flush_compound(&mut self, parts: &mut Vec<String>) {
        for i in 0..parts.len() {
            self.words.insert(parts[i..].concat());
        }
        parts.clear();
    }

    fn flush_run(&mut self, run: &mut Vec<char>) {
        for pair in run.windows(2) {
            self.grams.push([pair[0], pair[1]]);
        }
        run.clear();
    }
}

/// The shard key of a search key (see `mod.rs` for the keys): the keys a query may need
/// together share one, so that they sit in one shard.
///
/// - a Latin word: its first three letters, so that every word a long query word is a prefix
///   of lives in one shard;
/// - a pinyin key `~a b`: `~a ` and the first letter of `b`, so that the pairs a query's last,
///   unfinished syllable can end in (`~shen zhe`, `~shen zhen`, `~shen zheng`) share a shard; a
///   single reading `~a`: `~` and its first letter;
/// - anything else (a Chinese bigram or character) is its own shard key.
pub fn shard_key(key: &str) -> &str {
    if let Some(rest) = key.strip_prefix('~') {
        return match rest.find(' ') {
            Some(i) => &key[..i + 3],
            None => &key[..2.min(key.len())],
        };
    }
    if !key.is_ascii() {
        return key;
    }
    &key[..key.len().min(3)]
}

/// FNV-1a (32-bit) over the UTF-16 code units of `s`: the browser computes the same number with
/// `charCodeAt` and `Math.imul` to know which shard holds a key.
pub fn hash(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for unit in s.encode_utf16() {
        h ^= u32::from(unit);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_tones_and_case() {
        assert_eq!(fold("ＡＩ"), "ai");
        assert_eq!(fold("Wúxī"), "wuxi");
        assert_eq!(fold("lǚ"), "lu");
        assert_eq!(fold("（深圳）"), "(深圳)");
    }

    #[test]
    fn folding_by_character_is_folding_the_whole_text() {
        let all: Vec<char> = (0..=0x10FFFF).filter_map(char::from_u32).collect();
        for &c in &all {
            let s = c.to_string();
            assert_eq!(fold(&s), fold_whole(&s), "U+{:04X}", c as u32);
        }
        // Next to a letter and a mark, as in running text: the characters of the planes in use
        // that take the slow path.
        for &c in all.iter().filter(|&&c| (c as u32) < 0x40000 && !c.is_ascii() && !is_unified_ideograph(c)) {
            let s = format!("Aб{c}\u{301}深{c}x");
            assert_eq!(fold(&s), fold_whole(&s), "U+{:04X} in text", c as u32);
        }
        for s in ["ΣΑΣ ΣΑΣ.", "ΌΣΟΣ", "𝚺x", "x𝚺", "无锡（深圳）Ｈｉ-Ｔｅｃｈ ①号 Wúxī lǚ"]
        {
            assert_eq!(fold(s), fold_whole(s), "{s}");
        }
    }

    #[test]
    fn ideographs_are_words() {
        for c in '\u{4E00}'..='\u{9FFF}' {
            assert_eq!(class_by_properties(c), Class::Word, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn classes() {
        assert_eq!(class('a'), Class::Latin);
        assert_eq!(class('7'), Class::Latin);
        assert_eq!(class('深'), Class::Word);
        assert_eq!(class(' '), Class::Space);
        assert_eq!(class('\u{3000}'), Class::Space);
        assert_eq!(class('('), Class::Other);
        assert_eq!(class('。'), Class::Other);
    }

    #[test]
    fn body_keys_bridge_punctuation_but_not_latin() {
        let mut k = Keys::default();
        k.add("无锡惠山（深圳）创新。Hi-tech zone, A 5G 园区");
        let grams: BTreeSet<String> = k.grams.iter().map(|p| p.iter().collect()).collect();
        for g in ["无锡", "山深", "圳创", "园区"] {
            assert!(grams.contains(g), "{g} in {grams:?}");
        }
        assert!(!grams.contains("新园"), "a Latin word breaks a run");
        for w in ["hitech", "tech", "zone", "a", "5g"] {
            assert!(k.words.contains(w), "{w} in {:?}", k.words);
        }
        assert!(!k.words.contains("hitechzone"), "white space ends a compound");
    }

    /// The letter of a class in `tests/fixtures/search-normalise.json`.
    fn letter(c: Class) -> char {
        match c {
            Class::Latin => 'L',
            Class::Word => 'W',
            Class::Space => 'S',
            Class::Other => 'O',
        }
    }

    #[test]
    fn shared_vectors() {
        let file: serde_json::Value =
            serde_json::from_str(include_str!("../../../tests/fixtures/search-normalise.json")).unwrap();
        let vectors = file["vectors"].as_array().unwrap();
        assert!(vectors.len() >= 40, "{} vectors", vectors.len());
        let strs = |v: &serde_json::Value| -> Vec<String> {
            v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
        };
        let mut failures = Vec::new();
        for v in vectors {
            let input = v["input"].as_str().unwrap();
            let folded = fold(input);
            let classes: String = folded.chars().map(|c| letter(class(c))).collect();
            let mut keys = Keys::default();
            keys.add(input);
            let words: Vec<String> = keys.words.into_iter().collect();
            // Pairs of characters sort as their strings do (UTF-8 keeps code point order).
            let grams: BTreeSet<String> = keys.grams.iter().map(|p| p.iter().collect()).collect();
            let grams: Vec<String> = grams.into_iter().collect();
            let got = (folded.as_str(), classes.as_str(), &words, &grams);
            let want =
                (v["fold"].as_str().unwrap(), v["classes"].as_str().unwrap(), &strs(&v["words"]), &strs(&v["grams"]));
            if got != want {
                failures.push(format!("{input:?} ({}):\n    got  {got:?}\n    want {want:?}", v["why"]));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} vectors differ:\n{}",
            failures.len(),
            vectors.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn shard_keys_and_hash() {
        assert_eq!(shard_key("shanghai"), "sha");
        assert_eq!(shard_key("5g"), "5g");
        assert_eq!(shard_key("创新"), "创新");
        assert_eq!(shard_key("~shen zhen"), "~shen z");
        assert_eq!(shard_key("~shen z"), "~shen z");
        assert_eq!(shard_key("~xian"), "~x");
        // Reference values computed with the browser's implementation.
        assert_eq!(hash(""), 0x811c_9dc5);
        assert_eq!(hash("a"), 0xe40c_292c);
    }
}
