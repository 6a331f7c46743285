//! The window's strings live in [`crate::i18n`], shared with the CLI.
pub use crate::i18n::*;
