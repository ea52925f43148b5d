//! `--output` never deletes what feidi did not write, and every way a build can be stopped
//! leaves one whole site: refused folders, symlinked and mounted outputs, `kill -9` at each phase
//! of the swap, and two builds at once.

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Run, TestSite, feidi, snapshot};

/// Runs `feidi build --root <site> --output <out>` with extra environment variables.
fn build_into(site: &TestSite, out: &Path, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_feidi"));
    cmd.args(["build", "--root", site.root().to_str().unwrap(), "--output", out.to_str().unwrap()]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("feidi runs");
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// Asserts a refused build: exit 1, a first line `error: refusing to … <folder>: <why>`, a last
/// line `Nothing was written.`, and nothing changed anywhere in `watched` (byte for byte).
fn assert_refused(site: &TestSite, out: &Path, why: &str, watched: &Path) {
    let before = snapshot(watched);
    let run = build_into(site, out, &[]);
    assert_eq!(run.code, 1, "the build must be refused:\n{}{}", run.stdout, run.stderr);
    let first = run.stderr.lines().next().unwrap_or_default();
    let folder = out.display();
    assert!(
        first.starts_with("error: refusing to ") && first.ends_with(&format!(" {folder}: {why}")),
        "should name {folder} and say {why:?}:\n{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().last(), Some("Nothing was written."), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_eq!(snapshot(watched), before, "{} must be left byte for byte", watched.display());
}

#[test]
fn a_folder_holding_other_files_is_refused_and_kept() {
    let site = TestSite::fixture("basic");
    site.write("mydocs/thesis.txt", "years of work");
    site.write("mydocs/notes/a.md", "notes");
    let why = "it is not empty and is not a feidi output (it holds `notes/a.md`, `thesis.txt`)";
    assert_refused(&site, &site.path("mydocs"), why, &site.path("mydocs"));
    assert_eq!(names(site.root()), ["content", "mydocs"], "no staging folder is left beside it");
}

#[test]
fn the_site_its_sources_and_their_ancestors_are_refused() {
    let site = TestSite::fixture("basic");
    site.write("themes/default/templates/x.txt", "theme file");
    let whole = site.root().parent().unwrap().to_path_buf();
    for (out, why) in [
        (site.root().to_path_buf(), "it is the site folder itself"),
        (site.path("."), "it is the site folder itself"),
        (site.path("content"), "it is the site's `content/`"),
        (site.path("content/enclaves"), "it is inside `content/`"),
        (site.path("themes"), "it is the site's `themes/`"),
        (site.path("content/../themes/default"), "it is inside `themes/`"),
        (whole.clone(), "it contains the site folder"),
        (PathBuf::from("/"), "it is the root of the filesystem"),
    ] {
        assert_refused(&site, &out, why, site.root());
    }
    // Relative paths are taken from the site folder.
    let run = feidi(&["build", "--root", site.root().to_str().unwrap(), "--output", "content"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(site.path("content/enclaves/alpha.md").is_file());
}

#[test]
fn the_home_folder_is_refused_even_when_empty() {
    let site = TestSite::fixture("basic");
    let home = common::tempdir();
    let run = build_into(&site, home.path(), &[("HOME", home.path().to_str().unwrap())]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("your home folder"), "{}", run.stderr);
    assert!(names(home.path()).is_empty());
}

#[test]
fn a_regular_file_is_refused() {
    let site = TestSite::fixture("basic");
    site.write("public", "not a folder");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("it is a file, not a folder"), "{}", run.stderr);
    assert_eq!(site.read("public"), "not a folder");
}

#[test]
fn empty_and_previous_outputs_are_replaced_but_added_files_refuse() {
    let site = TestSite::fixture("basic");
    fs::create_dir(site.public()).unwrap();
    site.build_ok();
    assert!(site.public().join("index.html").is_file());
    assert!(site.public().join(".feidi-manifest").is_file(), "the manifest marks feidi's output");
    site.build_ok();
    // Someone adds a file of their own: feidi will not delete it.
    fs::write(site.public().join("CNAME"), "example.org").unwrap();
    let before = site.snapshot();
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("files that feidi did not write: `CNAME`"), "{}", run.stderr);
    assert_eq!(site.snapshot(), before);
    fs::remove_file(site.public().join("CNAME")).unwrap();
    site.build_ok();
}

#[test]
fn a_symlinked_output_keeps_its_link() {
    let site = TestSite::fixture("basic");
    let elsewhere = common::tempdir();
    let real = elsewhere.path().join("www");
    fs::create_dir(&real).unwrap();
    std::os::unix::fs::symlink(&real, site.public()).unwrap();
    site.build_ok();
    site.edit("content/enclaves/alpha.md", "name: 阿尔法创新中心", "name: 阿尔法创新中心二号");
    site.build_ok();
    assert!(fs::symlink_metadata(site.public()).unwrap().file_type().is_symlink(), "public/ is still a link");
    assert!(fs::read_to_string(real.join("enclaves/alpha/index.html")).unwrap().contains("阿尔法创新中心二号"));
    assert_eq!(names(elsewhere.path()), ["www"], "no staging folder beside the link's target");
    assert_eq!(names(site.root()), ["content", "public"]);
}

/// A tmpfs mounted on the output folder, unmounted when dropped. `None` where mounting is not
/// allowed (not root, or no mount namespace rights).
struct Mount(PathBuf);

impl Mount {
    fn new(at: &Path) -> Option<Mount> {
        fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "feidi-test", at.to_str().unwrap()])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Mount(at.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_mount_point_output_is_replaced_in_place() {
    let site = TestSite::fixture("basic");
    let Some(_mount) = Mount::new(&site.public()) else {
        eprintln!("skipped: cannot mount a tmpfs here (the in-place mode is still tested by the next test)");
        return;
    };
    site.build_ok();
    site.edit("content/enclaves/alpha.md", "name: 阿尔法创新中心", "name: 阿尔法创新中心二号");
    let run = site.build_ok();
    assert!(run.stdout.starts_with("Built"), "{}", run.stdout);
    assert!(site.page("enclaves/alpha/index.html").contains("阿尔法创新中心二号"));
    let inside = names(&site.public());
    assert!(!inside.iter().any(|n| n == ".feidi-new" || n == ".feidi-old"), "{inside:?}");
    assert_eq!(names(site.root()), ["content", "public"]);
}

/// Starts a build that stops at `phase` and kills it there with SIGKILL.
fn kill_at(site: &TestSite, phase: &str, env: &[(&str, &str)]) {
    let mut child = spawn_build(site, &[&[("FEIDI_TEST_PAUSE_AT", phase)], env].concat());
    wait_for_line(&mut child, &format!("paused at {phase}"));
    child.kill().unwrap();
    child.wait().unwrap();
}

/// A build running in the background, killed if the test ends before it does (a build paused
/// at a phase would otherwise wait for ever).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if self.0.try_wait().is_ok_and(|s| s.is_none()) {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

impl std::ops::Deref for Running {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Running {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

fn spawn_build(site: &TestSite, env: &[(&str, &str)]) -> Running {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_feidi"));
    cmd.args(["build", "--root", site.root().to_str().unwrap()]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    Running(cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("feidi runs"))
}

/// Reads the child's stderr until a line containing `text`; panics after 60 s.
fn wait_for_line(child: &mut Child, text: &str) -> String {
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let start = Instant::now();
    let mut seen = String::new();
    while start.elapsed() < Duration::from_secs(60) {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
            seen.push_str(&line);
            seen.push('\n');
            if line.contains(text) {
                return seen;
            }
        }
    }
    let _ = child.kill();
    panic!("no line {text:?} on stderr; saw:\n{seen}");
}

#[test]
fn a_build_killed_at_any_phase_of_the_swap_is_put_right_by_the_next() {
    for (phase, env) in [
        ("staging", &[][..]),
        ("retired", &[][..]),
        ("published", &[][..]),
        ("staging", &[("FEIDI_TEST_IN_PLACE", "1")][..]),
        ("swapping", &[("FEIDI_TEST_IN_PLACE", "1")][..]),
        ("published", &[("FEIDI_TEST_IN_PLACE", "1")][..]),
    ] {
        let site = TestSite::fixture("basic");
        let first = build_into(&site, &site.public(), env);
        assert!(first.ok(), "{}", first.stderr);
        let old = site.snapshot();
        site.edit("content/enclaves/alpha.md", "name: 阿尔法创新中心", "name: 阿尔法创新中心二号");
        kill_at(&site, phase, env);
        if phase == "retired" {
            assert!(!site.public().exists(), "killed between the renames, public/ is missing");
        }
        let run = build_into(&site, &site.public(), env);
        assert!(run.ok(), "{phase} {env:?}: {}", run.stderr);
        assert_eq!(names(site.root()), ["content", "public"], "{phase} {env:?}: exactly one public/, no strays");
        let inside = names(&site.public());
        assert!(!inside.iter().any(|n| n.starts_with(".feidi-new") || n.starts_with(".feidi-old")), "{inside:?}");
        assert!(site.page("enclaves/alpha/index.html").contains("阿尔法创新中心二号"), "{phase}");
        assert_eq!(site.snapshot().len(), old.len(), "{phase} {env:?}: the same files as a clean build");
    }
}

#[test]
fn a_missing_public_is_restored_even_when_the_next_build_fails() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let old = site.snapshot();
    kill_at(&site, "retired", &[]);
    assert!(!site.public().exists());
    site.edit("content/enclaves/alpha.md", "home: huishan", "home: nowhere-at-all");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("note: restored"), "{}", run.stderr);
    assert_eq!(site.snapshot(), old, "the complete site a stopped build left is back");
    assert_eq!(names(site.root()), ["content", "public"]);
}

#[test]
fn leftovers_of_older_versions_are_removed() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    site.write(".public.new-4242/index.html", "half");
    site.write(".public.old-17/index.html", "old");
    let run = site.build_ok();
    assert!(run.stderr.contains(".public.new-4242"), "the cleanup is reported: {}", run.stderr);
    assert_eq!(names(site.root()), ["content", "public"]);
}

#[test]
fn a_second_build_waits_for_the_first() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    // The first build holds the lock, stopped between its two renames.
    let mut first = spawn_build(&site, &[("FEIDI_TEST_PAUSE_AT", "retired")]);
    wait_for_line(&mut first, "paused at retired");
    let mut second = spawn_build(&site, &[]);
    let said = wait_for_line(&mut second, "Waiting for another feidi build");
    assert!(said.contains("Waiting"), "{said}");
    std::thread::sleep(Duration::from_millis(300));
    assert!(second.try_wait().unwrap().is_none(), "the second build waits while the first runs");
    first.kill().unwrap();
    first.wait().unwrap();
    let status = second.wait().unwrap();
    assert!(status.success());
    assert_eq!(names(site.root()), ["content", "public"]);
    assert!(site.public().join("index.html").is_file());
}

#[test]
fn builds_started_together_both_finish_whole() {
    let site = TestSite::fixture("basic");
    let children: Vec<Running> = (0..3).map(|_| spawn_build(&site, &[])).collect();
    for mut c in children {
        let mut err = String::new();
        std::io::Read::read_to_string(c.stderr.as_mut().unwrap(), &mut err).unwrap();
        assert!(c.wait().unwrap().success(), "{err}");
    }
    assert_eq!(names(site.root()), ["content", "public"]);
    let once = site.snapshot();
    site.build_ok();
    assert_eq!(site.snapshot(), once, "the result equals a single build");
}

/// True when the tests run as root (as CI does), which the next test needs to act as another
/// user.
fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn an_old_site_the_user_cannot_remove_is_refused_before_writing() {
    if !running_as_root() || Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("skipped: needs root and setpriv to build as another user");
        return;
    }
    let site = TestSite::fixture("basic");
    site.build_ok();
    // Another user may create and rename entries in the site folder, but not change the old
    // site's folders (owned by root, mode 755): a swap would leave them behind.
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(site.root(), fs::Permissions::from_mode(0o777)).unwrap();
    let before = site.snapshot();
    let o = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_feidi"), "build", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("you may not change the folder"), "{stderr}");
    assert_eq!(site.snapshot(), before);
    assert_eq!(names(site.root()), ["content", "public"], "nothing was staged");
}
