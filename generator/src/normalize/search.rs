//! Query searches: what each accepts, read from the tables of its
//! operation's description as Intercom writes them: "Accepted Fields" (a
//! field and its type, with the values it accepts for some, and templated
//! rows such as `custom_attributes.{attribute_name}`) and "Accepted
//! Operators" (an operator and the types it is valid for: `All`, `All
//! except Date and tag_id`, `Integer<br>Date`). The tables win over the
//! prose around them. The conventions (`generator/conventions/search.yaml`)
//! say which operations are query searches, the words of the type columns
//! and the limits on a query's shape.
//!
//! A query search whose tables cannot be read still is one (its module
//! offers a field by name, with every operator), with a warning at its
//! description.

use crate::error::Diagnostic;
use crate::ir::{Api, BodyKind, Method, Operation, Search, SearchField, SearchOp, SearchValue};
use crate::ir::{TypeKind, TypeRef};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

/// The search conventions, as the data file gives them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Conventions {
    pub segment: String,
    pub property: String,
    pub max_depth: usize,
    pub max_group: usize,
    pub fields_table: Vec<String>,
    pub operators_table: Vec<String>,
    /// Type word → `text`, `integer`, `number`, `date` or `boolean`.
    pub types: BTreeMap<String, String>,
}

const CONVENTIONS: &str = include_str!("../../conventions/search.yaml");

/// The conventions (our own file, parsed once; a test checks that it
/// parses). Were it not to, no operation would be a query search.
pub fn conventions() -> &'static Conventions {
    static PARSED: OnceLock<Conventions> = OnceLock::new();
    PARSED.get_or_init(|| serde_yaml::from_str(CONVENTIONS).unwrap_or_default())
}

/// A type of the tables' columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Text,
    Integer,
    Number,
    Date,
    Boolean,
}

const KINDS: [Kind; 5] = [
    Kind::Text,
    Kind::Integer,
    Kind::Number,
    Kind::Date,
    Kind::Boolean,
];

fn kind(word: &str) -> Option<Kind> {
    let word = word.to_ascii_lowercase();
    match conventions().types.get(&word)?.as_str() {
        "text" => Some(Kind::Text),
        "integer" => Some(Kind::Integer),
        "number" => Some(Kind::Number),
        "date" => Some(Kind::Date),
        "boolean" => Some(Kind::Boolean),
        _ => None,
    }
}

/// Sets `search` on every operation that is a query search.
pub fn read(api: &mut Api, file: &Path) {
    let mut warnings = Vec::new();
    for i in 0..api.operations.len() {
        let op = &api.operations[i];
        let Some(property) = query_property(api, op) else {
            continue;
        };
        let pointer = format!("{}/description", op.pointer);
        let doc = op.doc.clone().unwrap_or_default();
        let fields = match tables(&doc) {
            Ok(fields) => fields,
            Err(why) => {
                warnings.push(Diagnostic::at_pointer(
                    file,
                    &pointer,
                    format!("query search `{}`: {why}; its search module offers only a field by name, with every operator", op.id),
                ));
                Vec::new()
            }
        };
        let mut fields: Vec<SearchField> = fields
            .into_iter()
            .filter_map(|row| match row {
                Ok(field) => Some(field),
                Err(why) => {
                    warnings.push(Diagnostic::at_pointer(
                        file,
                        &pointer,
                        format!("query search `{}`: {why}", op.id),
                    ));
                    None
                }
            })
            .collect();
        let mut seen = BTreeSet::new();
        fields.retain(|f| seen.insert(f.name.clone()));
        let c = conventions();
        api.operations[i].search = Some(Search {
            property,
            fields,
            max_depth: c.max_depth,
            max_group: c.max_group,
        });
    }
    api.warnings.extend(warnings);
}

/// The body property that holds the query, if `op` is a query search.
fn query_property(api: &Api, op: &Operation) -> Option<String> {
    let c = conventions();
    let last = op.path.trim_end_matches('/').rsplit('/').next()?;
    if op.method != Method::Post || last != c.segment {
        return None;
    }
    let body = op.body.as_ref()?;
    if body.kind != BodyKind::Json {
        return None;
    }
    let TypeRef::Named(id) = body.ty else {
        return None;
    };
    let TypeKind::Struct { fields } = &api.ty(id).kind else {
        return None;
    };
    fields
        .iter()
        .find(|f| f.json_name == c.property)
        .map(|f| f.json_name.clone())
}

/// A Markdown table: its header's cells (lower case) and its rows' cells.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn cells(line: &str) -> Vec<String> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = line.strip_suffix('|').unwrap_or(line);
    line.split('|').map(|c| c.trim().to_string()).collect()
}

/// Every table of `doc` (lines that start with `|`, the second a rule).
fn markdown_tables(doc: &str) -> Vec<Table> {
    let mut tables = Vec::new();
    let mut lines = doc.lines().map(str::trim).peekable();
    while let Some(line) = lines.next() {
        if !line.starts_with('|') {
            continue;
        }
        let Some(rule) = lines.peek() else { break };
        let is_rule = rule.starts_with('|')
            && rule
                .chars()
                .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'));
        if !is_rule {
            continue;
        }
        lines.next();
        let header = cells(line).iter().map(|c| c.to_lowercase()).collect();
        let mut rows = Vec::new();
        while let Some(row) = lines.peek() {
            if !row.starts_with('|') {
                break;
            }
            rows.push(cells(row));
            lines.next();
        }
        tables.push(Table { header, rows });
    }
    tables
}

fn headed<'t>(tables: &'t [Table], header: &[String]) -> Option<&'t Table> {
    tables.iter().find(|t| {
        t.header.len() >= header.len()
            && header
                .iter()
                .zip(&t.header)
                .all(|(want, have)| have.starts_with(want.as_str()))
    })
}

/// `<br>`, `<br/>`, `<br />` and `</br>` (which browsers read as `<br>`,
/// and Intercom has written) as a comma, the separator the columns mean.
fn breaks_as_commas(cell: &str) -> String {
    let mut out = cell.to_string();
    for br in ["<br />", "<br/>", "<br>", "<BR>", "</br>"] {
        out = out.replace(br, ", ");
    }
    out
}

fn unquoted(s: &str) -> &str {
    s.trim().trim_matches('`').trim()
}

/// The fields of a description's tables, each read or refused with why.
fn tables(doc: &str) -> Result<Vec<Result<SearchField, String>>, String> {
    let c = conventions();
    let tables = markdown_tables(doc);
    let fields = headed(&tables, &c.fields_table)
        .ok_or("its description has no table of accepted fields (`| Field | Type |`)")?;
    let operators = headed(&tables, &c.operators_table).ok_or(
        "its description has no table of accepted operators (`| Operator | Valid Types |`)",
    )?;
    let mut valid: Vec<(SearchOp, BTreeSet<Kind>, BTreeSet<String>)> = Vec::new();
    let mut unknown = Vec::new();
    for row in &operators.rows {
        let (Some(symbol), Some(types)) = (row.first(), row.get(1)) else {
            continue;
        };
        match SearchOp::from_symbol(unquoted(symbol)) {
            Some(op) => {
                let (kinds, except) = valid_types(types);
                valid.push((op, kinds, except));
            }
            None => unknown.push(unquoted(symbol).to_string()),
        }
    }
    if valid.is_empty() {
        return Err("its table of accepted operators names no operator it knows".into());
    }
    let mut out: Vec<Result<SearchField, String>> = unknown
        .into_iter()
        .map(|s| {
            Err(format!(
                "the operator `{s}` of its table is not one a query writes; left out"
            ))
        })
        .collect();
    for row in &fields.rows {
        let (Some(name), Some(said)) = (row.first(), row.get(1)) else {
            continue;
        };
        let name = unquoted(name);
        if name.is_empty() {
            continue;
        }
        out.push(field(name, said, &valid));
    }
    Ok(out)
}

/// An operator's "valid types" cell: the types it takes, and the fields
/// it does not (`All except Date and tag_id`).
fn valid_types(cell: &str) -> (BTreeSet<Kind>, BTreeSet<String>) {
    let text = breaks_as_commas(cell);
    // ASCII case only: `lower` indexes `text`.
    let lower = text.to_ascii_lowercase();
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '`'))
            .map(|w| w.trim_matches(|c| c == '`' || c == '.').to_string())
            .filter(|w| !w.is_empty())
            .collect()
    };
    if lower.trim_start().starts_with("all") {
        let mut kinds: BTreeSet<Kind> = KINDS.into_iter().collect();
        let mut except = BTreeSet::new();
        if let Some(at) = lower.find("except") {
            // Field names keep their case: take them from the cell as written.
            for word in words(&text[at + "except".len()..]) {
                let w = word.to_lowercase();
                if matches!(w.as_str(), "and" | "or" | "unix") {
                    continue;
                }
                match kind(&w) {
                    Some(k) => {
                        kinds.remove(&k);
                    }
                    None if word.chars().any(|c| c == '_' || c == '.') || w == word => {
                        except.insert(word);
                    }
                    None => {}
                }
            }
        }
        (kinds, except)
    } else {
        (
            words(&lower).iter().filter_map(|w| kind(w)).collect(),
            BTreeSet::new(),
        )
    }
}

/// One row of the fields table.
fn field(
    name: &str,
    said: &str,
    valid: &[(SearchOp, BTreeSet<Kind>, BTreeSet<String>)],
) -> Result<SearchField, String> {
    let template = match (name.find('{'), name.find('}')) {
        (Some(open), Some(close)) if open < close => {
            if close + 1 != name.len() {
                return Err(format!(
                    "the field `{name}` has text after its placeholder; left out (a field by name reaches it)"
                ));
            }
            Some((name[..open].to_string(), name[open + 1..close].to_string()))
        }
        (None, None) => None,
        _ => {
            return Err(format!(
                "the field `{name}` has an unbalanced placeholder; left out (a field by name reaches it)"
            ))
        }
    };
    let cell = breaks_as_commas(said);
    let (type_part, note) = match said.find("<br") {
        Some(at) => (&said[..at], Some(&said[at..])),
        None => (said, None),
    };
    let mut kinds = BTreeSet::new();
    let mut known = true;
    for alternative in type_part.split([',', '/']).flat_map(|p| p.split(" or ")) {
        let first = alternative
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty());
        match first.map(|w| (w, kind(w))) {
            Some((_, Some(k))) => {
                kinds.insert(k);
            }
            Some((_, None)) => known = false,
            None => {}
        }
    }
    if kinds.is_empty() {
        known = false;
    }
    let value = if !known || kinds.len() > 1 {
        SearchValue::Any
    } else {
        match kinds.iter().next().copied() {
            Some(Kind::Text) => match note.map(|n| listed(&breaks_as_commas(n))) {
                Some(values) if !values.is_empty() => SearchValue::Listed(values),
                _ => SearchValue::Text,
            },
            Some(Kind::Integer) => SearchValue::Integer,
            Some(Kind::Number) => SearchValue::Number,
            Some(Kind::Date) => SearchValue::Date,
            Some(Kind::Boolean) => SearchValue::Boolean,
            None => SearchValue::Any,
        }
    };
    // A type the conventions do not know takes what any type takes.
    let kinds: BTreeSet<Kind> = if known {
        kinds
    } else {
        KINDS.into_iter().collect()
    };
    let operators = SearchOp::ALL
        .into_iter()
        .filter(|op| {
            valid.iter().any(|(o, takes, except)| {
                o == op && !takes.is_disjoint(&kinds) && !except.contains(name)
            })
        })
        .collect();
    Ok(SearchField {
        name: name.to_string(),
        template,
        value,
        operators,
        said: cell
            .split(", ")
            .next()
            .unwrap_or_default()
            .trim()
            .to_string(),
    })
}

/// The values a type cell's note lists: those in backticks, or the words
/// after "accepts" (`Accepts user or lead`).
fn listed(note: &str) -> Vec<String> {
    let quoted: Vec<String> = note
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    if !quoted.is_empty() {
        return quoted;
    }
    let lower = note.to_ascii_lowercase();
    let Some(at) = lower.find("accepts ") else {
        return Vec::new();
    };
    note[at + "accepts ".len()..]
        .split([',', ';'])
        .flat_map(|p| p.split(" or "))
        .flat_map(|p| p.split(" and "))
        .map(|w| w.trim().trim_end_matches('.').trim().to_string())
        .filter(|w| !w.is_empty() && !w.contains(' '))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_break_intercom_writes_separates() {
        for br in ["<br>", "<br/>", "<br />", "<BR>", "</br>"] {
            assert_eq!(
                breaks_as_commas(&format!("Integer{br}Date")),
                "Integer, Date",
                "{br}"
            );
        }
    }

    const DOC: &str = "Finds things.

| Field | Type |
| --- | --- |
| id | String |
| role | String<br>Accepts user or lead |
| source.type | String<br>One of `email`, `chat`. |
| owner_id | Integer |
| created_at | Date (UNIX Timestamp) |
| open | Boolean |
| tag_id | String |
| custom_attributes.{attribute_name} | String |
| score | Float |
| ticket_attribute.{id} | String or Boolean or Date (UNIX timestamp) or Float or Integer |
| mood | Feeling |

| Operator | Valid Types | Description |
| :------- | :---------- | :---------- |
| = | All | Equals |
| != | All except Date | Not |
| IN | All except Date and tag_id | In<br>Values in an array |
| > | Integer<br>Date | Greater |
| < | Integer  Date (UNIX Timestamp) | Lower |
| >= | Integer | At least |
| ~ | String | Contains |
| ?? | String | Nothing |
";

    fn read_doc() -> Vec<Result<SearchField, String>> {
        tables(DOC).expect("tables")
    }

    fn named<'a>(fields: &'a [Result<SearchField, String>], name: &str) -> &'a SearchField {
        fields
            .iter()
            .flatten()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    }

    use SearchOp::*;

    #[test]
    fn types_and_operators_follow_the_tables() {
        let fields = read_doc();
        let id = named(&fields, "id");
        assert_eq!(id.value, SearchValue::Text);
        assert_eq!(id.operators, vec![Eq, Ne, In, Contains]);
        let created = named(&fields, "created_at");
        assert_eq!(created.value, SearchValue::Date);
        assert_eq!(created.operators, vec![Eq, Gt, Lt]);
        assert_eq!(created.said, "Date (UNIX Timestamp)");
        let owner = named(&fields, "owner_id");
        assert_eq!(owner.value, SearchValue::Integer);
        assert_eq!(owner.operators, vec![Eq, Ne, In, Gt, Lt, Ge]);
        assert_eq!(named(&fields, "open").operators, vec![Eq, Ne, In]);
        assert_eq!(named(&fields, "open").value, SearchValue::Boolean);
        // Excepted by name.
        assert_eq!(named(&fields, "tag_id").operators, vec![Eq, Ne, Contains]);
        assert_eq!(named(&fields, "score").value, SearchValue::Number);
        assert_eq!(named(&fields, "score").operators, vec![Eq, Ne, In]);
    }

    #[test]
    fn listed_values_templates_and_several_types() {
        let fields = read_doc();
        assert_eq!(
            named(&fields, "role").value,
            SearchValue::Listed(vec!["user".into(), "lead".into()])
        );
        assert_eq!(
            named(&fields, "source.type").value,
            SearchValue::Listed(vec!["email".into(), "chat".into()])
        );
        let custom = named(&fields, "custom_attributes.{attribute_name}");
        assert_eq!(
            custom.template,
            Some(("custom_attributes.".into(), "attribute_name".into()))
        );
        let any = named(&fields, "ticket_attribute.{id}");
        assert_eq!(any.value, SearchValue::Any);
        // What any of its types takes.
        assert_eq!(any.operators, vec![Eq, Ne, In, Gt, Lt, Ge, Contains]);
        // A type the conventions do not know: any value, every operator of the table.
        let mood = named(&fields, "mood");
        assert_eq!(mood.value, SearchValue::Any);
        assert_eq!(mood.operators, vec![Eq, Ne, In, Gt, Lt, Ge, Contains]);
        assert!(fields
            .iter()
            .any(|f| matches!(f, Err(m) if m.contains("`??`"))));
    }

    #[test]
    fn missing_tables_say_which() {
        let only_fields = "| Field | Type |\n|---|---|\n| id | String |\n";
        assert!(matches!(tables(only_fields), Err(m) if m.contains("accepted operators")));
        assert!(matches!(tables("Prose only."), Err(m) if m.contains("accepted fields")));
        let bad = "| Field | Type |\n|---|---|\n| a.{x | String |\n| b.{x}.c | String |\n\n| Operator | Valid Types |\n|---|---|\n| = | All |\n";
        let fields = tables(bad).expect("tables");
        assert!(fields.iter().all(|f| f.is_err()), "{fields:?}");
    }

    proptest::proptest! {
        /// Any text, tables or not, reads without a panic.
        #[test]
        fn any_description_reads(
            rows in proptest::collection::vec(("[a-zA-Zİ_.{}` ]{0,10}", "[a-zA-Zİ<>`, ]{0,24}"), 0..6),
            ops in proptest::collection::vec(("[=!<>~^$A-Z]{0,3}", "[a-zA-Zİ<>_, ]{0,24}"), 0..6),
            prose in "[ -~İ|\n]{0,60}",
        ) {
            let mut doc = format!("{prose}\n| Field | Type |\n|---|---|\n");
            for (name, ty) in &rows {
                doc.push_str(&format!("| {name} | {ty} |\n"));
            }
            doc.push_str("\n| Operator | Valid Types |\n| --- | --- |\n");
            for (op, types) in &ops {
                doc.push_str(&format!("| {op} | {types} |\n"));
            }
            let _ = tables(&doc);
            let _ = tables(&prose);
        }
    }

    #[test]
    fn the_conventions_parse() {
        let parsed: Conventions = serde_yaml::from_str(CONVENTIONS).expect("search.yaml");
        assert_eq!((parsed.max_depth, parsed.max_group), (2, 15));
        assert_eq!(kind("String"), Some(Kind::Text));
        assert_eq!(kind("Date"), Some(Kind::Date));
    }
}
