//! A comparison as the changelog writes it.

use super::compare::{Change, Comparison};
use std::fmt::Write as _;

/// The comparison as changelog text: what breaks (each item with its old
/// and new spelling, by module path, as `api-surface.txt` names it), and
/// what was added (listed with `list_added`, else counted).
pub fn markdown(c: &Comparison, list_added: bool) -> String {
    let mut out = String::new();
    if c.is_empty() {
        out.push_str("The crate's Rust API is unchanged (`api-surface.txt`).\n");
        return out;
    }
    let count = |f: &dyn Fn(&Change) -> bool| c.changes.iter().filter(|x| f(x)).count();
    let _ = writeln!(
        out,
        "In `api-surface.txt`: {} item(s) removed, {} changed, {} added; {} of these may break code.",
        count(&|x| x.new.is_none()),
        count(&|x| x.old.is_some() && x.new.is_some()),
        count(&|x| x.old.is_none()),
        count(&|x| x.breaks),
    );
    let line = |x: &Change| match (&x.old, &x.new) {
        (Some(v), None) => format!("- `{}`: removed (was `{v}`)", x.key),
        (Some(v), Some(w)) => format!("- `{}`: `{v}` → `{w}`", x.key),
        (None, Some(w)) => format!("- `{}`: `{w}`", x.key),
        (None, None) => String::new(),
    };
    let breaking: Vec<String> = c.changes.iter().filter(|x| x.breaks).map(line).collect();
    if !breaking.is_empty() {
        out.push_str("\nWhat may break code (search your code for the item's last name):\n\n");
        for l in breaking {
            let _ = writeln!(out, "{l}");
        }
    }
    let other: Vec<String> = c.changes.iter().filter(|x| !x.breaks).map(line).collect();
    if list_added && !other.is_empty() {
        out.push_str("\nAdded or widened (nothing to change):\n\n");
        for l in other {
            let _ = writeln!(out, "{l}");
        }
    }
    out
}
