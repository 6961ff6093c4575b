//! `secmx rules` (the whole catalogue, as a table or JSON) and `secmx explain RULE-ID` (one rule in
//! full, like `rustc --explain`): generated from the registry and its catalogue text
//! ([`crate::rules::catalogue`]), so what the program says about a rule is what it checks.

use super::{CliError, EXIT_OK, EXIT_USAGE, io};
use crate::rules::{self, Needs, Rule, catalogue};
use clap::ValueEnum;
use serde::Serialize;
use std::io::Write;

/// `rules --format`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RulesFormat {
    /// One line per rule: id, severity, what it needs, the rule.
    Table,
    /// Every rule with its catalogue text (sources, Fail/Pass examples).
    Json,
}

fn needs_word(n: Needs) -> &'static str {
    match n {
        Needs::Static => "static",
        Needs::Dns => "dns",
        Needs::Probe => "probe",
    }
}

/// One rule as `secmx rules --format json` prints it.
#[derive(Debug, Serialize)]
struct RuleDoc {
    id: &'static str,
    /// The base severity the registry raises findings at.
    severity: &'static str,
    /// When the severity is raised to error (`sge`, `l2`), if ever.
    #[serde(skip_serializing_if = "Option::is_none")]
    raised: Option<&'static str>,
    /// What judging it needs: the design alone, live DNS, or live probes.
    needs: &'static str,
    /// The catalogue's text of the rule, when it has an entry.
    #[serde(flatten)]
    text: Option<&'static catalogue::Entry>,
}

fn doc(r: &'static Rule) -> RuleDoc {
    RuleDoc {
        id: r.id,
        severity: r.severity.as_str(),
        raised: match r.raise {
            rules::Raise::Never => None,
            rules::Raise::Sge => Some("sge"),
            rules::Raise::L2 => Some("l2"),
        },
        needs: needs_word(r.needs),
        text: catalogue::entry(r.id),
    }
}

/// `secmx rules`.
pub(super) fn rules(format: RulesFormat, out: &mut dyn Write) -> Result<u8, CliError> {
    let all: Vec<&'static Rule> = rules::registry().collect();
    match format {
        RulesFormat::Json => {
            let docs: Vec<RuleDoc> = all.into_iter().map(doc).collect();
            let text =
                serde_json::to_string_pretty(&docs).map_err(|e| CliError::Other(e.to_string()))?;
            writeln!(out, "{text}").map_err(io)?;
        }
        RulesFormat::Table => {
            writeln!(
                out,
                "{} rules; `secmx explain RULE-ID` shows one with its sources and examples.\n",
                all.len()
            )
            .map_err(io)?;
            writeln!(out, "{:<10} {:<8} {:<7} RULE", "ID", "SEVERITY", "NEEDS").map_err(io)?;
            for r in all {
                let sev = match r.raise {
                    rules::Raise::Never => r.severity.as_str().to_string(),
                    rules::Raise::Sge => format!("{}+sge", r.severity),
                    rules::Raise::L2 => format!("{}+l2", r.severity),
                };
                writeln!(
                    out,
                    "{:<10} {:<8} {:<7} {}",
                    r.id,
                    sev,
                    needs_word(r.needs),
                    r.title
                )
                .map_err(io)?;
            }
        }
    }
    Ok(EXIT_OK)
}

/// `secmx explain RULE-ID`.
pub(super) fn explain(id: &str, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8, CliError> {
    let id = id.trim();
    let Some(rule) = rules::registry().find(|r| r.id.eq_ignore_ascii_case(id)) else {
        let group = id
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let near: Vec<&str> = rules::registry()
            .filter(|r| r.id.starts_with(&format!("{group}-")))
            .map(|r| r.id)
            .collect();
        let _ = writeln!(
            err,
            "secmx: no rule {:?}{}; `secmx rules` lists every rule",
            id,
            if near.is_empty() {
                String::new()
            } else {
                format!(" (the {group} rules are {})", near.join(", "))
            }
        );
        return Ok(EXIT_USAGE);
    };
    let text = catalogue::explanation(rule);
    out.write_all(text.as_bytes()).map_err(io)?;
    Ok(EXIT_OK)
}
