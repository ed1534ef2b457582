//! Behaviour of the simulator itself: determinism, warm-up, shifts, wrap-up, the end of
//! the run, and the wait estimate.

use hotline_sim::{Metric, Report, Scenario, Simulation};

fn sim(toml: &str) -> Simulation {
    Simulation::new(Scenario::from_toml(toml).unwrap()).unwrap()
}

fn mean(r: &Report, queue: &str, m: Metric) -> f64 {
    let ms = if queue == "all" {
        &r.all
    } else {
        r.queue(queue).unwrap()
    };
    ms.get(m).map_or(f64::NAN, |s| s.mean)
}

const SMALL: &str = r#"
[run]
duration_s = 20000
warmup_s = 1000
replications = 4
seed = 7

[[queue]]
id = "vip"
arrivals_per_hour = 60
handle_time = { dist = "lognormal", mean_s = 240, cv = 0.8 }
patience = { dist = "exponential", mean_s = 120 }
priority = 10
service_level_s = 20

[[queue]]
id = "general"
arrivals_per_hour = 200
handle_time = { dist = "exponential", mean_s = 200 }
patience = { dist = "lognormal", mean_s = 300, sd_s = 200 }
service_level_s = 30
aging = { points_per_s = 0.1, max_points = 20 }
steps = [{ after_s = 60, add_group = "backup" }]

[[agents]]
group = "tier1"
count = 14
skills = { vip = 3, general = 3 }
wrap_up = { dist = "constant", mean_s = 15 }

[[agents]]
group = "backup"
count = 3
skills = { vip = 2 }
start_s = 5000
end_s = 15000
"#;

#[test]
fn same_seed_gives_identical_json_and_replications_are_independent_of_order() {
    let s = sim(SMALL);
    let (r1, reps1) = s.run().unwrap();
    let (r2, _) = s.run().unwrap();
    let j1 = serde_json::to_string(&r1).unwrap();
    assert_eq!(j1, serde_json::to_string(&r2).unwrap());
    // Replication 2 alone is replication 2 of the full run (threads may run them in any
    // order).
    assert_eq!(s.run_replication(2).unwrap(), reps1[2]);
    // Another seed, other numbers.
    let other = sim(&SMALL.replace("seed = 7", "seed = 8")).run().unwrap().0;
    assert_ne!(j1, serde_json::to_string(&other).unwrap());
}

#[test]
fn json_has_the_documented_shape() {
    let (r, _) = sim(SMALL).run().unwrap();
    let v: serde_json::Value = serde_json::to_value(&r).unwrap();
    // Sorted: the order of JSON object keys carries no meaning.
    let keys = |v: &serde_json::Value| {
        let mut k = v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        k.sort();
        k
    };
    assert_eq!(keys(&v), ["all", "groups", "queues"]);
    assert_eq!(keys(&v["queues"]), ["general", "vip"]);
    assert_eq!(keys(&v["groups"]), ["backup", "tier1"]);
    let mut metrics: Vec<String> = Metric::ALL.iter().map(|m| m.name().to_string()).collect();
    metrics.sort();
    assert_eq!(keys(&v["queues"]["vip"]), metrics);
    assert_eq!(keys(&v["all"]), metrics);
    assert_eq!(keys(&v["all"]["offered"]), ["ci95", "mean"]);
    assert!(v["groups"]["tier1"]["occupancy"]["mean"].as_f64().unwrap() > 0.5);
    // Counts add up, per replication and so in the mean.
    for q in ["vip", "general", "all"] {
        let m = |k: Metric| mean(&r, q, k);
        let sum = m(Metric::Answered) + m(Metric::Abandoned) + m(Metric::Unfinished);
        assert!((m(Metric::Offered) - sum).abs() < 1e-9, "{q}");
    }
    let all_offered = mean(&r, "vip", Metric::Offered) + mean(&r, "general", Metric::Offered);
    assert!((mean(&r, "all", Metric::Offered) - all_offered).abs() < 1e-9);
}

#[test]
fn contacts_arriving_in_the_warm_up_are_simulated_but_not_counted() {
    // Every arrival falls in the first 500 s, which is the warm-up.
    let toml = r#"
[run]
duration_s = 1000
warmup_s = 500
replications = 3
interval_s = 500

[[queue]]
id = "q"
arrivals_per_interval = [100, 0]
interval_s = 500
handle_time = { dist = "exponential", mean_s = 60 }
service_level_s = 20

[[agents]]
group = "g"
count = 5
skills = { q = 1 }
"#;
    let s = sim(toml);
    let (r, reps) = s.run().unwrap();
    assert_eq!(mean(&r, "q", Metric::Offered), 0.0);
    assert!(r.queue("q").unwrap().get(Metric::AsaServed).is_none());
    // ... but they ran: the first interval of the series has them, and the agents worked
    // after the warm-up on the backlog.
    let rows = s.intervals(&reps);
    let first = rows
        .iter()
        .find(|r| r.queue == "q" && r.interval_start_s == 0.0)
        .unwrap();
    assert!(first.offered > 70.0 && first.offered < 130.0, "{first:?}");
    assert_eq!(first.answered, first.offered);
    assert!(r.groups[0].1.occupancy.unwrap().mean > 0.0);
}

#[test]
fn cutoff_counts_waiting_contacts_as_unfinished_and_drain_serves_them() {
    // Overloaded: 2 agents for 4 Erlangs, nobody hangs up.
    let base = r#"
[run]
duration_s = 3600
replications = 3
at_end = "AT_END"

[[queue]]
id = "q"
arrivals_per_hour = 144
handle_time = { dist = "exponential", mean_s = 100 }
service_level_s = 20

[[agents]]
group = "g"
count = 2
skills = { q = 1 }
"#;
    let (cut, _) = sim(&base.replace("AT_END", "cutoff")).run().unwrap();
    let (drain, _) = sim(&base.replace("AT_END", "drain")).run().unwrap();
    // Same seed, same callers.
    assert_eq!(
        mean(&cut, "q", Metric::Offered),
        mean(&drain, "q", Metric::Offered)
    );
    assert!(mean(&cut, "q", Metric::Unfinished) > 20.0);
    assert_eq!(mean(&drain, "q", Metric::Unfinished), 0.0);
    assert_eq!(
        mean(&drain, "q", Metric::Answered),
        mean(&drain, "q", Metric::Offered)
    );
    // Unfinished callers' waits so far count in asa_all_s, so it is not below asa_served_s
    // by much; p_wait counts them as waiting.
    assert!(mean(&cut, "q", Metric::PWait) > 0.8);
}

#[test]
fn agents_after_their_shift_answer_nobody() {
    // The only group works 0..1800 s; callers after that wait until they hang up.
    let toml = r#"
[run]
duration_s = 3600
replications = 2

[[queue]]
id = "q"
arrivals_per_interval = [0, 120]
interval_s = 1800
handle_time = { dist = "constant", mean_s = 30 }
patience = { dist = "constant", mean_s = 45 }
service_level_s = 20

[[agents]]
group = "g"
count = 3
skills = { q = 1 }
end_s = 1800
"#;
    let (r, _) = sim(toml).run().unwrap();
    assert!(mean(&r, "q", Metric::Offered) > 90.0);
    assert_eq!(mean(&r, "q", Metric::Answered), 0.0);
    assert_eq!(mean(&r, "q", Metric::PAbandon), 1.0);
    // Everyone waited exactly their 45 s of patience.
    assert!((mean(&r, "q", Metric::AsaAll) - 45.0).abs() < 1e-9);
    // Logged in and idle all shift: occupancy 0.
    assert_eq!(r.groups[0].1.occupancy.unwrap().mean, 0.0);
}

#[test]
fn occupancy_counts_talk_and_wrap_up() {
    // One agent, constant 60 s talk + 30 s wrap-up, light load: busy time is exactly
    // 90 s per answered contact (the run drains, and the window is the whole run, so a
    // contact's work past the end is the only difference).
    let toml = r#"
[run]
duration_s = 36000
replications = 3

[[queue]]
id = "q"
arrivals_per_hour = 10
handle_time = { dist = "constant", mean_s = 60 }
service_level_s = 20

[[agents]]
group = "g"
count = 1
skills = { q = 1 }
wrap_up = { dist = "constant", mean_s = 30 }
"#;
    let s = sim(toml);
    let (_, reps) = s.run().unwrap();
    for rep in &reps {
        let answered = rep.queues[0].answered as f64;
        let g = rep.groups[0];
        assert!((g.busy_s + g.idle_s - 36_000.0).abs() < 1e-6, "{g:?}");
        assert!(
            g.busy_s <= answered * 90.0 + 1e-6 && g.busy_s > answered * 90.0 - 90.0,
            "{g:?} {answered}"
        );
    }
}

#[test]
fn the_wait_estimate_beats_guessing_zero() {
    let (r, reps) = sim(SMALL).run().unwrap();
    let mae = mean(&r, "all", Metric::EwtMae);
    // Mean wait of the answered contacts that queued: the error of always guessing 0.
    let (mut wait, mut n) = (0.0, 0u64);
    for rep in &reps {
        let t = rep.all();
        wait += t.wait_answered_s;
        n += t.ewt_n;
    }
    let guess_zero = wait / n as f64;
    assert!(mae.is_finite() && mae > 0.0, "{mae}");
    assert!(
        mae < guess_zero,
        "EWT error {mae} s vs {guess_zero} s for guessing zero"
    );
}

#[test]
fn multi_slot_agents_take_several_contacts_at_once() {
    // Two chat agents at 3 Erlangs: with one slot each they are overloaded, with three
    // slots each the same callers (same seed) rarely wait.
    let toml = r#"
[run]
duration_s = 20000
replications = 3

[[queue]]
id = "chat"
arrivals_per_hour = 108
handle_time = { dist = "exponential", mean_s = 100 }
patience = { dist = "exponential", mean_s = 120 }
service_level_s = 20

[[agents]]
group = "chat"
count = 2
skills = { chat = 1 }
SLOTS
"#;
    let (one, _) = sim(&toml.replace("SLOTS", "slots = 1")).run().unwrap();
    let (three, _) = sim(&toml.replace("SLOTS", "slots = 3")).run().unwrap();
    assert_eq!(
        mean(&one, "chat", Metric::Offered),
        mean(&three, "chat", Metric::Offered)
    );
    assert!(
        mean(&one, "chat", Metric::PAbandon) > 0.2,
        "{}",
        mean(&one, "chat", Metric::PAbandon)
    );
    assert!(mean(&three, "chat", Metric::PWait) < 0.5 * mean(&one, "chat", Metric::PWait));
    assert!(mean(&three, "chat", Metric::PAbandon) < 0.05);
}
