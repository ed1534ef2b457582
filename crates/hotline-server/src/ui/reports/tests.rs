//! The reports page drawn from a hand-made table in each language.

use askama::Template;
use hotline_metrics::report::{ReportStats, Row};
use hotline_metrics::{KpiId, KpiParams, ReportTable};

use super::{view, Form, Outcome};
use crate::api::reports::WaitBins;
use crate::error::{ApiError, Code};
use crate::ui::i18n::Lang;
use crate::ui::page::Chrome;

fn table() -> ReportTable {
    let row = |start: Option<&str>, q: &str, v: [Option<f64>; 3]| Row {
        interval_start: start.map(str::to_owned),
        groups: vec![Some(q.to_owned())],
        values: v.to_vec(),
    };
    ReportTable {
        interval: "30m".into(),
        time_zone: "Asia/Shanghai".into(),
        from: "2026-03-02T16:00:00+08:00".into(),
        to: "2026-03-02T17:00:00+08:00".into(),
        group_by: vec!["queue".into()],
        kpis: vec![KpiId::Offered, KpiId::ServiceLevel, KpiId::AsaS],
        params: KpiParams::default(),
        rows: vec![
            row(
                Some("2026-03-02T16:00:00+08:00"),
                "Billing <enquiries>",
                [Some(3.0), Some(100.0 / 3.0), Some(20.0)],
            ),
            row(
                Some("2026-03-02T16:30:00+08:00"),
                "Billing <enquiries>",
                [Some(0.0), None, None],
            ),
        ],
        totals: vec![row(
            None,
            "Billing <enquiries>",
            [Some(3.0), Some(100.0 / 3.0), Some(20.0)],
        )],
        total: Row {
            interval_start: None,
            groups: vec![None],
            values: vec![Some(3.0), Some(100.0 / 3.0), Some(20.0)],
        },
        stats: ReportStats {
            records: 3,
            ..ReportStats::default()
        },
    }
}

fn render(lang: Lang, outcome: Result<Outcome, ApiError>) -> String {
    let form = Form {
        from: "2026-03-02".into(),
        to: "2026-03-03".into(),
        interval: "30m".into(),
        by: "queue".into(),
        kpis: vec!["offered".into(), "service_level".into(), "asa_s".into()],
        queue: Some("Billing <enquiries>".into()),
        team: None,
    };
    let chrome = Chrome::anonymous(lang, super::texts(lang).title, "/reports", "reports");
    let page = view(
        chrome,
        lang,
        &form,
        &["Billing <enquiries>".to_owned(), "Complaints".to_owned()],
        &["Team 1".to_owned()],
        false,
        outcome,
        "/api/v1/reports?from=2026-03-02&format=csv".into(),
    );
    page.render().expect("renders")
}

fn outcome() -> Outcome {
    let mut waits = WaitBins::default();
    for ms in [10_000, 30_000, 40_000] {
        waits.add(ms);
    }
    Outcome {
        table: table(),
        waits,
        threshold_ms: 20_000,
    }
}

#[test]
fn the_page_shows_the_table_with_units_and_the_charts_in_english() {
    let html = render(Lang::En, Ok(outcome()));
    assert!(html.contains("<title>Reports · Hotline</title>"), "{html}");
    assert!(html.contains(r#"<html lang="en">"#));
    // The form keeps the choices; KPIs carry their definition; unfed ones are shown as such.
    assert!(
        html.contains(r#"<input id="r-from" name="from" type="date" value="2026-03-02" required>"#)
    );
    assert!(html.contains(r#"<option value="30m" selected>30 min</option>"#));
    assert!(html.contains(r#"<option value="Billing &#60;enquiries&#62;" selected>Billing &#60;enquiries&#62;</option>"#), "{html}");
    assert!(html.contains(r#"<input type="checkbox" name="kpi" value="service_level" checked> Service level (of offered)"#), "{html}");
    assert!(html.contains(
        r#"title="contacts that entered a queue in the interval, whatever their outcome""#
    ));
    assert!(html.contains(r#"<input type="checkbox" name="kpi" value="csat" disabled> Customer satisfaction (CSAT) <span class="not-fed">(not fed yet)</span>"#), "{html}");
    // The table: headings with units, formatted values, "–" for undefined, totals.
    assert!(
        html.contains(r#"<th scope="col" class="num">Average speed of answer (s)</th>"#),
        "{html}"
    );
    assert!(html.contains(r#"<tr><th scope="row">16:00</th><td>Billing &#60;enquiries&#62;</td><td class="num">3</td><td class="num">33.3%</td><td class="num">20.0 s</td></tr>"#), "{html}");
    assert!(html.contains(r#"<tr><th scope="row">16:30</th><td>Billing &#60;enquiries&#62;</td><td class="num">0</td><td class="num">–</td><td class="num">–</td></tr>"#), "{html}");
    assert!(html.contains(r#"<tr class="total"><th scope="row">Total</th>"#));
    assert!(html.contains("Times in Asia/Shanghai; 3 contacts."));
    assert!(
        html.contains(r#"href="/api/v1/reports?from=2026-03-02&#38;format=csv""#)
            || html.contains(r#"href="/api/v1/reports?from=2026-03-02&amp;format=csv""#),
        "{html}"
    );
    // Charts: a line and a bar per KPI, and the waits with the threshold.
    assert_eq!(html.matches("hc-line-chart").count(), 3);
    assert_eq!(html.matches("hc-bar-chart").count(), 3);
    assert!(html.contains("hc-histogram"));
    assert!(html.contains("Service level threshold 20 s"));
    assert!(html.contains("Offered contacts by interval"));
}

#[test]
fn the_page_in_chinese_and_spanish() {
    let html = render(Lang::ZhCn, Ok(outcome()));
    assert!(html.contains("<title>报表 · Hotline</title>"));
    assert!(html.contains(r#"<option value="30m" selected>30 分钟</option>"#));
    assert!(
        html.contains(r#"<th scope="col" class="num">平均应答速度 (s)</th>"#),
        "{html}"
    );
    assert!(html.contains("时间按 Asia/Shanghai；共 3 个联络。"));
    assert!(html.contains("服务水平阈值 20 秒"));
    assert!(html.contains(">下载 CSV</a>"));
    assert!(html.contains("(暂无数据来源)"));
    let html = render(Lang::Es, Ok(outcome()));
    assert!(html.contains("<title>Informes · Hotline</title>"));
    assert!(
        html.contains(r#"<th scope="col" class="num">Velocidad media de respuesta (s)</th>"#),
        "{html}"
    );
    assert!(html.contains("Horas en Asia/Shanghai; 3 contactos."));
    assert!(html.contains(">Generar informe</button>"));
    assert!(html.contains("Umbral del nivel de servicio 20 s"));
}

#[test]
fn an_error_is_shown_instead_of_a_result() {
    let e = ApiError::new(Code::InvalidField, "interval = \"7m\" is not allowed")
        .with_field("interval");
    let html = render(Lang::En, Err(e));
    assert!(html.contains(r#"<p class="error-box" role="alert" id="report-error">interval = &#34;7m&#34; is not allowed</p>"#), "{html}");
    assert!(!html.contains("report-table"));
}
