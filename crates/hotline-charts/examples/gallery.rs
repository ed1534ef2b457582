//! Writes one SVG per chart kind into the directory given as the argument (the pictures
//! in `docs/charts/`): `cargo run -p hotline-charts --example gallery -- docs/charts`.
//!
//! The data is made up but shaped like a contact-center day: half-hourly service level
//! of three queues, offered by queue, not-ready reasons, a wait-time distribution, a
//! weekly trend, and scorecard bullets.

use std::path::PathBuf;

use hotline_charts::{
    BarChart, BarLayout, BarSeries, Bullet, Histogram, LineSeries, NumberFormat, Orientation,
    RagBands, Size, Sparkline, TargetLine, TimeSeriesChart, XTick,
};

fn main() -> std::io::Result<()> {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: gallery <output directory>");
        std::process::exit(2);
    };
    std::fs::create_dir_all(&dir)?;
    for (name, svg) in charts() {
        let path = dir.join(format!("{name}.svg"));
        std::fs::write(&path, svg + "\n")?;
        println!("{}", path.display());
    }
    Ok(())
}

fn charts() -> Vec<(&'static str, String)> {
    // 2024-03-04 08:00 UTC, half-hours to 20:00 (labels as a page would give them).
    let start = 1_709_539_200_000_i64;
    let times: Vec<i64> = (0..24).map(|i| start + i * 1_800_000).collect();
    let labels: Vec<String> = (0..24)
        .map(|i| format!("{:02}:{:02}", 8 + i / 2, (i % 2) * 30))
        .collect();
    let wave = |base: f64, amp: f64, phase: f64| -> Vec<Option<f64>> {
        (0..24)
            .map(|i| {
                let v = base + amp * ((i as f64 + phase) / 3.0).sin();
                Some((v * 10.0).round() / 10.0)
            })
            .collect()
    };
    let mut gold = wave(92.0, 5.0, 1.0);
    gold[9] = None; // a gap: no calls that half-hour
    gold[10] = None;
    let mut line = TimeSeriesChart::new("Service level by half-hour", times.clone());
    line.time_labels = labels.clone();
    line.x_ticks = (0..24)
        .step_by(4)
        .map(|i| XTick {
            at: times[i],
            label: labels[i].clone(),
        })
        .collect();
    line.series = vec![
        LineSeries::new("Billing", wave(78.0, 12.0, 0.0)),
        LineSeries::new("Faults", wave(70.0, 15.0, 2.0)),
        LineSeries::new("Gold club", gold),
    ];
    line.format = NumberFormat::percent();
    line.y_title = "Service level (%)".into();
    line.y_max = Some(100.0);
    line.target = Some(TargetLine::new(80.0, "Target 80%"));

    let queues: Vec<String> = [
        "Billing",
        "Faults",
        "Service requests",
        "Complaints",
        "Gold club",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut bars = BarChart::new("Offered by queue", queues.clone(), vec![]);
    bars.series = vec![
        BarSeries::new(
            "Answered",
            vec![
                Some(812.0),
                Some(455.0),
                Some(390.0),
                Some(121.0),
                Some(96.0),
            ],
        ),
        BarSeries::new(
            "Abandoned",
            vec![Some(64.0), Some(71.0), Some(22.0), Some(17.0), Some(2.0)],
        ),
        BarSeries::new(
            "Flowed out",
            vec![Some(12.0), Some(30.0), Some(4.0), Some(3.0), Some(0.0)],
        ),
    ];
    bars.layout = BarLayout::Stacked;
    bars.format = NumberFormat::count();
    bars.value_title = "Contacts".into();

    let mut grouped = BarChart::new("Average speed of answer", queues, vec![]);
    grouped.series = vec![
        BarSeries::new(
            "Yesterday",
            vec![Some(18.0), Some(42.0), Some(12.0), Some(35.0), Some(6.0)],
        ),
        BarSeries::new(
            "Same day last week",
            vec![Some(22.0), Some(31.0), Some(15.0), Some(28.0), Some(5.0)],
        ),
    ];
    grouped.format = NumberFormat::seconds();
    grouped.target = Some(TargetLine::new(30.0, "Target 30 s"));

    let mut reasons = BarChart::new(
        "Not-ready time by reason",
        [
            "Lunch",
            "Break",
            "Coaching with the team leader",
            "Training: new billing system",
            "Team meeting",
            "Technical problem",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        vec![
            Some(31.5),
            Some(18.2),
            Some(9.75),
            Some(6.0),
            Some(4.5),
            Some(1.25),
        ],
    );
    reasons.orientation = Orientation::Horizontal;
    reasons.format = NumberFormat {
        decimals: Some(1),
        suffix: " h".into(),
    };
    reasons.size = Size::new(640.0, 260.0);

    let waits: Vec<f64> = (0..400)
        .map(|i| {
            // A long-tailed wait: most answered quickly, some wait minutes.
            let u = (i as f64 + 0.5) / 400.0;
            -12.0 * (1.0 - u).ln()
        })
        .collect();
    let mut hist = Histogram::from_values("Wait before answer", &waits, Some(5.0));
    hist.format = NumberFormat::seconds();
    hist.x_title = "Wait (s)".into();
    hist.threshold = Some(TargetLine::new(20.0, "T = 20 s"));

    let mut spark = Sparkline::new(
        "Service level, last 12 weeks",
        vec![
            Some(76.0),
            Some(79.5),
            Some(81.2),
            Some(78.4),
            None,
            Some(80.1),
            Some(82.6),
            Some(84.0),
            Some(79.9),
            Some(83.3),
            Some(85.2),
            Some(86.4),
        ],
    );
    spark.format = NumberFormat::percent();
    spark.target = Some(80.0);

    let mut sl = Bullet::new(
        "Service level",
        Some(72.4),
        Some(80.0),
        RagBands::higher_is_better(80.0, 70.0),
    );
    sl.format = NumberFormat::percent();
    sl.range = Some((0.0, 100.0));
    let mut abandon = Bullet::new(
        "Abandon rate",
        Some(3.1),
        Some(5.0),
        RagBands::lower_is_better(5.0, 8.0),
    );
    abandon.format = NumberFormat::percent();
    abandon.range = Some((0.0, 15.0));
    let mut asa = Bullet::new(
        "Average speed of answer",
        Some(41.0),
        Some(30.0),
        RagBands::lower_is_better(30.0, 40.0),
    );
    asa.format = NumberFormat::seconds();

    let empty = TimeSeriesChart::new("Service level by half-hour", times);

    vec![
        ("line", line.to_svg()),
        ("bar-stacked", bars.to_svg()),
        ("bar-grouped", grouped.to_svg()),
        ("bar-horizontal", reasons.to_svg()),
        ("histogram", hist.to_svg()),
        ("sparkline", spark.to_svg()),
        ("bullet-service-level", sl.to_svg()),
        ("bullet-abandon-rate", abandon.to_svg()),
        ("bullet-asa", asa.to_svg()),
        ("no-data", empty.to_svg()),
    ]
}
