//! One test binary for the staffing engine.
//! - `erlang_a_oracle`: Erlang A against an independent transient solution of the
//!   tagged caller's Markov chain.
//! - `properties`: monotonicity, minimality and limits over random inputs.
//! - `edges`: extreme loads, staffing and targets.
mod wfm {
    mod edges;
    mod erlang_a_oracle;
    mod properties;
}
