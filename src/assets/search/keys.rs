//! The search keys of enclaves and of the terms they link to (places, sectors, models,
//! operators), with the tier each key is found in: see the module above for the keys.

use std::collections::BTreeMap;

use super::{BODY, NAME, PREFIX, SHORT, WIDE, english_place, text};
use crate::model::{Level, Place, Site, Term};

/// A search key while the index is built: most keys are the Chinese bigrams of bodies, kept
/// as their two characters so that a body's thousand keys cost no allocation each.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Key {
    /// A character bigram.
    Pair(char, char),
    /// Any other key.
    Text(String),
}

impl Key {
    pub(super) fn into_string(self) -> String {
        match self {
            Key::Pair(a, b) => [a, b].iter().collect(),
            Key::Text(s) => s,
        }
    }
}

/// The text keys of an enclave, with their tiers ([`NAME`], [`SHORT`], [`BODY`]); in no
/// order, and possibly repeated.
pub(super) fn enclave_keys(
    e: &crate::model::Enclave,
    readings: &BTreeMap<char, Vec<String>>,
    out: &mut Vec<(Key, u8)>,
) {
    let en = e.name_en.as_deref().unwrap_or("");
    add_text(&[&e.name, en], NAME, 1, out);
    single_chars(&[&e.name, en], NAME, out);
    pinyin_keys(&e.name, readings, NAME, out);
    let mut short: Vec<&str> = Vec::new();
    for (zh, en) in [(&e.kind, &e.kind_en), (&e.sponsor, &e.sponsor_en), (&e.address, &e.address_en)] {
        short.extend(zh.as_deref());
        short.extend(en.as_deref());
    }
    for list in [&e.partners, &e.partners_en, &e.notable_companies, &e.notable_companies_en] {
        short.extend(list.iter().map(String::as_str));
    }
    add_text(&short, SHORT, 1, out);
    // A query of one letter never looks in the body.
    let en_body = e.body_en.as_deref().map(plain_text).unwrap_or_default();
    add_text(&[&plain_text(&e.body), &en_body], BODY, 2, out);
}

/// The bigrams and Latin words of `texts` (a word's prefixes from `min_word` letters to
/// [`PREFIX`], and the whole word when longer), in `tier`.
pub(super) fn add_text(texts: &[&str], tier: u8, min_word: usize, out: &mut Vec<(Key, u8)>) {
    let mut keys = text::Keys::default();
    for t in texts {
        keys.add(t);
    }
    out.extend(keys.grams.into_iter().map(|[a, b]| (Key::Pair(a, b), tier)));
    for w in keys.words.into_iter().filter(|w| w.len() >= min_word) {
        for l in min_word..=w.len().min(PREFIX) {
            out.push((Key::Text(w[..l].to_string()), tier));
        }
        if w.len() > PREFIX {
            out.push((Key::Text(w), tier));
        }
    }
}

/// Each Chinese character (and other non-Latin letter) of `texts`, as a key in `tier`.
pub(super) fn single_chars(texts: &[&str], tier: u8, out: &mut Vec<(Key, u8)>) {
    for s in texts {
        for c in text::fold(s).chars().filter(|&c| text::class(c) == text::Class::Word) {
            out.push((Key::Text(c.to_string()), tier));
        }
    }
}

/// The keys a term (place, sector, model or operator) is found by, sorted and unique: the
/// bigrams and Latin words of its name, `also` (aliases, English names) and `id`; the pinyin of
/// its name only, because an alias read in pinyin mostly adds noise (长江三角洲 would answer
/// `zhangjiang`); with `singles`, each character of its name and `also` (a query of one
/// character finds enclaves by their places and sectors, not by their models or operators).
fn term_keys(name: &str, also: &[&str], id: &str, singles: bool, readings: &BTreeMap<char, Vec<String>>) -> Vec<Key> {
    let mut out: Vec<(Key, u8)> = Vec::new();
    let mut texts = vec![name, id];
    texts.extend(also);
    add_text(&texts, SHORT, 1, &mut out);
    if singles {
        texts.retain(|t| *t != id);
        single_chars(&texts, SHORT, &mut out);
    }
    pinyin_keys(name, readings, SHORT, &mut out);
    let mut keys: Vec<Key> = out.into_iter().map(|(k, _)| k).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The keys of every term, each with the terms it finds (numbered together: `places`, then
/// the site's sectors, models and operators) and the tier it finds them in: [`WIDE`] for
/// provinces and regions, [`SHORT`] for the rest.
pub(super) fn term_index(
    site: &Site,
    places: &[&Place],
    lang: &str,
    readings: &BTreeMap<char, Vec<String>>,
) -> rustc_hash::FxHashMap<Key, Vec<(usize, u8)>> {
    let mut index: rustc_hash::FxHashMap<Key, Vec<(usize, u8)>> = rustc_hash::FxHashMap::default();
    let mut add = |term: usize, keys: Vec<Key>, tier: u8| {
        for k in keys {
            index.entry(k).or_default().push((term, tier));
        }
    };
    for (i, p) in places.iter().enumerate() {
        let (en, mut aliases) = english_place(p, lang);
        aliases.push(en);
        let wide = matches!(p.level, Level::Province | Level::Region);
        add(i, term_keys(&p.name, &aliases, &p.id, true, readings), if wide { WIDE } else { SHORT });
    }
    // What else a term is known by: its aliases and its English name.
    fn also<'a>(aliases: &'a [String], en: Option<&'a str>) -> Vec<&'a str> {
        aliases.iter().map(String::as_str).chain(en).collect()
    }
    let plain =
        |t: &Term, singles: bool| term_keys(&t.name, &also(&t.aliases, t.name_en.as_deref()), &t.id, singles, readings);
    let mut next = places.len();
    for t in &site.sectors {
        add(next, plain(t, true), SHORT);
        next += 1;
    }
    for t in &site.models {
        add(next, plain(t, false), SHORT);
        next += 1;
    }
    for o in &site.operators {
        add(next, term_keys(&o.name, &also(&o.aliases, o.name_en.as_deref()), &o.slug, false, readings), SHORT);
        next += 1;
    }
    index
}

/// The pinyin keys of a name: over each run of characters with readings (punctuation and
/// spaces skipped, a Latin letter or digit or a character without a reading ends a run), every
/// reading of each character, and every pair of consecutive characters as reading or initial on
/// each side.
pub(super) fn pinyin_keys(name: &str, readings: &BTreeMap<char, Vec<String>>, tier: u8, out: &mut Vec<(Key, u8)>) {
    let mut run: Vec<&[String]> = Vec::new();
    let flush = |run: &mut Vec<&[String]>, out: &mut Vec<(Key, u8)>| {
        for rs in run.iter() {
            for r in rs.iter() {
                out.push((Key::Text(format!("~{r}")), tier));
            }
        }
        for pair in run.windows(2) {
            for a in pair[0] {
                for b in pair[1] {
                    let (ia, ib) = (&a[..1], &b[..1]);
                    for (x, y) in [(a.as_str(), b.as_str()), (a, ib), (ia, b), (ia, ib)] {
                        out.push((Key::Text(format!("~{x} {y}")), tier));
                    }
                }
            }
        }
        run.clear();
    };
    for c in text::fold(name).chars() {
        match text::class(c) {
            text::Class::Word => match readings.get(&c) {
                Some(rs) if !rs.is_empty() => run.push(rs),
                _ => flush(&mut run, out),
            },
            text::Class::Latin => flush(&mut run, out),
            text::Class::Space | text::Class::Other => {}
        }
    }
    flush(&mut run, out);
}

/// The text of a Markdown body, without markup.
pub(super) fn plain_text(md: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            _ => out.push(' '),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::search::pinyin;

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(plain_text("**无锡**[深圳](x)").replace(' ', ""), "无锡深圳");
    }

    #[test]
    fn pinyin_keys_cover_readings_and_initials() {
        let readings: BTreeMap<char, Vec<String>> = "无锡长".chars().map(|c| (c, pinyin::readings(c))).collect();
        let mut out = Vec::new();
        pinyin_keys("无锡（长）1", &readings, NAME, &mut out);
        let keys: Vec<String> = out.into_iter().map(|(k, _)| k.into_string()).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        for k in ["~wu", "~xi", "~wu xi", "~w xi", "~wu x", "~w x", "~xi chang", "~xi zhang", "~x z"] {
            assert!(keys.contains(&k), "{k} in {keys:?}");
        }
    }
}
