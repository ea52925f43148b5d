//! The field table: every field of an enclave that a reader sees, once, in order.
//!
//! The enclave page's fact sheet and sections, the side-by-side comparison, the CSV columns and
//! the JSON records all walk [`FIELDS`], so adding a field is one entry here (plus its label in
//! the theme's translation tables). Each entry says what the field is (its [`Kind`], which fixes
//! how it is formatted and written), where the page shows it ([`Section`], [`Presence`]), and
//! whether the comparison does; [`Field::get`] reads it from an enclave.
//!
//! The order is the content format's: where a field stands in a file, it stands in the data
//! files, on the page and in the comparison.

use crate::model::{Enclave, Num, OperatorRole, Ref, Source, Status};

/// What a field holds; fixes how it is shown, compared and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A place with its city: shown as the chain of enclosing places.
    Place,
    /// A sector or model, one: a link to its page.
    Term(&'static str),
    /// Sectors, several: chips linking to their pages.
    Terms(&'static str),
    /// Operators with their roles.
    Operators,
    /// A number with its unit.
    Number(Unit),
    /// A date as written (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
    Date,
    /// Free text.
    Text,
    /// A list of free texts.
    Texts,
    /// The operating status.
    Status,
    /// Source citations.
    Sources,
}

/// The unit of a number, which fixes its formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Square metres.
    SquareMetres,
    /// 亩 (mu), the Chinese land unit: 1 亩 = 666.67 m².
    Mu,
    /// A plain count.
    Count,
    /// Yuan, shown in 万/亿 (or millions/billions in English).
    Yuan,
    /// A share between 0 and 1, shown as a percentage.
    Share,
}

/// Where the enclave page shows a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The fact sheet beside the description.
    Facts,
    /// Reported results; written under `outcomes` in the JSON, as in the content format.
    Outcomes,
    /// Companies and partners named.
    Network,
    /// The sources list.
    Sources,
}

/// Whether the page shows a field that is not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always: "not reported" when not given, because readers look for it.
    Always,
    /// Only when given.
    WhenGiven,
}

/// A field's value, borrowed from the enclave.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    /// A place and the city it lies in (the same when it is a city).
    Place {
        /// The place as written.
        place: &'a Ref,
        /// Its city.
        city: &'a Ref,
    },
    /// One term.
    Term(&'a Ref),
    /// Several terms.
    Terms(&'a [Ref]),
    /// Operators.
    Operators(&'a [OperatorRole]),
    /// A number.
    Number(Num),
    /// A date.
    Date(&'a str),
    /// Text.
    Text(&'a str),
    /// Texts.
    Texts(&'a [String]),
    /// The status.
    Status(Status),
    /// Sources.
    Sources(&'a [Source]),
}

/// One field of an enclave.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The content-format name: the CSV column and JSON key.
    pub key: &'static str,
    /// The interface text labelling it (a key of the theme's translation tables).
    pub label: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Where the page shows it.
    pub section: Section,
    /// Whether the page shows it when not given.
    pub presence: Presence,
    /// Whether the side-by-side comparison has a row for it.
    pub compare: bool,
    /// Reads it; `None` when the enclave does not give it.
    pub get: for<'a> fn(&'a Enclave) -> Option<Value<'a>>,
}

impl Field {
    const fn new(
        key: &'static str,
        label: &'static str,
        kind: Kind,
        section: Section,
        presence: Presence,
        compare: bool,
        get: for<'a> fn(&'a Enclave) -> Option<Value<'a>>,
    ) -> Field {
        Field { key, label, kind, section, presence, compare, get }
    }

    /// The CSV columns this field fills: references get a second column with the name.
    pub fn csv_columns(&self) -> Vec<String> {
        match self.kind {
            Kind::Place | Kind::Term(_) => vec![self.key.to_string(), format!("{}_name", self.key)],
            _ => vec![self.key.to_string()],
        }
    }
}

use Presence::{Always, WhenGiven};
use Section::{Facts, Network, Outcomes, Sources};

fn num(n: Option<Num>) -> Option<Value<'static>> {
    n.map(Value::Number)
}

fn text(s: &Option<String>) -> Option<Value<'_>> {
    s.as_deref().map(Value::Text)
}

fn texts(list: &[String]) -> Option<Value<'_>> {
    (!list.is_empty()).then_some(Value::Texts(list))
}

fn outcome(e: &Enclave, pick: fn(&crate::model::Outcomes) -> Option<Num>) -> Option<Value<'static>> {
    num(e.outcomes.as_ref().and_then(pick))
}

/// Every field a reader sees, in order.
pub const FIELDS: &[Field] = &[
    Field::new("home", "home_place", Kind::Place, Facts, Always, true, |e| {
        Some(Value::Place { place: &e.home, city: &e.home_city })
    }),
    Field::new("sponsor", "field_sponsor", Kind::Text, Facts, WhenGiven, false, |e| text(&e.sponsor)),
    Field::new("host", "host_place", Kind::Place, Facts, Always, true, |e| {
        Some(Value::Place { place: &e.host, city: &e.host_city })
    }),
    Field::new("address", "field_address", Kind::Text, Facts, WhenGiven, false, |e| text(&e.address)),
    Field::new("kind", "field_kind", Kind::Text, Facts, WhenGiven, true, |e| text(&e.kind)),
    Field::new("model", "field_model", Kind::Term("models"), Facts, Always, true, |e| {
        e.model.as_ref().map(Value::Term)
    }),
    Field::new("operators", "field_operators", Kind::Operators, Facts, Always, true, |e| {
        (!e.operators.is_empty()).then_some(Value::Operators(&e.operators))
    }),
    Field::new("sectors", "field_sectors", Kind::Terms("sectors"), Facts, Always, true, |e| {
        e.sectors.as_deref().map(Value::Terms)
    }),
    Field::new("area_m2", "field_area", Kind::Number(Unit::SquareMetres), Facts, Always, true, |e| num(e.area_m2)),
    Field::new("land_mu", "field_land", Kind::Number(Unit::Mu), Facts, WhenGiven, true, |e| num(e.land_mu)),
    Field::new("workstations", "field_workstations", Kind::Number(Unit::Count), Facts, WhenGiven, true, |e| {
        num(e.workstations)
    }),
    Field::new("offices", "field_offices", Kind::Number(Unit::Count), Facts, WhenGiven, true, |e| num(e.offices)),
    Field::new("opened", "field_opened", Kind::Date, Facts, Always, true, |e| e.opened.as_deref().map(Value::Date)),
    Field::new("status", "field_status", Kind::Status, Facts, Always, true, |e| Some(Value::Status(e.status))),
    Field::new("projects", "field_projects", Kind::Number(Unit::Count), Outcomes, WhenGiven, true, |e| {
        outcome(e, |o| o.projects)
    }),
    Field::new("investment_cny", "field_investment", Kind::Number(Unit::Yuan), Outcomes, WhenGiven, true, |e| {
        outcome(e, |o| o.investment_cny)
    }),
    Field::new("companies", "field_companies", Kind::Number(Unit::Count), Outcomes, WhenGiven, true, |e| {
        outcome(e, |o| o.companies)
    }),
    Field::new("landing_rate", "field_landing_rate", Kind::Number(Unit::Share), Outcomes, WhenGiven, true, |e| {
        outcome(e, |o| o.landing_rate)
    }),
    Field::new("notable_companies", "field_notable_companies", Kind::Texts, Network, WhenGiven, false, |e| {
        texts(&e.notable_companies)
    }),
    Field::new("partners", "field_partners", Kind::Texts, Network, WhenGiven, false, |e| texts(&e.partners)),
    Field::new("sources", "section_sources", Kind::Sources, Sources, Always, true, |e| {
        Some(Value::Sources(&e.sources))
    }),
    Field::new("updated", "field_updated", Kind::Date, Facts, WhenGiven, false, |e| {
        e.updated.as_deref().map(Value::Date)
    }),
];

/// The English form of a text field of `e` (`sponsor_en` for `sponsor` ...), when the content
/// format has one and the file gives it.
pub fn english<'a>(key: &str, e: &'a Enclave) -> Option<Value<'a>> {
    match key {
        "sponsor" => text(&e.sponsor_en),
        "address" => text(&e.address_en),
        "kind" => text(&e.kind_en),
        "notable_companies" => texts(&e.notable_companies_en),
        "partners" => texts(&e.partners_en),
        _ => None,
    }
}

/// A field's value for a page in `lang`, and whether it is the Chinese text standing in for a
/// missing English form (then the page marks it `lang="zh-CN"`).
pub fn value_in<'a>(f: &Field, e: &'a Enclave, lang: &str) -> (Option<Value<'a>>, bool) {
    let value = (f.get)(e);
    if lang.starts_with("zh") || !matches!(f.kind, Kind::Text | Kind::Texts) {
        return (value, false);
    }
    match english(f.key, e) {
        Some(en) => (Some(en), false),
        None => {
            let fallback = value.is_some();
            (value, fallback)
        }
    }
}

/// True when the enclave gives its reported results at all (the JSON writes `outcomes: null`
/// otherwise, as the content format has it).
pub fn has_outcomes(e: &Enclave) -> bool {
    e.outcomes.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<&str> = FIELDS.iter().map(|f| f.key).collect();
        keys.sort();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len());
    }
}
