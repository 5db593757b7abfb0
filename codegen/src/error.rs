//! The generator's error type: every variant names the file it is about and says what to fix.

use std::path::PathBuf;

/// Everything that can stop generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file is not valid JSON.
    #[error("{path}: invalid JSON at line {line}, column {column}: {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde_json's description.
        message: String,
    },
    /// The JSON is valid but does not have the shape of a Postman file.
    #[error("{path}: invalid {what} at JSON path `{json_path}`{item}: {message}")]
    Structure {
        /// The file.
        path: PathBuf,
        /// "collection", "environment", ...
        what: &'static str,
        /// Where in the JSON, e.g. `item[2].request.url`.
        json_path: String,
        /// The Postman item path (folder / request names), as ` (in Users / Create user)`.
        item: String,
        /// What is wrong.
        message: String,
    },
    /// A collection format the generator does not read.
    #[error("{path}: unsupported collection format: {detail}; supported are Postman collection v2.1.0 and v2.0.0 (https://schema.getpostman.com/json/collection/v2.1.0/collection.json): export the collection again from Postman as v2.1")]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// Which format it is (schema URL, v1, ...).
        detail: String,
    },
    /// `codegen.toml` or the command line asked for something impossible.
    #[error("{0}")]
    Config(String),
    /// The output directory is not safe to write.
    #[error("{path}: {message}")]
    Output {
        /// The directory.
        path: PathBuf,
        /// Why it was refused.
        message: String,
    },
    /// Internal: emitted tokens did not parse as Rust (a generator bug, reported, never a panic).
    #[error("internal error: generated code for {file} is not valid Rust: {message}")]
    Emit {
        /// The generated file.
        file: String,
        /// syn's message.
        message: String,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
