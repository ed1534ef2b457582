//! The CSV and JSON forms.

use hotline_scorecard::{evaluate, resolve, to_csv, Definition, Org, Period};

use crate::common::{rec, tz};

fn tiny() -> Vec<hotline_scorecard::ScorecardSet> {
    let def = Definition::from_toml(
        r#"
name = "Tiny"
[[perspectives.internal.objectives]]
id = "speed"
name = "Speed, \"fast\""
[[perspectives.internal.objectives.measures]]
kpi = "aht_s"
target = 300
amber = 360
[[perspectives.internal.objectives.measures]]
kpi = "schedule_adherence"
target = 90
amber = 85
"#,
    )
    .unwrap();
    let org = Org::from_toml("id = \"c\"\nname = \"Tiny, Inc\"").unwrap();
    let r = resolve(&def, &org).unwrap();
    let records = [
        rec(
            "1",
            "q",
            Some("a"),
            "2024-03-04T09:00:00+01:00",
            5,
            200,
            40,
            0,
        ),
        rec(
            "2",
            "q",
            Some("a"),
            "2024-03-04T10:00:00+01:00",
            5,
            300,
            60,
            0,
        ),
    ];
    let states: [hotline_metrics::AgentStateInterval; 0] = [];
    evaluate(
        &r,
        &[Period::month(2024, 3).unwrap()],
        &tz(),
        records,
        states,
    )
    .unwrap()
    .sets
}

#[test]
fn csv() {
    // AHT (240 + 360) / 2 = 300: green, 100; adherence not fed.
    assert_eq!(
        to_csv(&tiny()),
        "period,level,owner,perspective,objective,kpi,value,target,status,weight,score,target_source,owner_name,unit,better,green,amber,green_source,amber_source,weight_source,effective_weight,no_data\n\
         2024-03,center,c,,,,,,,,100,,\"Tiny, Inc\",,,,,,,,1,\n\
         2024-03,center,c,internal,,,,,,1,100,,\"Tiny, Inc\",,,,,,,center,1,\n\
         2024-03,center,c,internal,speed,,,,,1,100,,\"Tiny, Inc\",,,,,,,center,1,\n\
         2024-03,center,c,internal,speed,aht_s,300,300,green,1,100,center,\"Tiny, Inc\",s,lower,300,360,center,center,center,1,\n\
         2024-03,center,c,internal,speed,schedule_adherence,,90,no_data,1,,center,\"Tiny, Inc\",%,higher,90,85,center,center,center,0,no data (not fed yet: WFM schedules module (hotline-wfm))\n"
    );
}

#[test]
fn json_shape() {
    let sets = tiny();
    let v = serde_json::to_value(&sets[0]).unwrap();
    assert_eq!(v["period"], "2024-03");
    assert_eq!(v["from"], "2024-03-01T00:00:00+01:00");
    let o = &v["owners"][0];
    assert_eq!(o["owner"]["key"], "center:c");
    assert_eq!(o["owner"]["parent"], serde_json::Value::Null);
    assert_eq!(o["score"], 100.0);
    assert_eq!(o["counts"]["no_data"], 1);
    let p = &o["perspectives"][0];
    assert_eq!(p["perspective"], "internal");
    assert_eq!(p["name"]["zh"], "内部运营");
    let m = &p["objectives"][0]["measures"][0];
    assert_eq!(m["kpi"], "aht_s");
    assert_eq!(m["name"]["es"], "Tiempo medio de gestión");
    assert_eq!(m["unit"], "seconds");
    assert_eq!(m["better"], "lower");
    assert_eq!(m["status"], "green");
    assert_eq!(m["target"]["value"], 300.0);
    assert_eq!(m["target"]["from"]["level"], "center");
    assert_eq!(
        m["target"]["from"]["key"],
        "perspectives.internal.objectives[0].measures[0].target"
    );
    let n = &p["objectives"][0]["measures"][1];
    assert_eq!(n["status"], "no_data");
    assert_eq!(n["no_data"]["reason"], "not_fed_yet");
    assert_eq!(n["no_data"]["by"], "WFM schedules module (hotline-wfm)");
    assert_eq!(n["value"], serde_json::Value::Null);
}
