//! SHA-256 fingerprints of inputs and rule sets, recorded with results so that a run can be
//! shown to have used exactly these files.

use std::fmt::Write;

use sha2::{Digest, Sha256};

/// An incremental SHA-256.
#[derive(Debug, Clone, Default)]
pub struct Hasher(Sha256);

impl Hasher {
    /// A new hasher.
    #[must_use]
    pub fn new() -> Self {
        Self(Sha256::new())
    }

    /// Feeds bytes, length-prefixed so that ("ab","c") and ("a","bc") differ.
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    /// The digest as lowercase hex.
    #[must_use]
    pub fn hex(self) -> String {
        self.0
            .finalize()
            .iter()
            .fold(String::with_capacity(64), |mut s, b| {
                let _ = write!(s, "{b:02x}");
                s
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_separates_pieces() {
        let mut a = Hasher::new();
        a.update(b"ab");
        a.update(b"c");
        let mut b = Hasher::new();
        b.update(b"a");
        b.update(b"bc");
        assert_ne!(a.hex(), b.hex());
    }

    #[test]
    fn digest_of_nothing_is_sha256_of_empty_input() {
        // SHA-256 of the empty string, published in FIPS 180-2 examples.
        assert_eq!(
            Hasher::new().hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
