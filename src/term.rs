//! Writing to the terminal without ever failing.
//!
//! `feidi build | head -1` or `feidi check --format json | head -c 10` close the pipe early; a
//! plain `println!` then panics. What feidi prints is a report on work already done, so a reader
//! that went away is no error: these helpers drop the output and carry on. The dev server keeps
//! serving when its terminal goes.

use std::io::Write;

/// Writes `text` to stdout as it is; a closed or failing stdout is ignored.
pub fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

/// Writes `text` to stderr as it is; a closed or failing stderr is ignored.
pub fn err(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes()).and_then(|()| stderr.flush());
}

/// Writes `line` and a newline to stdout.
pub fn out_line(line: &str) {
    out(&format!("{line}\n"));
}

/// Writes `line` and a newline to stderr.
pub fn err_line(line: &str) {
    err(&format!("{line}\n"));
}
