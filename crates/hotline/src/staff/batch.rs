//! A day (or any list) of staffing cases from CSV: every row is validated first and
//! nothing is written unless all of them are good.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use anyhow::{Context, Result};

use super::case::{Basis, Case, FieldError, Inputs, Model, Outcome, INPUT_FIELDS, RESULT_COLUMNS};
use super::render;
use crate::InputError;

/// At most this many row errors are printed; the count of the rest follows.
const SHOWN_ERRORS: usize = 50;

/// A column of the input: one of the known inputs, or a column copied through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Input(&'static str),
    Passthrough,
}

fn classify(header: &str) -> Column {
    let key = header.trim().to_ascii_lowercase().replace('-', "_");
    INPUT_FIELDS
        .iter()
        .find(|f| **f == key)
        .map_or(Column::Passthrough, |f| Column::Input(f))
}

fn number(field: &str, text: &str) -> Result<f64, FieldError> {
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| FieldError::new(field, format!("\"{text}\" is not a number")))
}

fn set(inputs: &mut Inputs, field: &str, text: &str) -> Result<(), FieldError> {
    let slot = match field {
        "model" => {
            inputs.model = Some(Model::parse(text).ok_or_else(|| {
                FieldError::new(field, format!("\"{text}\" is not {}", Model::ALLOWED))
            })?);
            return Ok(());
        }
        "sl_basis" => {
            inputs.sl_basis = Some(Basis::parse(text).ok_or_else(|| {
                FieldError::new(field, format!("\"{text}\" is not one of offered, answered"))
            })?);
            return Ok(());
        }
        "calls" => &mut inputs.calls,
        "interval" => &mut inputs.interval,
        "aht" => &mut inputs.aht,
        "load" => &mut inputs.load,
        "answer_within" => &mut inputs.answer_within,
        "target_sl" => &mut inputs.target_sl,
        "target_asa" => &mut inputs.target_asa,
        "max_occupancy" => &mut inputs.max_occupancy,
        "max_abandon" => &mut inputs.max_abandon,
        "shrinkage" => &mut inputs.shrinkage,
        "patience" => &mut inputs.patience,
        "agents" => &mut inputs.agents,
        "target_blocking" => &mut inputs.target_blocking,
        "lines" => &mut inputs.lines,
        _ => return Ok(()),
    };
    *slot = Some(number(field, text)?);
    Ok(())
}

struct Row {
    line: u64,
    record: csv::StringRecord,
    case: Case,
    outcome: Outcome,
}

pub fn run(input: &Path, output: Option<&Path>, defaults: &Inputs, json: bool) -> Result<()> {
    let mut text = String::new();
    if input == Path::new("-") {
        io::stdin()
            .read_to_string(&mut text)
            .context("reading standard input")?;
    } else {
        File::open(input)
            .and_then(|mut f| f.read_to_string(&mut text))
            .map_err(|e| InputError(format!("{}: {e}", input.display())))?;
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| InputError(format!("{}: header: {e}", input.display())))?
        .clone();
    if headers.is_empty() {
        return Err(InputError(format!(
            "{}: the file is empty; the first line must name the columns",
            input.display()
        ))
        .into());
    }
    let columns: Vec<Column> = headers.iter().map(classify).collect();
    for (i, c) in columns.iter().enumerate() {
        if let Column::Input(name) = c {
            if columns[..i].contains(c) {
                return Err(InputError(format!(
                    "{}: column {name} appears twice in the header",
                    input.display()
                ))
                .into());
            }
        }
    }
    let passthrough: Vec<usize> = (0..columns.len())
        .filter(|&i| columns[i] == Column::Passthrough)
        .collect();
    if !passthrough.is_empty() {
        let names: Vec<&str> = passthrough.iter().map(|&i| &headers[i]).collect();
        eprintln!(
            "note: copied to the output unchanged (not inputs): {}",
            names.join(", ")
        );
    }

    let default_model = defaults.model.unwrap_or(Model::ErlangC);
    let mut rows = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let mut inputs = defaults.clone();
        let mut row_errors = Vec::new();
        for (column, cell) in columns.iter().zip(record.iter()) {
            if let (Column::Input(field), false) = (column, cell.is_empty()) {
                if let Err(e) = set(&mut inputs, field, cell) {
                    row_errors.push(e);
                }
            }
        }
        // Validate even when a cell did not parse, so the row's other problems show
        // too; a field that did not parse is not reported again as missing.
        match Case::from_inputs(&inputs, default_model)
            .and_then(|case| case.answer().map(|o| (case, o)).map_err(|e| vec![e]))
        {
            Ok((case, outcome)) if row_errors.is_empty() => rows.push(Row {
                line,
                record,
                case,
                outcome,
            }),
            Ok(_) => {}
            Err(es) => {
                let unparsed: Vec<String> = row_errors.iter().map(|e| e.field.clone()).collect();
                row_errors.extend(es.into_iter().filter(|e| !unparsed.contains(&e.field)));
            }
        }
        errors.extend(
            row_errors
                .iter()
                .map(|e| format!("line {line}, {}: {}", e.field, e.message)),
        );
    }
    if !errors.is_empty() {
        let mut message = format!(
            "{}: {} problem(s); nothing was written",
            input.display(),
            errors.len()
        );
        for e in errors.iter().take(SHOWN_ERRORS) {
            message.push_str("\n  ");
            message.push_str(e);
        }
        if errors.len() > SHOWN_ERRORS {
            message.push_str(&format!("\n  … and {} more", errors.len() - SHOWN_ERRORS));
        }
        return Err(InputError(message).into());
    }
    if rows.is_empty() {
        return Err(InputError(format!("{}: no rows after the header", input.display())).into());
    }

    // Result columns: those any row produced, minus those the input already has (the
    // value goes into the input's own column, e.g. a given `agents`).
    let produced: Vec<&'static str> = RESULT_COLUMNS
        .iter()
        .copied()
        .filter(|key| {
            rows.iter()
                .any(|r| r.outcome.columns().iter().any(|(k, _)| k == key))
        })
        .collect();
    let header_names: Vec<String> = headers
        .iter()
        .map(|h| h.trim().to_ascii_lowercase().replace('-', "_"))
        .collect();
    let added: Vec<&'static str> = produced
        .iter()
        .copied()
        .filter(|k| !header_names.iter().any(|h| h == k))
        .collect();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let results = row.outcome.columns();
            let lookup = |key: &str| {
                results
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.clone())
            };
            let mut cells: Vec<String> = record_cells(&row.record, &header_names, &lookup);
            cells.extend(added.iter().map(|k| lookup(k).unwrap_or_default()));
            cells
        })
        .collect();
    let mut out_header: Vec<String> = headers.iter().map(str::to_string).collect();
    out_header.extend(added.iter().map(|s| s.to_string()));

    if let Some(path) = output {
        write_csv(path, &out_header, &table)?;
        eprintln!("wrote {} row(s) to {}", rows.len(), path.display());
    }
    if json {
        let objects: Vec<serde_json::Map<String, serde_json::Value>> = table
            .iter()
            .map(|cells| {
                out_header
                    .iter()
                    .zip(cells)
                    .map(|(k, v)| (k.clone(), json_cell(v)))
                    .collect()
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&objects)?);
    } else if output.is_none() {
        let label_header: Vec<String> = passthrough
            .iter()
            .map(|&i| headers[i].to_string())
            .collect();
        let plan: Vec<(u64, Vec<String>, Case, Outcome)> = rows
            .iter()
            .map(|r| {
                (
                    r.line,
                    passthrough
                        .iter()
                        .map(|&i| r.record[i].to_string())
                        .collect(),
                    r.case,
                    r.outcome,
                )
            })
            .collect();
        print!("{}", render::plan(&plan, &label_header));
    }
    Ok(())
}

/// A CSV cell as JSON: whole numbers as integers, other numbers as numbers, empty
/// cells as null, anything else as text.
fn json_cell(text: &str) -> serde_json::Value {
    if text.is_empty() {
        return serde_json::Value::Null;
    }
    if let Ok(n) = text.parse::<i64>() {
        return n.into();
    }
    text.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or_else(
            || serde_json::Value::String(text.to_string()),
            serde_json::Value::Number,
        )
}

/// The input row as written, except that a result column the input already had
/// (agents, lines, model) shows the value used.
fn record_cells(
    record: &csv::StringRecord,
    header_names: &[String],
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Vec<String> {
    record
        .iter()
        .zip(header_names)
        .map(
            |(cell, name)| match RESULT_COLUMNS.contains(&name.as_str()) {
                true => lookup(name).unwrap_or_else(|| cell.to_string()),
                false => cell.to_string(),
            },
        )
        .collect()
}

/// Writes to a temporary file beside the target and renames it, so a failure never
/// leaves half a plan behind.
fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("plan.csv")
    ));
    // A device (`/dev/null`, `/dev/stdout`) is written in place: a rename over it would
    // replace the device node itself.
    if crate::import::output::writes_in_place(path) {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(|| format!("opening {}", path.display()))?;
        let mut writer = csv::Writer::from_writer(io::BufWriter::new(file));
        writer.write_record(header)?;
        for row in rows {
            writer.write_record(row)?;
        }
        writer.flush()?;
        return Ok(());
    }
    {
        let file = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        let mut writer = csv::Writer::from_writer(io::BufWriter::new(file));
        writer.write_record(header)?;
        for row in rows {
            writer.write_record(row)?;
        }
        let mut inner = writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", tmp.display()))?;
        inner.flush()?;
        inner.get_ref().sync_all()?;
    }
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn any_field() -> impl Strategy<Value = &'static str> {
        proptest::sample::select(INPUT_FIELDS)
    }

    proptest! {
        // Whatever a spreadsheet holds, a cell becomes a value or a named error, and
        // the case validator answers with a case or a list of named errors: no panic.
        #[test]
        fn any_cells_give_a_case_or_named_errors(cells in proptest::collection::vec((any_field(), "\\PC{0,12}|-?[0-9]{0,7}(\\.[0-9]{0,4})?|NaN|inf|1e400"), 0..12)) {
            let mut inputs = Inputs::default();
            for (field, text) in &cells {
                if let Err(e) = set(&mut inputs, field, text) {
                    prop_assert_eq!(&e.field, field);
                    prop_assert!(!e.message.is_empty());
                }
            }
            match Case::from_inputs(&inputs, Model::ErlangC) {
                Ok(case) => {
                    // Answering may fail (an unreachable target) but must name a field.
                    if let Err(e) = case.answer() {
                        prop_assert!(!e.field.is_empty());
                    }
                }
                Err(errors) => {
                    prop_assert!(!errors.is_empty());
                    for e in errors {
                        prop_assert!(INPUT_FIELDS.contains(&e.field.as_str()) || e.field == "target", "{}", e.field);
                    }
                }
            }
        }

        #[test]
        fn numbers_round_trip(v in -1e12f64..1e12) {
            prop_assert_eq!(number("calls", &v.to_string()).unwrap(), v);
        }
    }

    #[test]
    fn column_names_are_matched_loosely() {
        assert_eq!(classify(" Target-SL "), Column::Input("target_sl"));
        assert_eq!(classify("interval_start"), Column::Passthrough);
        assert!(number("aht", "NaN").is_err());
        assert!(number("aht", "1e400").is_err());
    }
}
