//! The pages' view models: every number formatted and every text translated here, so
//! the templates only place strings; charts are SVG strings from `hotline-charts`.

use askama::Template;
use hotline_charts::{
    BarChart, Bullet, LineSeries, NumberFormat, Orientation, RagBands, Sparkline, TargetLine,
    TimeSeriesChart, XTick,
};
use hotline_metrics::briefing::{NoteKind, Status, Target};
use hotline_metrics::{Briefing, ComplaintAnalysis, KpiId, Unit};
use hotline_scorecard::{Better, Level, MeasureResult, NoData, OwnerKey, Period, Source};

use super::texts::{texts, MgmtTexts};
use crate::api::management::data::Scorecards;
use crate::ui::i18n::{fill, Lang};
use crate::ui::page::{encode, Chrome};

fn num(v: f64, decimals: usize) -> String {
    format!("{v:.decimals$}")
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{}%", num(v, 1)))
}

fn secs(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{} s", num(v, 0)))
}

fn kpi_name(kpi: KpiId, lang: Lang) -> &'static str {
    let n = &kpi.def().names;
    match lang {
        Lang::En => n.en,
        Lang::ZhCn => n.zh,
        Lang::Es => n.es,
    }
}

fn kpi_value(kpi: KpiId, v: Option<f64>) -> String {
    match kpi.def().unit {
        Unit::Percent => pct(v),
        Unit::Seconds => secs(v),
        Unit::Count => v.map_or_else(|| "–".into(), |v| num(v, 0)),
        _ => v.map_or_else(|| "–".into(), |v| num(v, 2)),
    }
}

fn target_text(kpi: KpiId, t: &Target) -> String {
    match *t {
        Target::AtLeast(x) => format!("≥ {}", kpi_value(kpi, Some(x))),
        Target::AtMost(x) => format!("≤ {}", kpi_value(kpi, Some(x))),
        Target::Between(a, b) => format!(
            "{}–{}",
            kpi_value(kpi, Some(a.min(b))),
            kpi_value(kpi, Some(a.max(b)))
        ),
    }
}

/// A status as class, icon and word (never colour alone).
#[derive(Clone, Debug)]
pub struct StatusView {
    /// `good`, `warn`, `bad`, `none`.
    pub class: &'static str,
    /// ✓ ! ✕ –.
    pub icon: &'static str,
    /// The word.
    pub word: &'static str,
}

fn briefing_status(s: Status, t: &MgmtTexts) -> StatusView {
    match s {
        Status::Met => StatusView {
            class: "good",
            icon: "✓",
            word: t.met,
        },
        Status::Missed => StatusView {
            class: "bad",
            icon: "✕",
            word: t.missed,
        },
        Status::NoData => StatusView {
            class: "none",
            icon: "–",
            word: t.no_data,
        },
        Status::NoTarget => StatusView {
            class: "none",
            icon: "·",
            word: t.no_target,
        },
    }
}

fn delta_text(
    kpi: KpiId,
    d: Option<&hotline_metrics::briefing::Delta>,
    t: &MgmtTexts,
) -> (String, &'static str) {
    let Some(d) = d else {
        return ("–".into(), "");
    };
    let Some(c) = d.change else {
        return ("–".into(), "");
    };
    let unit = match kpi.def().unit {
        Unit::Percent => " pp",
        Unit::Seconds => " s",
        _ => "",
    };
    let decimals = if kpi.def().unit == Unit::Percent {
        1
    } else {
        0
    };
    let sign = if c > 0.0 { "+" } else { "" };
    let (word, class) = match d.better {
        Some(true) => (format!(" ({})", t.better), "good"),
        Some(false) => (format!(" ({})", t.worse), "bad"),
        None => (String::new(), ""),
    };
    (format!("{sign}{}{unit}{word}", num(c, decimals)), class)
}

/// One headline row.
#[derive(Clone, Debug)]
pub struct HeadRow {
    pub name: &'static str,
    pub value: String,
    pub target: String,
    pub status: StatusView,
    pub previous: String,
    pub previous_class: &'static str,
    pub week: String,
    pub week_class: &'static str,
}

/// One queue row.
#[derive(Clone, Debug)]
pub struct QueueView {
    pub name: String,
    pub offered: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub sl: String,
    pub target: String,
    pub status: StatusView,
    pub asa: String,
    pub aht: String,
    pub abandon_rate: String,
}

/// One interval row.
#[derive(Clone, Debug)]
pub struct IntervalView {
    pub label: String,
    pub offered: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub sl: String,
    pub asa: String,
}

/// One reason row.
#[derive(Clone, Debug)]
pub struct ReasonView {
    pub reason: String,
    pub hours: String,
    pub share: String,
}

/// `/briefing`.
#[derive(Template)]
#[template(path = "briefing.html")]
pub struct BriefingPage {
    pub chrome: Chrome,
    pub m: &'static MgmtTexts,
    pub date: String,
    pub heading: String,
    pub previous_href: String,
    pub next_href: String,
    pub headline: Vec<HeadRow>,
    pub queues: Vec<QueueView>,
    pub sl_chart: String,
    pub offered_chart: String,
    pub worst: Vec<IntervalView>,
    pub reasons: Vec<ReasonView>,
    pub reasons_chart: String,
    pub notes: Vec<String>,
}

fn reason_name(reason: &str, t: &MgmtTexts) -> String {
    if reason == hotline_metrics::briefing::NO_REASON {
        t.no_reason.into()
    } else {
        reason.into()
    }
}

/// A note in the page's language, from its data.
pub fn note_text(kind: &NoteKind, lang: Lang) -> String {
    let t = texts(lang);
    match kind {
        NoteKind::NoContacts => t.note_no_contacts.into(),
        NoteKind::ServiceLevel {
            value,
            target,
            met,
            poor_intervals,
            intervals_with_contacts,
            poor_under,
        } => fill(
            if *met {
                t.note_sl_met
            } else {
                t.note_sl_missed
            },
            &[
                ("value", &pct(Some(*value))),
                ("target", &format!("{}%", trim(*target))),
                ("poor", &poor_intervals.to_string()),
                ("intervals", &intervals_with_contacts.to_string()),
                ("under", &format!("{}%", trim(*poor_under))),
            ],
        ),
        NoteKind::TargetMissed { kpi, value, target } => fill(
            t.note_target_missed,
            &[
                ("kpi", kpi_name(*kpi, lang)),
                ("value", &kpi_value(*kpi, Some(*value))),
                ("target", &target_text(*kpi, target)),
            ],
        ),
        NoteKind::QueueMissed {
            queue,
            value,
            target,
            offered,
        } => fill(
            t.note_queue_missed,
            &[
                ("queue", queue),
                ("value", &pct(Some(*value))),
                ("target", &format!("{}%", trim(*target))),
                ("offered", &offered.to_string()),
            ],
        ),
        NoteKind::Busiest { label, offered } => fill(
            t.note_busiest,
            &[("label", label), ("offered", &offered.to_string())],
        ),
        NoteKind::TopNotReady {
            reason,
            hours,
            share_pct,
        } => fill(
            t.note_top_not_ready,
            &[
                ("reason", &reason_name(reason, t)),
                ("hours", &num(*hours, 1)),
                ("share", &pct(*share_pct)),
            ],
        ),
        NoteKind::VolumeChange {
            offered,
            previous,
            change_pct,
        } => match change_pct {
            Some(c) => fill(
                t.note_volume,
                &[
                    ("offered", &offered.to_string()),
                    (
                        "change",
                        &format!("{}{}%", if *c > 0.0 { "+" } else { "" }, num(*c, 1)),
                    ),
                    ("previous", &previous.to_string()),
                ],
            ),
            None => fill(t.note_volume_new, &[("offered", &offered.to_string())]),
        },
    }
}

fn trim(v: f64) -> String {
    if v.fract() == 0.0 {
        num(v, 0)
    } else {
        let s = num(v, 2);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn times_ms(rows: &[hotline_metrics::briefing::IntervalRow]) -> Vec<i64> {
    rows.iter()
        .map(|r| {
            r.start
                .parse::<jiff::Timestamp>()
                .map(|t| t.as_millisecond())
                .unwrap_or(0)
        })
        .collect()
}

fn hour_ticks(rows: &[hotline_metrics::briefing::IntervalRow], times: &[i64]) -> Vec<XTick> {
    rows.iter()
        .zip(times)
        .enumerate()
        .filter(|(i, _)| i % 6 == 0)
        .map(|(_, (r, at))| XTick {
            at: *at,
            label: r.label.split('–').next().unwrap_or("").to_string(),
        })
        .collect()
}

/// Builds `/briefing`.
pub fn briefing_page(chrome: Chrome, lang: Lang, b: &Briefing) -> BriefingPage {
    let t = texts(lang);
    let strings = t.chart_strings();
    let headline = b
        .headline
        .iter()
        .map(|h| {
            let (previous, previous_class) = delta_text(h.kpi, h.previous_day.as_ref(), t);
            let (week, week_class) = delta_text(h.kpi, h.same_weekday_last_week.as_ref(), t);
            HeadRow {
                name: kpi_name(h.kpi, lang),
                value: kpi_value(h.kpi, h.value),
                target: h
                    .target
                    .as_ref()
                    .map_or_else(|| "–".into(), |x| target_text(h.kpi, x)),
                status: briefing_status(h.status, t),
                previous,
                previous_class,
                week,
                week_class,
            }
        })
        .collect();
    let queues = b
        .queues
        .iter()
        .map(|q| QueueView {
            name: q.queue.clone(),
            offered: q.offered,
            answered: q.answered,
            abandoned: q.abandoned,
            sl: pct(q.service_level),
            target: format!(
                "{}% / {} s",
                trim(q.service_level_target_pct),
                trim(q.threshold_s)
            ),
            status: briefing_status(q.status, t),
            asa: secs(q.asa_s),
            aht: secs(q.aht_s),
            abandon_rate: pct(q.abandon_rate),
        })
        .collect();
    let times = times_ms(&b.timeline);
    let labels: Vec<String> = b.timeline.iter().map(|r| r.label.clone()).collect();
    let sl_target = b
        .headline
        .iter()
        .find(|h| h.kpi == KpiId::ServiceLevel)
        .and_then(|h| match h.target {
            Some(Target::AtLeast(x)) => Some(x),
            _ => None,
        });
    let mut sl = TimeSeriesChart::new(t.sl_by_interval, times.clone());
    sl.time_labels = labels.clone();
    sl.x_ticks = hour_ticks(&b.timeline, &times);
    sl.series.push(LineSeries::new(
        t.service_level,
        b.timeline.iter().map(|r| r.service_level).collect(),
    ));
    sl.format = NumberFormat::percent();
    sl.y_max = Some(100.0);
    sl.target = sl_target.map(|x| TargetLine::new(x, format!("{} {}%", t.chart_target, trim(x))));
    sl.strings = strings.clone();
    let mut offered = TimeSeriesChart::new(t.offered_by_interval, times.clone());
    offered.time_labels = labels;
    offered.x_ticks = hour_ticks(&b.timeline, &times);
    offered.series.push(LineSeries::new(
        t.offered,
        b.timeline.iter().map(|r| Some(r.offered as f64)).collect(),
    ));
    offered.format = NumberFormat::count();
    offered.strings = strings.clone();
    let mut reasons_chart = BarChart::new(
        t.not_ready_chart,
        b.not_ready
            .iter()
            .map(|r| reason_name(&r.reason, t))
            .collect(),
        b.not_ready.iter().map(|r| Some(r.hours)).collect(),
    );
    reasons_chart.orientation = Orientation::Horizontal;
    reasons_chart.strings = strings;
    let date = b.date.clone();
    let shift = |days: i64| {
        date.parse::<jiff::civil::Date>()
            .ok()
            .and_then(|d| d.checked_add(jiff::Span::new().days(days)).ok())
            .map_or_else(String::new, |d| format!("/briefing?date={d}"))
    };
    BriefingPage {
        chrome,
        m: t,
        heading: fill(t.day_of, &[("date", &b.date), ("zone", &b.time_zone)]),
        previous_href: shift(-1),
        next_href: shift(1),
        date: b.date.clone(),
        headline,
        queues,
        sl_chart: sl.to_svg(),
        offered_chart: offered.to_svg(),
        worst: b
            .worst_intervals
            .iter()
            .map(|r| IntervalView {
                label: r.label.clone(),
                offered: r.offered,
                answered: r.answered,
                abandoned: r.abandoned,
                sl: pct(r.service_level),
                asa: secs(r.asa_s),
            })
            .collect(),
        reasons: b
            .not_ready
            .iter()
            .map(|r| ReasonView {
                reason: reason_name(&r.reason, t),
                hours: num(r.hours, 2),
                share: pct(r.share_of_logged_in_pct),
            })
            .collect(),
        reasons_chart: reasons_chart.to_svg(),
        notes: b.notes.iter().map(|n| note_text(&n.kind, lang)).collect(),
    }
}

// ---------------------------------------------------------------------------------------

/// A share row.
#[derive(Clone, Debug)]
pub struct ShareView {
    pub name: String,
    pub count: u64,
    pub share: String,
}

/// A rising category.
#[derive(Clone, Debug)]
pub struct RisingView {
    pub category: String,
    pub this_week: u64,
    pub previous_mean: String,
    pub change: String,
}

/// A repeat caller.
#[derive(Clone, Debug)]
pub struct RepeatView {
    pub customer: String,
    pub complaints: u64,
    pub multiple: &'static str,
    pub earlier: u64,
    pub categories: String,
    pub first: String,
    pub last: String,
}

/// A service row.
#[derive(Clone, Debug)]
pub struct ServiceView {
    pub queue: String,
    pub offered: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub sl: String,
    pub asa: String,
    pub abandon_rate: String,
}

/// `/complaints`.
#[derive(Template)]
#[template(path = "complaints.html")]
pub struct ComplaintsPage {
    pub chrome: Chrome,
    pub m: &'static MgmtTexts,
    pub week: String,
    pub heading: String,
    pub previous_href: String,
    pub next_href: String,
    pub queues_note: String,
    pub complaints: u64,
    pub customers: u64,
    pub by_category: Vec<ShareView>,
    pub by_queue: Vec<ShareView>,
    pub category_chart: String,
    pub queue_chart: String,
    pub trend_chart: String,
    pub rising: Vec<RisingView>,
    pub show_customers: bool,
    pub repeat: Vec<RepeatView>,
    pub service: Vec<ServiceView>,
}

fn category_name(c: &str, t: &MgmtTexts) -> String {
    if c == hotline_metrics::complaints::UNCATEGORISED {
        t.uncategorised.into()
    } else {
        c.into()
    }
}

fn local(rfc3339: &str) -> String {
    // `2026-11-16T09:15:00+08:00` → `2026-11-16 09:15`.
    let s: String = rfc3339.chars().take(16).collect();
    s.replace('T', " ")
}

/// Builds `/complaints`.
pub fn complaints_page(
    chrome: Chrome,
    lang: Lang,
    a: &ComplaintAnalysis,
    queues: &[String],
    show_customers: bool,
) -> ComplaintsPage {
    let t = texts(lang);
    let strings = t.chart_strings();
    let shares = |v: &[hotline_metrics::complaints::Share], cat: bool| -> Vec<ShareView> {
        v.iter()
            .map(|s| ShareView {
                name: if cat {
                    category_name(&s.name, t)
                } else {
                    s.name.clone()
                },
                count: s.count,
                share: pct(Some(s.share_pct)),
            })
            .collect()
    };
    let by_category = shares(&a.by_category, true);
    let by_queue = shares(&a.by_queue, false);
    let bar_strings = strings.clone();
    let bar = |title: &str, rows: &[ShareView]| {
        let mut c = BarChart::new(
            title,
            rows.iter().map(|r| r.name.clone()).collect(),
            rows.iter().map(|r| Some(r.count as f64)).collect(),
        );
        c.orientation = Orientation::Horizontal;
        c.format = NumberFormat::count();
        c.strings = bar_strings.clone();
        c.to_svg()
    };
    let times: Vec<i64> = a
        .trend
        .weeks
        .iter()
        .map(|w| {
            w.from
                .parse::<jiff::Timestamp>()
                .map(|t| t.as_millisecond())
                .unwrap_or(0)
        })
        .collect();
    let mut trend = TimeSeriesChart::new(t.trend_chart, times.clone());
    trend.time_labels = a.trend.weeks.iter().map(|w| w.week.clone()).collect();
    trend.x_ticks = a
        .trend
        .weeks
        .iter()
        .zip(&times)
        .map(|(w, at)| XTick {
            at: *at,
            label: w.week.clone(),
        })
        .collect();
    for c in &a.trend.categories {
        trend.series.push(LineSeries::new(
            category_name(&c.category, t),
            c.counts.iter().map(|n| Some(*n as f64)).collect(),
        ));
    }
    trend.format = NumberFormat::count();
    trend.strings = strings;
    let week = a.week.clone();
    let shift = |n: i64| -> String {
        crate::api::management::data::parse_week(&week)
            .ok()
            .and_then(|w| w.monday().ok())
            .and_then(|d| d.checked_add(jiff::Span::new().days(7 * n)).ok())
            .map_or_else(String::new, |d| {
                format!("/complaints?week={}", hotline_metrics::IsoWeek::of(d))
            })
    };
    ComplaintsPage {
        chrome,
        m: t,
        heading: format!("{} ({} – {})", a.week, local(&a.from), local(&a.to)),
        previous_href: shift(-1),
        next_href: shift(1),
        week: a.week.clone(),
        queues_note: if queues.is_empty() {
            t.complaint_queues_none.into()
        } else {
            fill(t.complaint_queues, &[("queues", &queues.join(", "))])
        },
        complaints: a.complaints,
        customers: a.customers,
        category_chart: bar(t.by_category, &by_category),
        queue_chart: bar(t.by_queue, &by_queue),
        by_category,
        by_queue,
        trend_chart: trend.to_svg(),
        rising: a
            .rising
            .iter()
            .map(|r| RisingView {
                category: category_name(&r.category, t),
                this_week: r.this_week,
                previous_mean: num(r.previous_mean, 2),
                change: match r.change_pct {
                    Some(p) => format!(
                        "+{} ({}{}%)",
                        num(r.change, 2),
                        if p > 0.0 { "+" } else { "" },
                        num(p, 1)
                    ),
                    None => format!("+{} ({})", num(r.change, 2), t.new_category),
                },
            })
            .collect(),
        show_customers,
        repeat: a
            .repeat_callers
            .iter()
            .map(|r| RepeatView {
                customer: if show_customers {
                    r.customer.clone()
                } else {
                    "•••".into()
                },
                complaints: r.complaints,
                multiple: if r.multiple_complaints { t.yes } else { t.no },
                earlier: r.earlier_contacts,
                categories: r
                    .categories
                    .iter()
                    .map(|c| category_name(c, t))
                    .collect::<Vec<_>>()
                    .join(", "),
                first: local(&r.first_complaint),
                last: local(&r.last_complaint),
            })
            .collect(),
        service: a
            .service_by_queue
            .iter()
            .chain(std::iter::once(&a.service))
            .map(|s| ServiceView {
                queue: s.queue.clone().unwrap_or_else(|| t.total.into()),
                offered: s.offered,
                answered: s.answered,
                abandoned: s.abandoned,
                sl: pct(s.service_level),
                asa: secs(s.asa_s),
                abandon_rate: pct(s.abandon_rate),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------

/// One measure of a scorecard.
#[derive(Clone, Debug)]
pub struct MeasureView {
    pub name: String,
    pub value: String,
    pub target: String,
    pub status: StatusView,
    pub no_data: String,
    pub weight: String,
    pub score: String,
    pub provenance: String,
    pub bullet: String,
    pub sparkline: String,
}

/// One objective.
#[derive(Clone, Debug)]
pub struct ObjectiveView {
    pub name: String,
    pub score: String,
    pub measures: Vec<MeasureView>,
}

/// One perspective.
#[derive(Clone, Debug)]
pub struct PerspectiveView {
    pub name: String,
    pub score: String,
    pub objectives: Vec<ObjectiveView>,
}

/// A link (breadcrumb, child, period).
#[derive(Clone, Debug)]
pub struct LinkView {
    pub href: String,
    pub label: String,
    pub detail: String,
}

/// `/scorecard`.
#[derive(Template)]
#[template(path = "scorecard.html")]
pub struct ScorecardPage {
    pub chrome: Chrome,
    pub m: &'static MgmtTexts,
    pub period: String,
    pub owner_param: String,
    pub heading: String,
    pub level: &'static str,
    pub total: String,
    pub counts: String,
    pub definition_note: String,
    pub skipped: String,
    pub breadcrumbs: Vec<LinkView>,
    pub perspectives: Vec<PerspectiveView>,
    pub children: Vec<LinkView>,
    pub quick: Vec<LinkView>,
    pub csv_href: String,
}

fn level_name(l: Level, t: &MgmtTexts) -> &'static str {
    match l {
        Level::Center => t.level_center,
        Level::Department => t.level_department,
        Level::Team => t.level_team,
        Level::Agent => t.level_agent,
    }
}

fn level_word(l: Level, t: &MgmtTexts) -> String {
    level_name(l, t).to_lowercase()
}

fn source_text(s: &Source, t: &MgmtTexts) -> String {
    match (&s.owner, s.level) {
        (_, Level::Center) => t.source_center.into(),
        (None, l) => fill(t.source_every, &[("level", &level_word(l, t))]),
        (Some(o), l) => fill(
            t.source_owner,
            &[("level", &level_word(l, t)), ("owner", o)],
        ),
    }
}

fn sc_status(s: hotline_scorecard::Status, t: &MgmtTexts) -> StatusView {
    use hotline_scorecard::Status as S;
    match s {
        S::Green => StatusView {
            class: "good",
            icon: "✓",
            word: t.green,
        },
        S::Amber => StatusView {
            class: "warn",
            icon: "!",
            word: t.amber,
        },
        S::Red => StatusView {
            class: "bad",
            icon: "✕",
            word: t.red,
        },
        S::NoData => StatusView {
            class: "none",
            icon: "–",
            word: t.no_data,
        },
    }
}

fn unit_value(unit: Unit, v: Option<f64>) -> String {
    match unit {
        Unit::Percent => pct(v),
        Unit::Seconds => secs(v),
        Unit::Count => v.map_or_else(|| "–".into(), trim),
        Unit::Hours => v.map_or_else(|| "–".into(), |v| format!("{} h", num(v, 1))),
        _ => v.map_or_else(|| "–".into(), |v| num(v, 2)),
    }
}

fn unit_format(unit: Unit) -> NumberFormat {
    match unit {
        Unit::Percent => NumberFormat::percent(),
        Unit::Seconds => NumberFormat::seconds(),
        Unit::Count => NumberFormat::count(),
        _ => NumberFormat::plain(),
    }
}

fn score_text(s: Option<f64>) -> String {
    s.map_or_else(|| "–".into(), |s| num(s, 1))
}

fn measure_view(
    m: &MeasureResult,
    level: Level,
    trend: &[Option<f64>],
    lang: Lang,
    t: &'static MgmtTexts,
) -> MeasureView {
    let name = m.name.get(lang.tag()).to_string();
    let target = m.target.value;
    let bands = match m.better {
        Better::Higher => RagBands::higher_is_better(m.green.value, m.amber.value),
        Better::Lower => RagBands::lower_is_better(m.green.value, m.amber.value),
        _ => {
            // Near the target: the bands of the side the value is on.
            if m.value.is_some_and(|v| v > target) {
                RagBands::lower_is_better(target + m.green.value, target + m.amber.value)
            } else {
                RagBands::higher_is_better(target - m.green.value, target - m.amber.value)
            }
        }
    };
    let mut bullet = Bullet::new(name.clone(), m.value, Some(target), bands);
    bullet.format = unit_format(m.unit);
    bullet.strings = t.chart_strings();
    let mut spark = Sparkline::new(name.clone(), trend.to_vec());
    spark.target = Some(target);
    spark.format = unit_format(m.unit);
    spark.strings = t.chart_strings();
    let src = source_text(&m.target.from, t);
    MeasureView {
        value: unit_value(m.unit, m.value),
        target: unit_value(m.unit, Some(target)),
        status: sc_status(m.status, t),
        no_data: match &m.no_data {
            Some(NoData::NotFedYet { by }) => {
                fill(t.no_data_not_fed, &[("by", module_name(by, lang))])
            }
            Some(NoData::NotApplicable) => t.no_data_not_applicable.into(),
            Some(NoData::NothingInPeriod) => t.no_data_nothing.into(),
            None => String::new(),
        },
        weight: trim(m.weight.value),
        score: score_text(m.score),
        provenance: if m.target.inherited_at(level) {
            fill(t.inherited, &[("source", &src)])
        } else {
            fill(t.own_setting, &[("source", &src)])
        },
        bullet: bullet.to_svg(),
        sparkline: spark.to_svg(),
        name,
    }
}

fn owner_href(period: &Period, key: &OwnerKey) -> String {
    format!(
        "/scorecard?period={period}&owner={}",
        encode(&key.to_string())
    )
}

/// Builds `/scorecard` for `key` (`None` when the set has no such owner).
pub fn scorecard_page(
    chrome: Chrome,
    lang: Lang,
    cards: &Scorecards,
    key: &OwnerKey,
    drill_down: bool,
    quick: &[(&'static str, Option<Period>)],
) -> Option<ScorecardPage> {
    let t = texts(lang);
    let set = cards.current();
    let o = set.get(key)?;
    let level = key.level;
    let trend = hotline_scorecard::trend(&cards.sets, key);
    let series = |path: &str| -> Vec<Option<f64>> {
        trend
            .points
            .iter()
            .map(|p| {
                p.measures
                    .iter()
                    .find(|m| m.path == path)
                    .and_then(|m| m.value)
            })
            .collect()
    };
    let perspectives = o
        .perspectives
        .iter()
        .map(|p| PerspectiveView {
            name: p.name.get(lang.tag()).to_string(),
            score: score_text(p.score),
            objectives: p
                .objectives
                .iter()
                .map(|ob| ObjectiveView {
                    name: ob.name.get(lang.tag()).to_string(),
                    score: score_text(ob.score),
                    measures: ob
                        .measures
                        .iter()
                        .map(|m| measure_view(m, level, &series(&m.path), lang, t))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let mut breadcrumbs: Vec<LinkView> = Vec::new();
    if drill_down {
        for a in &o.owner.ancestors {
            let name = set
                .get(a)
                .map_or_else(|| a.id.clone(), |x| x.owner.name.clone());
            breadcrumbs.push(LinkView {
                href: owner_href(&set.period, a),
                label: name,
                detail: level_name(a.level, t).into(),
            });
        }
    }
    let children = if drill_down {
        set.children(key)
            .map(|c| LinkView {
                href: owner_href(&set.period, &c.owner.key),
                label: c.owner.name.clone(),
                detail: format!(
                    "{} · {} {}",
                    level_name(c.owner.key.level, t),
                    t.total_score,
                    score_text(c.score)
                ),
            })
            .collect()
    } else {
        Vec::new()
    };
    let owner_param = key.to_string();
    let counts = fill(
        t.counts_line,
        &[
            ("green", &o.counts.green.to_string()),
            ("amber", &o.counts.amber.to_string()),
            ("red", &o.counts.red.to_string()),
            ("no_data", &o.counts.no_data.to_string()),
        ],
    );
    Some(ScorecardPage {
        chrome,
        m: t,
        period: set.period.to_string(),
        heading: format!("{} · {}", o.owner.name, set.period),
        level: level_name(level, t),
        total: score_text(o.score),
        counts,
        definition_note: match cards.source.id {
            None => t.definition_example.into(),
            Some(id) => fill(
                t.definition_stored,
                &[
                    ("id", &id.to_string()),
                    (
                        "at",
                        &local(cards.source.created_at.as_deref().unwrap_or("")),
                    ),
                ],
            ),
        },
        // Configuration notes are for those who can change it, not for an agent's own card.
        skipped: if cards.skipped.is_empty() || !drill_down {
            String::new()
        } else {
            fill(
                t.skipped_overrides,
                &[(
                    "list",
                    &cards
                        .skipped
                        .iter()
                        .map(|s| format!("{} = {}", s.path, s.value))
                        .collect::<Vec<_>>()
                        .join(", "),
                )],
            )
        },
        breadcrumbs,
        perspectives,
        children,
        quick: quick
            .iter()
            .filter_map(|(label, p)| {
                p.map(|p| LinkView {
                    href: format!("/scorecard?period={p}&owner={}", encode(&owner_param)),
                    label: (*label).into(),
                    detail: p.to_string(),
                })
            })
            .collect(),
        csv_href: format!(
            "/api/v1/scorecard.csv?period={}&owner={}",
            set.period,
            encode(&owner_param)
        ),
        owner_param,
    })
}

/// The name of the module that will feed a KPI (the registry names it in English).
pub(super) fn module_name(by: &str, lang: Lang) -> &str {
    let names: &[(&str, &str, &str)] = &[
        ("surveys module", "调查模块", "módulo de encuestas"),
        (
            "finance module (operating costs)",
            "财务模块（运营成本）",
            "módulo financiero (costes operativos)",
        ),
        (
            "WFM schedules module (hotline-wfm)",
            "排班模块（hotline-wfm）",
            "módulo de turnos WFM (hotline-wfm)",
        ),
        ("quality module", "质检模块", "módulo de calidad"),
        (
            "people module (HR)",
            "人事模块（HR）",
            "módulo de personal (RR. HH.)",
        ),
    ];
    match names.iter().find(|(en, _, _)| *en == by) {
        Some((en, zh, es)) => match lang {
            Lang::En => en,
            Lang::ZhCn => zh,
            Lang::Es => es,
        },
        None => by,
    }
}
