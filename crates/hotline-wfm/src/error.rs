use thiserror::Error;

/// Why a staffing question cannot be answered. Every variant names the field and the
/// value so that a planner can fix the input without reading the code.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum WfmError {
    /// An input is outside what the model accepts.
    #[error("{field} = {value} is not allowed: {allowed}")]
    InvalidInput {
        field: &'static str,
        value: String,
        allowed: &'static str,
    },
    /// Erlang C has no steady state when the agents cannot carry the load.
    #[error(
        "agents = {agents} cannot carry a load of {load} Erlangs: Erlang C needs more agents \
         than the load (at least {minimum}); use Erlang A if callers abandon"
    )]
    Overloaded {
        agents: u32,
        load: f64,
        minimum: u32,
    },
    /// No number of agents within the supported range meets the target.
    #[error("no staffing up to {max} agents meets the target ({target})")]
    Unreachable { max: u32, target: &'static str },
}

impl WfmError {
    pub(crate) fn invalid(
        field: &'static str,
        value: impl ToString,
        allowed: &'static str,
    ) -> Self {
        WfmError::InvalidInput {
            field,
            value: value.to_string(),
            allowed,
        }
    }
}
