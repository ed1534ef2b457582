//! CSV export: one line per owner total, perspective, objective and measure.

use crate::score::{source_text, ScorecardSet};

/// The CSV header.
pub const CSV_HEADER: &[&str] = &[
    "period",
    "level",
    "owner",
    "perspective",
    "objective",
    "kpi",
    "value",
    "target",
    "status",
    "weight",
    "score",
    "target_source",
    "owner_name",
    "unit",
    "better",
    "green",
    "amber",
    "green_source",
    "amber_source",
    "weight_source",
    "effective_weight",
    "no_data",
];

/// `sets` as CSV (header first). For each owner, in the org's tree order: a total
/// line (perspective, objective and kpi empty), then per perspective a line
/// (objective and kpi empty), per objective a line (kpi empty) and its measures.
/// Numbers have at most 4 decimals; scores are per cent (0–150); weights are as
/// defined (`weight`) and as a share of the owner's total (`effective_weight`); an
/// empty value is no data, and `no_data` says why.
pub fn to_csv(sets: &[ScorecardSet]) -> String {
    let mut out = String::new();
    line(&mut out, CSV_HEADER.iter().map(|s| (*s).to_owned()));
    for set in sets {
        let period = set.period.to_string();
        for o in &set.owners {
            let level = o.owner.key.level.to_string();
            let owner = o.owner.key.id.clone();
            let name = o.owner.name.clone();
            let row = |per: &str, obj: &str, kpi: &str| {
                vec![
                    period.clone(),
                    level.clone(),
                    owner.clone(),
                    per.to_owned(),
                    obj.to_owned(),
                    kpi.to_owned(),
                ]
            };
            let mut total = row("", "", "");
            total.extend([
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                num(o.score),
                String::new(),
                name.clone(),
            ]);
            total.extend(std::iter::repeat_n(String::new(), 7));
            total.push(num(o.score.map(|_| 1.0)));
            total.push(String::new());
            line(&mut out, total);
            for p in &o.perspectives {
                let mut r = row(p.perspective.as_str(), "", "");
                r.extend([
                    String::new(),
                    String::new(),
                    String::new(),
                    num(Some(p.weight.value)),
                    num(p.score),
                    String::new(),
                    name.clone(),
                ]);
                r.extend(std::iter::repeat_n(String::new(), 6));
                r.push(source_text(&p.weight.from));
                r.push(num(Some(p.effective_weight)));
                r.push(String::new());
                line(&mut out, r);
                for ob in &p.objectives {
                    let mut r = row(p.perspective.as_str(), &ob.id, "");
                    r.extend([
                        String::new(),
                        String::new(),
                        String::new(),
                        num(Some(ob.weight.value)),
                        num(ob.score),
                        String::new(),
                        name.clone(),
                    ]);
                    r.extend(std::iter::repeat_n(String::new(), 6));
                    r.push(source_text(&ob.weight.from));
                    r.push(num(Some(ob.effective_weight)));
                    r.push(String::new());
                    line(&mut out, r);
                    for m in &ob.measures {
                        let mut r = row(p.perspective.as_str(), &ob.id, m.kpi.as_str());
                        r.extend([
                            num(m.value),
                            num(Some(m.target.value)),
                            m.status.as_str().to_owned(),
                            num(Some(m.weight.value)),
                            num(m.score),
                            source_text(&m.target.from),
                            name.clone(),
                            m.unit.as_str().to_owned(),
                            m.better.as_str().to_owned(),
                            num(Some(m.green.value)),
                            num(Some(m.amber.value)),
                            source_text(&m.green.from),
                            source_text(&m.amber.from),
                            source_text(&m.weight.from),
                            num(Some(m.effective_weight)),
                            m.no_data.as_ref().map(|n| n.text()).unwrap_or_default(),
                        ]);
                        line(&mut out, r);
                    }
                }
            }
        }
    }
    out
}

/// A number with at most 4 decimals, trailing zeros dropped; empty for `None`.
pub fn num(v: Option<f64>) -> String {
    match v {
        None => String::new(),
        Some(v) => {
            let s = format!("{v:.4}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" {
                "0".into()
            } else {
                s.to_owned()
            }
        }
    }
}

fn line(out: &mut String, cells: impl IntoIterator<Item = String>) {
    for (i, c) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if c.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&c.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&c);
        }
    }
    out.push('\n');
}
