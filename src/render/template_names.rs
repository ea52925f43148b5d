//! A check that every name a template reads exists in the view it is rendered with.
//!
//! Tera treats a missing name inside `if` as false, so `{% if enclave.area %}` (for `area_m2`)
//! would silently show "not reported". This walks each template's syntax tree (through the
//! extended base template, included templates and macro bodies), follows every variable path
//! (`site.counts.enclaves`, loop variables into the first item of their list, `set` aliases)
//! through the serialized views of real pages, and reports every path that names a field the
//! view does not have. Only tests use it.

use std::collections::BTreeMap;

use serde_json::Value;
use tera::ast::{Expr, ExprVal, Node};

/// What a name is bound to while walking a template.
#[derive(Clone, Debug)]
enum Binding {
    /// A value of the sample context: paths into it are checked.
    Known(Value),
    /// A value the check cannot know (a macro argument, a computed value): paths are not checked.
    Unknown,
}

/// Walks templates and collects the paths that name nothing.
pub struct Checker<'t> {
    tera: &'t tera::Tera,
    /// Problems, as `template: path`.
    pub problems: Vec<String>,
}

impl<'t> Checker<'t> {
    /// A checker over the parsed templates.
    pub fn new(tera: &'t tera::Tera) -> Self {
        Checker { tera, problems: Vec::new() }
    }

    /// Checks `template` (with the template it extends, and what it includes) against `context`.
    pub fn check_page(&mut self, template: &str, context: &Value) {
        let mut scope: Vec<BTreeMap<String, Binding>> = vec![BTreeMap::new()];
        if let Value::Object(map) = context {
            for (k, v) in map {
                scope[0].insert(k.clone(), Binding::Known(v.clone()));
            }
        }
        let mut name = template.to_string();
        // A child's blocks replace its parent's, but both are rendered with the child's
        // context: check every template up the chain.
        loop {
            let Ok(t) = self.tera.get_template(&name) else { return };
            let ast = t.ast.clone();
            let parent = t.parent.clone();
            self.nodes(&name, &ast, &mut scope);
            for block in t.blocks.values() {
                self.nodes(&name, &block.body, &mut scope);
            }
            match parent {
                Some(p) => name = p,
                None => break,
            }
        }
    }

    /// Checks every macro body of `template`: a macro sees only its arguments.
    pub fn check_macros(&mut self, template: &str) {
        let Ok(t) = self.tera.get_template(template) else { return };
        for m in t.macros.values().cloned().collect::<Vec<_>>() {
            let mut scope = vec![m.args.keys().map(|k| (k.clone(), Binding::Unknown)).collect()];
            self.nodes(&format!("{template} (macro {})", m.name), &m.body, &mut scope);
        }
    }

    fn nodes(&mut self, at: &str, nodes: &[Node], scope: &mut Vec<BTreeMap<String, Binding>>) {
        for node in nodes {
            match node {
                Node::VariableBlock(_, e) => self.expr(at, e, scope),
                Node::Set(_, s) => {
                    self.expr(at, &s.value, scope);
                    let b = self.value_of(&s.value, scope);
                    scope.last_mut().unwrap().insert(s.key.clone(), b);
                }
                Node::Forloop(_, f, _) => {
                    self.expr(at, &f.container, scope);
                    let item = match self.value_of(&f.container, scope) {
                        Binding::Known(Value::Array(a)) => a.first().cloned().map_or(Binding::Unknown, Binding::Known),
                        _ => Binding::Unknown,
                    };
                    let mut frame = BTreeMap::new();
                    frame.insert(f.value.clone(), item);
                    if let Some(k) = &f.key {
                        frame.insert(k.clone(), Binding::Unknown);
                    }
                    frame.insert("loop".into(), Binding::Unknown);
                    scope.push(frame);
                    self.nodes(at, &f.body, scope);
                    if let Some(empty) = &f.empty_body {
                        self.nodes(at, empty, scope);
                    }
                    scope.pop();
                }
                Node::If(i, _) => {
                    for (_, cond, body) in &i.conditions {
                        self.expr(at, cond, scope);
                        self.nodes(at, body, scope);
                    }
                    if let Some((_, body)) = &i.otherwise {
                        self.nodes(at, body, scope);
                    }
                }
                Node::FilterSection(_, f, _) => {
                    for e in f.filter.args.values() {
                        self.expr(at, e, scope);
                    }
                    self.nodes(at, &f.body, scope);
                }
                Node::Block(_, b, _) => self.nodes(at, &b.body, scope),
                Node::Include(_, names, _) => {
                    for n in names {
                        if let Ok(t) = self.tera.get_template(n) {
                            let ast = t.ast.clone();
                            self.nodes(n, &ast, scope);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn expr(&mut self, at: &str, e: &Expr, scope: &[BTreeMap<String, Binding>]) {
        for f in &e.filters {
            for a in f.args.values() {
                self.expr(at, a, scope);
            }
        }
        match &e.val {
            ExprVal::Ident(path) => self.path(at, path, scope),
            ExprVal::Math(m) => {
                self.expr(at, &m.lhs, scope);
                self.expr(at, &m.rhs, scope);
            }
            ExprVal::Logic(l) => {
                self.expr(at, &l.lhs, scope);
                self.expr(at, &l.rhs, scope);
            }
            // `x is defined` asks whether a name exists: that is the point of it.
            ExprVal::Test(t) if t.name == "defined" || t.name == "undefined" => {}
            ExprVal::Test(t) => {
                self.path(at, &t.ident, scope);
                for a in &t.args {
                    self.expr(at, a, scope);
                }
            }
            ExprVal::MacroCall(m) => {
                for a in m.args.values() {
                    self.expr(at, a, scope);
                }
            }
            ExprVal::FunctionCall(f) => {
                for a in f.args.values() {
                    self.expr(at, a, scope);
                }
            }
            ExprVal::Array(list) => {
                for a in list {
                    self.expr(at, a, scope);
                }
            }
            ExprVal::StringConcat(c) => {
                for v in &c.values {
                    if let ExprVal::Ident(p) = v {
                        self.path(at, p, scope);
                    }
                }
            }
            ExprVal::In(i) => {
                self.expr(at, &i.lhs, scope);
                self.expr(at, &i.rhs, scope);
            }
            _ => {}
        }
    }

    /// What an expression gives, when it is a plain path into a known value.
    fn value_of(&self, e: &Expr, scope: &[BTreeMap<String, Binding>]) -> Binding {
        match (&e.val, e.filters.is_empty()) {
            (ExprVal::Ident(path), true) => resolve(path, scope).unwrap_or(Binding::Unknown),
            _ => Binding::Unknown,
        }
    }

    fn path(&mut self, at: &str, path: &str, scope: &[BTreeMap<String, Binding>]) {
        if resolve(path, scope).is_none() {
            self.problems.push(format!("{at}: `{path}`"));
        }
    }
}

/// Follows `path` (`a.b[0].c`, `assets["style.css"]`) through the scope. `None` when a step
/// names a field an object lacks (or the first name is unbound); the binding reached otherwise.
fn resolve(path: &str, scope: &[BTreeMap<String, Binding>]) -> Option<Binding> {
    let steps = split(path);
    let (first, rest) = steps.split_first()?;
    let Step::Key(first) = first else { return Some(Binding::Unknown) };
    if first == "__tera_context" {
        return Some(Binding::Unknown);
    }
    let mut at = scope.iter().rev().find_map(|f| f.get(first.as_str())).cloned()?;
    for step in rest {
        at = match (at, step) {
            (Binding::Unknown, _) | (_, Step::Dynamic) => return Some(Binding::Unknown),
            (Binding::Known(Value::Object(m)), Step::Key(k)) => Binding::Known(m.get(k)?.clone()),
            (Binding::Known(Value::Array(a)), Step::Index(i)) => {
                a.get(*i).cloned().map_or(Binding::Unknown, Binding::Known)
            }
            (Binding::Known(Value::Array(a)), Step::Key(_)) if a.is_empty() => Binding::Unknown,
            // Null (an absent option) and scalars: nothing further to check.
            (Binding::Known(Value::Null), _) => return Some(Binding::Unknown),
            (Binding::Known(Value::Object(_)), Step::Index(_)) => return None,
            (Binding::Known(_), _) => return None,
        };
    }
    Some(at)
}

#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
    Dynamic,
}

fn split(path: &str) -> Vec<Step> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !cur.is_empty() {
                    out.push(Step::Key(std::mem::take(&mut cur)));
                }
            }
            '[' => {
                if !cur.is_empty() {
                    out.push(Step::Key(std::mem::take(&mut cur)));
                }
                let mut inner = String::new();
                for c in chars.by_ref() {
                    if c == ']' {
                        break;
                    }
                    inner.push(c);
                }
                let inner = inner.trim();
                if let Some(s) = inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                    out.push(Step::Key(s.to_string()));
                } else if let Ok(i) = inner.parse() {
                    out.push(Step::Index(i));
                } else {
                    out.push(Step::Dynamic);
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(Step::Key(cur));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_steps() {
        assert_eq!(split("assets[\"style.css\"]"), [Step::Key("assets".into()), Step::Key("style.css".into())]);
        assert_eq!(
            split("a.b[0].c"),
            [Step::Key("a".into()), Step::Key("b".into()), Step::Index(0), Step::Key("c".into())]
        );
        assert_eq!(split("x[k]"), [Step::Key("x".into()), Step::Dynamic]);
    }

    #[test]
    fn a_mistyped_field_is_found() {
        let mut tera = tera::Tera::default();
        tera.add_raw_template(
            "p.html",
            "{% if enclave.area %}{{ enclave.area }}{% endif %}{% for r in rows %}{{ r.slug }}{{ r.slgu }}{% endfor %}{{ missing }}",
        )
        .unwrap();
        let ctx = serde_json::json!({"enclave": {"area_m2": 0}, "rows": [{"slug": "a"}]});
        let mut c = Checker::new(&tera);
        c.check_page("p.html", &ctx);
        assert_eq!(
            c.problems,
            ["p.html: `enclave.area`", "p.html: `enclave.area`", "p.html: `r.slgu`", "p.html: `missing`"]
        );
    }
}
