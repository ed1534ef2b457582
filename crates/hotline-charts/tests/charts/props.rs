//! Property tests: any input — finite or not, any text, any size — gives a well-formed
//! SVG with finite numbers, and ticks always cover their range.

use hotline_charts::{
    nice_ticks, BarChart, BarLayout, BarSeries, Bin, Bullet, Histogram, LineSeries, Orientation,
    RagBands, Size, Sparkline, TargetLine, TimeSeriesChart, XTick,
};
use proptest::prelude::*;

use crate::xml::check_svg;

fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1000.0..1000.0f64,
        proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO,
        Just(f64::MAX),
        Just(-f64::MAX),
        Just(0.0),
    ]
}

fn any_value() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        4 => finite().prop_map(Some),
        1 => Just(None),
        1 => Just(Some(f64::NAN)),
        1 => Just(Some(f64::INFINITY)),
        1 => Just(Some(f64::NEG_INFINITY)),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z ]{0,12}",
        any::<String>(),
        Just(r#"<&"'>"#.to_owned()),
        Just("服务水平 ✓".to_owned()),
    ]
}

fn size() -> impl Strategy<Value = Size> {
    (finite(), finite()).prop_map(|(w, h)| Size::new(w, h))
}

fn target() -> impl Strategy<Value = Option<TargetLine>> {
    proptest::option::of((finite(), text()).prop_map(|(v, l)| TargetLine::new(v, l)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn ticks_cover_the_range(a in finite(), b in finite(), k in 1usize..20) {
        let t = nice_ticks(a, b, k);
        prop_assert!(t.values.iter().all(|v| v.is_finite()));
        prop_assert!(t.values.len() >= 2 && t.values.len() <= k.max(1) + 1, "{t:?}");
        prop_assert!(t.values.windows(2).all(|w| w[0] < w[1]), "{t:?}");
        let (lo, hi) = (a.min(b).clamp(-1e300, 1e300), a.max(b).clamp(-1e300, 1e300));
        prop_assert!(t.lo <= lo && t.hi >= hi, "{t:?} for {lo}..{hi}");
    }

    #[test]
    fn line_charts_are_valid(
        times in proptest::collection::vec(any::<i64>(), 0..30),
        series in proptest::collection::vec((text(), proptest::collection::vec(any_value(), 0..30)), 0..4),
        labels in proptest::collection::vec(text(), 0..30),
        ticks in proptest::collection::vec((any::<i64>(), text()), 0..5),
        title in text(),
        size in size(),
        target in target(),
        y_min in proptest::option::of(finite()),
        y_max in proptest::option::of(finite()),
        x_range in proptest::option::of((any::<i64>(), any::<i64>())),
    ) {
        let mut times = times;
        times.sort_unstable();
        let mut c = TimeSeriesChart::new(title, times);
        c.series = series.into_iter().map(|(n, v)| LineSeries::new(n, v)).collect();
        c.time_labels = labels;
        c.x_ticks = ticks.into_iter().map(|(at, label)| XTick { at, label }).collect();
        c.size = size;
        c.target = target;
        c.y_min = y_min;
        c.y_max = y_max;
        c.x_range = x_range;
        check_svg(&c.to_svg());
    }

    #[test]
    fn bar_charts_are_valid(
        categories in proptest::collection::vec(text(), 0..8),
        series in proptest::collection::vec((text(), proptest::collection::vec(any_value(), 0..8)), 0..4),
        stacked in any::<bool>(),
        horizontal in any::<bool>(),
        size in size(),
        target in target(),
        title in text(),
    ) {
        let mut c = BarChart::new(title, categories, vec![]);
        c.series = series.into_iter().map(|(n, v)| BarSeries::new(n, v)).collect();
        c.layout = if stacked { BarLayout::Stacked } else { BarLayout::Grouped };
        c.orientation = if horizontal { Orientation::Horizontal } else { Orientation::Vertical };
        c.size = size;
        c.target = target;
        check_svg(&c.to_svg());
    }

    #[test]
    fn histograms_are_valid(
        values in proptest::collection::vec(prop_oneof![finite(), Just(f64::NAN), Just(f64::INFINITY)], 0..40),
        width in proptest::option::of(finite()),
        bins in proptest::collection::vec((any_value(), any_value(), any::<u64>()), 0..6),
        use_values in any::<bool>(),
        threshold in target(),
        size in size(),
    ) {
        let mut h = if use_values {
            let h = Histogram::from_values("waits", &values, width);
            let n = values.iter().filter(|v| v.is_finite()).count() as u64;
            prop_assert_eq!(h.bins.iter().map(|b| b.count).sum::<u64>(), n);
            prop_assert!(h.bins.len() <= 1000);
            h
        } else {
            Histogram::new("bins", bins.into_iter().map(|(a, b, count)| Bin {
                from: a.unwrap_or(0.0),
                to: b.unwrap_or(1.0),
                count,
            }).collect())
        };
        h.threshold = threshold;
        h.size = size;
        check_svg(&h.to_svg());
    }

    #[test]
    fn sparklines_and_bullets_are_valid(
        values in proptest::collection::vec(any_value(), 0..30),
        label in text(),
        target in any_value(),
        value in any_value(),
        green in finite(),
        amber in finite(),
        lower in any::<bool>(),
        range in proptest::option::of((finite(), finite())),
        size in size(),
    ) {
        let mut s = Sparkline::new(label.clone(), values);
        s.target = target;
        s.size = size;
        check_svg(&s.to_svg());
        let bands = if lower {
            RagBands::lower_is_better(green, amber)
        } else {
            RagBands::higher_is_better(green, amber)
        };
        let mut b = Bullet::new(label, value, target, bands);
        b.range = range;
        b.size = size;
        check_svg(&b.to_svg());
    }
}
