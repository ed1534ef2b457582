//! The pages rendered in each language with exact strings.

use std::collections::HashMap;

use askama::Template;
use hotline_metrics::complaints::ComplaintFilter;
use hotline_metrics::{BriefingSpec, ComplaintSpec, IsoWeek};
use hotline_scorecard::{Definition, Level, Org, OwnerKey, Period};
use jiff::civil::date;
use jiff::tz::TimeZone;

use super::texts::{texts, EN, ES, ZH_CN};
use super::views;
use crate::api::management::data::{DefinitionSource, Scorecards};
use crate::ui::i18n::Lang;
use crate::ui::page::Chrome;

fn chrome(lang: Lang) -> Chrome {
    Chrome::anonymous(lang, "x", "/x", "x")
}

#[test]
fn briefing_in_each_language() {
    let spec = BriefingSpec::new(date(2026, 11, 2), TimeZone::UTC);
    let b = hotline_metrics::morning_briefing(&spec, &[], &[], &Default::default()).unwrap();
    for (lang, title, note, print) in [
        (
            Lang::En,
            "Morning briefing",
            "No contacts were offered.",
            "Print / PDF",
        ),
        (Lang::ZhCn, "晨会简报", "当天没有进线。", "打印 / PDF"),
        (
            Lang::Es,
            "Informe matutino",
            "No se ofreció ningún contacto.",
            "Imprimir / PDF",
        ),
    ] {
        let html = views::briefing_page(chrome(lang), lang, &b)
            .render()
            .unwrap();
        assert!(
            html.contains(&format!("<h1>{title} <span class=\"mg-sub\">2026-11-02")),
            "{html}"
        );
        assert!(html.contains(&format!("<li>{note}</li>")), "{lang:?}");
        assert!(
            html.contains(&format!("data-print>{print}</button>")),
            "{lang:?}"
        );
        assert!(html.contains("/management/print.js"));
        assert!(html.contains("href=\"/briefing?date=2026-11-01\""));
        assert!(html.contains("<svg"));
    }
}

#[test]
fn notes_are_translated_from_their_data() {
    use hotline_metrics::briefing::NoteKind;
    let k = NoteKind::QueueMissed {
        queue: "faults".into(),
        value: 25.0,
        target: 70.0,
        offered: 4,
    };
    assert_eq!(
        views::note_text(&k, Lang::En),
        "faults: service level 25.0% missed its 70% target (4 offered)."
    );
    assert_eq!(
        views::note_text(&k, Lang::ZhCn),
        "faults：服务水平 25.0% 未达到其 70% 目标（进线 4）。"
    );
    assert_eq!(
        views::note_text(&k, Lang::Es),
        "faults: el nivel de servicio 25.0% no alcanzó su objetivo de 70% (4 ofrecidas)."
    );
    let k = NoteKind::Busiest {
        label: "08:00–08:30".into(),
        offered: 4,
    };
    assert_eq!(
        views::note_text(&k, Lang::En),
        "Busiest interval: 08:00–08:30 with 4 offered."
    );
}

#[test]
fn complaints_in_each_language() {
    let spec = ComplaintSpec::new(
        IsoWeek::new(2026, 45).unwrap(),
        TimeZone::UTC,
        ComplaintFilter::queues(["Complaints"]),
    );
    let a = hotline_metrics::weekly_complaints(&spec, &[]).unwrap();
    for lang in Lang::ALL {
        let t = texts(lang);
        let html = views::complaints_page(chrome(lang), lang, &a, &["Complaints".into()], true)
            .render()
            .unwrap();
        assert!(
            html.contains(&format!(
                "<h1>{} <span class=\"mg-sub\">2026-W45",
                t.complaints_title
            )),
            "{html}"
        );
        assert!(html.contains("value=\"2026-W45\""));
        assert!(html.contains("href=\"/complaints?week=2026-W44\""));
        assert!(html.contains(&format!("<h2 id=\"mg-repeat\">{}</h2>", t.repeat_callers)));
    }
    let html = views::complaints_page(chrome(Lang::En), Lang::En, &a, &["Complaints".into()], true)
        .render()
        .unwrap();
    assert!(
        html.contains("Complaint queues: Complaints; also every contact with type = complaint.")
    );
}

fn cards() -> Scorecards {
    let def = Definition::telecom_example();
    let org = Org::from_toml(include_str!(
        "../../../../hotline-scorecard/examples/telecom-org.toml"
    ))
    .unwrap();
    let resolved = hotline_scorecard::resolve(&def, &org).unwrap();
    let period = Period::month(2026, 11).unwrap();
    let eval = hotline_scorecard::evaluate(
        &resolved,
        &period.trailing(7),
        &TimeZone::UTC,
        Vec::<hotline_metrics::ContactRecord>::new(),
        Vec::<hotline_metrics::AgentStateInterval>::new(),
    )
    .unwrap();
    Scorecards {
        sets: eval.sets,
        source: DefinitionSource {
            source: "example",
            id: None,
            created_at: None,
            created_by: None,
            format: "toml",
        },
        skipped: Vec::new(),
        ids: HashMap::new(),
        person_ids: HashMap::new(),
    }
}

#[test]
fn scorecard_in_each_language() {
    let cards = cards();
    let center = OwnerKey::new(Level::Center, "10060");
    for (lang, example, export) in [
        (Lang::En, EN.definition_example, "Export CSV"),
        (Lang::ZhCn, ZH_CN.definition_example, "导出 CSV"),
        (Lang::Es, ES.definition_example, "Exportar CSV"),
    ] {
        let html = views::scorecard_page(chrome(lang), lang, &cards, &center, true, &[])
            .unwrap()
            .render()
            .unwrap();
        assert!(html.contains(example), "{lang:?}");
        assert!(html.contains(&format!("download>{export}</a>")), "{lang:?}");
        assert!(
            html.contains("href=\"/scorecard?period=2026-11&#38;owner=department%3Ainbound\""),
            "{html}"
        );
        assert!(html.contains("hc-bullet"));
        assert!(html.contains("hc-sparkline"));
    }
    let html = views::scorecard_page(chrome(Lang::En), Lang::En, &cards, &center, true, &[])
        .unwrap()
        .render()
        .unwrap();
    assert!(html.contains("set by the center"), "{html}");
    assert!(html.contains("<span aria-hidden=\"true\">–</span> no data"));
    // A team sees its own target's provenance; an agent's card has no drill-down.
    let gold = OwnerKey::new(Level::Team, "gold");
    let html = views::scorecard_page(chrome(Lang::En), Lang::En, &cards, &gold, true, &[])
        .unwrap()
        .render()
        .unwrap();
    assert!(html.contains("set by team gold"), "{html}");
    assert!(html.contains("inherited from the center"));
    let agent = OwnerKey::new(Level::Agent, "gold.01");
    let html = views::scorecard_page(chrome(Lang::ZhCn), Lang::ZhCn, &cards, &agent, false, &[])
        .unwrap()
        .render()
        .unwrap();
    assert!(!html.contains("mg-children"));
    assert!(html.contains("继承自中心"));
}

#[test]
fn modules_not_built_yet_are_named_in_the_page_language() {
    assert_eq!(views::module_name("quality module", Lang::ZhCn), "质检模块");
    assert_eq!(
        views::module_name("surveys module", Lang::Es),
        "módulo de encuestas"
    );
    assert_eq!(
        views::module_name("people module (HR)", Lang::En),
        "people module (HR)"
    );
    // A module the table does not know stays as the registry names it.
    assert_eq!(views::module_name("telepathy", Lang::ZhCn), "telepathy");
}
