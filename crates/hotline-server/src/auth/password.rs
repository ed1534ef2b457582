//! Passwords: argon2id hashes in PHC strings (the store keeps only the hash).
//!
//! Hashing costs tens of milliseconds on purpose, so it runs on the blocking pool, never
//! on the async workers that serve the event API.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::ApiError;

/// Shortest password accepted.
pub const MIN_LEN: usize = 8;
/// Longest password accepted (argon2 takes any length; this bounds the work per request).
pub const MAX_LEN: usize = 256;

/// Checks a new password's length; the error names the field but never echoes the value.
pub fn check(field: &str, password: &str) -> Result<(), ApiError> {
    let n = password.chars().count();
    if !(MIN_LEN..=MAX_LEN).contains(&n) {
        return Err(ApiError::invalid(
            field,
            format!("<{n} characters>"),
            &format!("a password of {MIN_LEN} to {MAX_LEN} characters"),
        ));
    }
    Ok(())
}

/// How much work a new hash costs. The default is OWASP's argon2id recommendation
/// (19 MiB, 2 passes); verification reads the cost from the stored hash, so changing it
/// affects new passwords only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cost {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub iterations: u32,
}

impl Default for Cost {
    fn default() -> Self {
        Cost {
            memory_kib: 19 * 1024,
            iterations: 2,
        }
    }
}

impl Cost {
    fn hasher(self) -> Result<Argon2<'static>, ApiError> {
        let params = Params::new(self.memory_kib, self.iterations, 1, None)
            .map_err(|e| ApiError::internal(&format!("argon2 parameters: {e}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// The argon2id PHC string for `password` (blocking; see [`hash`]).
pub fn hash_blocking(password: &str, cost: Cost) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    cost.hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(&e))
}

/// Whether `password` matches the PHC string `hash` (blocking).
pub fn verify_blocking(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// [`hash_blocking`] on the blocking pool.
pub async fn hash(password: String, cost: Cost) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password, cost))
        .await
        .map_err(|e| ApiError::internal(&e))?
}

/// [`verify_blocking`] on the blocking pool. With no hash (unknown user, or no password
/// set) a dummy hash is checked, so the answer takes as long either way and does not
/// reveal which usernames exist.
pub async fn verify(password: String, hash: Option<String>, cost: Cost) -> bool {
    tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_blocking(&password, &hash),
        None => {
            let _ = verify_blocking(&password, &dummy_hash(cost));
            false
        }
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash(cost: Cost) -> String {
    static DUMMY: std::sync::Mutex<Option<(Cost, String)>> = std::sync::Mutex::new(None);
    let mut dummy = DUMMY.lock().unwrap_or_else(|e| e.into_inner());
    match &*dummy {
        Some((c, h)) if *c == cost => h.clone(),
        _ => {
            let h = hash_blocking("not a real password", cost).unwrap_or_default();
            *dummy = Some((cost, h.clone()));
            h
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let cost = Cost {
            memory_kib: 1024,
            iterations: 1,
        };
        let a = hash_blocking("correct horse", cost).unwrap();
        let b = hash_blocking("correct horse", cost).unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"), "{a}");
        assert_ne!(a, b);
        assert!(verify_blocking("correct horse", &a));
        assert!(!verify_blocking("wrong horse", &a));
        assert!(!verify_blocking("correct horse", "not a phc string"));
    }

    #[test]
    fn length_is_checked_without_echoing_the_password() {
        let err = check("password", "short").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("password"));
        assert!(!err.detail.contains("short"), "{}", err.detail);
        assert!(check("password", "long enough").is_ok());
    }
}
