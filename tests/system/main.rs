//! The whole program under real conditions: faces as real processes in a pseudo-terminal
//! (`console`, `faces`, `hotline`), faults of the disk and the data directory (`faults`), and a week of duty
//! on an accelerated clock (`week`; here rather than with the engine tests because it measures
//! this process's memory, and the other tests here do their work in child processes), and the
//! module graph of `src/` itself (`edges`). Imports `baogong` and `support` only.

#[path = "../support/mod.rs"]
mod support;

mod console;
mod edges;
mod faces;
mod faults;
mod hotline;
mod week;
