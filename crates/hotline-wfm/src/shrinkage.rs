//! Shrinkage: the share of paid time in which an agent is not available for contacts
//! (breaks, training, meetings, absence). Required agents are the ones on the phones;
//! the schedule must hold `required ÷ (1 − shrinkage)` people — dividing, because
//! shrinkage is a share of the scheduled time, not of the required time
//! (`× (1 + shrinkage)` understaffs: 30% shrinkage on 14 agents needs 20, not 19).

use crate::WfmError;

/// A shrinkage fraction in `[0, 1)`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Shrinkage(f64);

impl Shrinkage {
    pub fn new(value: f64) -> Result<Self, WfmError> {
        if value.is_finite() && (0.0..1.0).contains(&value) {
            Ok(Shrinkage(value))
        } else {
            Err(WfmError::invalid(
                "shrinkage",
                value,
                "a fraction from 0 (inclusive) to 1 (exclusive)",
            ))
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }

    /// The smallest whole number of scheduled agents `S` with `S·(1 − shrinkage) ≥
    /// required`. A relative slack of 1e-9 keeps floating-point noise from adding a
    /// person (14 / 0.7 must be 20, not 21).
    pub fn scheduled(self, required: u32) -> u32 {
        let exact = f64::from(required) / (1.0 - self.0);
        let rounded = (exact * (1.0 - 1e-9)).ceil();
        // required <= u32::MAX and 1/(1 - s) is finite; saturate rather than wrap.
        if rounded >= f64::from(u32::MAX) {
            u32::MAX
        } else {
            rounded as u32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Shrinkage;

    #[test]
    fn divides_by_one_minus_shrinkage() {
        assert_eq!(Shrinkage::new(0.3).unwrap().scheduled(14), 20);
        assert_eq!(Shrinkage::new(0.0).unwrap().scheduled(14), 14);
        assert_eq!(Shrinkage::new(0.35).unwrap().scheduled(100), 154);
        assert_eq!(Shrinkage::new(0.5).unwrap().scheduled(7), 14);
        assert_eq!(Shrinkage::new(0.25).unwrap().scheduled(10), 14);
    }

    #[test]
    fn refuses_one_and_negative() {
        assert!(Shrinkage::new(1.0).is_err());
        assert!(Shrinkage::new(-0.1).is_err());
        assert!(Shrinkage::new(f64::NAN).is_err());
    }
}
