//! Splits a Markdown file into its YAML front matter and its body.

/// The two parts of a content file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text between the `---` lines.
    pub yaml: &'a str,
    /// 1-based line number of the first YAML line in the file.
    pub yaml_line: usize,
    /// The Markdown body after the closing `---`.
    pub body: &'a str,
    /// 1-based line number of the first body line.
    pub body_line: usize,
}

/// Why a file's front matter could not be split off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    Missing,
    /// The opening `---` has no closing `---` (the line of the opening one).
    Unterminated(usize),
}

/// Splits `text` at its `---` fences. Leading blank lines are allowed before the first fence.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut offset = 0;
    let mut line_no = 0;
    let mut open: Option<(usize, usize)> = None; // (line, byte offset after the fence line)
    for line in text.split_inclusive('\n') {
        line_no += 1;
        let content = line.trim_end_matches(['\n', '\r']);
        offset += line.len();
        match open {
            None => {
                if content.trim().is_empty() {
                    continue;
                }
                if content.trim_end() == "---" {
                    open = Some((line_no, offset));
                } else {
                    return Err(SplitError::Missing);
                }
            }
            Some((open_line, start)) => {
                if content.trim_end() == "---" {
                    return Ok(Split {
                        yaml: &text[start..offset - line.len()],
                        yaml_line: open_line + 1,
                        body: &text[offset..],
                        body_line: line_no + 1,
                    });
                }
            }
        }
    }
    match open {
        None => Err(SplitError::Missing),
        Some((l, _)) => Err(SplitError::Unterminated(l)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body_with_line_numbers() {
        let s = split("---\nname: a\nhome: b\n---\n\nBody\n").unwrap();
        assert_eq!(s.yaml, "name: a\nhome: b\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "\nBody\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn reports_missing_and_unterminated_fences() {
        assert_eq!(split("name: a\n"), Err(SplitError::Missing));
        assert_eq!(split("\n---\nname: a\n"), Err(SplitError::Unterminated(2)));
    }

    #[test]
    fn accepts_crlf_line_endings() {
        let s = split("---\r\nname: a\r\n---\r\nBody").unwrap();
        assert_eq!(s.yaml, "name: a\r\n");
        assert_eq!(s.body, "Body");
    }
}
