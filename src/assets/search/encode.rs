//! The compact encodings of the search files, read back by `search.js`: numbers as varints
//! written with 64 characters that need no escaping in a JavaScript string, so that a posting
//! list or a column is one short string rather than a JSON list.
//!
//! A character carries 6 bits: the low 5 are data, the 6th says that more characters follow
//! (least significant group first). `0`–`9`, `A`–`Z`, `a`–`z`, `-`, `_` stand for 0–63.

/// The 64 characters, by value.
pub const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Appends `n` as a varint.
pub fn varint(out: &mut String, mut n: u32) {
    loop {
        let low = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(ALPHABET[low] as char);
            return;
        }
        out.push(ALPHABET[low | 32] as char);
    }
}

/// Encodes a sorted list of distinct record ids. The list is cut into runs of consecutive ids;
/// each run is written as `2 × gap` (a single id) or `2 × gap + 1` then `length − 2` (a run of two
/// or more), where the gap is the distance from the previous run's last id (from −1 for the
/// first run), so that dense lists (a region, a common word) stay small as well as sparse ones.
pub fn postings(ids: &[u32]) -> String {
    let mut out = String::new();
    let mut prev: i64 = -1;
    let mut i = 0;
    while i < ids.len() {
        let start = ids[i];
        let mut end = i;
        while end + 1 < ids.len() && ids[end + 1] == ids[end] + 1 {
            end += 1;
        }
        let gap = (i64::from(start) - prev) as u32;
        let len = (end - i + 1) as u32;
        if len == 1 {
            varint(&mut out, gap * 2);
        } else {
            varint(&mut out, gap * 2 + 1);
            varint(&mut out, len - 2);
        }
        prev = i64::from(ids[end]);
        i = end + 1;
    }
    out
}

/// Decodes [`postings`] (for tests; the browser has its own decoder).
pub fn decode_postings(s: &str) -> Vec<u32> {
    let nums = decode_varints(s);
    let mut out = Vec::new();
    let mut prev: i64 = -1;
    let mut i = 0;
    while i < nums.len() {
        let v = nums[i];
        let start = prev + i64::from(v / 2);
        if v.is_multiple_of(2) {
            out.push(start as u32);
            prev = start;
            i += 1;
        } else {
            let len = i64::from(nums[i + 1]) + 2;
            out.extend((start..start + len).map(|x| x as u32));
            prev = start + len - 1;
            i += 2;
        }
    }
    out
}

/// Decodes a string of varints (for tests).
pub fn decode_varints(s: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let (mut n, mut shift) = (0u32, 0u32);
    for b in s.bytes() {
        let v = ALPHABET.iter().position(|&a| a == b).unwrap_or(0) as u32;
        n |= (v & 31) << shift;
        if v & 32 != 0 {
            shift += 5;
        } else {
            out.push(n);
            n = 0;
            shift = 0;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        let mut s = String::new();
        for n in [0, 1, 31, 32, 1000, 100_000, u32::MAX] {
            varint(&mut s, n);
        }
        assert_eq!(decode_varints(&s), vec![0, 1, 31, 32, 1000, 100_000, u32::MAX]);
        let mut one = String::new();
        varint(&mut one, 31);
        assert_eq!(one, "V", "small numbers take one character");
    }

    #[test]
    fn postings_round_trip_with_runs() {
        for list in [vec![], vec![0], vec![0, 1, 2, 3], vec![2, 5, 6, 9], vec![7, 8, 100, 101, 102, 5000]] {
            assert_eq!(decode_postings(&postings(&list)), list, "{list:?}");
        }
        assert_eq!(postings(&[0, 1, 2, 3]), "32", "a run is two numbers");
        assert_eq!(postings(&[0]), "2");
    }
}
