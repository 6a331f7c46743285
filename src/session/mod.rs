//! One run, driven the same way whoever shows it (the window, `run`, `listen`, `send`,
//! `render`).

pub mod record;
