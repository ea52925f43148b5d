//! `feidi build --precompress`: a `.gz` and a `.br` beside every text file, for servers that
//! send a compressed file as it is when the browser accepts it (nginx's `gzip_static` and
//! `brotli_static`, many CDNs and object stores), instead of compressing on every request.
//!
//! The staging folder writes them as the files stream through (see [`super::Staging`]), so they
//! are made on every core like the pages, and the manifest lists them: the next build replaces
//! them with the rest. Both are deterministic, so two builds give the same bytes: the gzip
//! header carries no file name and a zero time (and the "unknown" system, 255), and brotli's
//! output depends only on its input and settings.

use std::io::Write;

/// The extensions of the files that get compressed copies: text, which compresses well.
pub const EXTENSIONS: &[&str] = &["html", "css", "js", "json", "xml", "csv", "svg", "txt"];

/// Brotli's quality (0–11). On a thousand enclave pages (17 MB of HTML) quality 6 writes
/// 4.14 MB in 0.7 s, 9 writes 4.03 MB in 7 s and 11 writes 3.74 MB in 24 s (gzip at its best:
/// 4.75 MB in 0.25 s); at 10,000 enclaves the site is 400 MB of text, so 6 it is.
const BROTLI_QUALITY: i32 = 6;
/// Brotli's window, log2 of its size: 4 MB, more than any page.
const BROTLI_WINDOW: i32 = 22;

/// True when `path` (`enclaves/a/index.html`) is a text file to precompress.
pub fn is_text(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(stem, ext)| !stem.is_empty() && EXTENSIONS.contains(&ext))
}

/// `bytes` as gzip at the best compression, with no name and time in the header.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc =
        flate2::GzBuilder::new().mtime(0).write(Vec::with_capacity(bytes.len() / 4 + 64), flate2::Compression::best());
    // Writing to memory cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

/// `bytes` as brotli, in text mode.
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: BROTLI_WINDOW,
        size_hint: bytes.len(),
        mode: brotli::enc::backward_references::BrotliEncoderMode::BROTLI_MODE_TEXT,
        ..Default::default()
    };
    let mut out = Vec::with_capacity(bytes.len() / 4 + 64);
    // Reading from and writing to memory cannot fail.
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    out
}

/// Both compressed copies of `bytes`, made at once on two threads: `(gzip, brotli)`.
pub fn both(bytes: &[u8]) -> (Vec<u8>, Vec<u8>) {
    rayon::join(|| gzip(bytes), || brotli(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn text_files_by_extension() {
        for p in ["index.html", "a/b/style.1234.css", "data/enclaves.csv", "robots.txt", "x.svg", "data/x.json"] {
            assert!(is_text(p), "{p}");
        }
        for p in ["a.png", "a.html.gz", "a.woff2", "html", ".css", "a/.js", "LICENSE"] {
            assert!(!is_text(p), "{p}");
        }
    }

    #[test]
    fn copies_decompress_to_the_original_and_repeat_byte_for_byte() {
        let text = "<p>无锡惠山（深圳）创新中心</p>\n".repeat(500);
        let (gz, br) = both(text.as_bytes());
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut back).unwrap();
        assert_eq!(back, text);
        let mut back = String::new();
        brotli::Decompressor::new(&br[..], 4096).read_to_string(&mut back).unwrap();
        assert_eq!(back, text);
        assert!(gz.len() < text.len() / 10 && br.len() < gz.len(), "{} {} {}", text.len(), gz.len(), br.len());
        assert_eq!(both(text.as_bytes()), (gz.clone(), br), "deterministic");
        // The gzip header: no flags (no name, no comment), time 0, unknown system.
        assert_eq!(&gz[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255]);
    }

    #[test]
    fn empty_files_compress_too() {
        let (gz, br) = both(b"");
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut back).unwrap();
        assert!(back.is_empty());
        brotli::Decompressor::new(&br[..], 4096).read_to_end(&mut back).unwrap();
        assert!(back.is_empty());
    }
}
