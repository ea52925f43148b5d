//! Embeds the default theme in the binary, so `feidi build` works on a site folder that has no
//! `themes/` of its own.

use std::fs;
use std::path::Path;

fn collect(dir: &Path, base: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = fs::read_dir(dir).expect("themes/default is readable").flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            collect(&p, base, out);
        } else {
            out.push(p.strip_prefix(base).expect("inside the theme").to_string_lossy().replace('\\', "/"));
        }
    }
}

fn main() {
    let base = Path::new("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(base, base, &mut files);
    let mut code = String::from(
        "/// The default theme's files: (path inside the theme, contents).\npub const DEFAULT_THEME: &[(&str, &[u8])] = &[\n",
    );
    for f in &files {
        code.push_str(&format!(
            "    ({f:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/themes/default/{f}\"))),\n"
        ));
        println!("cargo:rerun-if-changed=themes/default/{f}");
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("theme_files.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
