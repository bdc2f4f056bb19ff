//! The subcommands, side by side: each reads its options, does its work through the shared
//! modules beside this folder, and returns the exit status. None uses another.

pub mod adopt;
pub mod check;
pub mod new;
pub mod render;
pub mod rules;
pub mod update;
