//! Finds the line and column of a field inside YAML text.
//!
//! serde_yaml gives positions for syntax errors only. Content errors ("unknown sector on line 7")
//! need the position of a value after parsing, so this module scans the block-style YAML that
//! editors write and records where every key and list item starts. Flow collections
//! (`[a, b]`) are located item by item when their items are plain scalars; anything the scanner
//! does not understand falls back to the nearest enclosing key, which is still the right line
//! for an editor to look at.

use std::cmp::Ordering;
use std::collections::HashMap;

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index, from 0.
    Index(usize),
}

/// A position in the YAML text, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    /// Line, 1-based.
    pub line: usize,
    /// Column of the key (or of the list item), 1-based, in characters.
    pub key_col: usize,
    /// Column of the value, 1-based, in characters (equal to `key_col` when there is none).
    pub value_col: usize,
}

/// Positions of the keys and items of one YAML document.
///
/// Every document of a site keeps one until the site is resolved (a hundred thousand at
/// once in a large directory), so it is kept small: a tree of nodes, each naming its parent
/// and its key (a range of `keys`) or index, with 32-bit positions, and a sorted index for
/// lookups, rather than a map from every whole path.
#[derive(Debug, Default, Clone)]
pub struct Locator {
    nodes: Vec<Node>,
    /// The mapping keys of `nodes`, one after the other.
    keys: String,
    /// Indexes into `nodes`, sorted by (parent, step), for binary search.
    order: Vec<u32>,
    /// While the document is read: each node's children (`TOP` for the top level). Dropped
    /// once it is read, when `order` takes over.
    children: HashMap<u32, Vec<u32>>,
}

/// A key or item of the document: its parent node (`TOP` for the document itself), which
/// step leads to it, and where it is (line 0: not recorded, only on the way to one that is).
#[derive(Debug, Clone, Copy)]
struct Node {
    parent: u32,
    step: Step,
    line: u32,
    key_col: u32,
    value_col: u32,
}

/// A [`Seg`] as a node keeps it: a key as its range in [`Locator::keys`].
#[derive(Debug, Clone, Copy)]
enum Step {
    Key(u32, u32),
    Index(u32),
}

/// The parent of top-level nodes.
const TOP: u32 = u32::MAX;

fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

struct Frame {
    indent: usize,
    path: Vec<Seg>,
    is_seq: bool,
    next_index: usize,
}

impl Locator {
    /// Scans `text` and records where each key and list item is.
    pub fn new(text: &str) -> Self {
        let mut loc = Locator::default();
        let mut stack = vec![Frame { indent: 0, path: Vec::new(), is_seq: false, next_index: 0 }];
        // A key with no inline value: its block follows on deeper lines.
        let mut pending: Option<(Vec<Seg>, usize)> = None;
        // Inside a `|` or `>` block scalar that started at this indent.
        let mut block_scalar: Option<usize> = None;

        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let chars: Vec<char> = raw.chars().collect();
            let indent = chars.iter().take_while(|c| **c == ' ').count();
            let trimmed: String = chars[indent..].iter().collect();
            let trimmed = trimmed.trim_end();
            if let Some(bi) = block_scalar {
                if trimmed.is_empty() || indent > bi {
                    continue;
                }
                block_scalar = None;
            }
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" {
                continue;
            }
            let is_dash = trimmed == "-" || trimmed.starts_with("- ");
            if let Some((ppath, pind)) = pending.take()
                && (indent > pind || (indent == pind && is_dash))
            {
                stack.push(Frame { indent, path: ppath, is_seq: is_dash, next_index: 0 });
            }
            while stack.len() > 1 {
                let top = stack.last().expect("stack has a root");
                if top.indent > indent || (top.indent == indent && top.is_seq && !is_dash) {
                    stack.pop();
                } else {
                    break;
                }
            }
            if is_dash {
                let top = stack.last_mut().expect("stack has a root");
                if stack_is_root_and_fresh(top, &loc) {
                    // A document that is a list at the top (vocabulary files).
                    top.is_seq = true;
                }
                if !top.is_seq {
                    // A dash where a key was expected: malformed for our purposes, stop guessing.
                    continue;
                }
                let idx = top.next_index;
                top.next_index += 1;
                let mut item_path = top.path.clone();
                item_path.push(Seg::Index(idx));
                let rest = &trimmed[1..];
                let rest_trim = rest.trim_start();
                let rest_indent = indent + 1 + (rest.len() - rest_trim.len());
                loc.record(item_path.clone(), line_no, indent + 1, rest_indent + 1);
                if rest_trim.is_empty() {
                    pending = Some((item_path, indent));
                } else if let Some((key, value_off)) = split_key(rest_trim) {
                    stack.push(Frame { indent: rest_indent, path: item_path, is_seq: false, next_index: 0 });
                    loc.key_line(
                        &mut stack,
                        &mut pending,
                        &mut block_scalar,
                        key,
                        rest_trim,
                        value_off,
                        rest_indent,
                        line_no,
                    );
                }
            } else if let Some((key, value_off)) = split_key(trimmed) {
                loc.key_line(&mut stack, &mut pending, &mut block_scalar, key, trimmed, value_off, indent, line_no);
            }
        }
        loc.index();
        loc
    }

    /// Sorts [`Locator::order`] once the document is read.
    fn index(&mut self) {
        self.children = HashMap::new();
        self.nodes.shrink_to_fit();
        self.keys.shrink_to_fit();
        let mut order: Vec<u32> = (0..small(self.nodes.len())).collect();
        order.sort_by(|&a, &b| self.cmp_nodes(a, b));
        self.order = order;
    }

    fn key_of(&self, start: u32, end: u32) -> &str {
        &self.keys[start as usize..end as usize]
    }

    fn cmp_nodes(&self, a: u32, b: u32) -> Ordering {
        let (a, b) = (self.nodes[a as usize], self.nodes[b as usize]);
        a.parent.cmp(&b.parent).then_with(|| match (a.step, b.step) {
            (Step::Index(x), Step::Index(y)) => x.cmp(&y),
            (Step::Index(_), Step::Key(..)) => Ordering::Less,
            (Step::Key(..), Step::Index(_)) => Ordering::Greater,
            (Step::Key(s, e), Step::Key(t, f)) => self.key_of(s, e).cmp(self.key_of(t, f)),
        })
    }

    /// How a node's step sorts against a path segment (indexes before keys), as `order` sorts.
    fn cmp_step(&self, step: Step, seg: &Seg) -> Ordering {
        match (step, seg) {
            (Step::Index(j), Seg::Index(i)) => (j as usize).cmp(i),
            (Step::Index(_), Seg::Key(_)) => Ordering::Less,
            (Step::Key(..), Seg::Index(_)) => Ordering::Greater,
            (Step::Key(s, e), Seg::Key(k)) => self.key_of(s, e).cmp(k.as_str()),
        }
    }

    /// The node reached from `parent` by `seg`: among the parent's children while the
    /// document is read, by binary search in `order` once it is read.
    fn child(&self, parent: u32, seg: &Seg) -> Option<u32> {
        let is = |i: u32| self.cmp_step(self.nodes[i as usize].step, seg) == Ordering::Equal;
        if self.order.len() != self.nodes.len() {
            return self.children.get(&parent)?.iter().copied().find(|&i| is(i));
        }
        let cmp = |&i: &u32| {
            let n = self.nodes[i as usize];
            n.parent.cmp(&parent).then_with(|| self.cmp_step(n.step, seg))
        };
        self.order.binary_search_by(cmp).ok().map(|i| self.order[i])
    }

    #[allow(clippy::too_many_arguments)]
    fn key_line(
        &mut self,
        stack: &mut [Frame],
        pending: &mut Option<(Vec<Seg>, usize)>,
        block_scalar: &mut Option<usize>,
        key: String,
        text: &str,
        value_off: usize,
        indent: usize,
        line_no: usize,
    ) {
        let top = stack.last().expect("stack has a root");
        let mut path = top.path.clone();
        path.push(Seg::Key(key));
        let value = &text[value_off..];
        let value_trim = value.trim_start();
        let value_col =
            indent + text[..value_off].chars().count() + value[..value.len() - value_trim.len()].chars().count() + 1;
        self.record(path.clone(), line_no, indent + 1, value_col);
        if value_trim.is_empty() || value_trim.starts_with('#') {
            *pending = Some((path, indent));
        } else if value_trim.starts_with('|') || value_trim.starts_with('>') {
            *block_scalar = Some(indent);
        } else if let Some(inner) = value_trim.strip_prefix('[') {
            // Plain flow list: record each item's column.
            let mut col = value_col + 1;
            let mut idx = 0;
            for part in inner.trim_end_matches(']').split(',') {
                let lead = part.chars().take_while(|c| c.is_whitespace()).count();
                if !part.trim().is_empty() {
                    let mut p = path.clone();
                    p.push(Seg::Index(idx));
                    self.record(p, line_no, col + lead, col + lead);
                    idx += 1;
                }
                col += part.chars().count() + 1;
            }
        }
    }

    /// Records where `path` is, unless it was recorded before (the first place wins).
    fn record(&mut self, path: Vec<Seg>, line: usize, key_col: usize, value_col: usize) {
        let mut parent = TOP;
        for seg in &path {
            parent = match self.child(parent, seg) {
                Some(n) => n,
                None => {
                    let step = match seg {
                        Seg::Index(i) => Step::Index(small(*i)),
                        Seg::Key(k) => {
                            let start = small(self.keys.len());
                            self.keys.push_str(k);
                            Step::Key(start, small(self.keys.len()))
                        }
                    };
                    self.nodes.push(Node { parent, step, line: 0, key_col: 0, value_col: 0 });
                    let n = small(self.nodes.len() - 1);
                    self.children.entry(parent).or_default().push(n);
                    n
                }
            };
        }
        if let Some(n) = self.nodes.get_mut(parent as usize)
            && n.line == 0
        {
            (n.line, n.key_col, n.value_col) = (small(line), small(key_col), small(value_col));
        }
    }

    fn pos(&self, n: u32) -> Option<Pos> {
        let n = self.nodes[n as usize];
        (n.line > 0).then_some(Pos {
            line: n.line as usize,
            key_col: n.key_col as usize,
            value_col: n.value_col as usize,
        })
    }

    /// The position of `path`, or of its nearest recorded ancestor. `None` only for the empty
    /// document.
    pub fn locate(&self, path: &[Seg]) -> Option<Pos> {
        let mut found = None;
        let mut at = TOP;
        for seg in path {
            match self.child(at, seg) {
                Some(n) => {
                    at = n;
                    found = self.pos(n).or(found);
                }
                None => break,
            }
        }
        found
    }

    /// True when `path` itself (not an ancestor) was found.
    pub fn has(&self, path: &[Seg]) -> bool {
        let mut at = TOP;
        for seg in path {
            match self.child(at, seg) {
                Some(n) => at = n,
                None => return false,
            }
        }
        at != TOP && self.pos(at).is_some()
    }
}

fn stack_is_root_and_fresh(top: &Frame, loc: &Locator) -> bool {
    top.path.is_empty() && !top.is_seq && loc.nodes.is_empty()
}

/// Splits `key: value` into the key and the byte offset of the value. Handles quoted keys.
fn split_key(text: &str) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b'"') || bytes.first() == Some(&b'\'') {
        let q = bytes[0] as char;
        let end = text[1..].find(q)? + 1;
        let after = &text[end + 1..];
        let after_trim = after.trim_start();
        if !after_trim.starts_with(':') {
            return None;
        }
        let colon = end + 1 + (after.len() - after_trim.len());
        return Some((text[1..end].to_string(), colon + 1));
    }
    let mut prev_space = false;
    for (i, c) in text.char_indices() {
        if c == '#' && prev_space {
            return None;
        }
        if c == ':' {
            let next = text[i + 1..].chars().next();
            if next.is_none() || next == Some(' ') || next == Some('\t') {
                return Some((text[..i].trim_end().to_string(), i + 1));
            }
        }
        prev_space = c == ' ';
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Seg {
        Seg::Key(s.into())
    }

    const DOC: &str = "name: 无锡惠山\nhome: huishan\nsectors:\n  - 新材料\n  - ai\noperators:\n- operator: 招商蛇口\n  role: 合作运营\n- operator: 惠山科创\nbody: |\n  text: not a key\n  more\ntags: [a, bb, c]\n";

    #[test]
    fn finds_top_level_keys_and_values() {
        let l = Locator::new(DOC);
        assert_eq!(l.locate(&[k("home")]), Some(Pos { line: 2, key_col: 1, value_col: 7 }));
    }

    #[test]
    fn finds_list_items_and_nested_keys() {
        let l = Locator::new(DOC);
        assert_eq!(l.locate(&[k("sectors"), Seg::Index(1)]).unwrap().line, 5);
        assert_eq!(l.locate(&[k("sectors"), Seg::Index(1)]).unwrap().value_col, 5);
        assert_eq!(l.locate(&[k("operators"), Seg::Index(1), k("operator")]).unwrap().line, 9);
        let role = l.locate(&[k("operators"), Seg::Index(0), k("role")]).unwrap();
        assert_eq!((role.line, role.key_col), (8, 3));
    }

    #[test]
    fn skips_block_scalars_and_reads_flow_lists() {
        let l = Locator::new(DOC);
        assert!(!l.has(&[k("body"), k("text")]));
        assert!(!l.has(&[k("text")]));
        let bb = l.locate(&[k("tags"), Seg::Index(1)]).unwrap();
        assert_eq!((bb.line, bb.value_col), (13, 11));
    }

    #[test]
    fn reads_a_top_level_list() {
        let l = Locator::new("- id: a\n  name: A\n- id: b\n  parent: a\n");
        assert_eq!(l.locate(&[Seg::Index(1), k("parent")]).unwrap().line, 4);
    }

    #[test]
    fn falls_back_to_the_nearest_ancestor() {
        let l = Locator::new(DOC);
        assert_eq!(l.locate(&[k("home"), Seg::Index(3)]).unwrap().line, 2);
    }

    #[test]
    fn never_panics_on_arbitrary_text() {
        // A deterministic stream of lines built from the characters that matter to the scanner.
        let pieces =
            ["- ", "-", ": ", ":", "\"", "'", "[", "]", ",", "#", "|", ">", "  ", "\t", "键", "值", "a", "1", "\r"];
        let mut state: u64 = 7;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..12 {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let n = (state >> 33) as usize;
                text.push_str(pieces[n % pieces.len()]);
                if n.is_multiple_of(5) {
                    text.push('\n');
                }
            }
            let l = Locator::new(&text);
            let _ = l.locate(&[k("a"), Seg::Index(0), k("b")]);
            let _ = crate::load::frontmatter::split(&text);
        }
    }
}
