//! Problems found in content, reported all at once in compiler style.
//!
//! Every stage of the pipeline pushes [`Diagnostic`]s into a [`Diagnostics`] list instead of
//! stopping at the first problem, so that an editor sees everything that is wrong in one run.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot go on; nothing is written.
    Error,
    /// Something an editor should fill in or fix; the build still succeeds.
    Warning,
}

/// One problem, located in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as given to the user (relative to the site root where possible).
    pub file: PathBuf,
    /// 1-based line, or 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column (in characters), or 0 when unknown.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it, e.g. "did you mean `sectors`?".
    pub help: Option<String>,
    /// The text of the offending line, for display under the message: at most
    /// [`SNIPPET_CHARS`] characters around the column, `…` marking what was cut.
    pub snippet: Option<String>,
    /// Where the caret goes in `snippet` (1-based characters; 0 for none).
    #[serde(skip)]
    pub caret: u32,
}

/// The longest message or help shown, in characters; longer ones are cut with `…`. Messages
/// quote the editor's values, which may be megabytes long.
pub const MESSAGE_CHARS: usize = 300;
/// The longest snippet shown, in characters.
pub const SNIPPET_CHARS: usize = 120;
/// Values longer than this get no "did you mean" search: no name is that long, and comparing
/// megabytes against every name would stall the build.
pub const SUGGEST_CHARS: usize = 200;

/// Cuts `s` to `max` characters, marking the cut with `…`.
pub fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((at, _)) => format!("{}…", &s[..at]),
    }
}

/// `s` made safe to print to a terminal: control characters (C0 but tab, DEL and C1, such as
/// ESC, BEL and NUL) and the invisible bidirectional overrides become visible `\u{..}` escapes,
/// so that content can neither drive the terminal nor reorder what it shows.
pub fn sanitize(s: &str) -> String {
    escape_with(s, |c| format!("\\u{{{:x}}}", c as u32))
}

/// `s` with every character [`needs_escape`] picks replaced by `escape` of it.
fn escape_with(s: &str, escape: impl Fn(char) -> String) -> String {
    if !s.chars().any(needs_escape) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if needs_escape(c) {
            out.push_str(&escape(c));
        } else {
            out.push(c);
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

impl Diagnostic {
    /// An error at `file:line:column`.
    pub fn error(file: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line,
            column,
            message: message.into(),
            help: None,
            snippet: None,
            caret: 0,
        }
        .with_message_cut()
    }

    fn with_message_cut(mut self) -> Self {
        if self.message.chars().nth(MESSAGE_CHARS).is_some() {
            self.message = truncate(&self.message, MESSAGE_CHARS);
        }
        self
    }

    /// A warning at `file:line:column`.
    pub fn warning(file: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, line, column, message) }
    }

    /// Adds advice on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(truncate(&help.into(), MESSAGE_CHARS));
        self
    }

    /// Adds an advice only when there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help.map(|h| truncate(&h, MESSAGE_CHARS));
        self
    }

    /// Attaches the offending line's text: a window of at most [`SNIPPET_CHARS`] characters
    /// around the column, so that a 10 MB line prints one short line.
    pub fn with_snippet(mut self, snippet: impl Into<String>) -> Self {
        let snippet: String = snippet.into();
        let len = snippet.chars().count();
        let col = self.column.min(len + 1);
        if len <= SNIPPET_CHARS {
            self.snippet = Some(snippet);
            self.caret = col as u32;
            return self;
        }
        // Keep a third of the window before the column, where the context usually is.
        let start = if col == 0 { 0 } else { col.saturating_sub(1 + SNIPPET_CHARS / 3) };
        let start = start.min(len - SNIPPET_CHARS);
        let window: String = snippet.chars().skip(start).take(SNIPPET_CHARS).collect();
        let lead = if start > 0 { "…" } else { "" };
        let tail = if start + SNIPPET_CHARS < len { "…" } else { "" };
        self.snippet = Some(format!("{lead}{window}{tail}"));
        self.caret = if col == 0 { 0 } else { (col - start + lead.chars().count()) as u32 };
        self
    }

    /// `file:line:column`, leaving out the parts that are unknown.
    pub fn location(&self) -> String {
        let file = self.file.display();
        match (self.line, self.column) {
            (0, _) => format!("{file}"),
            (l, 0) => format!("{file}:{l}"),
            (l, c) => format!("{file}:{l}:{c}"),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Everything here may quote content: it is escaped for the terminal.
        writeln!(f, "{label}: {}", sanitize(&self.message))?;
        writeln!(f, "  --> {}", sanitize(&self.location()))?;
        if let (Some(snippet), true) = (&self.snippet, self.line > 0) {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            // Escaped characters widen the line; the caret follows the escaped text.
            let shown: Vec<String> = snippet.chars().map(|c| sanitize(&c.to_string())).collect();
            writeln!(f, "{pad} |")?;
            writeln!(f, "{num} | {}", shown.concat())?;
            if self.caret > 0 {
                // Carets line up by character count; wide CJK glyphs are close enough in a
                // terminal for the caret to land under the right token.
                let lead: String = shown
                    .iter()
                    .take(self.caret as usize - 1)
                    .flat_map(|s| s.chars())
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let token_len = snippet
                    .chars()
                    .skip(self.caret as usize - 1)
                    .take_while(|c| !c.is_whitespace() && *c != ',' && *c != ']')
                    .count()
                    .max(1);
                writeln!(f, "{pad} | {lead}{}", "^".repeat(token_len))?;
            }
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = help: {}", sanitize(help))?;
        }
        Ok(())
    }
}

/// A list of problems gathered over a whole run.
#[derive(Debug, Default, Clone, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds all problems of another list.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// True when at least one problem is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// Sorts by file, line and column so that output is stable and easy to follow.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message)));
        self.0.dedup();
    }

    /// Iterates over the problems.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// True when there is no problem at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keeps only the errors.
    pub fn errors(&self) -> Diagnostics {
        Diagnostics(self.0.iter().filter(|d| d.severity == Severity::Error).cloned().collect())
    }

    /// The machine-readable report `feidi check --format json` prints (and the dev server's
    /// error overlay reads), version 1:
    ///
    /// ```json
    /// {"version":1,"errors":1,"warnings":0,"diagnostics":[{"severity":"error",
    ///  "file":"content/enclaves/a.md","line":3,"column":7,"message":"unknown place `x`",
    ///  "help":"did you mean `y`?","snippet":"home: x"}]}
    /// ```
    ///
    /// Diagnostics are sorted by file, line, column and message; `file` is relative to the site
    /// root with `/` separators (`root` is stripped from any absolute path); `line` and `column`
    /// are 1-based, 0 when unknown; `help` and `snippet` are `null` when absent.
    pub fn json_report(&self, root: &Path) -> String {
        #[derive(Serialize)]
        struct Report<'a> {
            version: u32,
            errors: usize,
            warnings: usize,
            diagnostics: Vec<Item<'a>>,
        }
        #[derive(Serialize)]
        struct Item<'a> {
            severity: Severity,
            file: String,
            line: usize,
            column: usize,
            message: &'a str,
            help: Option<&'a str>,
            snippet: Option<&'a str>,
        }
        let mut sorted = self.clone();
        sorted.sort();
        let report = Report {
            version: 1,
            errors: sorted.error_count(),
            warnings: sorted.warning_count(),
            diagnostics: sorted
                .0
                .iter()
                .map(|d| Item {
                    severity: d.severity,
                    file: display_path(root, &d.file).to_string_lossy().replace('\\', "/"),
                    line: d.line,
                    column: d.column,
                    message: &d.message,
                    help: d.help.as_deref(),
                    snippet: d.snippet.as_deref(),
                })
                .collect(),
        };
        let json = serde_json::to_string(&report).unwrap_or_default();
        // JSON leaves DEL, C1 controls and bidirectional overrides raw; escaped, the report
        // is safe to print to a terminal and means the same.
        escape_with(&json, |c| format!("\\u{:04x}", c as u32))
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Returns the candidates closest to `wanted`, best first, for "did you mean" hints.
///
/// Comparison is by characters, so it works for Chinese names as well as for ASCII keys.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Vec<&'a str> {
    if wanted.chars().nth(SUGGEST_CHARS).is_some() {
        return Vec::new();
    }
    let wanted_l = wanted.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| {
            let cl = c.to_lowercase();
            let mut score = strsim::normalized_levenshtein(&wanted_l, &cl);
            // A candidate that contains the wanted text, or the reverse, is a likely intent
            // even when the lengths differ a lot (`无锡` for `无锡市`).
            if !wanted_l.is_empty() && (cl.contains(&wanted_l) || wanted_l.contains(&cl)) {
                score = score.max(0.6);
            }
            (score, c)
        })
        .filter(|(s, _)| *s >= 0.34)
        .collect();
    scored.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal).then(a.1.cmp(b.1)));
    let mut out: Vec<&str> = Vec::new();
    for (_, c) in scored {
        if !out.contains(&c) {
            out.push(c);
        }
        if out.len() == max {
            break;
        }
    }
    out
}

/// Formats a "did you mean" hint from candidates, or `None` when there are none.
pub fn did_you_mean(candidates: &[&str]) -> Option<String> {
    match candidates {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        many => Some(format!(
            "did you mean one of {}?",
            many.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// Displays `path` relative to `root` when it lies inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}
