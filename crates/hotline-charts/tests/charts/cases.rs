//! Each chart on hand-made data: structure, summaries, escaping, gaps, empty data.

use hotline_charts::{
    bins_from_values, nice_ticks, BarChart, BarLayout, BarSeries, Bin, Bullet, Histogram,
    LineSeries, NumberFormat, Orientation, Rag, RagBands, Size, Sparkline, Strings, TargetLine,
    TimeSeriesChart, XTick,
};

use crate::xml::{check_svg, Element};

const NASTY: &str = r#"<&"'> x"#;
const NASTY_ESCAPED: &str = "&lt;&amp;&quot;&#39;&gt; x";

fn by_class<'a>(els: &'a [Element], class: &str) -> Vec<&'a Element> {
    els.iter().filter(|e| e.class_has(class)).collect()
}

fn half_hours(n: usize) -> (Vec<i64>, Vec<String>) {
    let start = 1_709_539_200_000_i64; // 2024-03-04T08:00:00Z
    let times = (0..n as i64).map(|i| start + i * 1_800_000).collect();
    let labels = (0..n)
        .map(|i| format!("{:02}:{:02}", 8 + i / 2, (i % 2) * 30))
        .collect();
    (times, labels)
}

#[test]
fn ticks_are_one_two_five() {
    assert_eq!(
        nice_ticks(0.0, 87.0, 5).values,
        [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    );
    assert_eq!(nice_ticks(0.0, 0.7, 4).values, [0.0, 0.2, 0.4, 0.6, 0.8]);
    assert_eq!(
        nice_ticks(3.0, 58.0, 12).values,
        [0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0, 55.0, 60.0]
    );
    assert_eq!(
        nice_ticks(-120.0, 30.0, 3).values,
        [-200.0, -100.0, 0.0, 100.0]
    );
    assert_eq!(nice_ticks(0.0, 87.0, 5).step, 20.0);
}

fn sl_chart() -> TimeSeriesChart {
    let (times, labels) = half_hours(6);
    let mut c = TimeSeriesChart::new("Service level", times);
    c.time_labels = labels;
    c.series = vec![
        LineSeries::new(
            "Billing",
            vec![
                Some(90.0),
                Some(70.0),
                None,
                Some(85.0),
                Some(60.0),
                Some(95.0),
            ],
        ),
        LineSeries::new(
            "Faults",
            vec![
                Some(50.0),
                Some(f64::NAN),
                Some(82.0),
                Some(f64::INFINITY),
                Some(88.0),
                None,
            ],
        ),
    ];
    c.format = NumberFormat::percent();
    c.y_title = "Service level (%)".into();
    c.target = Some(TargetLine::new(80.0, ""));
    c
}

#[test]
fn line_chart_draws_series_with_gaps_target_and_legend() {
    let c = sl_chart();
    let svg = c.to_svg();
    let els = check_svg(&svg);
    let lines = by_class(&els, "hc-line");
    assert_eq!(lines.len(), 2);
    // Billing: a gap at 09:00 → two runs; Faults: 50 alone, then 82 alone, then 88.
    let d0 = lines[0].attr("d").unwrap();
    assert_eq!(d0.matches('M').count(), 2, "{d0}");
    assert_eq!(d0.matches('L').count(), 3, "{d0}");
    let d1 = lines[1].attr("d").unwrap();
    assert_eq!(d1.matches('M').count(), 3, "{d1}");
    assert_eq!(d1.matches('L').count(), 0, "{d1}");
    // Dashes and shapes differ per series.
    assert!(lines[0].attr("stroke-dasharray").is_none());
    assert_eq!(lines[1].attr("stroke-dasharray"), Some("6 3"));
    assert_ne!(lines[0].attr("stroke"), lines[1].attr("stroke"));
    // One tooltip per finite point: 5 + 3.
    let tips: Vec<&Element> = els
        .iter()
        .filter(|e| e.name == "title" && e.text.contains(" — "))
        .collect();
    assert_eq!(tips.len(), 8);
    assert_eq!(tips[0].text, "Billing — 08:00: 90.0%");
    // Ticks 0..100 by 20 (target 80 and data ≤ 95 → 100).
    let ticks: Vec<&str> = by_class(&els, "hc-tick")
        .iter()
        .filter(|e| e.text.ends_with('%'))
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(ticks, ["0%", "20%", "40%", "60%", "80%", "100%"]);
    // Target line and its default label.
    let target = by_class(&els, "hc-target");
    assert_eq!(target.len(), 1);
    assert!(svg.contains(">Target 80.0%</text>"), "{svg}");
    // Legend with both names; the axis title.
    let legend: Vec<&str> = by_class(&els, "hc-legend-label")
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(legend, ["Billing", "Faults"]);
    assert_eq!(by_class(&els, "hc-axis-title")[0].text, "Service level (%)");
    // The summary, exactly.
    assert_eq!(
        c.summary_text(),
        "Billing: latest 95.0% (10:30), min 60.0% (10:00), max 95.0% (10:30), 2 of 5 below \
         the target; Faults: latest 88.0% (10:00), min 50.0% (08:00), max 88.0% (10:00), \
         1 of 3 below the target; Target 80.0%"
    );
    assert_eq!(
        els[0].attr("aria-label").unwrap(),
        format!("Service level. {}", c.summary_text())
    );
}

#[test]
fn line_chart_uses_caller_ticks_and_thins_crowded_labels() {
    let (times, labels) = half_hours(48);
    let mut c = TimeSeriesChart::new("Offered", times.clone());
    c.time_labels = labels;
    c.series = vec![LineSeries::new(
        "",
        (0..48).map(|i| Some(i as f64)).collect(),
    )];
    c.size = Size::new(300.0, 200.0);
    let els = check_svg(&c.to_svg());
    let time_ticks: Vec<&Element> = els
        .iter()
        .filter(|e| e.class_has("hc-tick") && e.text.contains(':'))
        .collect();
    assert!(
        time_ticks.len() < 48 && time_ticks.len() >= 4,
        "{}",
        time_ticks.len()
    );
    assert_eq!(time_ticks[0].text, "08:00");
    // No legend for one unnamed series.
    assert!(by_class(&els, "hc-legend").is_empty());
    c.x_ticks = vec![
        XTick {
            at: times[0],
            label: "morning".into(),
        },
        XTick {
            at: times[24],
            label: "noon".into(),
        },
        XTick {
            at: times[0] - 1,
            label: "outside".into(),
        },
    ];
    let els = check_svg(&c.to_svg());
    let labels: Vec<&str> = els
        .iter()
        .filter(|e| e.class_has("hc-tick") && e.text.chars().all(char::is_alphabetic))
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(labels, ["morning", "noon"]);
}

#[test]
fn every_chart_escapes_its_text() {
    let mut line = sl_chart();
    line.title = NASTY.into();
    line.series[0].name = NASTY.into();
    line.time_labels[0] = NASTY.into();
    line.y_title = NASTY.into();
    line.target = Some(TargetLine::new(80.0, NASTY));
    let mut bar = BarChart::new(
        NASTY,
        vec![NASTY.into(), "b".into()],
        vec![Some(1.0), Some(2.0)],
    );
    bar.series[0].name = NASTY.into();
    bar.value_title = NASTY.into();
    let mut hbar = bar.clone();
    hbar.orientation = Orientation::Horizontal;
    let mut hist = Histogram::from_values(NASTY, &[1.0, 2.0, 30.0], Some(10.0));
    hist.x_title = NASTY.into();
    hist.threshold = Some(TargetLine::new(20.0, NASTY));
    let spark = Sparkline::new(NASTY, vec![Some(1.0), Some(2.0)]);
    let mut bullet = Bullet::new(
        NASTY,
        Some(50.0),
        Some(80.0),
        RagBands::higher_is_better(80.0, 70.0),
    );
    bullet.format.suffix = NASTY.into();
    let strings = Strings {
        no_data: NASTY.into(),
        ..Strings::default()
    };
    let mut empty = BarChart::new(NASTY, vec![], vec![]);
    empty.strings = strings;
    for svg in [
        line.to_svg(),
        bar.to_svg(),
        hbar.to_svg(),
        hist.to_svg(),
        spark.to_svg(),
        bullet.to_svg(),
        empty.to_svg(),
    ] {
        let els = check_svg(&svg);
        assert!(!svg.contains(NASTY), "{svg}");
        assert!(svg.contains(NASTY_ESCAPED), "{svg}");
        assert!(els.iter().any(|e| e.text.contains(NASTY)), "decodes back");
    }
}

#[test]
fn empty_data_says_no_data() {
    let (times, _) = half_hours(4);
    let mut line = TimeSeriesChart::new("SL", times.clone());
    let mut all_missing = line.clone();
    all_missing.series = vec![LineSeries::new(
        "a",
        vec![None, Some(f64::NAN), Some(f64::NEG_INFINITY)],
    )];
    line.series.clear();
    let no_times = {
        let mut c = TimeSeriesChart::new("SL", vec![]);
        c.series = vec![LineSeries::new("a", vec![Some(1.0)])];
        c
    };
    let bar = BarChart::new("Reasons", vec!["lunch".into()], vec![None]);
    let stacked = BarChart {
        layout: BarLayout::Stacked,
        series: vec![],
        ..BarChart::new("x", vec![], vec![])
    };
    let hist = Histogram::new("Waits", vec![]);
    let hist_zero = Histogram::new(
        "Waits",
        vec![Bin {
            from: 0.0,
            to: 10.0,
            count: 0,
        }],
    );
    let hist_nan = Histogram::from_values("Waits", &[f64::NAN], None);
    for svg in [
        line.to_svg(),
        all_missing.to_svg(),
        no_times.to_svg(),
        bar.to_svg(),
        stacked.to_svg(),
        hist.to_svg(),
        hist_zero.to_svg(),
        hist_nan.to_svg(),
    ] {
        let els = check_svg(&svg);
        let msg = by_class(&els, "hc-no-data");
        assert_eq!(msg.len(), 1, "{svg}");
        assert_eq!(msg[0].text, "No data");
        assert!(
            els[0].attr("aria-label").unwrap().contains("No data"),
            "{svg}"
        );
    }
    // Sparkline: a dashed flat line, "No data" as its text alternative.
    let spark = Sparkline::new("SL trend", vec![None, None]).to_svg();
    let els = check_svg(&spark);
    assert_eq!(els[0].attr("aria-label"), Some("SL trend. No data"));
    assert_eq!(by_class(&els, "hc-no-data").len(), 1);
    // Bullet: bands drawn, no bar, "No data" where the value goes.
    let b = Bullet::new(
        "SL",
        None,
        Some(80.0),
        RagBands::higher_is_better(80.0, 70.0),
    )
    .to_svg();
    let els = check_svg(&b);
    assert!(by_class(&els, "hc-value-bar").is_empty());
    assert_eq!(by_class(&els, "hc-status")[0].text, "No data");
}

#[test]
fn empty_line_chart_summary_names_the_series() {
    let mut c = TimeSeriesChart::new("SL", vec![1, 2]);
    c.series = vec![LineSeries::new("Billing", vec![None, None])];
    let svg = c.to_svg();
    let els = check_svg(&svg);
    assert_eq!(els[0].attr("aria-label"), Some("SL. Billing: No data"));
}

#[test]
fn vertical_bars_with_values_and_target() {
    let mut c = BarChart::new(
        "Offered by queue",
        vec!["billing".into(), "faults".into(), "gold".into()],
        vec![Some(120.0), Some(45.0), Some(f64::NAN)],
    );
    c.format = NumberFormat::count();
    c.target = Some(TargetLine::new(100.0, "Forecast 100"));
    let svg = c.to_svg();
    let els = check_svg(&svg);
    let bars = by_class(&els, "hc-bar");
    assert_eq!(bars.len(), 2, "NaN draws no bar");
    let h = |e: &Element| e.attr("height").unwrap().parse::<f64>().unwrap();
    let ratio = h(bars[0]) / h(bars[1]);
    assert!((ratio - 120.0 / 45.0).abs() < 0.02, "{ratio}");
    let values: Vec<&str> = by_class(&els, "hc-value")
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(values, ["120", "45"]);
    let cats: Vec<&str> = by_class(&els, "hc-category")
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(cats, ["billing", "faults", "gold"]);
    assert!(svg.contains(">Forecast 100</text>"));
    assert_eq!(c.summary_text(), "billing: 120; faults: 45; Forecast 100");
}

#[test]
fn horizontal_bars_fit_long_labels() {
    let reasons = [
        "Lunch",
        "Coaching session with the team leader about quality",
        "Break",
    ];
    let mut c = BarChart::new(
        "Not-ready time",
        reasons.iter().map(|s| s.to_string()).collect(),
        vec![Some(3600.0), Some(1800.0), Some(900.0)],
    );
    c.orientation = Orientation::Horizontal;
    c.format = NumberFormat::seconds();
    c.size = Size::new(400.0, 160.0);
    let svg = c.to_svg();
    let els = check_svg(&svg);
    assert!(els[0].class_has("hc-horizontal"));
    let cats = by_class(&els, "hc-category");
    assert_eq!(cats[0].text, "Lunch");
    assert!(cats[1].text.ends_with('…'), "{}", cats[1].text);
    // The full label is the cut one's tooltip.
    let tip_index = els.iter().position(|e| std::ptr::eq(e, cats[1])).unwrap() + 1;
    assert_eq!(els[tip_index].name, "title");
    assert_eq!(els[tip_index].text, reasons[1]);
    let w = |e: &Element| e.attr("width").unwrap().parse::<f64>().unwrap();
    let bars = by_class(&els, "hc-bar");
    assert!((w(bars[0]) / w(bars[1]) - 2.0).abs() < 0.01);
}

#[test]
fn stacked_and_grouped_bars() {
    let mut c = BarChart::new("Contacts", vec!["Mon".into(), "Tue".into()], vec![]);
    c.series = vec![
        BarSeries::new("answered", vec![Some(80.0), Some(60.0)]),
        BarSeries::new("abandoned", vec![Some(20.0), Some(-5.0)]),
    ];
    c.layout = BarLayout::Stacked;
    let els = check_svg(&c.to_svg());
    let bars = by_class(&els, "hc-bar");
    assert_eq!(bars.len(), 4);
    let f = |e: &Element, a: &str| e.attr(a).unwrap().parse::<f64>().unwrap();
    // Mon: abandoned sits on top of answered.
    assert!((f(bars[1], "y") + f(bars[1], "height") - f(bars[0], "y")).abs() < 0.02);
    // Tue: the negative segment hangs below zero, where answered starts.
    assert!((f(bars[3], "y") - (f(bars[2], "y") + f(bars[2], "height"))).abs() < 0.02);
    assert_eq!(by_class(&els, "hc-legend-label").len(), 2);
    assert!(
        by_class(&els, "hc-value").is_empty(),
        "no value labels with several series"
    );
    c.layout = BarLayout::Grouped;
    let els = check_svg(&c.to_svg());
    let bars = by_class(&els, "hc-bar");
    assert!(f(bars[1], "x") > f(bars[0], "x"), "side by side");
    assert_eq!(f(bars[0], "width"), f(bars[1], "width"));
    assert_eq!(
        c.summary_text(),
        "Mon: answered 80, abandoned 20; Tue: answered 60, abandoned -5"
    );
}

#[test]
fn histogram_marks_the_threshold() {
    // Waits in seconds: 5 of 6 within 20 s.
    let waits = [0.0, 3.0, 8.0, 12.0, 19.0, 45.0];
    let mut h = Histogram::from_values("Wait distribution", &waits, Some(10.0));
    assert_eq!(
        h.bins,
        [
            Bin {
                from: 0.0,
                to: 10.0,
                count: 3
            },
            Bin {
                from: 10.0,
                to: 20.0,
                count: 2
            },
            Bin {
                from: 20.0,
                to: 30.0,
                count: 0
            },
            Bin {
                from: 30.0,
                to: 40.0,
                count: 0
            },
            Bin {
                from: 40.0,
                to: 50.0,
                count: 1
            },
        ]
    );
    h.format = NumberFormat::seconds();
    h.threshold = Some(TargetLine::new(20.0, "T = 20 s"));
    h.x_title = "Wait".into();
    let svg = h.to_svg();
    let els = check_svg(&svg);
    let bins = by_class(&els, "hc-bin");
    assert_eq!(bins.len(), 5);
    assert_eq!(by_class(&els, "hc-over").len(), 3);
    assert_eq!(by_class(&els, "hc-threshold").len(), 1);
    assert_eq!(
        h.summary_text(),
        "6 values; max 0 s–10 s: 3; T = 20 s: 83.3% ≤ 20 s"
    );
    // A threshold off the bin edges: no share claimed.
    h.threshold = Some(TargetLine::new(25.0, "T"));
    assert_eq!(h.summary_text(), "6 values; max 0 s–10 s: 3; T");
    assert_eq!(bins_from_values(&[], None), vec![]);
}

#[test]
fn sparkline_marks_the_last_point() {
    let mut s = Sparkline::new(
        "SL, 8 weeks",
        vec![Some(81.0), Some(79.5), None, Some(84.0), Some(86.5)],
    );
    s.format = NumberFormat::percent();
    s.target = Some(80.0);
    let svg = s.to_svg();
    let els = check_svg(&svg);
    assert_eq!(
        els[0].attr("aria-label"),
        Some("SL, 8 weeks. latest 86.5%, min 79.5%, max 86.5%, Target 80.0%")
    );
    let last = by_class(&els, "hc-last");
    assert_eq!(last.len(), 1);
    assert_eq!(els[0].attr("viewBox"), Some("0 0 100 24"));
    let d = by_class(&els, "hc-line")[0].attr("d").unwrap();
    assert_eq!(d.matches('M').count(), 2, "the gap splits the line: {d}");
    assert!(svg.contains("<title>SL, 8 weeks: 86.5%</title>"));
    // One value and a flat series draw too.
    check_svg(&Sparkline::new("one", vec![Some(3.0)]).to_svg());
    check_svg(&Sparkline::new("flat", vec![Some(0.0), Some(0.0)]).to_svg());
}

#[test]
fn bullet_shows_status_in_colour_icon_and_word() {
    let mut b = Bullet::new(
        "Service level",
        Some(72.4),
        Some(80.0),
        RagBands::higher_is_better(80.0, 70.0),
    );
    b.format = NumberFormat::percent();
    b.range = Some((0.0, 100.0));
    assert_eq!(b.status(), Some(Rag::Amber));
    let svg = b.to_svg();
    let els = check_svg(&svg);
    let bands: Vec<&str> = by_class(&els, "hc-band")
        .iter()
        .map(|e| e.attr("class").unwrap())
        .collect();
    assert_eq!(
        bands,
        [
            "hc-band hc-rag-red",
            "hc-band hc-rag-amber",
            "hc-band hc-rag-green"
        ]
    );
    let status = by_class(&els, "hc-status")[0];
    assert!(status.class_has("hc-rag-amber"));
    assert_eq!(status.text, "! 72.4%");
    assert!(svg.contains("<title>at risk</title>"));
    assert_eq!(
        els[0].attr("aria-label"),
        Some("Service level. 72.4% (at risk), Target 80.0%")
    );
    // Lower is better: abandon rate 3% is green; bands run green → red.
    let a = Bullet::new(
        "Abandon rate",
        Some(3.0),
        Some(5.0),
        RagBands::lower_is_better(5.0, 10.0),
    );
    let els = check_svg(&a.to_svg());
    assert_eq!(a.status(), Some(Rag::Green));
    assert!(by_class(&els, "hc-band")[0].class_has("hc-rag-green"));
    assert_eq!(by_class(&els, "hc-status")[0].text, "✓ 3");
    // Automatic range: 0 to a nice number above everything.
    let bar = by_class(&els, "hc-value-bar")[0];
    assert!(bar.attr("width").unwrap().parse::<f64>().unwrap() > 0.0);
}

#[test]
fn translated_words() {
    let strings = Strings {
        no_data: "无数据".into(),
        target: "目标".into(),
        ..Strings::default()
    };
    let mut c = BarChart::new("服务水平", vec![], vec![]);
    c.strings = strings.clone();
    assert!(c.to_svg().contains(">无数据</text>"));
    let mut l = sl_chart();
    l.strings = strings;
    assert!(l.to_svg().contains(">目标 80.0%</text>"));
}

#[test]
fn time_labels_at_the_ends_stay_inside_the_chart() {
    // The complaint trend's weeks: the last label was centred on the right edge and cut.
    let times: Vec<i64> = (0..5).map(|w| w * 7 * 86_400_000).collect();
    let labels: Vec<String> = (43..48).map(|w| format!("2026-W{w}")).collect();
    let mut c = TimeSeriesChart::new("Complaints by week", times);
    c.time_labels = labels;
    c.series = vec![LineSeries::new("billing dispute", vec![Some(3.0); 5])];
    c.size = Size::new(480.0, 220.0);
    let els = check_svg(&c.to_svg());
    let weeks: Vec<&Element> = els
        .iter()
        .filter(|e| e.class_has("hc-tick") && e.text.starts_with("2026-W"))
        .collect();
    assert_eq!(weeks.len(), 5);
    assert_eq!(weeks[4].text, "2026-W47");
    assert_eq!(weeks[4].attr("text-anchor"), Some("end"), "{:?}", weeks[4]);
    assert_eq!(weeks[2].attr("text-anchor"), Some("middle"));
    let x: f64 = weeks[4].attr("x").unwrap().parse().unwrap();
    assert!(x <= 480.0);
}
