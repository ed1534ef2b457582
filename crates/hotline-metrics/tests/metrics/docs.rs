//! `docs/kpis.md` is the registry written out: generated, and checked here so it
//! cannot drift. `HOTLINE_BLESS=1` rewrites it.

use std::path::PathBuf;

use hotline_metrics::kpi::{markdown, Availability, Direction, KpiId, REGISTRY};

#[test]
fn kpis_md_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/kpis.md");
    let want = markdown();
    if std::env::var_os("HOTLINE_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/kpis.md is stale: regenerate it with\n  HOTLINE_BLESS=1 cargo nextest run -p hotline-metrics kpis_md_is_current"
    );
}

#[test]
fn the_registry_is_complete_and_consistent() {
    assert_eq!(REGISTRY.len(), KpiId::ALL.len());
    for (def, &id) in REGISTRY.iter().zip(KpiId::ALL) {
        assert_eq!(def.id, id, "registry order");
        assert_eq!(KpiId::parse(id.as_str()), Some(id));
        assert_eq!(id.def().id, id);
        for text in [
            def.names.en,
            def.names.zh,
            def.names.es,
            def.formula,
            def.variant,
            def.source,
        ] {
            assert!(!text.trim().is_empty(), "{id}: an empty text");
        }
        assert!(
            def.names
                .zh
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{id}: Chinese name"
        );
    }
    // What the issue asks for, at least.
    for id in [
        "offered",
        "answered",
        "abandoned",
        "service_level",
        "service_level_answered",
        "service_level_sl2",
        "asa_s",
        "aht_s",
        "abandon_rate",
        "abandon_rate_excl_short",
        "answer_rate",
        "occupancy",
        "utilisation",
        "transfer_rate",
        "callback_rate",
        "contacts_per_agent_hour",
        "fcr",
        "csat",
        "nps",
        "attrition",
        "shrinkage",
        "schedule_adherence",
        "qa_score",
        "cost_per_contact",
    ] {
        assert!(KpiId::parse(id).is_some(), "{id}");
    }
    // Not fed yet: named, never computed.
    let not_fed: Vec<&str> = REGISTRY
        .iter()
        .filter(|d| matches!(d.availability, Availability::NotFedYet { .. }))
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(
        not_fed,
        [
            "fcr",
            "csat",
            "nps",
            "attrition",
            "shrinkage",
            "schedule_adherence",
            "qa_score",
            "cost_per_contact"
        ]
    );
    assert_eq!(KpiId::Occupancy.def().direction, Direction::NearTarget);
    assert_eq!(KpiId::AbandonRate.def().direction, Direction::LowerIsBetter);
    assert!(KpiId::Utilisation
        .def()
        .variant
        .contains("Hotline's definition"));
}
