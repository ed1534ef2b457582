//! The organisation: sites → departments → teams → people, skills and each person's
//! proficiency in them, and queues with their routing settings.

pub mod people;
pub mod queues;
pub mod skills;
pub mod structure;

/// `SELECT COUNT(*) …` with binds, as an `i64`, inside a repository body.
macro_rules! count {
    ($conn:expr, $Db:ident, $sql:literal, $($arg:expr),* $(,)?) => {
        sqlx::query_scalar::<$Db, i64>($sql)$(.bind($arg))*.fetch_one($conn).await?
    };
}

pub(crate) use count;
