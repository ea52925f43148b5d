//! Text normalisation for search, mirrored exactly by `themes/default/static/search.js`.
//!
//! Queries are normalised in the browser and compared with keys normalised here, so both sides
//! must agree character for character. The rules, in order:
//!
//! 1. compatibility decomposition (NFKD), so full-width `ＡＩ` becomes `AI` and `①` becomes `1`;
//! 2. combining marks dropped, so tone marks vanish (`wúxī` → `wuxi`, `ü` → `u`);
//! 3. lower case;
//! 4. every character falls in one [`Class`]: ASCII letters and digits ([`Class::Latin`]), other
//!    letters and digits, mostly Chinese ([`Class::Word`]), white space, and everything else
//!    (punctuation, brackets, symbols: [`Class::Other`], ignored).
//!
//! Chinese text is matched by character bigrams (any substring of two or more characters is found
//! by the bigrams it contains) and Latin text by word prefixes.

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
pub fn fold(s: &str) -> String {
    s.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// The class of a character of folded text.
pub fn class(c: char) -> Class {
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

/// The search keys of a body text: Chinese character bigrams, and Latin words of two or more
/// letters (a word written with a hyphen or apostrophe, `hi-tech`, also counts joined up,
/// `hitech`, because punctuation is ignored in queries).
///
/// Punctuation and white space do not break a run of Chinese characters (the query `惠山深圳`
/// finds `惠山（深圳）`); a Latin word does.
#[derive(Debug, Default)]
pub struct Keys {
    /// Character bigrams.
    pub grams: BTreeSet<String>,
    /// Latin words.
    pub words: BTreeSet<String>,
}

impl Keys {
    /// Adds the keys of `text`.
    pub fn add(&mut self, text: &str) {
        let mut run: Vec<char> = Vec::new();
        let mut word = String::new();
        let mut compound = String::new();
        let mut compound_parts = 0;
        for c in fold(text).chars() {
            match class(c) {
                Class::Latin => {
                    if word.is_empty() {
                        compound_parts += 1;
                    }
                    word.push(c);
                    compound.push(c);
                    self.flush_run(&mut run);
                }
                Class::Word => {
                    self.flush_word(&mut word);
                    self.flush_compound(&mut compound, &mut compound_parts);
                    run.push(c);
                }
                Class::Space => {
                    self.flush_word(&mut word);
                    self.flush_compound(&mut compound, &mut compound_parts);
                }
                Class::Other => self.flush_word(&mut word),
            }
        }
        self.flush_word(&mut word);
        self.flush_compound(&mut compound, &mut compound_parts);
        self.flush_run(&mut run);
    }

    fn flush_word(&mut self, word: &mut String) {
        if word.len() >= 2 {
            self.words.insert(std::mem::take(word));
        }
        word.clear();
    }

    fn flush_compound(&mut self, compound: &mut String, parts: &mut usize) {
        if *parts > 1 {
            self.words.insert(compound.clone());
        }
        compound.clear();
        *parts = 0;
    }

    fn flush_run(&mut self, run: &mut Vec<char>) {
        for pair in run.windows(2) {
            self.grams.insert(pair.iter().collect());
        }
        run.clear();
    }
}

/// The shard key of a search key: a bigram is its own key; a Latin word is keyed by its first two
/// letters, so that every word a query prefix can match lives in one shard.
pub fn shard_key(key: &str) -> &str {
    match key.char_indices().nth(2) {
        Some((i, _)) if key.is_ascii() => &key[..i],
        _ => key,
    }
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
        for g in ["无锡", "山深", "圳创", "园区"] {
            assert!(k.grams.contains(g), "{g} in {:?}", k.grams);
        }
        assert!(!k.grams.contains("新园"), "a Latin word breaks a run");
        for w in ["hi", "tech", "hitech", "zone", "5g"] {
            assert!(k.words.contains(w), "{w} in {:?}", k.words);
        }
        assert!(!k.words.contains("a"));
        assert!(!k.words.contains("hitechzone"));
    }

    #[test]
    fn shard_keys_and_hash() {
        assert_eq!(shard_key("shanghai"), "sh");
        assert_eq!(shard_key("5g"), "5g");
        assert_eq!(shard_key("创新"), "创新");
        // Reference values computed with the browser's implementation.
        assert_eq!(hash(""), 0x811c_9dc5);
        assert_eq!(hash("a"), 0xe40c_292c);
    }
}
