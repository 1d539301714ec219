//! A [`Report`] as text (for a terminal), Markdown (for the changelog) or JSON.

use super::{Change, Report, Severity};

const SEVERITIES: [Severity; 3] = [Severity::Breaking, Severity::Warning, Severity::Info];

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "2 breaking, 1 warning, 0 info".
pub fn summary(report: &Report) -> String {
    format!(
        "{} breaking, {}, {} info",
        report.count(Severity::Breaking),
        plural(report.count(Severity::Warning), "warning", "warnings"),
        report.count(Severity::Info)
    )
}

/// Where a change is: its operation, its type, or the API as a whole.
fn place(c: &Change) -> &str {
    c.operation
        .as_deref()
        .or(c.schema.as_deref())
        .unwrap_or("API")
}

/// One line per change; with `color`, the severity is colored (ANSI).
pub fn text(report: &Report, color: bool) -> String {
    let mut out = format!("{} → {}: {}\n", report.old, report.new, summary(report));
    for c in &report.changes {
        let sev = format!("{:<8}", c.severity.as_str());
        let sev = match (color, c.severity) {
            (false, _) => sev,
            (true, Severity::Breaking) => format!("\x1b[1;31m{sev}\x1b[0m"),
            (true, Severity::Warning) => format!("\x1b[33m{sev}\x1b[0m"),
            (true, Severity::Info) => format!("\x1b[2m{sev}\x1b[0m"),
        };
        out.push_str(&format!(
            "{sev} {:<30} {}: {}  (#{})\n",
            c.kind.as_str(),
            place(c),
            c.message,
            c.pointer
        ));
    }
    out
}

/// A changelog section: `## OLD → NEW`, the summary, then one list per severity.
pub fn markdown(report: &Report) -> String {
    let mut out = format!("## {} → {}\n\n", report.old, report.new);
    if report.changes.is_empty() {
        out.push_str("No changes to the API.\n");
        return out;
    }
    out.push_str(&format!("{}.\n", summary(report)));
    for severity in SEVERITIES {
        let changes: Vec<&Change> = report
            .changes
            .iter()
            .filter(|c| c.severity == severity)
            .collect();
        if changes.is_empty() {
            continue;
        }
        let title = match severity {
            Severity::Breaking => "Breaking",
            Severity::Warning => "Warnings",
            Severity::Info => "Info",
        };
        out.push_str(&format!("\n### {title}\n\n"));
        for c in changes {
            out.push_str(&format!(
                "- `{}`: {} (`{}`)\n",
                place(c),
                c.message,
                c.kind.as_str()
            ));
        }
    }
    out
}

pub fn json_value(report: &Report) -> serde_json::Value {
    let changes: Vec<serde_json::Value> = report
        .changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "kind": c.kind.as_str(),
                "severity": c.severity.as_str(),
                "operation": c.operation,
                "schema": c.schema,
                "pointer": c.pointer,
                "message": c.message,
            })
        })
        .collect();
    serde_json::json!({
        "old": report.old,
        "new": report.new,
        "changes": changes,
    })
}

/// Pretty-printed JSON, with a final newline.
pub fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&json_value(report)).unwrap_or_default();
    s.push('\n');
    s
}
