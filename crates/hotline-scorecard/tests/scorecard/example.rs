//! The bundled telecom example and its organisation.

use hotline_scorecard::{
    evaluate, resolve, Definition, Level, NoData, Org, OwnerKey, Period, Status,
};

use crate::common::rec;

const ORG: &str = include_str!("../../examples/telecom-org.toml");

#[test]
fn the_example_validates_and_resolves() {
    let def = Definition::telecom_example();
    def.validate().unwrap();
    assert_eq!(Definition::from_toml(&def.to_toml()).unwrap(), def);
    let org = Org::from_toml(ORG).unwrap();
    let r = resolve(&def, &org).unwrap();
    assert_eq!(r.scorecards.len(), 1 + 1 + 5 + 10);
    let m = |level, id: &str, path: &str| {
        r.get(&OwnerKey::new(level, id))
            .unwrap()
            .measures()
            .map(|(_, _, m)| m.clone())
            .find(|m| m.path == path)
            .unwrap()
    };
    let sl = "customer.reach.service_level";
    assert_eq!(m(Level::Team, "gold", sl).target.value, 90.0);
    assert_eq!(
        m(Level::Agent, "gold.01", sl).target.from.to_string(),
        "team gold"
    );
    assert_eq!(m(Level::Team, "billing", sl).target.value, 80.0);
    let asa = "internal.speed.asa_s";
    assert_eq!(
        m(Level::Team, "tech", asa).target.from.to_string(),
        "department inbound"
    );
    let aht = "internal.efficiency.aht_s";
    assert_eq!(m(Level::Agent, "billing.02", aht).target.value, 380.0);
    assert_eq!(m(Level::Agent, "billing.01", aht).target.value, 330.0);
    assert_eq!(m(Level::Agent, "tech.01", aht).target.value, 420.0);
    let agent = r.get(&OwnerKey::new(Level::Agent, "general.01")).unwrap();
    let people = &agent.perspectives[3].objectives[1];
    assert_eq!(
        (people.id.as_str(), people.enabled.value),
        ("people", false)
    );
    assert_eq!(agent.perspectives[1].weight.value, 30.0);
    assert!(r.kpis().contains(&hotline_metrics::KpiId::Attrition));
}

#[test]
fn measures_not_fed_yet_say_so_and_do_not_count() {
    let def = Definition::telecom_example();
    let org = Org::from_toml(ORG).unwrap();
    let r = resolve(&def, &org).unwrap();
    let records = [
        rec(
            "1",
            "billing",
            Some("billing.01"),
            "2024-05-06T09:00:00+08:00",
            12,
            280,
            30,
            0,
        ),
        rec(
            "2",
            "billing",
            None,
            "2024-05-06T09:05:00+08:00",
            50,
            0,
            0,
            0,
        ),
    ];
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
    let eval = evaluate(
        &r,
        &[Period::month(2024, 5).unwrap()],
        &tz,
        records,
        Vec::<hotline_metrics::AgentStateInterval>::new(),
    )
    .unwrap();
    let c = eval.sets[0]
        .get(&OwnerKey::new(Level::Center, "10060"))
        .unwrap();
    let not_fed: Vec<&str> = c
        .measures()
        .filter(|m| matches!(m.no_data, Some(NoData::NotFedYet { .. })))
        .map(|m| m.kpi.as_str())
        .collect();
    assert_eq!(
        not_fed,
        [
            "csat",
            "fcr",
            "cost_per_contact",
            "schedule_adherence",
            "qa_score",
            "attrition"
        ]
    );
    for m in c.measures().filter(|m| m.no_data.is_some()) {
        assert_eq!(
            (m.status, m.score, m.effective_weight),
            (Status::NoData, None, 0.0)
        );
    }
    // Learning and growth has nothing fed: it is out of the total, whose weights
    // still add up to 1.
    assert_eq!(c.perspectives[3].score, None);
    let sum: f64 = c.measures().map(|m| m.effective_weight).sum();
    assert!((sum - 1.0).abs() < 1e-12, "{sum}");
    let sl = c.measure("customer.reach.service_level").unwrap();
    assert_eq!((sl.value, sl.status), (Some(50.0), Status::Red));
}
