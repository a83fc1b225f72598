//! The service's queries, one module per group of tables. Handlers, the
//! queue's workers, the CLI and the demo call these; none of them writes
//! SQL of its own. (The schema is `migrations/`; `db` opens the pool.)

pub mod accounts;
pub mod applications;
pub mod archive;
pub mod decisions;
pub mod registry;
