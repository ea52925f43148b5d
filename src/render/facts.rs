//! An enclave's fields as readers see them: the [field table](crate::field_table) walked once,
//! each value formatted in the interface language (`0` shows as `0`, never as "not reported"),
//! each reference a link with its name already chosen. The enclave page and the side-by-side
//! comparison both read these.

use serde::Serialize;

use crate::field_table::{Field, Kind, Presence, Section, Value};
use crate::format::{name, text};
use crate::i18n::Texts;
use crate::model::{Enclave, Ref, Site, Source, localize};
use crate::urls;

/// A link to a page of the site (or a name without one).
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// The name in the interface language.
    pub name: String,
    /// The page, relative to the site root (`places/wuxi/`); `None` when it has none.
    pub url: Option<String>,
    /// A note shown beside it (an operator's role).
    pub note: Option<String>,
    /// `zh-CN` when the name is the Chinese one on a page in another language.
    pub lang: Option<&'static str>,
    /// The same for the note.
    pub note_lang: Option<&'static str>,
}

impl Link {
    /// A link to `url` named by `r` in `lang`.
    pub fn to(r: &Ref, url: Option<String>, lang: &str) -> Link {
        Link { name: name(r, lang), url, note: None, lang: crate::format::name_lang(r, lang), note_lang: None }
    }
}

/// One field of an enclave, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct Fact<'a> {
    /// The content-format name (`area_m2`).
    pub key: &'static str,
    /// Its label in the interface language.
    pub label: String,
    /// How the theme lays it out: `chain` (places, enclosing ones after), `term`, `chips`,
    /// `operators`, `number`, `date`, `text`, `list` or `sources`.
    pub show: &'static str,
    /// False when the enclave does not give it: the theme shows "not reported".
    pub given: bool,
    /// The formatted value, for numbers, dates, texts and the status.
    pub text: Option<String>,
    /// `zh-CN` when the text or the list is the Chinese one on a page in another language.
    pub lang: Option<&'static str>,
    /// The linked values, for places, terms and operators.
    pub links: Vec<Link>,
    /// The texts, for lists.
    pub items: Vec<&'a str>,
    /// The sources, for the sources field.
    pub sources: &'a [Source],
}

/// How a field of this kind is laid out.
fn show(kind: Kind) -> &'static str {
    match kind {
        Kind::Place => "chain",
        Kind::Term(_) => "term",
        Kind::Terms(_) => "chips",
        Kind::Operators => "operators",
        Kind::Number(_) => "number",
        Kind::Date => "date",
        Kind::Text | Kind::Status => "text",
        Kind::Texts => "list",
        Kind::Sources => "sources",
    }
}

/// The page of a term of `kind` (`sectors`, `models`).
fn term_url(kind: &str, id: &str) -> String {
    if kind == "models" { urls::model(id) } else { urls::sector(id) }
}

/// A place and the places that enclose it, each linked when it has a page.
pub fn chain(site: &Site, id: &str, lang: &str) -> Vec<Link> {
    let Some(p) = site.place(id) else { return Vec::new() };
    let own = p.to_ref();
    std::iter::once(&own)
        .chain(p.ancestors.iter())
        .map(|r| Link::to(r, site.place(&r.id).filter(|x| x.has_page).map(|x| urls::place(&x.id)), lang))
        .collect()
}

/// The fields of `fields` in `section` that the page shows for `e`: every field marked
/// [`Presence::Always`], and the others when given.
pub fn facts<'a>(site: &Site, e: &'a Enclave, fields: &[Field], section: Section, tx: &Texts) -> Vec<Fact<'a>> {
    let lang = tx.lang.as_str();
    fields
        .iter()
        .filter(|f| f.section == section)
        .filter_map(|f| {
            let (value, fallback) = crate::field_table::value_in(f, e, lang);
            if value.is_none() && f.presence == Presence::WhenGiven {
                return None;
            }
            let mut fact = Fact {
                key: f.key,
                label: tx.t(f.label, &[]),
                show: show(f.kind),
                given: value.is_some(),
                text: None,
                lang: fallback.then_some(crate::model::CONTENT_LANG),
                links: Vec::new(),
                items: Vec::new(),
                sources: &[],
            };
            match (value, f.kind) {
                (None, _) => {}
                (Some(Value::Place { place, .. }), _) => fact.links = chain(site, &place.id, lang),
                (Some(Value::Term(t)), Kind::Term(kind)) => {
                    fact.links = vec![Link::to(t, Some(term_url(kind, &t.id)), lang)];
                }
                (Some(Value::Terms(list)), Kind::Terms(kind)) => {
                    fact.links = list.iter().map(|t| Link::to(t, Some(term_url(kind, &t.id)), lang)).collect();
                }
                (Some(Value::Operators(list)), _) => {
                    fact.links = list
                        .iter()
                        .map(|o| {
                            let role = o.role.as_deref().map(|r| localize(r, o.role_en.as_deref(), lang));
                            Link {
                                note: role.as_ref().map(|r| r.text.to_string()),
                                note_lang: role.and_then(|r| r.lang),
                                ..Link::to(&o.operator, Some(urls::operator(&o.operator.id)), lang)
                            }
                        })
                        .collect();
                }
                (Some(Value::Texts(list)), _) => fact.items = list.iter().map(String::as_str).collect(),
                (Some(Value::Sources(list)), _) => fact.sources = list,
                (Some(v), kind) => fact.text = text(v, kind, tx),
            }
            Some(fact)
        })
        .collect()
}
