//! Diagnostics: every error and warning names the file and the place in it.

use std::fmt;
use std::path::PathBuf;

/// Where in an input a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A line and column (1-based), for syntax errors.
    Line { line: usize, column: usize },
    /// A JSON pointer into the document, for semantic errors.
    Pointer(String),
    /// The file as a whole.
    File,
}

/// A problem found in an input, fatal (error) or worked around (warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub location: Location,
    pub message: String,
}

impl Diagnostic {
    pub fn at_pointer(
        file: impl Into<PathBuf>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            location: Location::Pointer(pointer.into()),
            message: message.into(),
        }
    }
    pub fn in_file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            location: Location::File,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match &self.location {
            Location::Line { line, column } => {
                write!(f, "{file}:{line}:{column}: {}", self.message)
            }
            Location::Pointer(p) => {
                let p = if p.is_empty() { "/" } else { p.as_str() };
                write!(f, "{file}#{p}: {}", self.message)
            }
            Location::File => write!(f, "{file}: {}", self.message),
        }
    }
}

/// A failed run: one or more fatal diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub diagnostics: Vec<Diagnostic>,
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error {
            diagnostics: vec![d],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
