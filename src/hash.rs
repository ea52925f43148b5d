//! Content hashes for file names: a file whose name carries a hash of its bytes can be cached by
//! hosts for ever, since new content gets a new name.

/// A short hash for cache-busting asset names (FNV-1a, stable across builds and platforms).
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:08x}", h >> 32)
}
