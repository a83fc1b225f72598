//! The service's queries, one module per group of tables. Handlers, the
//! queue's workers, the CLI and the demo call these; none of them writes
//! SQL of its own. (The registry's tables are `registry::store`; the
//! schema is `db/migrations/`.)

pub mod accounts;
pub mod applications;
pub mod decisions;
