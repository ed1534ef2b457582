//! The registry's formulas for KPIs whose inputs no module supplies yet (surveys,
//! evaluations, headcount, cost), so the module that will feed them computes exactly
//! the definition already published in `docs/kpis.md`. `None` when the denominator is
//! zero: no number rather than a made-up one.

/// CSAT: 100 × responses of 4 or 5 / responses, on a 1–5 scale. Responses outside
/// 1–5 are an error (the index of the first).
pub fn csat(responses: &[u8]) -> Result<Option<f64>, usize> {
    if let Some(i) = responses.iter().position(|r| !(1..=5).contains(r)) {
        return Err(i);
    }
    let top = responses.iter().filter(|&&r| r >= 4).count();
    Ok(ratio(top as f64, responses.len() as f64))
}

/// NPS: % promoters (9–10) − % detractors (0–6), on a 0–10 scale. Responses above 10
/// are an error (the index of the first).
pub fn nps(responses: &[u8]) -> Result<Option<f64>, usize> {
    if let Some(i) = responses.iter().position(|&r| r > 10) {
        return Err(i);
    }
    let promoters = responses.iter().filter(|&&r| r >= 9).count() as f64;
    let detractors = responses.iter().filter(|&&r| r <= 6).count() as f64;
    Ok(ratio(promoters - detractors, responses.len() as f64))
}

/// FCR: 100 × "resolved on the first contact" answers / answers.
pub fn fcr(resolved: u64, responses: u64) -> Option<f64> {
    ratio(resolved as f64, responses as f64)
}

/// Attrition: 100 × leavers / ((headcount at start + at end) / 2).
pub fn attrition(leavers: u64, headcount_start: u64, headcount_end: u64) -> Option<f64> {
    ratio(
        leavers as f64,
        (headcount_start + headcount_end) as f64 / 2.0,
    )
}

/// Shrinkage of paid time: 100 × (paid − available for contacts) / paid. `None` when
/// nothing was paid or more was available than paid.
pub fn shrinkage(paid_ms: i64, available_ms: i64) -> Option<f64> {
    if available_ms > paid_ms || available_ms < 0 {
        return None;
    }
    ratio((paid_ms - available_ms) as f64, paid_ms as f64)
}

/// Schedule adherence: 100 × minutes in the scheduled state at the scheduled time /
/// scheduled minutes.
pub fn schedule_adherence(adherent_ms: i64, scheduled_ms: i64) -> Option<f64> {
    if adherent_ms < 0 || adherent_ms > scheduled_ms {
        return None;
    }
    ratio(adherent_ms as f64, scheduled_ms as f64)
}

/// One category of a quality evaluation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QaCategory {
    /// Its weight (> 0).
    pub weight: f64,
    /// Its score, 0–100; `None` when it does not apply (N/A).
    pub score: Option<f64>,
    /// Whether failing it fails the whole evaluation.
    pub critical: bool,
    /// Whether it was failed.
    pub failed: bool,
}

/// QA score: the weighted mean of the categories that apply; 0 if a critical category
/// failed; `None` if none applies or a weight or score is out of range.
pub fn qa_score(categories: &[QaCategory]) -> Option<f64> {
    if categories.iter().any(|c| {
        c.weight.is_nan() || c.weight <= 0.0 || c.score.is_some_and(|s| !(0.0..=100.0).contains(&s))
    }) {
        return None;
    }
    if categories.iter().any(|c| c.critical && c.failed) {
        return Some(0.0);
    }
    let (sum, weights) = categories
        .iter()
        .filter_map(|c| c.score.map(|s| (s * c.weight, c.weight)))
        .fold((0.0, 0.0), |(a, b), (s, w)| (a + s, b + w));
    (weights > 0.0).then(|| sum / weights)
}

/// Cost per contact: total operating cost / handled contacts.
pub fn cost_per_contact(total_cost: f64, handled: u64) -> Option<f64> {
    (handled > 0 && total_cost.is_finite()).then(|| total_cost / handled as f64)
}

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| 100.0 * num / den)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survey_formulas() {
        // 3 of 5 answers are 4 or 5.
        assert_eq!(csat(&[5, 4, 3, 1, 4]), Ok(Some(60.0)));
        assert_eq!(csat(&[]), Ok(None));
        assert_eq!(csat(&[5, 0]), Err(1));
        // 4 promoters (9, 10, 10, 9), 3 detractors (0, 6, 3), 3 passives: 40 − 30.
        let r = [9, 10, 10, 9, 0, 6, 3, 7, 8, 7];
        assert!((nps(&r).unwrap().unwrap() - 10.0).abs() < 1e-9);
        assert_eq!(nps(&[11]), Err(0));
        assert_eq!(fcr(75, 100), Some(75.0));
        assert_eq!(fcr(0, 0), None);
    }

    #[test]
    fn people_and_cost_formulas() {
        // 6 leavers, headcount 110 → 90: average 100.
        assert_eq!(attrition(6, 110, 90), Some(6.0));
        assert_eq!(shrinkage(8 * 3_600_000, 6 * 3_600_000), Some(25.0));
        assert_eq!(shrinkage(1, 2), None);
        assert_eq!(schedule_adherence(450, 500), Some(90.0));
        assert_eq!(cost_per_contact(12_500.0, 2_500), Some(5.0));
        assert_eq!(cost_per_contact(1.0, 0), None);
    }

    #[test]
    fn qa_weighted_mean_na_and_critical() {
        let c = |weight, score, critical, failed| QaCategory {
            weight,
            score,
            critical,
            failed,
        };
        // (80·2 + 100·1) / 3, the N/A category left out.
        let e = [
            c(2.0, Some(80.0), false, false),
            c(1.0, Some(100.0), false, false),
            c(5.0, None, false, false),
        ];
        assert!((qa_score(&e).unwrap() - 260.0 / 3.0).abs() < 1e-9);
        let failed = [
            c(2.0, Some(80.0), false, false),
            c(1.0, Some(0.0), true, true),
        ];
        assert_eq!(qa_score(&failed), Some(0.0));
        assert_eq!(qa_score(&[c(1.0, None, false, false)]), None);
        assert_eq!(qa_score(&[c(0.0, Some(1.0), false, false)]), None);
    }
}
