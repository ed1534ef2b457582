//! Bearer tokens and API keys: 256 random bits, shown once, stored as a SHA-256 hash.
//!
//! A slow hash (argon2) protects low-entropy passwords; a 256-bit random secret cannot be
//! guessed, so one SHA-256 suffices and keeps authentication cheap on the event path.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// Prefix of session tokens (from a login).
pub const SESSION_PREFIX: &str = "hls_";
/// Prefix of API keys (for integrations).
pub const API_KEY_PREFIX: &str = "hlk_";

/// A new secret: the prefix and 32 random bytes in URL-safe base64 (47 characters).
pub fn generate(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a secret: lower-case hex SHA-256.
pub fn hash(secret: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(secret.as_bytes());
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

/// Whether the text has the shape of a secret we issue (checked before any lookup, so
/// garbage never reaches the database).
pub fn looks_valid(secret: &str) -> bool {
    let body = secret
        .strip_prefix(SESSION_PREFIX)
        .or_else(|| secret.strip_prefix(API_KEY_PREFIX));
    body.is_some_and(|b| {
        b.len() == 43
            && b.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_well_formed() {
        let a = generate(SESSION_PREFIX);
        let b = generate(SESSION_PREFIX);
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 43);
        assert!(looks_valid(&a));
        assert!(looks_valid(&generate(API_KEY_PREFIX)));
        assert!(!looks_valid("hls_short"));
        assert!(!looks_valid("Bearer whatever"));
    }

    #[test]
    fn hash_is_sha256_hex() {
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
