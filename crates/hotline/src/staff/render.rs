//! Tables a planner reads.

use std::fmt::Write;

use super::case::{Case, Model, Outcome};

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn secs(x: f64) -> String {
    if x < 10.0 {
        format!("{x:.2} s")
    } else {
        format!("{x:.1} s")
    }
}

/// One case: what was asked, the answer, and the staffing around it.
pub fn single(case: &Case, outcome: &Outcome) -> String {
    let mut out = String::new();
    let load = case.load();
    let heading = match case.model() {
        Model::ErlangC => "Erlang C (callers wait until answered)",
        Model::ErlangA => "Erlang A (callers hang up after their patience)",
        Model::ErlangB => "Erlang B (calls finding every line busy are lost)",
    };
    let _ = writeln!(out, "{heading}");
    let _ = writeln!(out, "  offered load            {load:.3} Erlangs");
    let t = case.answer_within().unwrap_or(0.0);
    match *outcome {
        Outcome::ErlangC {
            agents,
            scheduled_agents,
            service_level,
            asa_s,
            p_wait,
            occupancy,
            ..
        } => {
            let verb = if case.is_solve() {
                "agents needed"
            } else {
                "agents"
            };
            let _ = writeln!(out, "  {verb:<23} {agents}");
            if let (Some(s), Some(shrinkage)) = (scheduled_agents, case.shrinkage()) {
                let _ = writeln!(
                    out,
                    "  scheduled agents        {s} (with {} shrinkage)",
                    pct(shrinkage)
                );
            }
            let _ = writeln!(
                out,
                "  service level           {} answered within {t} s",
                pct(service_level)
            );
            let _ = writeln!(out, "  average speed of answer {}", secs(asa_s));
            let _ = writeln!(out, "  probability of waiting  {}", pct(p_wait));
            let _ = writeln!(out, "  occupancy               {}", pct(occupancy));
        }
        Outcome::ErlangA {
            agents,
            scheduled_agents,
            service_level,
            p_wait,
            occupancy,
            p_abandon,
            asa_served_s,
            asa_all_s,
            p_wait_gt_t,
            service_level_of_answered,
            p_abandon_within_t,
            ..
        } => {
            let verb = if case.is_solve() {
                "agents needed"
            } else {
                "agents"
            };
            let _ = writeln!(out, "  {verb:<23} {agents}");
            if let (Some(s), Some(shrinkage)) = (scheduled_agents, case.shrinkage()) {
                let _ = writeln!(
                    out,
                    "  scheduled agents        {s} (with {} shrinkage)",
                    pct(shrinkage)
                );
            }
            let _ = writeln!(
                out,
                "  service level           {} of offered answered within {t} s",
                pct(service_level)
            );
            let _ = writeln!(
                out,
                "                          {} of answered answered within {t} s",
                pct(service_level_of_answered)
            );
            let _ = writeln!(
                out,
                "  abandoned               {} ({} within {t} s)",
                pct(p_abandon),
                pct(p_abandon_within_t)
            );
            let _ = writeln!(out, "  ASA (answered calls)    {}", secs(asa_served_s));
            let _ = writeln!(out, "  mean wait (all calls)   {}", secs(asa_all_s));
            let _ = writeln!(out, "  probability of waiting  {}", pct(p_wait));
            let _ = writeln!(out, "  still waiting at {t} s   {}", pct(p_wait_gt_t));
            let _ = writeln!(out, "  occupancy               {}", pct(occupancy));
        }
        Outcome::ErlangB {
            lines,
            blocking,
            carried_load,
            ..
        } => {
            let verb = if case.is_solve() {
                "lines needed"
            } else {
                "lines"
            };
            let _ = writeln!(out, "  {verb:<23} {lines}");
            let _ = writeln!(out, "  blocking                {:.3}%", blocking * 100.0);
            let _ = writeln!(out, "  carried load            {carried_load:.3} Erlangs");
        }
    }
    let _ = write!(out, "{}", nearby(case, outcome));
    out
}

/// The answer and its neighbours: what one more or one fewer would do.
fn nearby(case: &Case, outcome: &Outcome) -> String {
    let centre = outcome.staffing();
    let rows: Vec<Outcome> = (centre.saturating_sub(2)..=centre + 2)
        .filter_map(|n| case.at(n))
        .collect();
    if rows.len() < 2 {
        return String::new();
    }
    let headers: &[&str] = match case.model() {
        Model::ErlangC => &["agents", "SL", "ASA", "P(wait)", "occupancy"],
        Model::ErlangA => &["agents", "SL", "abandoned", "ASA", "occupancy"],
        Model::ErlangB => &["lines", "blocking"],
    };
    let mut out = String::from("\n");
    let header: Vec<String> = headers.iter().map(|h| format!("{h:>9}")).collect();
    let _ = writeln!(out, "{}", header.join(" "));
    for r in &rows {
        let cells = match *r {
            Outcome::ErlangC {
                service_level,
                asa_s,
                p_wait,
                occupancy,
                ..
            } => {
                vec![pct(service_level), secs(asa_s), pct(p_wait), pct(occupancy)]
            }
            Outcome::ErlangA {
                service_level,
                p_abandon,
                asa_served_s,
                occupancy,
                ..
            } => {
                vec![
                    pct(service_level),
                    pct(p_abandon),
                    secs(asa_served_s),
                    pct(occupancy),
                ]
            }
            Outcome::ErlangB { blocking, .. } => vec![format!("{:.3}%", blocking * 100.0)],
        };
        let staffing = r.staffing();
        let mut line = vec![format!("{staffing:>9}")];
        line.extend(cells.iter().map(|c| format!("{c:>9}")));
        let mark = if staffing == centre { " ◀" } else { "" };
        let _ = writeln!(out, "{}{mark}", line.join(" "));
    }
    out
}

/// A day plan: one line per row, then the peak and the staffed hours.
pub fn plan(rows: &[(u64, Vec<String>, Case, Outcome)], label_header: &[String]) -> String {
    let mut out = String::new();
    let label_width = rows
        .iter()
        .map(|r| r.1.join(" ").chars().count())
        .max()
        .unwrap_or(0)
        .max(label_header.join(" ").len())
        .max(4);
    let _ = writeln!(
        out,
        "{:>5}  {:<label_width$}  {:<8}  {:>9}  {:>7}  {:>9}  {:>7}  {:>9}  {:>9}  {:>9}",
        "line",
        label_header.join(" "),
        "model",
        "load",
        "agents",
        "scheduled",
        "SL",
        "ASA",
        "abandoned",
        "occupancy"
    );
    let mut peak: Option<(u32, u64)> = None;
    let mut agent_seconds = 0.0;
    for (line, labels, case, outcome) in rows {
        let (staff, scheduled, sl, asa, abandoned, occupancy) = match *outcome {
            Outcome::ErlangC {
                agents,
                scheduled_agents,
                service_level,
                asa_s,
                occupancy,
                ..
            } => (
                agents,
                scheduled_agents,
                pct(service_level),
                secs(asa_s),
                String::from("-"),
                pct(occupancy),
            ),
            Outcome::ErlangA {
                agents,
                scheduled_agents,
                service_level,
                asa_s,
                p_abandon,
                occupancy,
                ..
            } => (
                agents,
                scheduled_agents,
                pct(service_level),
                secs(asa_s),
                pct(p_abandon),
                pct(occupancy),
            ),
            Outcome::ErlangB {
                lines, blocking, ..
            } => (
                lines,
                None,
                format!("B {:.2}%", blocking * 100.0),
                String::from("-"),
                String::from("-"),
                String::from("-"),
            ),
        };
        if peak.is_none_or(|(p, _)| staff > p) {
            peak = Some((staff, *line));
        }
        if let Case::ErlangC { traffic, .. } | Case::ErlangA { traffic, .. } = case {
            agent_seconds += f64::from(scheduled.unwrap_or(staff)) * traffic.interval().get();
        }
        let _ = writeln!(
            out,
            "{line:>5}  {:<label_width$}  {:<8}  {:>9.3}  {staff:>7}  {:>9}  {sl:>7}  {asa:>9}  {abandoned:>9}  {occupancy:>9}",
            labels.join(" "),
            case.model().name(),
            case.load(),
            scheduled.map_or_else(|| String::from("-"), |s| s.to_string()),
        );
    }
    if let Some((p, line)) = peak {
        let _ = writeln!(
            out,
            "\npeak: {p} at line {line}; scheduled agent-hours: {:.1}",
            agent_seconds / 3600.0
        );
    }
    out
}
