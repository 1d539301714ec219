//! How the shipped crate is published: its package metadata, from one
//! configuration (`spec/package.yaml`), and whether it may be published at
//! all. Without the file, or without `publish: true`, the crate keeps
//! `publish = false`.

use crate::error::{Diagnostic, Location, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The package metadata of a generated crate (`[package]` of its Cargo.toml).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// Where the generator and the crate's sources live.
    #[serde(default)]
    pub repository: Option<String>,
    /// Where the crate's documentation is read (docs.rs once published).
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub homepage: Option<String>,
    /// At most five, as crates.io takes them.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// crates.io category slugs (`api-bindings`, `web-programming::http-client`).
    #[serde(default)]
    pub categories: Vec<String>,
    /// Whether `cargo publish` may publish the crate (false unless set).
    #[serde(default)]
    pub publish: bool,
}

impl Package {
    /// Read `path` (YAML); a missing file is the default (nothing set,
    /// not publishable). Errors say where.
    pub fn read(path: &Path) -> Result<Package> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Package::default()),
            Err(e) => return Err(Diagnostic::in_file(path, format!("cannot read: {e}")).into()),
        };
        let package: Package = serde_yaml::from_str(&text).map_err(|e| Diagnostic {
            file: path.to_path_buf(),
            location: e.location().map_or(Location::File, |l| Location::Line {
                line: l.line(),
                column: l.column(),
            }),
            message: e.to_string(),
        })?;
        package
            .check()
            .map_err(|(pointer, m)| Diagnostic::at_pointer(path, pointer, m))?;
        Ok(package)
    }

    /// What crates.io would refuse, found before anything is written.
    fn check(&self) -> std::result::Result<(), (String, String)> {
        if self.keywords.len() > 5 {
            return Err((
                "/keywords".into(),
                format!(
                    "{} keywords; crates.io takes at most 5",
                    self.keywords.len()
                ),
            ));
        }
        for (i, k) in self.keywords.iter().enumerate() {
            let ok = k.len() <= 20
                && k.starts_with(|c: char| c.is_ascii_alphanumeric())
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'));
            if !ok {
                return Err((format!("/keywords/{i}"), format!("`{k}` is not a crates.io keyword (ASCII letters, digits, `-`, `_`, `+`; at most 20 characters)")));
            }
        }
        for (i, c) in self.categories.iter().enumerate() {
            let ok = !c.is_empty()
                && c.split("::").all(|part| {
                    !part.is_empty()
                        && part
                            .chars()
                            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
                });
            if !ok {
                return Err((format!("/categories/{i}"), format!("`{c}` is not a crates.io category slug (lowercase words joined by `-`, sub-categories after `::`)")));
            }
        }
        for (key, url) in [
            ("repository", &self.repository),
            ("documentation", &self.documentation),
            ("homepage", &self.homepage),
        ] {
            if let Some(u) = url {
                let ok = (u.starts_with("https://") || u.starts_with("http://"))
                    && !u.chars().any(|c| c.is_whitespace() || c.is_control());
                if !ok {
                    return Err((format!("/{key}"), format!("`{u}` is not an http(s) URL")));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Package> {
        let dir = std::env::temp_dir().join(format!(
            "codegen-publish-{}-{}",
            std::process::id(),
            text.len()
        ));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("package.yaml");
        std::fs::write(&path, text).expect("write");
        let r = Package::read(&path);
        let _ = std::fs::remove_dir_all(&dir);
        r
    }

    #[test]
    fn a_missing_file_publishes_nothing() {
        let p = Package::read(Path::new("/nonexistent/package.yaml")).expect("default");
        assert_eq!(p, Package::default());
        assert!(!p.publish);
    }

    #[test]
    fn values_are_read_and_checked_where_they_are() {
        let p = read("keywords: [intercom, api]\ncategories: [api-bindings, web-programming::http-client]\npublish: true\n").expect("valid");
        assert_eq!(p.keywords, ["intercom", "api"]);
        assert!(p.publish);
        let e = read("keywords: [a, b, c, d, e, f]\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("package.yaml#/keywords: 6 keywords"), "{e}");
        let e = read("categories: [\"Web Programming\"]\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("#/categories/0"), "{e}");
        let e = read("repository: \"github.com/x\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("#/repository"), "{e}");
        let e = read("publish: true\nreadme: x\n").unwrap_err().to_string();
        assert!(e.contains("package.yaml:2:"), "{e}");
    }
}
